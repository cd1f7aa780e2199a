package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.OptimizerStatement;
import dev.nnc.diag.Key;
import dev.nnc.source.Span;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer updates each parameter θ in turn from ∂J/∂θ, its hyperparameters, its own state and the
 * step number t. Updates run in order; θ and every state variable are updated exactly once.
 */
final class OptimizerChecker {
    private final Functions functions;
    private final Reporter reporter;

    OptimizerChecker(Functions functions, Reporter reporter) {
        this.functions = functions;
        this.reporter = reporter;
    }

    void check(Decl.Optimizer opt) {
        Locals locals = new Locals(true, null);
        Span at = opt.name().span();
        locals.put(new Value.Tensor("θ", Kind.THETA, Shape.SCALAR, at));
        locals.put(new Value.Tensor("t", Kind.STEP, Shape.SCALAR, at));
        for (var p : opt.hyperparameters()) {
            String name = p.name().name();
            if (locals.has(name)) {
                reporter.error(Key.DUPLICATE_DEFINITION, p.name().span(), name + " is already defined in this optimizer"
                        + (name.equals("θ") || name.equals("t") ? " (θ is the parameter, t the step number)" : ""), null);
                continue;
            }
            if (p.defaultValue() != null) Constants.eval(p.defaultValue(), reporter, "the default of " + name);
            locals.put(new Value.Tensor(name, Kind.HYPERPARAMETER, Shape.SCALAR, p.name().span()));
        }
        var checker = new ExprChecker(functions, locals, reporter);
        Map<String, Span> states = new LinkedHashMap<>();
        Map<String, Span> updated = new HashMap<>();
        for (var s : opt.body()) {
            switch (s) {
                case OptimizerStatement.State st -> {
                    for (var v : st.vars()) {
                        String name = v.name().name();
                        if (locals.has(name)) {
                            reporter.error(Key.DUPLICATE_DEFINITION, v.name().span(), name + " is already defined in this optimizer",
                                    null, locals.get(name).span(), "defined here");
                            continue;
                        }
                        Constants.eval(v.initial(), reporter, "the initial value of " + name);
                        locals.put(new Value.Tensor(name, Kind.STATE, Shape.SCALAR, v.name().span()));
                        states.put(name, v.name().span());
                    }
                }
                case OptimizerStatement.Update u -> {
                    checker.check(u.value());
                    String name = u.target().name();
                    Value target = locals.get(name);
                    if (target == null || (target.kind() != Kind.THETA && target.kind() != Kind.STATE)) {
                        reporter.error(Key.BAD_UPDATE_TARGET, u.target().span(), target == null
                                ? name + " is not a state variable of this optimizer"
                                : name + " is a " + target.kind().description + "; only θ and the optimizer's state change",
                                target == null ? "declare it first: state " + name + " = 0" : null);
                    } else if (updated.containsKey(name)) {
                        reporter.error(Key.DUPLICATE_UPDATE, u.target().span(), name + " is updated twice in one step",
                                "combine the two updates", updated.get(name), "first updated here");
                    } else {
                        updated.put(name, u.target().span());
                    }
                }
            }
        }
        if (!updated.containsKey("θ")) {
            reporter.error(Key.MISSING_UPDATE, opt.name().span(), "the optimizer " + opt.name().name() + " never updates θ",
                    "add an update such as θ ← θ - α ∂J/∂θ");
        }
        for (var e : states.entrySet()) {
            if (!updated.containsKey(e.getKey())) {
                reporter.error(Key.MISSING_UPDATE, e.getValue(), "the state " + e.getKey() + " is never updated",
                        "update it (" + e.getKey() + " ← …) or remove it");
            }
        }
        for (var p : opt.hyperparameters()) {
            if (!locals.isUsed(p.name().name())) {
                reporter.error(Key.UNUSED, p.name().span(), "the hyperparameter " + p.name().name() + " is never used", null);
            }
        }
    }
}
