package dev.nnc.driver;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr;
import dev.nnc.check.Constants;
import dev.nnc.diag.Diagnostics;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.parse.NnParsing;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
import dev.nnc.runtime.train.NumberRule;
import dev.nnc.source.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which optimizer trains, with which hyperparameters: the train block's, replaced by {@code --optimizer}
 * (spelled as in a train block, and read by the same grammar: {@code adam}, {@code adam(α = 0.01)},
 * {@code momentum(0.05, 0.8)}), then {@code --lr} for the learning rate. Without either, gradient descent with the
 * library's defaults. Positional hyperparameters come first, in the declaration's order; named ones replace them.
 */
public final class OptimizerChoice {
    private OptimizerChoice() {}

    /**
     * @param cli {@code --optimizer}'s text, or null
     * @param lr {@code --lr}, or null (its converter has checked it: {@link OptimizerIr#rule})
     * @throws IllegalArgumentException with a message for the user that names the option at fault
     */
    public static OptimizerIr choose(Scope scope, TrainBlock block, String cli, Double lr) {
        String where = cli != null ? "--optimizer: " : "";
        Expr written = cli != null ? read(cli) : block.optimizer();
        String name = written == null ? "gd" : written instanceof Expr.Call c ? c.callee().name() : ((Expr.Ref) written).name().name();
        List<Arg> args = written instanceof Expr.Call c ? c.args() : List.of();
        var decl = LowerOptimizer.declaration(scope, name);
        if (decl == null) {
            var names = new ArrayList<String>();
            for (var s : scope.preludeSymbols()) if (s.target() instanceof Symbol.Optimizer) names.add(s.name());
            for (var s : scope.userSymbols()) if (s.target() instanceof Symbol.Optimizer) names.add(s.name());
            throw new IllegalArgumentException(where + "there is no optimizer " + name + "; the optimizers are " + String.join(", ", names));
        }
        List<String> hyper = decl.hyperparameters().stream().map(p -> p.name().name()).toList();
        List<Arg> positional = args.stream().filter(a -> a.name() == null).toList();
        if (positional.size() > hyper.size()) {
            throw new IllegalArgumentException(where + name + " takes at most " + hyper.size() + " hyperparameters " + hyper + ", not " + positional.size());
        }
        Map<String, Arg> given = new LinkedHashMap<>();
        for (int k = 0; k < positional.size(); k++) given.put(hyper.get(k), positional.get(k));
        for (Arg a : args) {
            if (a.name() == null) continue;
            if (!hyper.contains(a.name().name())) {
                throw new IllegalArgumentException(where + name + " has no hyperparameter " + a.name().name() + "; it has " + String.join(", ", hyper));
            }
            given.put(a.name().name(), a);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (var e : given.entrySet()) {
            double v = cli != null ? number(e.getValue().value()) : Constants.of(e.getValue().value());
            NumberRule rule = OptimizerIr.rule(e.getKey());
            if (!rule.accepts(v)) {
                throw new IllegalArgumentException(where + "the hyperparameter " + e.getKey() + " of " + name + " must be " + rule.expected()
                        + ", not " + (cli != null ? e.getValue().value().span().text() : NumberRule.show(v)));
            }
            values.put(e.getKey(), v);
        }
        if (lr != null) {
            String rate = hyper.stream().filter(OptimizerIr.RATE_NAMES::contains).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--lr: " + decl.name().name() + " has no learning rate (a hyperparameter named α, η or lr)"));
            values.put(rate, lr);
        }
        return LowerOptimizer.byName(scope, name, values);
    }

    /**
     * {@code --optimizer}'s text as the expression a train block's optimizer setting holds: a name, or a call of one
     * whose arguments are numbers (signed) or {@code NAME = number}.
     */
    private static Expr read(String cli) {
        Expr e;
        try {
            // a number too large for a double is the hyperparameter's rule's to refuse, with the number as written
            e = NnParsing.expression(new SourceFile("--optimizer", cli), new Diagnostics());
        } catch (NnParsing.Unreadable u) {
            int open = cli.indexOf('(');
            if (open >= 0 && u.offset > open && u.offset <= cli.lastIndexOf(')')) throw notANumber(cli, u.offset);
            throw cannotRead(cli);
        }
        List<Arg> args = switch (e) {
            case Expr.Call c when c.indices().isEmpty() && !c.callee().name().contains(".") -> c.args();
            case Expr.Ref r when r.indices().isEmpty() && !r.name().name().contains(".") -> List.of();
            default -> throw cannotRead(cli);
        };
        for (Arg a : args) {
            boolean number = a.value() instanceof Expr.Num || a.value() instanceof Expr.Neg n && n.operand() instanceof Expr.Num;
            if (!number) throw notANumber(cli, a.value().span().start());
        }
        return e;
    }

    /** A number of {@code --optimizer} as written (the builder makes one too large for a double 0, having reported it). */
    private static double number(Expr e) {
        return e instanceof Expr.Neg n ? -number(n.operand()) : Double.parseDouble(e.span().text());
    }

    private static IllegalArgumentException cannotRead(String cli) {
        return new IllegalArgumentException("--optimizer: cannot read \"" + cli + "\"; write it as in a train block, such as adam(α = 0.01)");
    }

    /** The argument around {@code offset} (between the commas or brackets either side) is not a number. */
    private static IllegalArgumentException notANumber(String cli, int offset) {
        int start = Math.max(cli.lastIndexOf(',', offset - 1), cli.indexOf('(')) + 1;
        int comma = cli.indexOf(',', offset);
        String part = cli.substring(start, comma >= 0 ? comma : Math.max(start, cli.lastIndexOf(')'))).strip();
        return new IllegalArgumentException("--optimizer: cannot read \"" + cli + "\": "
                + (part.isEmpty() ? "a number is missing" : part + " is not a number or NAME = number"));
    }
}
