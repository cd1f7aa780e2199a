package dev.nnc.bench;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Build;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.runtime.BackendUnavailable;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.cuda.Driver;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.NumberRule;
import dev.nnc.runtime.train.ResidentTraining;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * nnc's side of bench/compare.sh: training or inference throughput (samples/s) of a network compiled by one
 * backend, with the timed loop of bench/torch_throughput.py, so the two are compared like for like.
 *
 * <p>The file goes through the front end and the middle end as {@code nnc train} takes it (the network, its
 * train block's optimizer); the data is synthetic, made before the clock starts: inputs uniform in [0, 1],
 * valid targets (0 or 1 for a scalar target, one-hot for a vector). Throughput does not depend on the values.
 * A training step is {@code lossAndGradients} then {@code step(1)}; an inference step is {@code predict}. A backend
 * that keeps the training data on its device (CUDA) is measured as {@code nnc train} runs it: the 16 batches kept
 * there, and each call a run of 16 steps that comes back to the host once, at its end.
 * After a warm-up of at least 3 s and 20 steps that lasts until the JIT has compiled nothing for a second (at most 30 s;
 * the PyTorch side warms up at least 3 s), the timed seconds are split into repeats; the median repeat is reported, and
 * the warm-up's length as {@code warmup_s} ({@code --max-warmup S} bounds it where device time is scarce).
 *
 * <p>Threads: the interpreter is told {@code --threads} directly; every backend also sees it as the system
 * property {@code nnc.threads}. The JVM's own idea of the processor count ({@code -XX:ActiveProcessorCount},
 * which compare.sh sets to the same number) bounds what the common fork-join pool and
 * {@code availableProcessors()} give; a mismatch is reported.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.nnc.bench.Throughput \
 *     --file samples/mlp.nn --backend jvm --batch 64 --mode train --threads 2 --seconds 5</pre>
 *
 * Prints one JSON line (the keys torch_throughput.py prints).
 */
public final class Throughput {
    private Throughput() {}

    private static final int BATCHES = 16; // distinct pre-made batches, cycled through

