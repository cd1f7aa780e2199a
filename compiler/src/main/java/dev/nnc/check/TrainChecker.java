package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Suggest;
import dev.nnc.resolve.Symbol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code train Net { data "…"  optimizer adam(α = 0.01)  batch 64  epochs 10  split 0.8  seed 1
 * schedule cosine  normalize minmax }}
 */
final class TrainChecker {
    static final Set<String> KEYS = Set.of("data", "test", "validation", "optimizer", "batch", "epochs", "split", "seed",
            "schedule", "normalize");

    /** The spellings of a schedule and of a normalisation: name → how many numbers it takes (min, max). */
    static final Map<String, int[]> SCHEDULES = Map.of("constant", new int[] {0, 0}, "step", new int[] {2, 2}, "cosine", new int[] {0, 1});
    static final Map<String, int[]> NORMALIZATIONS = Map.of("none", new int[] {0, 0}, "scale", new int[] {1, 1},
            "minmax", new int[] {0, 0}, "standard", new int[] {0, 0});

    private final Scope scope;
    private final Reporter reporter;

    TrainChecker(Scope scope, Reporter reporter) {
        this.scope = scope;
        this.reporter = reporter;
    }

    void check(Decl.Train train) {
        String net = train.network().name();
        Symbol s = scope.lookup(net);
        if (s == null || !(s instanceof Symbol.Network)) {
            var networks = scope.userSymbols().stream().filter(x -> x instanceof Symbol.Network).map(Symbol::name).toList();
            String guess = Suggest.closest(net, networks);
            reporter.error(Key.UNDEFINED_NAME, train.network().span(), s == null ? "there is no network " + net
                    : net + " is a " + s.kind() + ", not a network", guess != null ? "did you mean " + guess + "?" : null);
        }
        Map<String, Setting> seen = new HashMap<>();
        for (Setting setting : train.settings()) {
            String key = setting.key().name();
            if (!KEYS.contains(key)) {
                String guess = Suggest.closest(key, KEYS);
                reporter.error(Key.UNKNOWN_SETTING, setting.key().span(), "unknown setting " + key,
                        guess != null ? "did you mean " + guess + "?" : "settings are " + String.join(", ", KEYS.stream().sorted().toList()));
                continue;
            }
            if (seen.containsKey(key)) {
                reporter.error(Key.DUPLICATE_SETTING, setting.key().span(), key + " is set twice", null,
                        seen.get(key).key().span(), "first set here");
                continue;
            }
            seen.put(key, setting);
            switch (key) {
                case "data", "test", "validation" -> files(setting);
                case "optimizer" -> optimizer(setting);
                case "batch", "epochs" -> integer(setting, 1, "a positive integer");
                case "seed" -> integer(setting, 0, "a non-negative integer");
                case "split" -> split(setting);
                case "schedule" -> choice(setting, SCHEDULES, "cosine, step(5, 0.5) or constant");
                case "normalize" -> choice(setting, NORMALIZATIONS, "minmax, standard, scale(255) or none");
                default -> throw new IllegalStateException("internal: setting " + key);
            }
        }
    }

    private void files(Setting s) {
        for (var v : s.values()) {
            if (!(v instanceof Setting.Text)) {
                reporter.error(Key.BAD_SETTING, v.span(), s.key().name() + " takes file names in double quotes",
                        s.key().name() + " \"data/train.csv\"");
            }
        }
    }

    private Expr single(Setting s, String expected) {
        if (s.values().size() != 1 || !(s.values().get(0) instanceof Setting.Number n)) {
            reporter.error(Key.BAD_SETTING, s.span(), s.key().name() + " takes " + expected, null);
            return null;
        }
        return n.expr();
    }

    private void integer(Setting s, int min, String expected) {
        Expr e = single(s, expected);
        if (e == null) return;
        Double v = Constants.eval(e, reporter, s.key().name());
        if (v != null && (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE)) {
            reporter.error(Key.BAD_SETTING, e.span(), s.key().name() + " must be " + expected + ", not "
                    + Constants.format(v), null);
        }
    }

