package dev.nnc.driver;

import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.CheckedProgram;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.export.OnnxExport;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.gen.jvm.ClassGen;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.opt.Im2col;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.opt.Stability;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.predict.Trained;
import dev.nnc.runtime.compiled.ModelJar;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.schedule.LoopProgram;
import dev.nnc.schedule.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The build driver: a checked network → its graph (the middle end, {@link Compile}) → the optimizer that trains it
 * (the train block's, or the one a request names, {@link OptimizerChoice}) → a model for a backend
 * ({@link Backends}) or a jar. Every command, benchmark and test that makes a model, a jar or generated code builds
 * it here, so the chain is written once; what needs only the graph ({@code explain}, tests of one stage) calls
 * {@link Compile#graph}.
 */
public final class Build {
    private Build() {}

    /**
     * What is built of a network.
     *
     * @param noRewrite stability rewrites turned off by name ({@code --no-rewrite})
     * @param optimizer an optimizer written as in a train block ({@code --optimizer}), or null for the block's
     * @param lr        its learning rate ({@code --lr}), or null
     */
    public record Request(Set<String> noRewrite, String optimizer, Double lr) {
        public static final Request DEFAULT = new Request(Set.of(), null, null);

        /** For predict and eval, which train nothing: plain gd, which keeps no state, whatever the train block says. */
        public static final Request UNTRAINED = new Request(Set.of(), "gd", null);

        /** @throws BadRequest for a rewrite there is not, said for the user with the option's name */
        public Request {
            noRewrite = Set.copyOf(noRewrite);
            for (String r : noRewrite) {
                if (!Stability.RULES.contains(r)) {
                    throw new BadRequest("--no-rewrite: there is no rewrite " + r + "; the rewrites are " + String.join(", ", Stability.RULES));
                }
            }
        }

        /** What the middle end is asked for. */
        public Compile.Options compile() { return new Compile.Options(noRewrite, false); }
    }

    /** A network built: its program, its train block, its graph and the optimizer compiled in. */
    /**
     * @param graph    the network as every backend but the JVM's computes it, and as explain and gradcheck show it
     * @param jvmGraph the same network for the JVM backend: with IM2COL where it has convolutions (the matrix kernel
     *                 runs them), else {@code graph} itself
     */
    public record Built(CheckedProgram program, CheckedNetwork network, TrainBlock block, Graph graph, Graph jvmGraph, OptimizerIr optimizer) {
        /** A model on {@code backend} (see {@link Backends#create(String, String, Graph, OptimizerIr, int, Consumer)}). */
        public Model model(String backend, String precision, int batch, Consumer<String> notes) {
            return Backends.create(backend, precision, backend.equals("jvm") ? jvmGraph : graph, optimizer, batch, notes);
        }

        /** The names and shapes every backend's model of it has, known before one is made. */
        public Signature signature() { return InterpreterModel.signature(graph, optimizer); }

        /** The loop programs the JVM backend generates from. */
        public LoopProgram loops() { return Schedule.of(jvmGraph, optimizer, Schedule.Options.DEFAULT); }

        /** The JVM backend's class. */
        public byte[] jvmClass(DType type) { return JvmBackend.compile(jvmGraph, optimizer, type, Schedule.Options.DEFAULT); }

        /** The CUDA backend's translation unit, which nvcc compiles on its own. */
        public String cudaSource(DType type) { return CudaBackend.generate(graph, optimizer, type).cuda().source(); }

        public long parameters() {
            long n = 0;
            for (var p : graph.params()) n += p.size();
            return n;
        }
    }

    /**
     * Builds the network of a checked program; {@code file} is the program's, against whose folder the train block's
     * data is found, and {@code dump} sees the graph after each stage of the middle end.
     *
     * @throws BadRequest for an optimizer the program does not have, or hyperparameters it cannot take
     */
    public static Built network(CheckedProgram program, CheckedNetwork network, Path file, Request request, BiConsumer<String, Graph> dump) {
        var block = TrainBlock.of(program, network.name(), file.getParent() == null ? Path.of("") : file.getParent());
        Graph graph = Compile.graph(program, network, request.compile(), dump);
        // the JVM backend's own graph where its kernels' stages change something; of it only they are shown (--after pool)
        Graph jvmGraph = Im2col.applies(graph) ? Compile.graph(program, network, request.compile().forKernels(), (stage, g) -> {
            if (Compile.KERNEL_STAGES.contains(stage)) dump.accept(stage, g);
        }) : graph;
        OptimizerIr optimizer;
        try {
            optimizer = OptimizerChoice.choose(program.scope(), block, request.optimizer(), request.lr());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return new Built(program, network, block, graph, jvmGraph, optimizer);
    }

    /** A request the program cannot meet, said for the user with the option at fault ({@code --optimizer: …}). */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) { super(message, null, false, false); }
    }

    public static Built network(CheckedProgram program, CheckedNetwork network, Path file, Request request) {
        return network(program, network, file, request, (stage, g) -> { });
    }

    /**
     * Reads, checks and builds a file's network (null: its first), for tests and benchmarks.
     *
     * @throws IllegalArgumentException with the diagnostics when the file has errors, or without that network
     */
    public static Built file(Path file, String network, Request request) throws IOException {
        var result = Frontend.check(file);
        if (result.diagnostics().hasErrors()) {
            throw new IllegalArgumentException(result.diagnostics().sorted().stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
        }
        var n = Compile.network(result.checked(), network);
        if (n == null) throw new IllegalArgumentException(file + " has no network " + (network == null ? "" : network));
        return network(result.checked(), n, file, request);
    }

    public static Built file(Path file) throws IOException { return file(file, null, Request.DEFAULT); }

    /** What runs a built jar: a generated class on any JVM, or kernels for NVIDIA GPUs. */
    public enum Target { jvm, cuda }

    /**
     * Writes {@code built} as a runnable model jar for {@code target}, in {@code type}; {@code source} is the .nn file it
     * was built from, whose name and hash the jar records.
     */
    public static void jar(Built built, Path jar, Target target, DType type, Path source) throws IOException {
        String hash = sourceHash(source);
        Graph graph = built.graph();
        String precision = type.name().toLowerCase(Locale.ROOT), name = source.getFileName().toString(), opt = built.optimizer().describe();
        try {
            switch (target) {
                case jvm -> {
                    byte[] generated = built.jvmClass(type);
                    JarWriter.write(jar, new ModelJar.Info(ClassGen.className(graph.name()), graph.name(), name, hash, version(), precision, opt), generated);
                }
                case cuda -> {
                    var generated = CudaBackend.generate(graph, built.optimizer(), type);
                    byte[] fatbin = Toolchain.fatbin(generated.cuda().source());
                    JarWriter.writeCuda(jar, new ModelJar.Info(ModelJar.CUDA_LOADER, graph.name(), name, hash, version(), precision, opt, "cuda"),
                            generated.planJson().getBytes(StandardCharsets.UTF_8), fatbin);
                }
            }
        } catch (IOException e) {
            throw FileProblem.writing(jar, e);
        }
    }

    /**
     * Writes {@code built}'s forward pass as an ONNX model ({@link OnnxExport}) with the trained model's weights and
     * normalisation, in {@code type}; the model's doc string names {@code source} and its hash.
     *
     * @throws OnnxExport.Unsupported naming what cannot be exported (nothing is written then)
     */
    public static void onnx(Built built, Trained trained, Path onnx, DType type, Path source) throws IOException {
        Map<String, double[]> weights = new HashMap<>();
        for (var p : built.graph().params()) weights.put(p.name, trained.model().parameter(p.name));
        Normalization n = trained.file() == null ? null : trained.file().parsed().normalization();
        String doc = "exported by nnc " + version() + " from " + source.getFileName() + " (sha256 " + sourceHash(source) + "), network "
                + built.graph().name() + ", " + type.name().toLowerCase(Locale.ROOT);
        byte[] bytes = OnnxExport.export(built.graph(), weights, type, doc, n == null ? new Normalization.None() : n).toByteArray();
        try {
            AtomicFile.write(onnx, bytes);
        } catch (IOException e) {
            throw FileProblem.writing(onnx, e);
        }
    }

    /** nnc's version, as {@code nnc --version} says it; a jar records which runtime it holds. */
    public static String version() throws IOException {
        var props = new Properties();
        try (var in = Build.class.getResourceAsStream("/dev/nnc/nnc.properties")) {
            if (in != null) props.load(in);
        }
        return props.getProperty("version", "unknown");
    }

    /** The SHA-256 of the source, so a checkpoint or a jar knows which program wrote it. */
    public static String sourceHash(Path file) throws IOException {
        try {
            return Cache.sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw FileProblem.reading(file, e);
        }
    }
}
