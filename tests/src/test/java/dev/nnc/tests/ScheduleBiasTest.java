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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BIAS: a product whose next block began by adding a bias to its rows starts them from the bias instead — a broadcast,
 * then the product adding into it — and nothing else changes. That the generated code computes the same is
 * {@link JvmBackendTest}'s to show (over the same random family); this shows where the pass applies.
 */
class ScheduleBiasTest {
    @Test
    void theMlpsThreeLayersStartFromTheirBiasesAndTheirActivationsAreLeft() {
        Graph mlp = Nets.compile(Repo.root().resolve("samples/mlp.nn"));
        LoopProgram p = Schedule.of(mlp, null, Schedule.Options.DEFAULT);
        for (LoopProgram.Entry e : List.of(p.train(), p.predict(), p.evaluate())) {
            assertEquals(List.of("z_h1 = b1", "z_h2 = b2", "z = b3"), broadcasts(e), "the hidden layers' loops and the output's unrolled block");
            String printed = e.blocks().toString();
            assertFalse(printed.contains("Binary[op=ADD, a=Load[tensor=z_h1"), "no block adds b1 to z_h1 any more: " + printed);
        }
        assertTrue(broadcasts(GpuSchedule.of(mlp, null).loops().train()).isEmpty(), "a GPU's program adds its biases itself");
    }

    @Test
    void inEveryRandomNetworkABroadcastIsFollowedByAProductAddingIntoTheSameRowsFromAParameter() {
        int found = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed++) {
            var generated = RandomNetworks.generate(seed);
            Graph g = Nets.compile("random_" + seed + ".nn", generated.source());
            for (var options : JvmBackendTest.SCHEDULES.values()) {
                LoopProgram p = Schedule.of(g, null, options);
                for (LoopProgram.Entry e : List.of(p.train(), p.predict(), p.evaluate())) {
                    List<Block> blocks = e.blocks();
                    for (int k = 0; k < blocks.size(); k++) {
                        if (!(blocks.get(k) instanceof Block.Broadcast r)) continue;
                        found++;
                        String at = "seed " + seed + ", block " + k;
                        assertInstanceOf(Block.Product.class, blocks.get(k + 1), at);
                        var product = (Block.Product) blocks.get(k + 1);
                        assertTrue(product.accumulate() && product.c().t() == r.row() && product.n() == r.row().size(), at);
                        assertEquals(r.row().size(), r.from().size(), at);
                        assertInstanceOf(Storage.Param.class, e.storage().get(r.from()), at);
                        assertInstanceOf(Storage.Work.class, e.storage().get(r.row()), at);
                        for (int j = 0; j < k; j++) assertFalse(Schedule.touched(blocks.get(j)).contains(r.row()), at + ": set before");
                    }
                }
            }
        }
        assertTrue(found > 100, "the family has biases to start from: " + found);
    }

    private static List<String> broadcasts(LoopProgram.Entry e) {
        List<String> out = new ArrayList<>();
        for (Block b : e.blocks()) if (b instanceof Block.Broadcast(Tensor row, Tensor from)) out.add(row.name + " = " + from.name);
        return out;
    }
}