    record Options(Path file, String backend, int batch, boolean train, int threads, double seconds, int repeats, String label, double maxWarmup) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("throughput: " + e.getMessage());
            System.err.println("usage: Throughput --file F.nn [--backend jvm|cuda|interp] [--batch N] [--mode train|infer] "
                    + "[--threads N] [--seconds S] [--repeats R] [--case LABEL] [--max-warmup S]");
            System.exit(2);
            return;
        }
        System.setProperty("nnc.threads", Integer.toString(o.threads));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus != o.threads) {
            System.err.printf("throughput: warning: the JVM sees %d processors, --threads is %d; run java with "
                    + "-XX:ActiveProcessorCount=%d so that everything sized by the processor count agrees%n", cpus, o.threads, o.threads);
        }

        Frontend.Result result;
        try {
            result = Frontend.check(o.file);
        } catch (IOException e) { // compare.sh --cases names a sample that is not there, say
            System.err.println("throughput: " + FileProblem.reading(o.file, e).getMessage());
            System.exit(2);
            return;
        }
        result.diagnostics().sorted().forEach(d -> System.err.print(DiagnosticPrinter.render(d)));
        if (result.diagnostics().hasErrors()) System.exit(1);
        var program = result.checked();
        var network = Compile.network(program, null);
        if (network == null) {
            System.err.println("throughput: " + o.file + " declares no network");
            System.exit(1);
            return;
        }
        var built = Build.network(program, network, o.file.toAbsolutePath(), Build.Request.DEFAULT);

        Model model;
        try {
            model = built.model(o.backend, null, o.batch, note -> System.err.println("throughput: note: " + note));
        } catch (Build.BadRequest e) {
            System.err.println("throughput: " + e.getMessage());
            System.exit(3); // compare.sh reads 3 as "no such backend"
            return;
        } catch (BackendUnavailable e) {
            System.err.println("throughput: the " + o.backend + " backend cannot run here: " + e.getMessage());
            System.exit(4);
            return;
        }
        if (model instanceof InterpreterModel m) m.interpreter().threads(o.threads);
        model.initialize(1);

        var random = new SplittableRandom(1);
        List<Batch> batches = new ArrayList<>();
        for (int k = 0; k < BATCHES; k++) batches.add(batch(model, o.batch, o.train, random));

        Runnable step;
        int perStep = 1; // batches a step runs
        if (o.train && model instanceof ResidentTraining resident) {
            // as nnc train runs a backend that keeps the data: the 16 batches on the device, a run of 16 steps per call
            Map<String, double[]> columns = new HashMap<>();
            for (String name : batches.get(0).columns().keySet()) {
                double[] all = new double[0];
                for (Batch b : batches) {
                    double[] c = b.column(name), grown = Arrays.copyOf(all, all.length + c.length);
                    System.arraycopy(c, 0, grown, all.length, c.length);
                    all = grown;
                }
                columns.put(name, all);
            }
            resident.keep(new Batch(BATCHES * o.batch, columns), Metrics.Task.OTHER);
            int[] order = new int[BATCHES * o.batch];
            for (int k = 0; k < order.length; k++) order[k] = k;
            double[] factors = new double[BATCHES];
            Arrays.fill(factors, 1.0);
            perStep = BATCHES;
            step = () -> resident.run(order, o.batch, 0, BATCHES, factors);
        } else if (o.train) {
            step = new Runnable() {
                int i;
                @Override public void run() {
                    model.lossAndGradients(batches.get(i++ % BATCHES));
                    model.step(1.0);
                }
            };
        } else {
            step = new Runnable() {
                int i;
                Object sink;
                @Override public void run() { sink = model.predict(batches.get(i++ % BATCHES)); }
            };
        }
        Measured measured = measure(step, o.batch * perStep, o.seconds, o.repeats, o.maxWarmup);
        double[] perSecond = measured.perSecond();
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        var repeats = new StringBuilder();
        for (double r : perSecond) repeats.append(repeats.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", r));
        boolean cuda = model.backend().equals("cuda");
        String config = "backend=" + model.backend() + (cuda ? " graphs=" + !"false".equals(System.getProperty("nnc.cuda.graphs"))
                + " gemm=" + System.getProperty("nnc.cuda.gemm", "kernels") + " chains=" + !"false".equals(System.getProperty("nnc.cuda.chains"))
                + (perStep > 1 ? " resident" : "") : " threads=" + o.threads);
        String device = cuda ? Driver.device().describe() : "cpu";
        System.out.printf(Locale.ROOT, "{\"tool\": \"nnc\", \"case\": \"%s\", \"batch\": %d, \"mode\": \"%s\", \"threads\": %d, "
                        + "\"config\": \"%s\", \"samples_per_s\": %.1f, \"repeats\": [%s], \"backend\": \"%s\", \"device\": \"%s\", "
                        + "\"java\": \"%s\", \"loadavg\": %.2f, \"warmup_s\": %.1f}%n",
                o.label, o.batch, o.train ? "train" : "infer", o.threads, config, median, repeats, model.backend(), device,
                Runtime.version(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), measured.warmup());
        model.close();
    }

    /** Longest warm-up unless --max-warmup says otherwise: a JIT that has not gone quiet by then is measured as it is. */
    static final double WARMUP_CAP = 30;
    /** A second of steps with no compilation: the JIT has finished with the loop. */
    static final double QUIET = 1;

    /** Samples/s of each timed repeat, and the seconds the warm-up before them took. */
    record Measured(double[] perSecond, double warmup) {}

    /**
     * Samples/s of each timed repeat, after the warm-up: at least 3 s (or a fifth of the timed seconds) and 20 steps,
     * and then until the JIT has compiled nothing for {@link #QUIET} s. C2 compiles LeNet's generated methods 9–12 s into
     * the run on two busy cores, so a fixed 3 s measured a mix of C1's and C2's code (-XX:+PrintCompilation shows it).
     */
    static Measured measure(Runnable step, int batch, double seconds, int repeats, double maxWarmup) {
        var jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime(), quietSince = start, compiled = watch ? jit.getTotalCompilationTime() : 0;
        long steps = 0, stepsQuiet = 0; // steps since the JIT last compiled
        double warmup = Math.max(3, seconds / 5);
        while (true) {
            step.run();
            steps++;
            long now = System.nanoTime();
            stepsQuiet++;
            if (watch) {
                long c = jit.getTotalCompilationTime();
                if (c != compiled) {
                    compiled = c;
                    quietSince = now;
                    stepsQuiet = 0;
                }
            }
            double elapsed = (now - start) * 1e-9;
            boolean quiet = !watch || (now - quietSince) * 1e-9 >= QUIET;
            if (steps >= 20 && elapsed >= warmup && (quiet || elapsed >= maxWarmup)) break;
        }
        long end = System.nanoTime();
        double warmedUp = (end - start) * 1e-9;
        // the steady steps' time where there were enough of them: the warm-up's own average counts the slow first ones
        double perStep = stepsQuiet >= 5 ? (end - quietSince) * 1e-9 / stepsQuiet : warmedUp / steps;
        long n = Math.max(1, (long) (seconds / repeats / perStep)); // steps per repeat
        double[] out = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            for (long k = 0; k < n; k++) step.run();
            out[r] = n * (double) batch / ((System.nanoTime() - t) * 1e-9);
        }
        return new Measured(out, warmedUp);
    }

    /** A batch of synthetic data: inputs uniform in [0, 1]; a scalar target 0 or 1, a vector target one-hot. */
    static Batch batch(Model model, int size, boolean withTargets, SplittableRandom random) {
        var sig = model.signature();
        Map<String, double[]> columns = new HashMap<>();
        for (TensorInfo in : sig.inputs()) {
            double[] c = new double[size * in.size()];
            for (int k = 0; k < c.length; k++) c[k] = random.nextDouble();
            columns.put(in.name(), c);
        }
        if (withTargets) {
            for (TensorInfo t : sig.targets()) {
                int width = t.size();
                double[] c = new double[size * width];
                for (int s = 0; s < size; s++) {
                    if (width == 1) c[s] = random.nextInt(2);
                    else c[s * width + random.nextInt(width)] = 1;
                }
                columns.put(t.name(), c);
            }
        }
        return new Batch(size, columns);
    }

    /** A number kept to its rule, as nnc's own options are: {@code --threads: expected a positive integer, got 0}. */
    static double number(String option, String text, NumberRule rule) {
        try {
            return rule.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    static int count(String option, String text) { return (int) number(option, text, NumberRule.POSITIVE_INTEGER); }

    static Options parse(String[] args) {
        Path file = null;
        String backend = "jvm", label = null;
        int batch = 64, threads = Runtime.getRuntime().availableProcessors(), repeats = 5;
        boolean train = true;
        double seconds = 5, maxWarmup = WARMUP_CAP;
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (k + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++k];
            switch (a) {
                case "--file" -> file = Path.of(v);
                case "--backend" -> backend = v;
                case "--batch" -> batch = count(a, v);
                case "--mode" -> train = switch (v) {
                    case "train" -> true;
                    case "infer" -> false;
                    default -> throw new IllegalArgumentException("--mode is train or infer, not " + v);
                };
                case "--threads" -> threads = count(a, v);
                case "--seconds" -> seconds = number(a, v, NumberRule.POSITIVE);
                case "--repeats" -> repeats = count(a, v);
                case "--case" -> label = v;
                case "--max-warmup" -> maxWarmup = number(a, v, NumberRule.POSITIVE);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (file == null) throw new IllegalArgumentException("--file is required");
        if (label == null) label = file.getFileName().toString().replaceFirst("\\.nn$", "");
        return new Options(file, backend, batch, train, threads, seconds, repeats, label, maxWarmup);
    }
}
