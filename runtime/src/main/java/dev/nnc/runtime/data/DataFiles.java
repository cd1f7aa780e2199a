package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the data files of a {@code data}, {@code validation} or {@code test} setting (or of a prediction) for a
 * network: either one CSV file holding the inputs and targets, or IDX files, one per input and then one per
 * target, in the signature's order. Everything is checked before anything is returned, so a trainer rejects bad
 * data before its first step rather than in the middle of an epoch.
 */
public final class DataFiles {
    private DataFiles() {}

    /** Where Debian's dataset packages put their files. */
    private static final Path DATASETS = Path.of("/usr/share/datasets");

    /**
     * @param needTargets whether the targets must be there (training, evaluation); a prediction reads inputs
     *                    only, and targets only if the data happens to hold them
     */
    public static Dataset read(List<Path> files, Signature sig, boolean needTargets) throws DataError {
        return read(files, sig, needTargets, List.of());
    }

    /**
     * @param domains the values the targets may take (what the network's loss means something for); a value
     *                outside is refused at its row and column, or its byte and item
     */
    public static Dataset read(List<Path> files, Signature sig, boolean needTargets, List<TargetDomain> domains) throws DataError {
        for (Path f : files) {
            // data a Debian package provides (/usr/share/datasets/NAME/…): say which package, in the same line
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.exists(abs) && abs.startsWith(DATASETS) && abs.getNameCount() > DATASETS.getNameCount()) {
                String name = abs.getName(DATASETS.getNameCount()).toString();
                throw new DataError(f + ": no such file; the Debian package dataset-" + name + " provides it (scripts/install-deps.sh installs it)");
            }
        }
        if (files.isEmpty()) {
            throw new DataError("no data files given; expected one CSV file, or one IDX file per input and target");
        }
        Path first = files.get(0);
        byte[] bytes = FileBytes.read(first);
        if (files.size() == 1 && !looksLikeIdx(first, bytes)) return CsvReader.read(first, bytes, sig, needTargets, domains);
        return IdxReader.read(files, bytes, sig, needTargets, domains);
    }

    /**
     * IDX if the content starts with the format's two zero bytes (text never does), or if the name says so,
     * so that a damaged {@code train-images-idx3-ubyte} is reported as a bad IDX file, not as a strange CSV.
     */
    static boolean looksLikeIdx(Path file, byte[] bytes) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) return false;
        if (bytes.length >= 2 && bytes[0] == 0 && bytes[1] == 0) return true;
        return name.contains("idx") || name.contains("ubyte");
    }
}
