package dev.nnc.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths into the repository the tests run from (set by the build as nnc.root). */
final class Repo {
    private Repo() {}

    static Path root() {
        String root = System.getProperty("nnc.root");
        if (root == null) throw new IllegalStateException("run the tests through Maven: nnc.root is not set");
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** The .nn files under a folder of the repository, sorted, recursively. */
    static List<Path> nnFiles(String folder) {
        try (Stream<Path> files = Files.walk(root().resolve(folder))) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path p) { return root().relativize(p.toAbsolutePath().normalize()).toString(); }
}
