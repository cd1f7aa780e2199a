package dev.nnc.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Sizes;
import dev.nnc.source.SourceFile;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A network too large for the heap is refused before anything is allocated, with its size and the heap it was
 * measured against; so is a batch too large for one array. Checked for parameter counts up to one array's limit,
 * for every backend and precision, against heaps of several sizes.
 */
class MemoryTest {
    record Net(Graph graph, OptimizerIr optimizer) {}

    static Net compile(String source, String optimizer) {
        var result = Frontend.check(new SourceFile("m.nn", source));
        assertTrue(!result.diagnostics().hasErrors(), () -> result.diagnostics().sorted().stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
        var network = Compile.network(result.checked(), null);
        return new Net(Compile.graph(result.checked(), network, Compile.Options.DEFAULT),
                LowerOptimizer.byName(result.checked().scope(), optimizer, Map.of()));
    }

    static Net square(int n, String optimizer) {
        return compile("network Sq {\n  input x[" + n + "]\n  target y\n  param W[" + n + "," + n + "]\n  z = Σₖ Σᵢ W[k,i] x[i]\n"
                + "  output z\n  loss J = (z - y)²\n}\n", optimizer);
    }

    @Test
    void aNetworkOverTheHeapIsRefusedWithItsSizeAndTheHeap() {
        long gb = 1_000_000_000L;
        // n² parameters: 4 · n² bytes for each of parameters, states and per-thread gradient sums in f32
        for (int n : new int[] {100, 10_000, 30_000, 46_340}) {
            for (String optimizer : new String[] {"gd", "adam"}) {
                var net = square(n, optimizer);
                long params = (long) n * n;
                int states = optimizer.equals("adam") ? 2 : 0;
                for (String backend : new String[] {"jvm", "interp"}) {
                    for (DType type : DType.values()) {
                        if (backend.equals("interp") && type == DType.F32) continue;
                        long element = type == DType.F64 || backend.equals("interp") ? 8 : 4;
                        long least = params * element * (1 + states + 2); // parameters, states, two threads' gradient sums
                        for (long heap : new long[] {gb / 10, 4 * gb, 64 * gb, 1024 * gb}) {
                            Optional<String> why = Memory.check(net.graph(), net.optimizer(), backend, type, 32, 2, heap);
                            String what = n + "², " + optimizer + ", " + backend + " " + type + ", heap " + heap;
                            if (least > heap) {
                                assertTrue(why.isPresent(), what);
                                assertTrue(why.get().startsWith("Sq needs about "), why.get());
                                assertTrue(why.get().contains(String.format(Locale.ROOT, "(%,d parameters in %s", params,
                                        element == 8 ? "f64" : "f32")), why.get());
                                assertTrue(why.get().contains("but Java can give it only " + Sizes.bytes(heap)), why.get());
                            }
                            if (least * 2 < heap) assertEquals(Optional.empty(), why, what); // the estimate is not wildly high
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBatchOfAValueOverOneArrayIsRefusedWhateverTheHeap() {
        var net = compile("network Outer {\n  input x[40000]\n  target y\n  o[i,j] = x[i] x[j]\n  z = Σᵢ o[i,i]\n  output z\n"
                + "  loss J = (z - y)²\n}\n", "gd");
        // 1.6e9 elements a sample: one fits an array, two do not
        assertEquals(Optional.empty(), Memory.check(net.graph(), net.optimizer(), "jvm", DType.F32, 1, 1, Long.MAX_VALUE));
        var why = Memory.check(net.graph(), net.optimizer(), "jvm", DType.F32, 2, 1, Long.MAX_VALUE);
        assertEquals("Outer cannot run batches of 2: one value of the network has 1,600,000,000 elements per sample, and a batch of"
                + " them is more than one array holds (2,147,483,639); use a smaller --batch", why.orElseThrow());
    }
}
