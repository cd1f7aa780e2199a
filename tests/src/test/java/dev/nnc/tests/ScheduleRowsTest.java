package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.RandomNetworks;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.LoopProgram;
import dev.nnc.schedule.Schedule;
import dev.nnc.schedule.Storage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROWS: the products that set a weight's gradient sum leave the slices' blocks of a CPU's training program, to run
 * after them by rows; nothing else does, and nothing the slices run touches what they set or writes what they read.
 */
class ScheduleRowsTest {
    @Test
    void theMlpsThreeWeightGradientsRunByRowsAndItsForwardAndBackwardProductsStayInTheSlices() {
        Graph mlp = Nets.compile(Repo.root().resolve("samples/mlp.nn"));
        LoopProgram p = Schedule.of(mlp, null, Schedule.Options.DEFAULT);
        assertEquals(List.of("Σ∂J/∂W3", "Σ∂J/∂W2", "Σ∂J/∂W1"), p.train().rows().stream().map(r -> r.c().t().name).toList());
        for (Block.Product r : p.train().rows()) {
            assertEquals(Block.Product.SAMPLES, r.k());
            assertInstanceOf(Storage.GradientSum.class, p.train().storage().get(r.c().t()));
        }
        // the slices keep the three forward products and the two that carry δ back a layer
        assertEquals(5, p.train().blocks().stream().filter(b -> b instanceof Block.Product).count());
        assertTrue(p.predict().rows().isEmpty() && p.evaluate().rows().isEmpty(), "only training has gradients");
        assertTrue(GpuSchedule.of(mlp, null).loops().train().rows().isEmpty(), "a GPU's program keeps its products");
    }

    @Test
    void inEveryRandomNetworkTheRowProductsAreTheOnlyWritersOfTheirSumsAndReadWhatTheSlicesLeave() {
        int moved = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed++) {
            var generated = RandomNetworks.generate(seed);
            Graph g = Nets.compile("random_" + seed + ".nn", generated.source());
            for (var options : JvmBackendTest.SCHEDULES.values()) {
                LoopProgram.Entry train = Schedule.of(g, null, options).train();
                for (Block.Product r : train.rows()) {
                    moved++;
                    Tensor sum = r.c().t();
                    assertEquals(sum.size(), r.m() * r.n(), "seed " + seed + ": " + sum.name + " is set whole");
                    for (Block b : train.blocks()) {
                        assertFalse(Schedule.touched(b).contains(sum), "seed " + seed + ": a slice's block touches " + sum.name);
                    }
                    assertFalse(r.accumulate(), "seed " + seed + ": " + sum.name + " is set, not added to");
                }
                // every gradient sum is set by exactly one of: a row product, a product in the slices, a clear
                for (Tensor sum : train.storage().keySet()) {
                    if (!(train.storage().get(sum) instanceof Storage.GradientSum)) continue;
                    long byRows = train.rows().stream().filter(r -> r.c().t() == sum).count();
                    boolean inSlices = train.blocks().stream().anyMatch(b -> Schedule.touched(b).contains(sum));
                    assertTrue(byRows == 0 ? inSlices : byRows == 1 && !inSlices, "seed " + seed + ": " + sum.name);
                }
            }
        }
        assertTrue(moved > 100, "the family has weight gradients to move: " + moved);
    }
}
