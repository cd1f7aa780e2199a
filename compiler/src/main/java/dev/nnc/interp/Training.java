package dev.nnc.interp;

import dev.nnc.runtime.Batch;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.check.Constants;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.resolve.Scope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mini-batch training on the reference interpreter, as a train block describes it: data split into
 * training and validation after a seeded shuffle, reshuffled each epoch, one optimizer step per batch.
 * Everything random comes from the seed, so a run is reproducible bit for bit.
 */
public final class Training {
    private Training() {}

    public record Settings(List<Path> data, Expr.Call optimizer, int batch, int epochs, double split, long seed) {}

    public record Epoch(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy) {}

    public record Result(List<Epoch> epochs, Interpreter model) {
        public Epoch last() { return epochs.get(epochs.size() - 1); }
    }

    /** The settings of a train block; data paths relative to the directory of the .nn file. */
    public static Settings settings(Decl.Train t, Path dir) {
        List<Path> data = new ArrayList<>();
        Expr.Call optimizer = null;
        int batch = 32, epochs = 10;
        double split = 1;
        long seed = 0;
        for (Setting s : t.settings()) {
            switch (s.key().name()) {
                case "data" -> s.values().forEach(v -> data.add(dir.resolve(((Setting.Text) v).text())));
                case "optimizer" -> optimizer = (Expr.Call) ((Setting.Number) s.values().get(0)).expr();
                case "batch" -> batch = (int) number(s);
                case "epochs" -> epochs = (int) number(s);
                case "split" -> split = number(s);
                case "seed" -> seed = (long) number(s);
                default -> { }
            }
        }
        return new Settings(data, optimizer, batch, epochs, split, seed);
    }

    /**
     * The softmax-cross-entropy rewrite's gradient p − y holds only for targets that sum to 1: refuse data
     * that breaks that before training rather than train with a wrong gradient.
     */
    static void requireDistributions(Graph graph, Batch data, Path file) throws Csv.BadData {
        for (Tensor y : graph.distributions()) {
            double[] c = data.column(y.name);
            for (int r = 0; r < data.size(); r++) {
                double sum = 0;
                for (int k = 0; k < y.size(); k++) sum += c[r * y.size() + k];
                if (Math.abs(sum - 1) > 1e-6) {
                    throw new Csv.BadData(file + ":" + (r + 2) + ": the target " + y.name + " sums to " + sum
                            + ", but cross-entropy of a softmax needs a one-hot or probability target (sum 1); "
                            + "for other targets turn the rewrite off: --no-rewrite softmax-cross-entropy");
                }
            }
        }
    }

    private static double number(Setting s) { return Constants.of(((Setting.Number) s.values().get(0)).expr()); }

    public static Result train(Graph graph, Scope scope, Settings s) throws IOException, Csv.BadData {
        Batch all = Csv.read(s.data().get(0), graph);
        requireDistributions(graph, all, s.data().get(0));
        var random = new SplittableRandom(s.seed());
        int[] order = shuffled(all.size(), random);
        int trainSize = (int) Math.round(all.size() * s.split());
        int[] train = java.util.Arrays.copyOfRange(order, 0, trainSize);
        int[] validation = java.util.Arrays.copyOfRange(order, trainSize, all.size());
        var model = new Interpreter(graph);
        model.initialize(s.seed());
        // without an optimizer setting, plain gradient descent with the library's default step
        OptimizerIr opt = s.optimizer() != null ? LowerOptimizer.fromCall(scope, s.optimizer())
                : LowerOptimizer.byName(scope, "gd");
        var optimizer = new OptimizerRun(opt);
        Map<Tensor, double[]> params = new java.util.LinkedHashMap<>();
        for (Tensor p : graph.params()) params.put(p, model.values(p));
        Map<Tensor, double[]> grads = new HashMap<>();
        List<Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= s.epochs(); e++) {
            shuffle(train, random);
            for (int start = 0; start < train.length; start += s.batch()) {
                int[] rows = java.util.Arrays.copyOfRange(train, start, Math.min(train.length, start + s.batch()));
                model.lossAndGradients(rows(all, rows, graph), grads);
                optimizer.apply(params, grads);
            }
            var tr = evaluate(model, rows(all, train, graph));
            var va = validation.length == 0 ? new double[] {Double.NaN, Double.NaN} : evaluate(model, rows(all, validation, graph));
            epochs.add(new Epoch(e, tr[0], tr[1], va[0], va[1]));
        }
        return new Result(epochs, model);
    }

    /** Mean loss and accuracy: a scalar output is right when on the target's side of 0.5, a vector when its largest entry is the target's. */
    public static double[] evaluate(Interpreter model, Batch b) {
        Graph g = model.graph();
        double loss = model.loss(b);
        Tensor out = g.outputs().get(0);
        Tensor target = g.targets().isEmpty() ? null : g.targets().get(0);
        int right = 0;
        for (int s = 0; s < b.size(); s++) {
            double[] o = model.predict(b, s).get(out.name);
            double[] y = java.util.Arrays.copyOfRange(b.column(target.name), s * target.size(), (s + 1) * target.size());
            if (o.length == 1) right += (o[0] > 0.5) == (y[0] > 0.5) ? 1 : 0;
            else right += argmax(o) == argmax(y) ? 1 : 0;
        }
        return new double[] {loss, b.size() == 0 ? Double.NaN : (double) right / b.size()};
    }

    private static int argmax(double[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) if (a[k] > a[best]) best = k;
        return best;
    }

    static Batch rows(Batch all, int[] rows, Graph g) {
        Map<String, double[]> columns = new HashMap<>();
        for (var e : all.columns().entrySet()) {
            int width = e.getValue().length / Math.max(1, all.size());
            double[] c = new double[rows.length * width];
            for (int r = 0; r < rows.length; r++) System.arraycopy(e.getValue(), rows[r] * width, c, r * width, width);
            columns.put(e.getKey(), c);
        }
        return new Batch(rows.length, columns);
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] a = java.util.stream.IntStream.range(0, n).toArray();
        shuffle(a, random);
        return a;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
