package dev.nnc.runtime;

import java.util.List;

/**
 * What a compiled network reads and writes, by name: the data a sample brings (inputs, targets), the
 * parameters training moves, the outputs a prediction gives, and the per-parameter state of its optimizer
 * (e.g. Adam's {@code m} and {@code v}, each shaped like the parameter).
 */
public record Signature(String network, List<TensorInfo> inputs, List<TensorInfo> targets, List<TensorInfo> params,
                        List<TensorInfo> outputs, String loss, List<String> optimizerState) {
    public Signature {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        params = List.copyOf(params);
        outputs = List.copyOf(outputs);
        optimizerState = List.copyOf(optimizerState);
    }

    public TensorInfo param(String name) {
        for (TensorInfo p : params) if (p.name().equals(name)) return p;
        return null;
    }

    /** Where parameter {@code name} stands in {@link #params()}; a name the network lacks is the caller's mistake. */
    public int paramIndex(String name) {
        for (int p = 0; p < params.size(); p++) if (params.get(p).name().equals(name)) return p;
        throw new IllegalArgumentException("the network has no parameter " + name);
    }

    /** Where the optimizer's state {@code state} stands in {@link #optimizerState()}. */
    public int stateIndex(String state) {
        int s = optimizerState.indexOf(state);
        if (s < 0) throw new IllegalArgumentException("the optimizer has no state " + state);
        return s;
    }

    /** The total number of parameters (elements). */
    public long parameterCount() {
        long n = 0;
        for (TensorInfo p : params) n += p.size();
        return n;
    }
}
