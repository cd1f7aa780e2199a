package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.interp.Gradcheck;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Check every derived gradient against finite differences.",
                "Central differences in double precision, on random parameters, inputs and targets; exit status 1 if",
                "any error reaches the tolerance."})
final class GradcheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--seed", paramLabel = "N", converter = Options.Seed.class, description = "seed of the random values (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--batch", paramLabel = "N", converter = Options.Batch.class, description = "samples per check (default: ${DEFAULT-VALUE})")
    int batch = 3;

    @Option(names = "--elements", paramLabel = "N", converter = Options.PositiveInteger.class, description = "elements checked per parameter at most (default: ${DEFAULT-VALUE})")
    int elements = 24;

    @Option(names = "--tolerance", paramLabel = "E", converter = Options.Positive.class, description = "largest error accepted (default: ${DEFAULT-VALUE})")
    double tolerance = 1e-6;

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",", description = "turn off a stability rewrite")
    List<String> noRewrite = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var loaded = Loading.build(file, network, spec, () -> Rewrites.request(noRewrite, null, null, spec));
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        var graph = built.graph();
        var report = Gradcheck.run(graph, new Gradcheck.Options(seed, batch, elements, tolerance));
        if (report.notFinite() != null) {
            spec.commandLine().getErr().printf("nnc: %s: at the point of seed %d, %s; gradients can be compared only where the parameters, "
                    + "the loss and its gradients are finite%n", file, seed, report.notFinite());
            return Main.ERRORS;
        }
        int width = report.results().stream().mapToInt(r -> r.param().length()).max().orElse(5);
        out.printf("%-" + width + "s  %-10s %8s  %-10s  %s%n", "param", "shape", "checked", "worst err", "(derived vs numeric at the worst element)");
        for (var r : report.results()) {
            out.printf("%-" + width + "s  %-10s %8s  %-10.2e  (%.12g vs %.12g)%s%n", r.param(),
                    r.shape().isEmpty() ? "scalar" : r.shape().toString().replace(" ", ""),
                    r.checked() + "/" + r.shape().stream().reduce(1, (a, b) -> a * b), r.error(), r.analytic(), r.numeric(),
                    r.error() < tolerance ? "" : "  ← above tolerance");
        }
        boolean passed = report.passed();
        out.printf("%s: %s — worst error %.2e (tolerance %.0e), loss %.6g, seed %d%n", file,
                passed ? "gradients agree" : "GRADIENTS DISAGREE", report.worst(), tolerance, report.loss(), seed);
        return passed ? Main.OK : Main.ERRORS;
    }
}
