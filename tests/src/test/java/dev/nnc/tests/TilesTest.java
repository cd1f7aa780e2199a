package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Compile;
import dev.nnc.ir.IrPrinter;
import dev.nnc.schedule.LoopPrinter;
import dev.nnc.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TILES against the interpreter: pools whose stride is their window, over maps their windows tile exactly — 1-D and
 * 2-D, windows of 2 and 3, one or two channels, max and average, after a ReLU (which POOL fuses into a max pool), a
 * tanh or nothing — whose adjoints the JVM backend computes over the windows rather than the elements. Each network's
 * loss, gradients, steps and predictions must agree under every schedule and precision (JvmBackendTest.checkIm2col),
 * and each must have been tiled.
 */
class TilesTest {
    static final int NETWORKS = 24;

    static Stream<Arguments> networks() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 0; seed < NETWORKS; seed++) {
            var r = new SplittableRandom(seed);
            boolean two = seed % 2 == 0, max = seed % 4 < 2;
            int w = 2 + r.nextInt(2), windows = 2 + r.nextInt(3), n = w * windows, channels = 1 + r.nextInt(2);
            String act = List.of("relu", "tanh", "").get(r.nextInt(3));
            String sub = two ? "[c,i,j]" : "[c,i]", dims = two ? "," + n + "," + n : "," + n;
            String at = two ? "[c, " + w + "i+p-" + w + ", " + w + "j+q-" + w + "]" : "[c, " + w + "i+p-" + w + "]";
            String head = max ? "max_{p=1}^{" + w + "} " + (two ? "max_{q=1}^{" + w + "} " : "")
                    : "Σ_{p=1}^{" + w + "} " + (two ? "Σ_{q=1}^{" + w + "} " : "");
            String source = "network Tiles {\n"
                    + "  input  x[" + channels + dims + "]\n"
                    + "  target y[2]\n"
                    + "  param  W0[" + channels + "] ~ he, b0[" + channels + "] = 0\n"
                    + "  param  V[2," + channels + (two ? "," + windows + "," + windows : "," + windows) + "] ~ xavier, c0[2] = 0\n"
                    + "  a" + sub + " = " + act + "(W0[c] x" + sub + " + b0[c])\n"
                    + "  m" + sub + " = " + head + "a" + at + (max ? "" : " / " + (two ? w * w : w)) + "\n"
                    + "  z[o] = Σ_c Σᵢ " + (two ? "Σⱼ V[o,c,i,j] m[c,i,j]" : "V[o,c,i] m[c,i]") + " + c0[o]\n"
                    + "  output z\n"
                    + "  loss J = Σₒ (z[o] - y[o])²\n"
                    + "}\n";
            String name = "tiles " + seed + " (" + (two ? "2-D" : "1-D") + ", " + (max ? "max" : "avg") + " " + w + ", "
                    + windows + " windows, " + channels + " channels, " + (act.isEmpty() ? "linear" : act) + ")";
            out.add(Arguments.of(name, source));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void agreesWithTheInterpreter(String name, String source) {
        var net = JvmBackendTest.compile(name, source, "adam", Compile.Options.DEFAULT.forKernels());
        // as loops (small networks are otherwise written out, their windows' loops with them)
        var loops = Schedule.of(net.graph(), net.optimizer(), JvmBackendTest.SCHEDULES.get("loops"));
        String printed = LoopPrinter.print(loops, IrPrinter.Style.UNICODE);
        assertTrue(printed.contains("′ <"), name + ": the pool's adjoint is not tiled\n" + source + printed);
        JvmBackendTest.checkIm2col(name, source, "adam");
    }
}
