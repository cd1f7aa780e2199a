package dev.nnc.runtime.compiled;

import dev.nnc.runtime.Model;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A network that {@code nnc build} compiled into a jar, for Java programs: the generated class, found through
 * the resource {@value #PROPERTIES}, as a {@link Model} ready to {@link Model#initialize initialize},
 * {@link dev.nnc.runtime.checkpoint.Checkpoint#restore restore}, predict and train.
 *
 * <pre>{@code
 * Model model = ModelJar.fromJar(Path.of("spirals.jar"));
 * Checkpoint.restore(Checkpoint.read(Path.of("spirals.safetensors")), model, false);
 * Map<String, double[]> p = model.predict(batch);
 * }</pre>
 */
public final class ModelJar {
    private ModelJar() {}

    /** The resource, in a model jar, that says which class is the network and how it was built. */
    public static final String PROPERTIES = "META-INF/nnc/model.properties";

    /** The main class of a model jar. */
    public static final String MAIN_CLASS = "dev.nnc.runtime.compiled.ModelMain";

    /** Where the runtime's classes lie in a jar or a classes directory; a model jar holds all of them. */
    public static final String RUNTIME_PREFIX = "dev/nnc/runtime/";

    /**
     * What {@value #PROPERTIES} says.
     *
     * @param className    the generated class, a {@link GeneratedNetwork}; for a CUDA jar, the class that loads it
     *                     ({@value #CUDA_LOADER})
     * @param source       the .nn file's name, without its directory
     * @param sourceSha256 the SHA-256 of the .nn file, as checkpoints record it ({@code nnc.source_sha256})
     * @param nncVersion   the nnc that compiled it, whose runtime the jar holds
     * @param optimizer    the optimizer compiled in, with every hyperparameter ({@code adam(α = 0.01, …)})
     * @param target       what runs it: {@code jvm} (the generated class) or {@code cuda} (kernels for an NVIDIA GPU)
     */
    public record Info(String className, String network, String source, String sourceSha256, String nncVersion,
                       String precision, String optimizer, String target) {
        private static final String[] KEYS = {"class", "network", "source", "source.sha256", "nnc.version", "precision", "optimizer", "target"};

        public Info(String className, String network, String source, String sourceSha256, String nncVersion, String precision, String optimizer) {
            this(className, network, source, sourceSha256, nncVersion, precision, optimizer, "jvm");
        }

        public boolean cuda() { return "cuda".equals(target); }

        public Properties toProperties() {
            var p = new Properties();
            String[] values = {className, network, source, sourceSha256, nncVersion, precision, optimizer, target};
            for (int k = 0; k < KEYS.length; k++) p.setProperty(KEYS[k], values[k] == null ? "" : values[k]);
            return p;
        }

        /** @throws IOException naming {@code where} if the class or the network is missing */
        public static Info of(Properties p, String where) throws IOException {
            String[] v = new String[KEYS.length];
            for (int k = 0; k < KEYS.length; k++) v[k] = p.getProperty(KEYS[k], "");
            if (v[0].isEmpty() || v[1].isEmpty()) throw new IOException(where + ": " + PROPERTIES + " names no class or no network; it is damaged");
            if (v[7].isEmpty()) v[7] = "jvm"; // jars from before there was a choice
            if (!v[7].equals("jvm") && !v[7].equals("cuda")) throw new IOException(where + ": the jar is for " + v[7] + ", which this runtime does not know");
            return new Info(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
    }

    /** The class a CUDA model jar names: it loads the jar's plan and kernels (in the module nnc-cuda). */
    public static final String CUDA_LOADER = "dev.nnc.runtime.cuda.CudaJar";

    // ─── A jar on the class path (a model jar run with java -jar, or put on a program's class path) ────

    /** What the model jar that {@code loader} sees says of itself. */
    public static Info info(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(PROPERTIES)) {
            if (in == null) throw new IOException("no " + PROPERTIES + " on the class path; is a jar that nnc build wrote on it?");
            var p = new Properties();
            p.load(in);
            return Info.of(p, PROPERTIES);
        }
    }

    /** The network of the model jar on {@code loader}'s class path, as a model with zero parameters. */
    public static Model load(ClassLoader loader) throws IOException {
        Info info = info(loader);
        if (info.cuda()) return cuda(info, PROPERTIES, "load", new Class<?>[] {ClassLoader.class}, loader);
        return instantiate(loader, info, PROPERTIES);
    }

    /**
     * A CUDA jar's model, through the loader class it names (by reflection: this runtime depends on the JDK alone,
     * and the loader lives in nnc-cuda, which a CUDA jar carries and a caller of {@link #fromJar} must have).
     */
    private static Model cuda(Info info, String where, String method, Class<?>[] types, Object... args) throws IOException {
        try {
            var m = Class.forName(info.className(), true, ModelJar.class.getClassLoader()).getMethod(method, types);
            return (Model) m.invoke(null, args);
        } catch (ClassNotFoundException e) {
            throw new IOException(where + ": the network is compiled for CUDA, and nnc's CUDA runtime (nnc-cuda, with JavaCPP) "
                    + "is not on the class path");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(where + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IOException(where + ": " + info.className() + " does not load with this runtime (" + e + "); it was built by nnc "
                    + info.nncVersion());
        }
    }

    // ─── A jar file, loaded beside the program ──────────────────────────────────────────────────────

    /** What a model jar says of itself. */
    public static Info info(Path jar) throws IOException { return read(jar).info(); }

    /**
     * The network of a model jar file, as a model with zero parameters (initialize it, or restore weights). The
     * jar's own classes are read into memory and the file closed; the runtime's classes are the caller's, so the
     * model is a {@link Model} of the caller's runtime, which should be the one of the nnc that built the jar
     * ({@link Info#nncVersion}).
     */
    public static Model fromJar(Path jar) throws IOException {
        Contents c = read(jar);
        if (c.info().cuda()) {
            byte[] plan = c.resources().get(CUDA_PLAN), kernels = c.resources().get(CUDA_KERNELS);
            if (plan == null || kernels == null) throw new IOException(jar + ": a CUDA model jar without its plan or kernels; it is damaged");
            return cuda(c.info(), jar.toString(), "load", new Class<?>[] {byte[].class, byte[].class}, plan, kernels);
        }
        return instantiate(new InMemory(c.classes(), ModelJar.class.getClassLoader()), c.info(), jar.toString());
    }

    /** Where a CUDA model jar keeps its plan and its kernels. */
    public static final String CUDA_PLAN = "META-INF/nnc/cuda/plan.json", CUDA_KERNELS = "META-INF/nnc/cuda/kernels.fatbin";

    private record Contents(Info info, Map<String, byte[]> classes, Map<String, byte[]> resources) {}

    private static Contents read(Path jar) throws IOException {
        if (Files.isDirectory(jar)) throw new IOException(jar + ": it is a directory, not a jar");
        if (!Files.exists(jar)) throw new NoSuchFileException(jar + ": no such file");
        Map<String, byte[]> classes = new HashMap<>(), resources = new HashMap<>();
        Properties props = null;
        try (var zip = new ZipFile(jar.toFile())) {
            for (var e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (name.equals(PROPERTIES)) {
                    props = new Properties();
                    try (var in = zip.getInputStream(e)) {
                        props.load(new ByteArrayInputStream(in.readAllBytes()));
                    }
                } else if (name.equals(CUDA_PLAN) || name.equals(CUDA_KERNELS)) {
                    try (var in = zip.getInputStream(e)) {
                        resources.put(name, in.readAllBytes());
                    }
                } else if (name.endsWith(".class") && !name.startsWith(RUNTIME_PREFIX) && !name.startsWith("META-INF/")) {
                    try (var in = zip.getInputStream(e)) {
                        classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        } catch (ZipException e) {
            throw new IOException(jar + ": not a jar (" + e.getMessage() + ")");
        }
        if (props == null) throw new IOException(jar + ": no " + PROPERTIES + "; it is not a jar that nnc build wrote");
        return new Contents(Info.of(props, jar.toString()), classes, resources);
    }

    private static Model instantiate(ClassLoader loader, Info info, String where) throws IOException {
        try {
            var c = Class.forName(info.className(), true, loader).asSubclass(GeneratedNetwork.class);
            return new CompiledModel(c.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new IOException(where + ": the class " + info.className() + " it names is not there; the jar is damaged");
        } catch (ClassCastException | LinkageError | ReflectiveOperationException e) {
            throw new IOException(where + ": " + info.className() + " does not load with this runtime (" + e
                    + "); it was built by nnc " + info.nncVersion());
        }
    }

    /** The jar's classes from memory, the runtime's from the parent, so the file need not stay open. */
    private static final class InMemory extends ClassLoader {
        private final Map<String, byte[]> classes;

        InMemory(Map<String, byte[]> classes, ClassLoader parent) {
            super("nnc-model-jar", parent);
            this.classes = classes;
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }
}
