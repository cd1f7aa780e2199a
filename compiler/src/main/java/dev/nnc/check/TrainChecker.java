package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.diag.Key;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Suggest;
import dev.nnc.resolve.Symbol;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.NumberRule;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.TrainSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code train Net { data "…"  optimizer adam(α = 0.01)  batch 64  epochs 10  split 0.8  seed 1
 * schedule cosine  normalize minmax }}
 */
final class TrainChecker {
    static final List<String> KEYS = TrainSettings.KEYS;

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
        // without an optimizer setting, gradient descent; null when the setting names none (reported already)
        Decl.Optimizer optimizer = scope.lookup("gd") instanceof Symbol g && g.target() instanceof Symbol.Optimizer o ? o.decl() : null;
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
                case TrainSettings.DATA, TrainSettings.TEST, TrainSettings.VALIDATION -> files(setting);
                case TrainSettings.OPTIMIZER -> optimizer = optimizer(setting);
                case TrainSettings.BATCH, TrainSettings.EPOCHS, TrainSettings.SEED, TrainSettings.SPLIT -> number(setting, TrainSettings.rule(key));
                case TrainSettings.SCHEDULE -> choice(setting, RateSchedule.NAMES, RateSchedule::of, "cosine, step(5, 0.5) or constant");
                case TrainSettings.NORMALIZE -> choice(setting, Normalization.NAMES, Normalization::of, "minmax, standard, scale(255) or none");
                default -> throw new IllegalStateException("internal: setting " + key);
            }
        }
        Setting schedule = seen.get(TrainSettings.SCHEDULE);
        String varying = schedule == null ? null : switch (named(expr(schedule))) { // a schedule that varies the rate
            case Named n when !n.name().equals("constant") && RateSchedule.NAMES.contains(n.name()) -> n.name();
            case null, default -> null;
        };
        if (varying != null && optimizer != null
                && optimizer.hyperparameters().stream().noneMatch(p -> OptimizerIr.RATE_NAMES.contains(p.name().name()))) {
            reporter.error(Key.BAD_SETTING, schedule.values().get(0).span(), TrainSettings.scheduleWithoutRate(optimizer.name().name()),
                    "keep schedule constant, or choose an optimizer with a learning rate");
        }
        Setting split = seen.get(TrainSettings.SPLIT), validation = seen.get(TrainSettings.VALIDATION);
        if (split != null && validation != null && value(split) instanceof Double f
                && TrainSettings.rule(TrainSettings.SPLIT).accepts(f) && TrainSettings.conflict(true, f)) {
            reporter.error(Key.BAD_SETTING, split.values().get(0).span(), TrainSettings.CONFLICT,
                    "drop the split to validate on the validation files, or drop them to hold out part of data", validation.key().span(), "validation data here");
        }
    }

    /** A setting's value, if it is one expression (null otherwise: reported already). */
    private static Expr expr(Setting s) {
        return s.values().size() == 1 && s.values().get(0) instanceof Setting.Number n ? n.expr() : null;
    }

    /** A numeric setting's value, if it is one constant (null otherwise: reported already). */
    private static Double value(Setting s) {
        if (expr(s) == null) return null;
        try {
            return Constants.of(expr(s));
        } catch (IllegalStateException e) {
            return null;
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

    /** batch, epochs, seed, split: one number, kept to the rule that the option of the same name keeps. */
    private void number(Setting s, NumberRule rule) {
        String key = s.key().name();
        Expr e = single(s, rule.expected());
        if (e == null) return;
        Double v = Constants.eval(e, reporter, key);
        if (v != null && !rule.accepts(v)) {
            reporter.error(Key.BAD_SETTING, e.span(), key + " must be " + rule.expected() + ", not " + Constants.format(v),
                    key.equals(TrainSettings.SPLIT) ? "split is the fraction of the data used for training: 0.8 trains on 80 % and validates on the rest" : null);
        }
    }

    /** A setting's value written {@code name} or {@code name(args)}. */
    private record Named(String name, List<Arg> args) {}

    private static Named named(Expr e) {
        if (e == null) return null;
        return switch (e) {
            case Expr.Call c when c.indices().isEmpty() -> new Named(c.callee().name(), c.args());
            case Expr.Ref r when r.indices().isEmpty() -> new Named(r.name().name(), List.of());
            default -> null;
        };
    }

    /**
     * A word, or a call with numbers: {@code cosine}, {@code step(5, 0.5)}; {@code of} keeps the rules of its
     * numbers (the same that {@code --schedule} and {@code --normalize} are held to).
     */
    private void choice(Setting s, List<String> names, BiFunction<String, List<Double>, ?> of, String examples) {
        Expr e = single(s, examples);
        if (e == null) return;
        Named named = named(e);
        if (named == null) {
            reporter.error(Key.BAD_SETTING, e.span(), s.key().name() + " takes " + examples, null);
            return;
        }
        String name = named.name();
        if (!names.contains(name)) {
            String guess = Suggest.closest(name, names);
            reporter.error(Key.BAD_SETTING, e.span(), "there is no " + s.key().name() + " " + name,
                    guess != null ? "did you mean " + guess + "?" : s.key().name() + " takes " + examples);
            return;
        }
        List<Double> values = new ArrayList<>();
        for (var a : named.args()) {
            if (a.name() != null) {
                reporter.error(Key.BAD_SETTING, a.name().span(), name + " takes its numbers by position", null);
                return;
            }
            Double v = Constants.eval(a.value(), reporter, "the " + s.key().name());
            if (v == null) return;
            values.add(v);
        }
        try {
            of.apply(name, values);
        } catch (IllegalArgumentException bad) {
            reporter.error(Key.BAD_SETTING, e.span(), bad.getMessage(), s.key().name() + " takes " + examples);
        }
    }

    /** The optimizer the setting names, or null after saying why it names none. */
    private Decl.Optimizer optimizer(Setting s) {
        Expr e = single(s, "an optimizer, such as adam(α = 0.001)");
        if (e == null) return null;
        Named named = named(e);
        if (named == null) {
            reporter.error(Key.BAD_SETTING, e.span(), "optimizer takes an optimizer, such as adam(α = 0.001)", null);
            return null;
        }
        String name = named.name();
        List<Arg> args = named.args();
        Symbol sym = scope.lookup(name);
        if (sym == null || !(sym.target() instanceof Symbol.Optimizer opt)) {
            var optimizers = new ArrayList<String>();
            for (var x : scope.preludeSymbols()) if (x.target() instanceof Symbol.Optimizer) optimizers.add(x.name());
            for (var x : scope.userSymbols()) if (x.target() instanceof Symbol.Optimizer) optimizers.add(x.name());
            String guess = Suggest.closest(name, optimizers);
            reporter.error(Key.BAD_SETTING, e.span(), sym == null ? "there is no optimizer " + name
                    : name + " is a " + sym.target().kind() + ", not an optimizer",
                    guess != null ? "did you mean " + guess + "?" : "optimizers: " + String.join(", ", optimizers));
            return null;
        }
        var hyper = opt.decl().hyperparameters();
        var bound = Arguments.bind(args, hyper.stream().map(p -> p.name().name()).toList(),
                hyper.stream().map(p -> p.defaultValue() == null).toList(), e.span(), name, reporter);
        if (bound == null) return opt.decl();
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == null) continue;
            String h = hyper.get(i).name().name();
            Double v = Constants.eval(bound[i], reporter, "the hyperparameter " + h);
            NumberRule rule = OptimizerIr.rule(h);
            if (v != null && !rule.accepts(v)) {
                reporter.error(Key.BAD_SETTING, bound[i].span(), "the hyperparameter " + h + " of " + name + " must be " + rule.expected()
                        + ", not " + Constants.format(v), rule == NumberRule.POSITIVE ? "a learning rate such as 0.01" : null);
            }
        }
        return opt.decl();
    }
}
