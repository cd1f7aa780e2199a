package dev.nnc.cli;

import dev.nnc.check.ParamInit;
import dev.nnc.cli.train.OutputName;
import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.io.UserFiles;
import java.io.IOException;
import java.io.PrintWriter;
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

    @Option(names = "--target", paramLabel = "T", description = {"what runs the jar: jvm (a generated class, any JVM) or cuda (kernels",
            "for NVIDIA GPUs, sm_75 to sm_90 and PTX, compiled by nvcc now; it needs the NVIDIA driver and CUDA 13's",
            "libcudart.so.13 where it runs) (default: ${DEFAULT-VALUE})"})
    Build.Target target = Build.Target.jvm;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "the optimizer compiled in, as in a train block (default: the train block's)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", converter = Options.Rate.class, description = "the optimizer's learning rate α")
    Double lr;

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",", description = "turn off a stability rewrite (see nnc explain --notes)")
    List<String> noRewrite = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.build(file, network, spec, () -> Rewrites.request(noRewrite, optimizer, lr, spec));
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        DType type = precision == null ? DType.F32 : Backends.precision(precision); // checked as it was read
        String name = built.graph().name(), stem = OutputName.stem(file, name, built.program().networks().size());
        Path jar = output != null ? output : Path.of(stem + (target == Build.Target.cuda ? "-cuda" : "") + ".jar");
        try {
            UserFiles.checkOutputs(List.of(jar), List.of(file)); // before compiling, which for cuda takes a while
            Build.jar(built, jar, target, type, file);
        } catch (IOException e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        }
        out.printf(Locale.ROOT, "%s written: the network %s (%s) in %s, with %s%s%n", jar, name, Words.count(built.parameters(), "parameter"),
                type.name().toLowerCase(Locale.ROOT), built.optimizer().describe(), target == Build.Target.cuda
                        ? "; kernels for sm_" + String.join(", sm_", Toolchain.ARCHS) + " and PTX" : "");
        boolean given = built.graph().inits().values().stream().allMatch(ParamInit::deterministic);
        out.printf("run it: java -jar %s predict %s--input FILE%n", jar, given ? "" : "--weights WEIGHTS ");
        return Main.OK;
    }
}
