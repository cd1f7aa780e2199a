package dev.nnc.cli;

import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.compiled.GeneratedNetwork;
import dev.nnc.runtime.compiled.ModelJar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

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
        files.put(ModelJar.PROPERTIES, properties(info));
        files.put(info.className().replace('.', '/') + ".class", generated);

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
        Path parent = jar.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new IOException("no such directory " + parent);
        if (Files.isDirectory(jar)) throw new IOException("it is a directory");
        AtomicFile.write(jar, bytes.toByteArray());
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
        var out = new ByteArrayOutputStream();
        m.write(out);
        return out.toByteArray();
    }

    /** The properties without the date line {@code Properties.store} writes, sorted, so the jar is reproducible. */
    private static byte[] properties(ModelJar.Info info) throws IOException {
        var out = new ByteArrayOutputStream();
        info.toProperties().store(out, null); // Latin-1, other characters escaped, as Properties.load(InputStream) reads it
        var lines = new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1).lines()
                .filter(l -> !l.startsWith("#")).sorted().toList();
        return ("# written by nnc build\n" + String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Every file under dev/nnc/runtime/ where the runtime's classes were loaded from, by entry name. */
    private static Map<String, byte[]> runtimeFiles() throws IOException {
        var source = GeneratedNetwork.class.getProtectionDomain().getCodeSource();
        if (source == null) throw new IllegalStateException("internal: the runtime's classes come from no file to copy");
        Path from;
        try {
            from = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("internal: the runtime's classes come from " + source.getLocation(), e);
        }
        Map<String, byte[]> files = new TreeMap<>();
        if (Files.isDirectory(from)) {
            Path dir = from.resolve(ModelJar.RUNTIME_PREFIX);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(from.relativize(p).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(p));
                }
            }
        } else {
            try (var zip = new ZipFile(from.toFile())) {
                for (var e : java.util.Collections.list(zip.entries())) {
                    if (!e.isDirectory() && e.getName().startsWith(ModelJar.RUNTIME_PREFIX)) {
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
