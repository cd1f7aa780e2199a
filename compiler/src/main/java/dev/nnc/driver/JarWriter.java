package dev.nnc.driver;

import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.compiled.GeneratedNetwork;
import dev.nnc.runtime.compiled.ModelJar;
import dev.nnc.runtime.cuda.CudaModel;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.Loader;

/**
 * Writes a model jar: the manifest (main class {@link ModelJar#MAIN_CLASS}), {@link ModelJar#PROPERTIES}, the
 * generated class, and every file of the runtime, copied from wherever the runtime was loaded (nnc.jar, or the
 * runtime module's classes directory when nnc runs from a build). Entries are sorted and carry one fixed date, so
 * two builds of a program differ only where its generated class does.
 */
final class JarWriter {
    private JarWriter() {}

    /** The date every entry carries (the earliest a zip can say, as reproducible builds use). */
    private static final LocalDateTime DATE = LocalDateTime.of(1980, 2, 1, 0, 0);

    static void write(Path jar, ModelJar.Info info, byte[] generated) throws IOException {
        Map<String, byte[]> files = new TreeMap<>(runtimeFiles());
        if (files.isEmpty()) throw new IllegalStateException("internal: no runtime classes found to put in the jar");
        files.put(info.className().replace('.', '/') + ".class", generated);
        write(jar, info, files);
    }

    /**
     * A CUDA model jar: the plan and the kernels, the runtime with its CUDA part, JavaCPP, and of JavaCPP's CUDA
     * presets the driver API's bindings for linux-x86_64 (which link against the machine's libcuda.so.1 and
     * libcudart.so.13; the CUDA libraries themselves are not in the jar).
     */
    static void writeCuda(Path jar, ModelJar.Info info, byte[] plan, byte[] kernels) throws IOException {
        Map<String, byte[]> files = new TreeMap<>(runtimeFiles());
        files.putAll(entries(CudaModel.class, ModelJar.RUNTIME_PREFIX, n -> true));
        files.putAll(entries(Loader.class, "org/bytedeco/javacpp/", n -> true));
        // JavaCPP reads the presets' versions from their Maven metadata, and warns without it
        files.putAll(entries(Loader.class, "META-INF/maven/org.bytedeco/", n -> true));
        files.putAll(entries(org.bytedeco.cuda.global.cudart.class, "META-INF/maven/org.bytedeco/", n -> true));
        files.putAll(entries("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so", "org/bytedeco/javacpp/linux-x86_64/", n -> true));
        files.putAll(entries(org.bytedeco.cuda.global.cudart.class, "org/bytedeco/cuda/", JarWriter::driverApi));
        files.putAll(entries("org/bytedeco/cuda/linux-x86_64/libjnicudart.so", "org/bytedeco/cuda/linux-x86_64/libjnicudart.so", n -> true));
        files.put(ModelJar.CUDA_PLAN, plan);
        files.put(ModelJar.CUDA_KERNELS, kernels);
        write(jar, info, files);
    }

    /** Of the CUDA presets' classes, those of the driver and runtime API (the rest bind cuBLAS, cuDNN, NPP, …). */
    private static boolean driverApi(String name) {
        return name.equals("org/bytedeco/cuda/global/cudart.class") || name.startsWith("org/bytedeco/cuda/cudart/")
                || name.startsWith("org/bytedeco/cuda/presets/cudart");
    }

