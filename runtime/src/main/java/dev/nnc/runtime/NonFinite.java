package dev.nnc.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a value that is not finite shows up when a model runs a batch, found through the {@link Model} interface
 * alone, so every backend can fall back on it: a parameter, then sample by sample an output or the loss, then the
 * batch's mean loss and gradients. A backend that knows more (the reference interpreter names the first value of
 * the network) answers first.
 */
public final class NonFinite {
    private NonFinite() {}

    public static Optional<String> find(Model model, Batch batch) {
        Signature sig = model.signature();
        for (TensorInfo p : sig.params()) {
            double[] v = model.parameter(p.name());
            for (int k = 0; k < v.length; k++) if (!Double.isFinite(v[k])) return Optional.of(p.element(k) + ", a parameter");
        }
        for (int s = 0; s < batch.size(); s++) {
            Map<String, double[]> out = new LinkedHashMap<>();
            double loss = model.lossAndPredict(batch.slice(s, s + 1), out);
            String in = " in sample " + (s + 1) + " of the batch";
            for (TensorInfo o : sig.outputs()) {
                double[] v = out.get(o.name());
                for (int k = 0; k < v.length; k++) if (!Double.isFinite(v[k])) return Optional.of(o.element(k) + in);
            }
            if (!Double.isFinite(loss)) return Optional.of(sig.loss() + in);
        }
        double loss = model.lossAndGradients(batch);
        if (!Double.isFinite(loss)) return Optional.of("the mean of " + sig.loss() + " over the batch");
        return model.nonFiniteGradient();
    }
}
