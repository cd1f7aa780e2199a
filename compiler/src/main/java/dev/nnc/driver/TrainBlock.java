package dev.nnc.driver;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.check.CheckedProgram;
import dev.nnc.check.Constants;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's {@code train} block, read into plain values (the checker has already validated them, by the rules the
 * command line's options keep too: {@link TrainSettings}); data paths resolved against the directory of the .nn file.
 * Absent files are empty lists, other absent settings null.
 *
 * @param optimizer the optimizer setting's expression, which {@link OptimizerChoice} reads, or null
 */
public record TrainBlock(TrainSettings settings, Expr optimizer) {
    public static final TrainBlock EMPTY = new TrainBlock(new TrainSettings(List.of(), List.of(), List.of(), null, null, null, null, null, null), null);

    /** The block for {@code network} in the program, or {@link #EMPTY} when it has none. */
    public static TrainBlock of(CheckedProgram program, String network, Path dir) {
        for (Decl.Train t : program.trains()) if (t.network().name().equals(network)) return read(t, dir);
        return EMPTY;
    }

    static TrainBlock read(Decl.Train t, Path dir) {
        List<Path> data = new ArrayList<>(), test = new ArrayList<>(), validation = new ArrayList<>();
        Expr optimizer = null;
        RateSchedule schedule = null;
        Normalization normalize = null;
        Integer batch = null, epochs = null;
        Double split = null;
        Long seed = null;
        for (Setting s : t.settings()) {
            switch (s.key().name()) {
                case TrainSettings.DATA -> paths(s, dir, data);
                case TrainSettings.TEST -> paths(s, dir, test);
                case TrainSettings.VALIDATION -> paths(s, dir, validation);
                case TrainSettings.OPTIMIZER -> optimizer = expr(s);
                case TrainSettings.BATCH -> batch = (int) number(s);
                case TrainSettings.EPOCHS -> epochs = (int) number(s);
                case TrainSettings.SPLIT -> split = number(s);
                case TrainSettings.SEED -> seed = (long) number(s);
                case TrainSettings.SCHEDULE -> schedule = RateSchedule.of(name(expr(s)), numbers(expr(s)));
                case TrainSettings.NORMALIZE -> normalize = Normalization.of(name(expr(s)), numbers(expr(s)));
                default -> throw new IllegalStateException("internal: train setting " + s.key().name());
            }
        }
        return new TrainBlock(new TrainSettings(data, validation, test, epochs, batch, split, seed, schedule, normalize), optimizer);
    }

    private static void paths(Setting s, Path dir, List<Path> into) {
        for (var v : s.values()) into.add(dir.resolve(((Setting.Text) v).text()).normalize());
    }

    private static Expr expr(Setting s) { return ((Setting.Number) s.values().get(0)).expr(); }

    private static double number(Setting s) { return Constants.of(expr(s)); }

    private static String name(Expr e) {
        return switch (e) {
            case Expr.Call c -> c.callee().name();
            case Expr.Ref r -> r.name().name();
            default -> throw new IllegalStateException("internal: a checked setting is " + e);
        };
    }

    private static List<Double> numbers(Expr e) {
        return (e instanceof Expr.Call c ? c.args() : List.<Arg>of()).stream().map(a -> Constants.of(a.value())).toList();
    }
}
