package dev.nnc.cli;

import dev.nnc.cli.train.OptimizerChoice;
import dev.nnc.cli.train.TrainBlock;
import dev.nnc.driver.Compile;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.gen.jvm.ClassGen;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.compiled.ModelJar;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import dev.nnc.schedule.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compile a network into a runnable jar: java -jar NAME.jar predict, eval or info.",
                "The jar holds the generated class (or, with --target cuda, the GPU kernels) and nnc's runtime (nothing",
                "of the compiler) and runs on Java 21 or newer; Java programs load it with",
                "dev.nnc.runtime.compiled.ModelJar (see docs/deploy.md)."})
final class BuildCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = {"-o", "--output"}, paramLabel = "JAR", description = "where the jar goes (default: the .nn file's name, xor.nn → xor.jar, in the current directory)")
    Path output;

    @Option(names = "--precision", paramLabel = "P", converter = Options.PrecisionName.class, description = "f32 or f64: what the network computes in (default: f32)")
    String precision;

    enum Target { jvm, cuda }

    @Option(names = "--target", paramLabel = "T", description = {"what runs the jar: jvm (a generated class, any JVM) or cuda (kernels",
            "for NVIDIA GPUs, sm_75 to sm_90 and PTX, compiled by nvcc now; it needs the NVIDIA driver and CUDA 13's",
            "libcudart.so.13 where it runs) (default: ${DEFAULT-VALUE})"})
    Target target = Target.jvm;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "the optimizer compiled in, as in a train block (default: the train block's)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", converter = Options.Rate.class, description = "the optimizer's learning rate α")
    Double lr;

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",", description = "turn off a stability rewrite (see nnc explain --notes)")
    List<String> noRewrite = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.network(file, network, err);
        if (loaded instanceof Loading.Failed f) return f.status();
        var ok = (Loading.Ok) loaded;
        var block = TrainBlock.of(ok.program(), ok.network().name(), file.getParent() == null ? Path.of("") : file.getParent());
        var graph = Compile.graph(ok.program(), ok.network(), Rewrites.options(noRewrite, spec));
        OptimizerIr opt;
        DType type;
        try {
            opt = OptimizerChoice.choose(ok.program().scope(), block, optimizer, lr);
            type = precision == null ? DType.F32 : Backends.precision(precision);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String stem = dev.nnc.cli.train.OutputName.stem(file, graph.name(), ok.program().networks().size());
        Path jar = output != null ? output : Path.of(stem + (target == Target.cuda ? "-cuda" : "") + ".jar");
        String hash;
        try {
            UserFiles.checkOutputs(List.of(jar), List.of(file)); // before compiling, which for cuda takes a while
            hash = DataInput.sourceHash(file);
        } catch (IOException e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        }
        String precisionName = type.name().toLowerCase(Locale.ROOT);
        try {
            switch (target) {
                case jvm -> {
                    byte[] generated = JvmBackend.compile(graph, opt, type, Schedule.Options.DEFAULT);
                    JarWriter.write(jar, new ModelJar.Info(ClassGen.className(graph.name()), graph.name(), file.getFileName().toString(), hash,
                            version(), precisionName, opt.describe()), generated);
                }
                case cuda -> {
                    var generated = CudaBackend.generate(graph, opt, type);
                    byte[] fatbin = Toolchain.fatbin(generated.cuda().source());
                    JarWriter.writeCuda(jar, new ModelJar.Info(ModelJar.CUDA_LOADER, graph.name(), file.getFileName().toString(), hash,
                            version(), precisionName, opt.describe(), "cuda"), generated.planJson().getBytes(StandardCharsets.UTF_8), fatbin);
                }
            }
        } catch (IOException e) {
            err.println("nnc: " + FileProblem.writing(jar, e).getMessage());
            return Main.ERRORS;
        }
        out.printf(Locale.ROOT, "%s written: the network %s (%s) in %s, with %s%s%n", jar, graph.name(), Words.count(parameters(graph), "parameter"),
                precisionName, opt.describe(), target == Target.cuda
                        ? "; kernels for sm_" + String.join(", sm_", Toolchain.ARCHS) + " and PTX" : "");
        boolean given = graph.inits().values().stream().allMatch(dev.nnc.check.ParamInit::deterministic);
        out.printf("run it: java -jar %s predict %s--input FILE%n", jar, given ? "" : "--weights WEIGHTS ");
        return Main.OK;
    }

    private static long parameters(dev.nnc.ir.Graph g) {
        long n = 0;
        for (var p : g.params()) n += p.size();
        return n;
    }

    /** nnc's version, as {@code nnc --version} says it; the jar records which runtime it holds. */
    static String version() throws IOException {
        var props = new java.util.Properties();
        try (var in = BuildCommand.class.getResourceAsStream("/dev/nnc/nnc.properties")) {
            if (in != null) props.load(in);
        }
        return props.getProperty("version", "unknown");
    }
}
