package dev.nnc.cli;

import dev.nnc.driver.Cache;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.TargetDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading data for the commands, and the checks the compiled network needs of it. */
final class DataInput {
    private DataInput() {}

    /**
     * The data files for a network. {@code domains} are what its targets' values must satisfy (the graph's
     * {@link dev.nnc.ir.Graph#domains()}); the readers refuse a value outside at its row and column.
     */
    static Dataset read(List<Path> files, Signature sig, boolean targets, List<TargetDomain> domains) throws DataError {
        for (Path f : files) {
            // data a Debian package provides (/usr/share/datasets/NAME/…): say which package, in the same line
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.exists(abs) && abs.startsWith(DATASETS) && abs.getNameCount() > DATASETS.getNameCount()) {
                String name = abs.getName(DATASETS.getNameCount()).toString();
                throw new DataError(f + ": no such file; the Debian package dataset-" + name + " provides it (scripts/install-deps.sh installs it)");
            }
        }
        return DataFiles.read(files, sig, targets, domains);
    }

    private static final Path DATASETS = Path.of("/usr/share/datasets");

    /**
     * The domains that matter where nothing is trained (eval): the losses' ranges, not the sums to 1 that only a
     * rewrite's gradient assumes — its loss value is exact for any target.
     */
    static List<TargetDomain> forEvaluation(List<TargetDomain> domains) {
        return domains.stream().filter(d -> d instanceof TargetDomain.Range).toList();
    }

    /** The SHA-256 of the source, so a checkpoint knows which program wrote it. */
    static String sourceHash(Path file) throws IOException {
        try {
            return Cache.sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw dev.nnc.runtime.io.FileProblem.reading(file, e);
        }
    }
}
