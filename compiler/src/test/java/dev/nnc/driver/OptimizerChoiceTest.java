package dev.nnc.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.source.SourceFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --optimizer} is read by the grammar, as the train block's setting is: the same text gives the same optimizer
 * either way, and a mistake is said in the words the command line has always used, naming the argument at fault.
 */
class OptimizerChoiceTest {
    private static final String NET = "network N {\n  input x\n  target y\n  param w\n  z = w x\n  output z\n  loss J = (z - y)²\n}\n";

    private static Build.Built build(String block, String option, Double lr) {
        var result = Frontend.check(new SourceFile("m.nn", NET + (block == null ? "" : "train N {\n  optimizer " + block + "\n}\n")));
        assertTrue(!result.diagnostics().hasErrors(), result.diagnostics().sorted().toString());
        var network = Compile.network(result.checked(), null);
        return Build.network(result.checked(), network, Path.of("m.nn"), new Build.Request(Set.of(), option, lr));
    }

    private static String mistake(String option) {
        return assertThrows(Build.BadRequest.class, () -> build(null, option, null)).getMessage();
    }

    @Test
    void theOptionAndTheBlockReadTheSameTextAlike() {
        for (String text : new String[] {"adam", "adam(α = 0.01)", "momentum(0.05, 0.8)", "adam(0.02, β2 = 0.99)", "adam(alpha = 0.02)", "gd( 0.5 )", "momentum(0.5e-1 , β = 0.5)"}) {
            assertEquals(build(text, null, null).optimizer().describe(), build(null, text, null).optimizer().describe(), text);
        }
    }

    @Test
    void namedHyperparametersReplacePositionalOnesAndLrReplacesBoth() {
        assertEquals(Map.of("α", 0.3, "β", 0.8), build(null, "momentum(α = 0.3, 0.1, 0.8)", null).optimizer().hyperparameters());
        assertEquals(0.7, build(null, "momentum(0.1)", 0.7).optimizer().hyperparameters().get("α"));
        assertEquals(0.7, build("momentum(0.1)", null, 0.7).optimizer().hyperparameters().get("α"));
        assertEquals("adam", build(null, "  adam  ", null).optimizer().name());
    }

    @Test
    void aMistakeNamesTheArgumentAsWritten() {
        assertEquals("--optimizer: cannot read \"adam(α = NaN)\": α = NaN is not a number or NAME = number", mistake("adam(α = NaN)"));
        assertEquals("--optimizer: cannot read \"adam(α = 1/1000)\": α = 1/1000 is not a number or NAME = number", mistake("adam(α = 1/1000)"));
        assertEquals("--optimizer: cannot read \"adam(α == 0.1)\": α == 0.1 is not a number or NAME = number", mistake("adam(α == 0.1)"));
        assertEquals("--optimizer: cannot read \"adam(0.1, β)\": β is not a number or NAME = number", mistake("adam(0.1, β)"));
        assertEquals("--optimizer: cannot read \"adam(,)\": a number is missing", mistake("adam(,)"));
        assertEquals("--optimizer: cannot read \"adam(0.1,)\": a number is missing", mistake("adam(0.1,)"));
        for (String whole : new String[] {"adam(α = 0.01", "adam α", "3", "adam[1]", "adam(0.1) + 1", ""}) {
            assertEquals("--optimizer: cannot read \"" + whole + "\"; write it as in a train block, such as adam(α = 0.01)", mistake(whole), whole);
        }
    }

    @Test
    void aNumberBreakingItsRuleIsShownAsWritten() {
        assertEquals("--optimizer: the hyperparameter α of adam must be a positive finite number, not 1e400", mistake("adam(α = 1e400)"));
        assertEquals("--optimizer: the hyperparameter β of momentum must be a finite number, not 1e999", mistake("momentum(0.1, 1e999)"));
        assertEquals("--optimizer: the hyperparameter α of gd must be a positive finite number, not -0.5", mistake("gd(-0.5)"));
        assertEquals("--optimizer: gd takes at most 1 hyperparameters [α], not 2", mistake("gd(0.1, 0.2)"));
        assertEquals("--optimizer: adam has no hyperparameter γ; it has α, β1, β2, ε", mistake("adam(γ = 1)"));
        assertTrue(mistake("adamm").startsWith("--optimizer: there is no optimizer adamm; the optimizers are gd, "), mistake("adamm"));
    }
}
