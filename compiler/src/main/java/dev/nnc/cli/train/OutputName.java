package dev.nnc.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The names nnc gives what it writes when {@code -o} does not say, and what it says before it replaces a file:
 * named after the .nn file, in the current directory ({@code xor.nn} → {@code xor.safetensors}, {@code xor.jar}).
 */
public final class OutputName {
    private OutputName() {}

    /**
     * {@code xor} for {@code samples/xor.nn}; for a file that declares several networks, the network's name too
     * ({@code models-encoder}), so that training one does not overwrite another's weights.
     */
    public static String stem(Path source, String network, int networks) {
        String stem = source.getFileName().toString().replaceFirst("\\.nn$", "");
        return networks > 1 ? stem + "-" + network.toLowerCase(Locale.ROOT) : stem;
    }

    /** Where nnc train writes weights by default. */
    public static Path weights(Path source, String network, int networks) {
        return Path.of(stem(source, network, networks) + ".safetensors");
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /**
     * A note for a file a run is about to replace ({@code xor.safetensors holds the weights of a run at 2025-03-14
     * 09:26; …}), or null when there is none. The file is replaced only when the first epoch is written, atomically,
     * so a refusal or a failure before then leaves it as it was.
     */
    public static String replacing(Path file) {
        if (!Files.isRegularFile(file)) return null;
        String when;
        try {
            when = " of a run at " + WHEN.format(Files.getLastModifiedTime(file).toInstant().atZone(ZoneId.systemDefault()));
        } catch (IOException e) {
            when = "";
        }
        return file + " holds the weights" + when + "; this run replaces them after its first epoch (-o FILE writes elsewhere)";
    }
}
