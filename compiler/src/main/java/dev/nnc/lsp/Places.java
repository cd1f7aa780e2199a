package dev.nnc.lsp;

import dev.nnc.driver.Cache;
import dev.nnc.driver.Stdlib;
import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.lsp4j.Location;

/**
 * Where a span lies, as a URI an editor can open. The user's files are named by their paths. The standard library
 * lives inside nnc's jar, so it is written out once, to a folder named after its contents in nnc's cache
 * ($NNC_CACHE, $XDG_CACHE_HOME/nnc or ~/.cache/nnc), for go-to-definition to land in.
 */
final class Places {
    private Places() {}

    private static volatile Path stdlib;

    static Location location(Span s) { return new Location(uri(s.file()), Positions.range(s)); }

    static String uri(SourceFile f) {
        String name = f.name();
        if (name.startsWith("stdlib/")) return stdlib().resolve(name.substring("stdlib/".length())).toUri().toString();
        return Path.of(name).toAbsolutePath().toUri().toString();
    }

    /** The path of a document's URI (the name its SourceFile gets, so that imports resolve beside it). */
    static String path(String uri) {
        try {
            URI u = URI.create(uri);
            return "file".equals(u.getScheme()) ? Path.of(u).toString() : uri;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    static Path stdlib() {
        Path p = stdlib;
        if (p != null) return p;
        synchronized (Places.class) {
            if (stdlib != null) return stdlib;
            var all = new StringBuilder();
            for (SourceFile f : Stdlib.sources()) all.append(f.name()).append('\0').append(f.text()).append('\0');
            Path dir = Cache.dir("stdlib-" + Cache.sha256(all.toString()).substring(0, 16));
            try {
                Files.createDirectories(dir);
                for (SourceFile f : Stdlib.sources()) {
                    Path file = dir.resolve(f.name().substring("stdlib/".length()));
                    if (!Files.isRegularFile(file)) {
                        Path tmp = Files.createTempFile(dir, "stdlib", ".tmp");
                        Files.writeString(tmp, f.text(), StandardCharsets.UTF_8);
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        file.toFile().setReadOnly(); // an editor opening it should not invite changes that nnc never reads
                    }
                }
            } catch (IOException e) {
                // definitions in the standard library then point at files that are not there; nothing else depends on it
            }
            stdlib = dir;
            return dir;
        }
    }

}
