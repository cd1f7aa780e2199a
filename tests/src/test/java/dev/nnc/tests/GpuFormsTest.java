package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ir.Graph;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who computes what on a GPU (the kernels' forms; their values are checked against the interpreter by CudaChecks): a
 * convolutional network's maps — each convolution with its bias and ReLU, each pool, each solved adjoint — run as a
 * thread per sample and element, a direct convolution, not as one thread per sample doing its whole map.
 */
class GpuFormsTest {
    @Test
    void lenetsMapsAreAThreadPerSampleAndElement() {
        Graph lenet = Nets.compile(Repo.root().resolve("samples/lenet.nn"));
        var plan = GpuSchedule.of(lenet, null);
        List<String> elements = new ArrayList<>(), samples = new ArrayList<>();
        for (var k : plan.train().kernels()) {
            switch (k) {
                case GpuSchedule.Kernel.Elements e -> e.body().forEach(a -> elements.add(a.t().name));
                case GpuSchedule.Kernel.Samples s -> assigned(s.body(), samples);
                default -> { }
            }
        }
        for (String map : List.of("pad_x", "z_a1", "a1", "m1", "z_a2", "a2", "m2", "argmax_a2", "δa2", "δm1", "argmax_a1", "δa1")) {
            assertTrue(elements.contains(map), map + " is not a thread per sample and element: " + elements);
        }
        // what stays a thread per sample is the loss's few values (its softmax over 10 classes)
        assertTrue(samples.stream().noneMatch(elements::contains), samples.toString());
        assertEquals(List.of(), samples.stream().filter(t -> lenet.defs().stream()
                .anyMatch(d -> d.tensor().name.equals(t) && d.tensor().size() >= 256)).toList());
    }

    private static void assigned(List<Stmt> body, List<String> out) {
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Loop l -> assigned(l.body(), out);
                case Stmt.Assign a -> out.add(a.t().name);
                default -> { }
            }
        }
    }
}