    private void split(Setting s) {
        Expr e = single(s, "a fraction");
        if (e == null) return;
        Double v = Constants.eval(e, reporter, "split");
        if (v != null && !(v > 0 && v <= 1)) {
            reporter.error(Key.BAD_SETTING, e.span(), "split is the fraction of the data used for training, in (0, 1], not "
                    + Constants.format(v), "0.8 trains on 80 % and validates on the rest");
        }
    }

    /** A setting's value written {@code name} or {@code name(args)}. */
    private record Named(String name, List<dev.nnc.ast.Arg> args) {}

    private static Named named(Expr e) {
        return switch (e) {
            case Expr.Call c when c.indices().isEmpty() -> new Named(c.callee().name(), c.args());
            case Expr.Ref r when r.indices().isEmpty() -> new Named(r.name().name(), List.of());
            default -> null;
        };
    }

    /** A word, or a call with numbers: {@code cosine}, {@code step(5, 0.5)}. */
    private void choice(Setting s, Map<String, int[]> choices, String examples) {
        Expr e = single(s, examples);
        if (e == null) return;
        Named named = named(e);
        if (named == null) {
            reporter.error(Key.BAD_SETTING, e.span(), s.key().name() + " takes " + examples, null);
            return;
        }
        String name = named.name();
        List<dev.nnc.ast.Arg> args = named.args();
        int[] arity = choices.get(name);
        if (arity == null) {
            String guess = Suggest.closest(name, choices.keySet());
            reporter.error(Key.BAD_SETTING, e.span(), "there is no " + s.key().name() + " " + name,
                    guess != null ? "did you mean " + guess + "?" : s.key().name() + " takes " + examples);
            return;
        }
        if (args.size() < arity[0] || args.size() > arity[1]) {
            reporter.error(Key.BAD_SETTING, e.span(), name + " takes " + (arity[0] == arity[1] ? arity[0] : arity[0] + " or " + arity[1])
                    + " number" + (arity[1] == 1 ? "" : "s") + ", not " + args.size(), s.key().name() + " takes " + examples);
            return;
        }
        for (var a : args) {
            if (a.name() != null) reporter.error(Key.BAD_SETTING, a.name().span(), name + " takes its numbers by position", null);
            else Constants.eval(a.value(), reporter, "the " + s.key().name());
        }
    }

    private void optimizer(Setting s) {
        Expr e = single(s, "an optimizer, such as adam(α = 0.001)");
        if (e == null) return;
        Named named = named(e);
        if (named == null) {
            reporter.error(Key.BAD_SETTING, e.span(), "optimizer takes an optimizer, such as adam(α = 0.001)", null);
            return;
        }
        String name = named.name();
        List<dev.nnc.ast.Arg> args = named.args();
        Symbol sym = scope.lookup(name);
        if (sym == null || !(sym.target() instanceof Symbol.Optimizer opt)) {
            var optimizers = new java.util.ArrayList<String>();
            for (var x : scope.preludeSymbols()) if (x.target() instanceof Symbol.Optimizer) optimizers.add(x.name());
            for (var x : scope.userSymbols()) if (x.target() instanceof Symbol.Optimizer) optimizers.add(x.name());
            String guess = Suggest.closest(name, optimizers);
            reporter.error(Key.BAD_SETTING, e.span(), sym == null ? "there is no optimizer " + name
                    : name + " is a " + sym.target().kind() + ", not an optimizer",
                    guess != null ? "did you mean " + guess + "?" : "optimizers: " + String.join(", ", optimizers));
            return;
        }
        var hyper = opt.decl().hyperparameters();
        var bound = Arguments.bind(args, hyper.stream().map(p -> p.name().name()).toList(),
                hyper.stream().map(p -> p.defaultValue() == null).toList(), e.span(), name, reporter);
        if (bound == null) return;
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] != null) Constants.eval(bound[i], reporter, "the hyperparameter " + hyper.get(i).name().name());
        }
    }
}
