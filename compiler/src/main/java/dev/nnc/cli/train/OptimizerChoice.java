package dev.nnc.cli.train;

import dev.nnc.ir.OptimizerIr;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.resolve.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which optimizer trains, with which hyperparameters: the train block's, replaced by {@code --optimizer}
 * (spelled as in a train block: {@code adam}, {@code adam(α = 0.01)}, {@code momentum(0.05, 0.8)}), then
 * {@code --lr} for the learning rate. Without either, gradient descent with the library's defaults.
 */
public final class OptimizerChoice {
    private OptimizerChoice() {}

    private static final Pattern CALL = Pattern.compile("\\s*([\\p{L}_][\\p{L}\\p{N}_]*)\\s*(?:\\((.*)\\))?\\s*");

    /** @throws IllegalArgumentException with a message for the user */
    public static OptimizerIr choose(Scope scope, TrainBlock block, String cli, Double lr) {
        String name = block.optimizer() == null ? "gd" : block.optimizer();
        List<Object> positional = block.positional();
        Map<String, Double> named = new LinkedHashMap<>(block.hyperparameters());
        if (cli != null) {
            var m = CALL.matcher(cli);
            if (!m.matches()) throw new IllegalArgumentException("cannot read the optimizer \"" + cli + "\"; write it as in a train block, such as adam(α = 0.01)");
            name = dev.nnc.ast.Names.canonical(m.group(1));
            positional = new ArrayList<>();
            named = new LinkedHashMap<>();
            if (m.group(2) != null && !m.group(2).isBlank()) {
                for (String part : m.group(2).split(",")) {
                    String[] kv = part.split("=", 2);
                    try {
                        if (kv.length == 1) positional.add(Double.parseDouble(kv[0].trim()));
                        else named.put(dev.nnc.ast.Names.canonical(kv[0].trim()), Double.parseDouble(kv[1].trim())); // alpha is α
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("cannot read the optimizer \"" + cli + "\": " + part.trim() + " is not a number or NAME = number");
                    }
                }
            }
        }
        var decl = LowerOptimizer.declaration(scope, name);
        if (decl == null) {
            var names = new ArrayList<String>();
            for (var s : scope.preludeSymbols()) if (s.target() instanceof dev.nnc.resolve.Symbol.Optimizer) names.add(s.name());
            for (var s : scope.userSymbols()) if (s.target() instanceof dev.nnc.resolve.Symbol.Optimizer) names.add(s.name());
            throw new IllegalArgumentException("there is no optimizer " + name + "; the optimizers are " + String.join(", ", names));
        }
        List<String> hyper = decl.hyperparameters().stream().map(p -> p.name().name()).toList();
        if (positional.size() > hyper.size()) {
            throw new IllegalArgumentException(name + " takes at most " + hyper.size() + " hyperparameters " + hyper + ", not " + positional.size());
        }
        Map<String, Double> given = new LinkedHashMap<>();
        for (int k = 0; k < positional.size(); k++) given.put(hyper.get(k), (Double) positional.get(k));
        for (var e : named.entrySet()) {
            if (!hyper.contains(e.getKey())) throw new IllegalArgumentException(name + " has no hyperparameter " + e.getKey() + "; it has " + String.join(", ", hyper));
            given.put(e.getKey(), e.getValue());
        }
        if (lr != null) {
            String rate = hyper.stream().filter(OptimizerIr.RATE_NAMES::contains).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--lr: " + decl.name().name() + " has no learning rate (a hyperparameter named α, η or lr)"));
            given.put(rate, lr);
        }
        return LowerOptimizer.byName(scope, name, given);
    }
}
