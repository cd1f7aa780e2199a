package dev.nnc.driver;

import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The standard library's .nn sources, shipped as resources of the nnc-stdlib jar. */
public final class Stdlib {
    private Stdlib() {}

    /** The files, in dependency order: losses may use activations. */
    public static final List<String> FILES = List.of("activations.nn", "losses.nn", "optimizers.nn");

    private static volatile List<SourceFile> sources;

    public static List<SourceFile> sources() {
        var s = sources;
        if (s == null) {
            s = FILES.stream().map(Stdlib::load).toList();
            sources = s;
        }
        return s;
    }

    private static SourceFile load(String file) {
        String resource = "/dev/nnc/stdlib/" + file;
        try (InputStream in = Stdlib.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("internal: the standard library file " + resource + " is missing from the class path");
            return new SourceFile("stdlib/" + file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
