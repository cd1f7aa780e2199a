package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nnc} launcher as a user runs it, in a process of its own: what the compiler writes to standard error
 * stays there (the launcher filters the JVM's notice of the incubator module out of it), so predictions on standard
 * output are the CSV alone, for every command that computes.
 */
class LauncherTest {
    record Ran(int status, String out, String err) {}

    static Ran launcher(Path dir, String... args) throws Exception {
        Path nnc = Repo.root().resolve("nnc");
        var command = new ArrayList<>(List.of("bash", nnc.toString()));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("NNC_NO_CACHE", "1"); // no class cache written beside the jar by a test
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // it would add a line to standard error
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./nnc " + String.join(" ", args) + " did not finish in 3 minutes");
        }
        Thread.sleep(200); // the filter of standard error may still be writing when the JVM has exited
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void warningsStayOnStandardErrorAndPredictionsAreTheCsvAlone(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Repo.root().resolve("compiler/target/nnc.jar")), "the jar is not built (mvn -pl compiler package)");
        Path program = dir.resolve("p.nn"), data = dir.resolve("d.csv"), weights = dir.resolve("p.safetensors");
        // an equation nothing uses: every command that compiles the file warns about it, and goes on
        Files.writeString(program, """
                network P {
                  input  x[2]
                  target y
                  param  w[2] ~ normal(0, 1), b = 0
                  unused = x[1] + x[2]
                  p = σ(Σᵢ w[i] x[i] + b)
                  output p
                  loss J = bce(p, y)
                }
                """);
        Files.writeString(data, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        var train = CliTest.nnc("train", program.toString(), "--data", data.toString(), "--epochs", "1", "--quiet", "-o", weights.toString());
        assertEquals(0, train.status(), train.err());
        var predict = launcher(dir, "predict", program.toString(), "--weights", weights.toString(), "--input", data.toString());
        assertEquals(0, predict.status(), predict.err());
        assertTrue(predict.err().contains("warning[unused]"), "the warning is on standard error:\n" + predict.err());
        var rows = predict.out().lines().toList();
        assertEquals("p,class", rows.get(0), predict.out());
        assertEquals(5, rows.size(), "the header and a row per sample, nothing else:\n" + predict.out());
        for (String row : rows.subList(1, rows.size())) assertTrue(row.matches("[0-9.eE-]+,[01]"), row);
        assertTrue(!predict.err().contains("incubator"), "the JVM's notice is dropped:\n" + predict.err());

        var eval = launcher(dir, "eval", program.toString(), "--weights", weights.toString(), "--data", data.toString());
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.err().contains("warning[unused]") && !eval.out().contains("warning"), eval.out() + eval.err());
    }

    /** Weights are named after the .nn file (gbc_xor.nn → gbc_xor.safetensors), and a run says when it replaces a file. */
    @Test
    void defaultWeightsAreNamedAfterTheFileAndReplacingThemIsSaid(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Repo.root().resolve("compiler/target/nnc.jar")), "the jar is not built (mvn -pl compiler package)");
        Files.writeString(dir.resolve("gbc_xor.nn"), Files.readString(Repo.root().resolve("samples/xor.nn")).replace("\"data/xor.csv\"",
                "\"" + Repo.root().resolve("samples/data/xor.csv") + "\""));
        var first = launcher(dir, "train", "gbc_xor.nn", "--epochs", "1", "--quiet");
        assertEquals(0, first.status(), first.err());
        assertTrue(Files.isRegularFile(dir.resolve("gbc_xor.safetensors")), first.out());
        assertTrue(first.out().contains("weights written to gbc_xor.safetensors"), first.out());
        assertTrue(!first.err().contains("note"), first.err());
        var second = launcher(dir, "train", "gbc_xor.nn", "--epochs", "1", "--quiet");
        assertEquals(0, second.status(), second.err());
        assertTrue(second.err().matches("(?s)nnc: note: gbc_xor.safetensors holds the weights of a run at [0-9: -]+; this run replaces them after "
                + "its first epoch \\(-o FILE writes elsewhere\\)\n.*"), second.err());
    }
}
