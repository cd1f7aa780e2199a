package dev.nnc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights are restored only when every value is finite and the metadata fits the network; otherwise nothing changes. */
class CheckpointRestoreTest {
    @TempDir Path dir;

    /** A model that only holds its parameters and optimizer state: what restore sets. */
    static final class Holder implements Model {
        final Signature sig = new Signature("Net", List.of(new TensorInfo("x", List.of(2))), List.of(new TensorInfo("y", List.of())),
                List.of(new TensorInfo("W", List.of(2, 3)), new TensorInfo("b", List.of())), List.of(), "J", List.of("m"));
        final Map<String, double[]> values = new HashMap<>();
        long steps;

        Holder() {
            values.put("W", new double[6]);
            values.put("b", new double[1]);
            values.put("m.W", new double[6]);
            values.put("m.b", new double[1]);
        }

        @Override public Signature signature() { return sig; }
        @Override public String backend() { return "holder"; }
        @Override public DType precision() { return DType.F64; }
        @Override public void initialize(long seed) {}
        @Override public double[] parameter(String name) { return values.get(name).clone(); }
        @Override public void setParameter(String name, double[] v) { values.put(name, v.clone()); }
        @Override public double[] optimizerState(String state, String param) { return values.get(state + "." + param).clone(); }
        @Override public void setOptimizerState(String state, String param, double[] v) { values.put(state + "." + param, v.clone()); }
        @Override public long steps() { return steps; }
        @Override public void setSteps(long steps) { this.steps = steps; }
        @Override public double loss(Batch batch) { throw new UnsupportedOperationException(); }
        @Override public double lossAndGradients(Batch batch) { throw new UnsupportedOperationException(); }
        @Override public double[] gradient(String param) { throw new UnsupportedOperationException(); }
        @Override public Optional<String> nonFiniteGradient() { return Optional.empty(); }
        @Override public void step(double rateScale) { throw new UnsupportedOperationException(); }
        @Override public Map<String, double[]> predict(Batch batch) { throw new UnsupportedOperationException(); }
        @Override public Optional<String> firstNonFinite(Batch batch) { return Optional.empty(); }
    }

    Path file(double[] w, double b, double[] m, Map<String, String> meta) throws Exception {
        Path f = dir.resolve("w.safetensors");
        Files.write(f, Safetensors.encode(List.of(
                new Safetensors.Entry("W", DType.F64, List.of(2, 3), w),
                new Safetensors.Entry("b", DType.F64, List.of(), new double[] {b}),
                new Safetensors.Entry("optimizer.m.W", DType.F64, List.of(2, 3), m),
                new Safetensors.Entry("optimizer.m.b", DType.F64, List.of(), new double[] {0})), meta));
        return f;
    }

    static final double[] SIX = {1, 2, 3, 4, 5, 6};

    @Test void goodWeightsAreRestoredWithTheirStepCount() throws Exception {
        var model = new Holder();
        Checkpoint.restore(Checkpoint.read(file(SIX, 7, SIX, Map.of(Checkpoint.STEP, "41"))), model, true);
        assertArrayEquals(SIX, model.parameter("W"));
        assertEquals(41, model.steps());
    }

    @Test void aNonFiniteValueIsNamedByTensorAndElementAndNothingChanges() throws Exception {
        double[] w = SIX.clone();
        w[4] = Double.NaN;
        var model = new Holder();
        var e = assertThrows(CheckpointError.class, () -> Checkpoint.restore(Checkpoint.read(file(w, 0, SIX, Map.of())), model, false));
        assertEquals(dir.resolve("w.safetensors") + ": W[2,2] (element 4 of W, from 0) is NaN; weights must be finite numbers", e.getMessage());
        assertArrayEquals(new double[6], model.parameter("W"), "left as it was");

        e = assertThrows(CheckpointError.class, () -> Checkpoint.restore(Checkpoint.read(file(SIX, Double.NEGATIVE_INFINITY, SIX, Map.of())), model, false));
        assertEquals(dir.resolve("w.safetensors") + ": b is -Infinity; weights must be finite numbers", e.getMessage());

        double[] m = SIX.clone();
        m[0] = Double.POSITIVE_INFINITY;
        Checkpoint.restore(Checkpoint.read(file(SIX, 0, m, Map.of(Checkpoint.STEP, "1"))), model, false); // --init takes no optimizer state
        e = assertThrows(CheckpointError.class, () -> Checkpoint.restore(Checkpoint.read(file(SIX, 0, m, Map.of(Checkpoint.STEP, "1"))), new Holder(), true));
        assertEquals(dir.resolve("w.safetensors") + ": optimizer.m.W[1,1] (element 0 of optimizer.m.W, from 0) is Infinity; weights must be finite numbers",
                e.getMessage());
    }

    @Test void aNormalizationFittedForOtherInputsIsRefused() throws Exception {
        for (var c : Map.of("minmax z=0:1", "it has no values for the input x[2]",
                "minmax x=0:1", "it has 1 value for the input x[2], which has 2 elements",
                "standard x=0:1,0:1 z=0:1", "it has values for z, which is not an input of Net").entrySet()) {
            var e = assertThrows(CheckpointError.class,
                    () -> Checkpoint.restore(Checkpoint.read(file(SIX, 0, SIX, Map.of(Checkpoint.NORMALIZATION, c.getKey()))), new Holder(), false));
            assertEquals(dir.resolve("w.safetensors") + ": metadata nnc.normalization does not fit the network Net: " + c.getValue(), e.getMessage());
        }
        Checkpoint.restore(Checkpoint.read(file(SIX, 0, SIX, Map.of(Checkpoint.NORMALIZATION, "minmax x=0:1,-1:1"))), new Holder(), false);
    }
}
