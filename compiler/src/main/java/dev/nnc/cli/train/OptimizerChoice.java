package dev.nnc.cli.train;

import dev.nnc.ir.OptimizerIr;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.resolve.Scope;
import dev.nnc.runtime.train.NumberRule;
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

    /**
     * @param cli {@code --optimizer}'s text, or null
     * @param lr {@code --lr}, or null (its converter has checked it: {@link OptimizerIr#rule})
     * @throws IllegalArgumentException with a message for the user that names the option at fault
     */
    public static OptimizerIr choose(Scope scope, TrainBlock block, String cli, Double lr) {
        String name = block.optimizer() == null ? "gd" : block.optimizer();
        List<Object> positional = block.positional();
        Map<String, Double> named = new LinkedHashMap<>(block.hyperparameters());
        List<String> positionalWritten = new ArrayList<>(); // the numbers of --optimizer as written, for messages
        Map<String, String> written = new LinkedHashMap<>();
        if (cli != null) {
            var m = CALL.matcher(cli);
            if (!m.matches()) throw new IllegalArgumentException("--optimizer: cannot read \"" + cli + "\"; write it as in a train block, such as adam(α = 0.01)");
            name = dev.nnc.ast.Names.canonical(m.group(1));
            positional = new ArrayList<>();
            named = new LinkedHashMap<>();
            if (m.group(2) != null && !m.group(2).isBlank()) {
                for (String part : m.group(2).split(",", -1)) {
                    String[] kv = part.split("=", 2);
                    String number = kv[kv.length - 1].strip();
                    if (!NumberRule.decimal(number)) {
                        throw new IllegalArgumentException("--optimizer: cannot read \"" + cli + "\": " + (part.isBlank() ? "a number is missing"
                                : part.strip() + " is not a number or NAME = number"));
                    }
                    double value = Double.parseDouble(number);
                    if (kv.length == 1) {
                        positional.add(value);
                        positionalWritten.add(number);
                    } else {
                        String key = dev.nnc.ast.Names.canonical(kv[0].trim()); // alpha is α
                        named.put(key, value);
                        written.put(key, number);
                    }
                }
            }
        }
        String where = cli != null ? "--optimizer: " : "";
        var decl = LowerOptimizer.declaration(scope, name);
        if (decl == null) {
            var names = new ArrayList<String>();
            for (var s : scope.preludeSymbols()) if (s.target() instanceof dev.nnc.resolve.Symbol.Optimizer) names.add(s.name());
            for (var s : scope.userSymbols()) if (s.target() instanceof dev.nnc.resolve.Symbol.Optimizer) names.add(s.name());
            throw new IllegalArgumentException(where + "there is no optimizer " + name + "; the optimizers are " + String.join(", ", names));
        }
        List<String> hyper = decl.hyperparameters().stream().map(p -> p.name().name()).toList();
        if (positional.size() > hyper.size()) {
            throw new IllegalArgumentException(where + name + " takes at most " + hyper.size() + " hyperparameters " + hyper + ", not " + positional.size());
        }
        Map<String, Double> given = new LinkedHashMap<>();
        for (int k = 0; k < positional.size(); k++) given.put(hyper.get(k), (Double) positional.get(k));
        for (int k = 0; k < positionalWritten.size(); k++) written.put(hyper.get(k), positionalWritten.get(k));
        for (var e : named.entrySet()) {
            if (!hyper.contains(e.getKey())) throw new IllegalArgumentException(where + name + " has no hyperparameter " + e.getKey() + "; it has " + String.join(", ", hyper));
            given.put(e.getKey(), e.getValue());
        }
        for (var e : given.entrySet()) {
            NumberRule rule = OptimizerIr.rule(e.getKey());
            if (!rule.accepts(e.getValue())) {
                throw new IllegalArgumentException(where + "the hyperparameter " + e.getKey() + " of " + name + " must be " + rule.expected()
                        + ", not " + written.getOrDefault(e.getKey(), NumberRule.show(e.getValue())));
            }
        }
        if (lr != null) {
            String rate = hyper.stream().filter(OptimizerIr.RATE_NAMES::contains).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--lr: " + decl.name().name() + " has no learning rate (a hyperparameter named α, η or lr)"));
            given.put(rate, lr);
        }
        return LowerOptimizer.byName(scope, name, given);
    }
}
