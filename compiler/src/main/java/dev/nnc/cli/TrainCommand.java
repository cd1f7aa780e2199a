package dev.nnc.cli;

import dev.nnc.check.TrainSettings;
import dev.nnc.cli.train.OptimizerChoice;
import dev.nnc.cli.train.OutputName;
import dev.nnc.cli.train.Plot;
import dev.nnc.cli.train.Progress;
import dev.nnc.cli.train.TrainBlock;
import dev.nnc.driver.Compile;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.checkpoint.OutputLock;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.Schedule;
import dev.nnc.runtime.train.Trainer;
import dev.nnc.runtime.train.TrainingStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on its data and write its weights (safetensors) after every epoch.",
                "Settings come from the file's train block; the options here override them."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--data", paramLabel = "FILE", split = ",", description = "training data: one CSV file, or IDX files (inputs, then targets)")
    List<Path> data;

    @Option(names = "--validation", paramLabel = "FILE", split = ",", description = "validation data (instead of a split of the training data)")
    List<Path> validation;

    @Option(names = "--test", paramLabel = "FILE", split = ",", description = "test data, evaluated once at the end")
    List<Path> test;

    @Option(names = "--epochs", paramLabel = "N", converter = Options.Epochs.class, description = "passes over the training data (default 10)")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", converter = Options.Batch.class, description = "samples per mini-batch (default 32)")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "as in a train block: adam, adam(α = 0.01), momentum(0.05, 0.8)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", converter = Options.Rate.class, description = "the optimizer's learning rate α")
    Double lr;

    @Option(names = "--schedule", paramLabel = "S", converter = Options.ScheduleValue.class,
            description = "learning-rate schedule: constant, step(E, γ) such as step(5, 0.5), cosine, cosine(MIN)")
    Schedule schedule;

    @Option(names = "--split", paramLabel = "F", converter = Options.Split.class, description = "fraction of the data to train on; the rest validates (default 1)")
    Double split;

    @Option(names = "--normalize", paramLabel = "N", converter = Options.NormalizationValue.class,
            description = "input scaling: none, scale(D), minmax, standard (default: scale(255) for byte images, else none)")
    Normalization normalize;

    @Option(names = "--seed", paramLabel = "N", converter = Options.Seed.class, description = "seed of initialisation, split and shuffles (default 0)")
    Long seed;

    @Option(names = "--init", paramLabel = "WEIGHTS", description = "start from these weights instead of random ones")
    Path init;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "continue a run from its checkpoint (written to it again unless -o says otherwise)")
    Path resume;

    @Option(names = {"-o", "--output"}, paramLabel = "WEIGHTS",
            description = "where the weights go (default: the .nn file's name, xor.nn → xor.safetensors, in the current directory)")
    Path output;

    @Option(names = "--plot", paramLabel = "PNG", description = "draw the loss and accuracy curves into this PNG file")
    Path plot;

    @CommandLine.Mixin Backends backend = new Backends();

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",", description = "turn off a stability rewrite (see nnc explain --notes)")
    List<String> noRewrite = List.of();

    @Option(names = "--quiet", description = "no progress bar, only the summary")
    boolean quiet;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (init != null && resume != null) throw usage("--init and --resume both set the weights; give one");
        var loaded = Loading.network(file, network, err);
        if (loaded instanceof Loading.Failed f) return f.status();
        var ok = (Loading.Ok) loaded;
        var block = TrainBlock.of(ok.program(), ok.network().name(), file.getParent() == null ? Path.of("") : file.getParent());
        Graph graph = Compile.graph(ok.program(), ok.network(), Rewrites.options(noRewrite, spec));
        OptimizerIr opt;
        try {
            opt = OptimizerChoice.choose(ok.program().scope(), block, optimizer, lr);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // the options' values were checked as they were read (Options), the block's by the checker: by the same rules
        Schedule sched = schedule != null ? schedule : block.schedule() != null ? block.schedule() : new Schedule.Constant();
        if (!(sched instanceof Schedule.Constant) && opt.rate() == null) {
            throw usage((schedule != null ? "--schedule: " : "--optimizer: ") + TrainSettings.scheduleWithoutRate(opt.name()));
        }
        int epochCount = epochs != null ? epochs : block.epochs() != null ? block.epochs() : 10;
        int batchSize = batch != null ? batch : block.batch() != null ? block.batch() : 32;
        double fraction = split != null ? split : block.split() != null ? block.split() : 1;
        if (TrainSettings.conflict(!(validation != null ? validation : block.validation()).isEmpty(), fraction)) {
            throw usage((split != null ? "--split: " : validation != null ? "--validation: " : "") + TrainSettings.CONFLICT);
        }
        List<Path> trainFiles = data != null ? data : block.data();
        if (trainFiles.isEmpty()) throw usage(file + " has no train block with data for " + graph.name() + "; give --data FILE");

        Model created;
        try {
            created = backend.create(graph, opt, batchSize);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (Model model = created) {
            var sig = model.signature();
            Checkpoint.Loaded start = null;
            if (resume != null || init != null) start = Checkpoint.read(resume != null ? resume : init);
            long seedValue = seed != null ? seed : start != null && resume != null && start.parsed().seed() != null
                    ? start.parsed().seed() : block.seed() != null ? block.seed() : 0;
            Path outFile = output != null ? output : resume != null ? resume : OutputName.weights(file, graph.name(), ok.program().networks().size());
            model.initialize(seedValue);
            if (start != null) Checkpoint.restore(start, model, resume != null); // the weights checked before the data is read

            List<Path> validationFiles = validation != null ? validation : block.validation();
            List<Path> testFiles = test != null ? test : block.test();
            TrainingData.checkOutputs(outFile, plot, file, init, trainFiles, validationFiles, testFiles);
            var sets = TrainingData.read(trainFiles, validationFiles, testFiles, fraction, split != null, seedValue, sig, graph.domains());
            Dataset all = sets.all(), trainSet = sets.train(), validationSet = sets.validation();
            Normalization norm;
            if (resume != null && start.parsed().normalization() != null) {
                norm = start.parsed().normalization(); // the fitted values of the run resumed
            } else {
                Normalization chosen = normalize != null ? normalize : block.normalize();
                norm = (chosen != null ? chosen : Normalization.defaultFor(trainSet)).fit(trainSet, sig);
            }
            trainSet = norm.apply(trainSet);
            validationSet = norm.apply(validationSet);

            String sourceHash = DataInput.sourceHash(file);
            List<EpochStats> earlier = List.of();
            if (start != null) {
                if (resume != null) {
                    earlier = start.parsed().history();
                    if (!sourceHash.equals(start.meta(Checkpoint.SOURCE_SHA256))) {
                        err.println("nnc: warning: " + file + " has changed since " + resume + " was written");
                    }
                }
            }
            if (earlier.size() >= epochCount) {
                out.println(resume + " has already trained " + earlier.size() + " epochs (of " + epochCount + "); nothing to do");
                return Main.OK;
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(Checkpoint.SOURCE_SHA256, sourceHash);
            meta.put("nnc.source", file.getFileName().toString());
            meta.put(Checkpoint.OPTIMIZER, opt.describe());
            meta.put("nnc.schedule", sched.spelling());
            meta.put("nnc.batch", Integer.toString(batchSize));
            meta.put("nnc.epochs", Integer.toString(epochCount));
            meta.put(Checkpoint.NORMALIZATION, norm.encode());
            meta.put("nnc.task", Metrics.task(trainSet.batch(), sig.targets().isEmpty() ? null : sig.targets().get(0)).name());

            var claim = OutputLock.acquire(outFile); // before the first word of training: a second training stops here
            String replacing = resume != null && outFile.equals(resume) ? null : OutputName.replacing(outFile);
            if (replacing != null) err.println("nnc: note: " + replacing);
            out.printf(Locale.ROOT, "training %s (%s) on %s%s, %s, batch %d, %d epoch%s, %s backend%n",
                    graph.name(), Words.count(sig.parameterCount(), "parameter"), Words.count(trainSet.size(), "sample"),
                    validationSet.size() > 0 ? String.format(Locale.ROOT, " (validating on %,d)", validationSet.size()) : "",
                    opt.describe() + (sched instanceof Schedule.Constant ? "" : " with a " + sched.spelling() + " schedule"),
                    batchSize, epochCount, epochCount == 1 ? "" : "s", model.backend());
            for (String note : all.notes()) err.println("nnc: note: " + note);
            var listener = new Progress(out, !quiet && Progress.interactive() ? err : null);
            var trainer = new Trainer(model, new Trainer.Options(epochCount, batchSize, seedValue, sched, outFile, meta), listener);
            Trainer.Result result;
            try (claim) {
                result = trainer.run(trainSet.batch(), validationSet.batch(), earlier);
            } catch (TrainingStopped e) {
                listener.clear(); // no bar for the message to run into
                err.println("nnc: " + e.getMessage());
                return Main.ERRORS;
            } finally {
                listener.clear(); // nor for those of the failures the outer catches report
            }
            summary(out, result, earlier.size(), trainSet.size());
            out.printf("weights written to %s%n", outFile);
            if (sets.test() != null) {
                Batch b = norm.apply(sets.test()).batch();
                var r = Metrics.evaluate(model, b, result.task());
                out.printf(Locale.ROOT, "test: loss %.4f%s on %,d samples%n", r.loss(),
                        Double.isNaN(r.accuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.2f %%", 100 * r.accuracy()), b.size());
            }
            if (plot != null) {
                Plot.write(plot, graph.name(), result.history());
                out.printf("curves drawn in %s%n", plot);
            }
            return Main.OK;
        } catch (CheckpointError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (IOException e) {
            err.println("nnc: " + (e instanceof FileProblem ? "" : "cannot write: ") + e.getMessage());
            return Main.ERRORS;
        }
    }

    /** {@code trained 10 epochs in 7 min 41 s (1,301 samples/s); at the end: loss 0.2201, accuracy 91.8 %, …} */
    private static void summary(PrintWriter out, Trainer.Result result, int resumedAfter, int samples) {
        var run = result.history().subList(resumedAfter, result.history().size());
        double seconds = run.stream().mapToDouble(EpochStats::seconds).sum();
        var last = result.last();
        var b = new StringBuilder(String.format(Locale.ROOT, "trained %d epoch%s in %s (%,.0f samples/s); at the end: loss %.4f",
                run.size(), run.size() == 1 ? "" : "s", duration(seconds), run.size() * (double) samples / Math.max(seconds, 1e-9), last.trainLoss()));
        if (!Double.isNaN(last.trainAccuracy())) b.append(String.format(Locale.ROOT, ", accuracy %.1f %%", 100 * last.trainAccuracy()));
        if (!Double.isNaN(last.validationLoss())) {
            b.append(String.format(Locale.ROOT, "; validation loss %.4f", last.validationLoss()));
            if (!Double.isNaN(last.validationAccuracy())) b.append(String.format(Locale.ROOT, ", accuracy %.1f %%", 100 * last.validationAccuracy()));
        }
        out.println(b);
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        return s < 3600 ? String.format("%d min %d s", s / 60, s % 60) : String.format("%d h %d min", s / 3600, s % 3600 / 60);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