    private static void write(Path jar, ModelJar.Info info, Map<String, byte[]> files) throws IOException {
        files.put(ModelJar.PROPERTIES, properties(info));

        var bytes = new ByteArrayOutputStream();
        try (var zip = new JarOutputStream(bytes)) {
            put(zip, "META-INF/", null);
            put(zip, "META-INF/MANIFEST.MF", manifest(info)); // first, where JarInputStream looks for it
            Set<String> dirs = new HashSet<>(Set.of("META-INF/"));
            for (var e : files.entrySet()) {
                String name = e.getKey();
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    String dir = name.substring(0, slash + 1);
                    if (dirs.add(dir)) {
                        put(zip, dir, null);
                    }
                }
                put(zip, name, e.getValue());
            }
        }
        AtomicFile.write(jar, bytes.toByteArray()); // a failure names the jar and why (nnc build checked it before compiling)
    }

    private static void put(JarOutputStream zip, String name, byte[] content) throws IOException {
        var entry = new ZipEntry(name);
        entry.setTimeLocal(DATE);
        zip.putNextEntry(entry);
        if (content != null) zip.write(content);
        zip.closeEntry();
    }

    private static byte[] manifest(ModelJar.Info info) throws IOException {
        var m = new Manifest();
        var a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, ModelJar.MAIN_CLASS);
        a.put(new Attributes.Name("Created-By"), "nnc " + info.nncVersion());
        a.put(new Attributes.Name("Nnc-Network"), info.network());
        a.put(new Attributes.Name("Nnc-Model-Class"), info.className());
        // java -jar on JDK 22+ lets the jar's code call native code without a warning (JavaCPP for CUDA, JLine none)
        a.put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        var out = new ByteArrayOutputStream();
        m.write(out);
        return out.toByteArray();
    }

    /** The properties without the date line {@code Properties.store} writes, sorted, so the jar is reproducible. */
    private static byte[] properties(ModelJar.Info info) throws IOException {
        var out = new ByteArrayOutputStream();
        info.toProperties().store(out, null); // Latin-1, other characters escaped, as Properties.load(InputStream) reads it
        var lines = new String(out.toByteArray(), StandardCharsets.ISO_8859_1).lines()
                .filter(l -> !l.startsWith("#")).sorted().toList();
        return ("# written by nnc build\n" + String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Every file under dev/nnc/runtime/ where the runtime's classes were loaded from, by entry name. (From nnc.jar
     * that includes the runtime's CUDA part, which a JVM model never loads.)
     */
    private static Map<String, byte[]> runtimeFiles() throws IOException {
        return entries(GeneratedNetwork.class, ModelJar.RUNTIME_PREFIX, n -> !n.startsWith(ModelJar.RUNTIME_PREFIX + "cuda/"));
    }

    /** The files under {@code prefix} that {@code keep} accepts, from where {@code anchor} was loaded. */
    private static Map<String, byte[]> entries(Class<?> anchor, String prefix, Predicate<String> keep) throws IOException {
        var source = anchor.getProtectionDomain().getCodeSource();
        if (source == null) throw new IllegalStateException("internal: " + anchor.getName() + " comes from no file to copy");
        try {
            return entries(Path.of(source.getLocation().toURI()), prefix, keep);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("internal: " + anchor.getName() + " comes from " + source.getLocation(), e);
        }
    }

    /** The same, from the jar or directory that holds the resource {@code resource}. */
    private static Map<String, byte[]> entries(String resource, String prefix, Predicate<String> keep) throws IOException {
        var url = JarWriter.class.getClassLoader().getResource(resource);
        if (url == null) throw new IllegalStateException("internal: " + resource + " is not on nnc's class path");
        String u = url.toString();
        try {
            Path root;
            if (u.startsWith("jar:")) {
                root = Path.of(new URI(u.substring(4, u.indexOf("!/"))));
            } else {
                root = Path.of(url.toURI());
                for (int k = resource.split("/").length; k > 0; k--) root = root.getParent();
            }
            return entries(root, prefix, keep);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("internal: " + resource + " comes from " + url, e);
        }
    }

    private static Map<String, byte[]> entries(Path from, String prefix, Predicate<String> keep) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (Files.isDirectory(from)) {
            Path dir = from.resolve(prefix);
            if (!Files.exists(dir)) return files;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String name = from.relativize(p).toString().replace(File.separatorChar, '/');
                    if (keep.test(name)) files.put(name, Files.readAllBytes(p));
                }
            }
        } else {
            try (var zip = new ZipFile(from.toFile())) {
                for (var e : Collections.list(zip.entries())) {
                    if (!e.isDirectory() && e.getName().startsWith(prefix) && keep.test(e.getName())) {
                        try (var in = zip.getInputStream(e)) {
                            files.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        return files;
    }
}
