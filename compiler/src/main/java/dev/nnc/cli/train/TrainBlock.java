package dev.nnc.cli.train;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.check.CheckedProgram;
import dev.nnc.check.Constants;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a network's {@code train} block, read into plain values (the checker has already
 * validated them, by the rules the command line's options keep too: {@link dev.nnc.check.TrainSettings});
 * data paths resolved against the directory of the .nn file. Absent settings are null.
 */
public record TrainBlock(List<Path> data, List<Path> test, List<Path> validation, String optimizer,
                         Map<String, Double> hyperparameters, List<Object> positional, Integer batch, Integer epochs,
                         Double split, Long seed, Schedule schedule, Normalization normalize) {

    public static final TrainBlock EMPTY = new TrainBlock(List.of(), List.of(), List.of(), null, Map.of(), List.of(),
            null, null, null, null, null, null);

    /** The block for {@code network} in the program, or {@link #EMPTY} when it has none. */
    public static TrainBlock of(CheckedProgram program, String network, Path dir) {
        for (Decl.Train t : program.trains()) if (t.network().name().equals(network)) return read(t, dir);
        return EMPTY;
    }

    static TrainBlock read(Decl.Train t, Path dir) {
        List<Path> data = new ArrayList<>(), test = new ArrayList<>(), validation = new ArrayList<>();
        String optimizer = null;
        Schedule schedule = null;
        Normalization normalize = null;
        Map<String, Double> named = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        Integer batch = null, epochs = null;
        Double split = null;
        Long seed = null;
        for (Setting s : t.settings()) {
            switch (s.key().name()) {
                case "data" -> paths(s, dir, data);
                case "test" -> paths(s, dir, test);
                case "validation" -> paths(s, dir, validation);
                case "optimizer" -> {
                    Expr e = expr(s);
                    optimizer = name(e);
                    for (Arg a : args(e)) {
                        if (a.name() == null) positional.add(Constants.of(a.value()));
                        else named.put(a.name().name(), Constants.of(a.value()));
                    }
                }
                case "batch" -> batch = (int) number(s);
                case "epochs" -> epochs = (int) number(s);
                case "split" -> split = number(s);
                case "seed" -> seed = (long) number(s);
                case "schedule" -> schedule = Schedule.of(name(expr(s)), numbers(expr(s)));
                case "normalize" -> normalize = Normalization.of(name(expr(s)), numbers(expr(s)));
                default -> throw new IllegalStateException("internal: train setting " + s.key().name());
            }
        }
        return new TrainBlock(data, test, validation, optimizer, named, positional, batch, epochs, split, seed, schedule, normalize);
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

    private static List<Arg> args(Expr e) { return e instanceof Expr.Call c ? c.args() : List.of(); }

    private static List<Double> numbers(Expr e) { return args(e).stream().map(a -> Constants.of(a.value())).toList(); }
}
