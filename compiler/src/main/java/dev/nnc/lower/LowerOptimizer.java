package dev.nnc.lower;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.OptimizerStatement;
import dev.nnc.check.Constants;
import dev.nnc.ir.Ex;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.opt.Simplify;
import dev.nnc.opt.StepSplit;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LOWER for an optimizer: its statements, for one element of one parameter, over scalar slots (θ, ∂J/∂θ,
 * t, the state variables), with the hyperparameters folded in as numbers (all but the learning rate, which
 * a schedule varies) and library calls expanded, then split into its per-step and per-element parts
 * ({@link StepSplit}). The optimizers of the standard library run from their .nn definitions this way, like any user's.
 */
public final class LowerOptimizer {
    private LowerOptimizer() {}

    /** {@code adam(α = 0.01)} as written in a train block or on the command line. */
    public static OptimizerIr fromCall(Scope scope, Expr.Call call) {
        if (!(scope.lookup(call.callee().name()) instanceof Symbol s) || !(s.target() instanceof Symbol.Optimizer o)) {
            throw new IllegalArgumentException("no optimizer named " + call.callee().name());
        }
        var names = o.decl().hyperparameters().stream().map(p -> p.name().name()).toList();
        Map<String, Double> given = new HashMap<>();
        int k = 0;
        for (Arg a : call.args()) {
            String n = a.name() == null ? names.get(k++) : a.name().name();
            given.put(n, Constants.of(a.value()));
        }
        return lower(scope, o.decl(), given);
    }

    /** An optimizer with its default hyperparameters. */
    public static OptimizerIr byName(Scope scope, String name) { return byName(scope, name, Map.of()); }

    /** An optimizer with the hyperparameters given by name, the others at their defaults. */
    public static OptimizerIr byName(Scope scope, String name, Map<String, Double> given) {
        if (!(scope.lookup(name) instanceof Symbol s) || !(s.target() instanceof Symbol.Optimizer o)) {
            throw new IllegalArgumentException("no optimizer named " + name);
        }
        return lower(scope, o.decl(), given);
    }

    /** The optimizer's declaration, for the names of its hyperparameters; null if there is none by that name. */
    public static Decl.Optimizer declaration(Scope scope, String name) {
        return scope.lookup(name) instanceof Symbol s && s.target() instanceof Symbol.Optimizer o ? o.decl() : null;
    }

    public static OptimizerIr lower(Scope scope, Decl.Optimizer o, Map<String, Double> given) {
        var lowering = new ExprLowering(scope, (name, vars, body, span) -> {
            throw new IllegalStateException("internal: an optimizer calls a vector-valued function");
        });
        Tensor theta = slot("θ"), gradient = slot("∂J/∂θ"), step = slot("t");
        Map<String, View> env = new LinkedHashMap<>();
        env.put("θ", View.scalar(new Ex.Load(theta, List.of())));
        env.put(ExprLowering.GRADIENT, View.scalar(new Ex.Load(gradient, List.of())));
        env.put("t", View.scalar(new Ex.Load(step, List.of())));
        Tensor rate = null;
        double baseRate = Double.NaN;
        Map<String, Double> hyper = new LinkedHashMap<>();
        for (var h : o.hyperparameters()) {
            String n = h.name().name();
            double v = given.containsKey(n) ? given.get(n) : Constants.of(h.defaultValue());
            hyper.put(n, v);
            if (rate == null && OptimizerIr.RATE_NAMES.contains(n)) {
                rate = slot(n);
                baseRate = v;
                env.put(n, View.scalar(new Ex.Load(rate, List.of())));
            } else {
                env.put(n, View.scalar(new Ex.Num(v)));
            }
        }
        List<Tensor> states = new ArrayList<>();
        Map<Tensor, Double> initial = new HashMap<>();
        Map<String, Tensor> slots = new HashMap<>();
        slots.put("θ", theta);
        List<OptimizerIr.Update> updates = new ArrayList<>();
        for (OptimizerStatement st : o.body()) {
            switch (st) {
                case OptimizerStatement.State s -> {
                    for (var v : s.vars()) {
                        Tensor t = slot(v.name().name());
                        states.add(t);
                        initial.put(t, Constants.of(v.initial()));
                        slots.put(t.name, t);
                        env.put(t.name, View.scalar(new Ex.Load(t, List.of())));
                    }
                }
                case OptimizerStatement.Update u -> {
                    Ex value = lowering.lower(u.value(), new ExprLowering.Env(env, Map.of())).at(List.of());
                    updates.add(new OptimizerIr.Update(slots.get(u.target().name()), Simplify.simplify(Expand.expand(value))));
                }
            }
        }
        var split = StepSplit.split(updates, step, rate);
        return new OptimizerIr(o.name().name(), theta, gradient, step, states, initial, split.perStep(), split.perElement(), rate, baseRate, hyper);
    }

    private static Tensor slot(String name) { return new Tensor(name, Tensor.Role.SLOT, List.of(), null); }
}
