package dev.nnc.cli;

import dev.nnc.driver.Cache;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading data for the commands, and the checks the compiled network needs of it. */
final class DataInput {
    private DataInput() {}

    static Dataset read(List<Path> files, Signature sig, boolean targets) throws DataError {
        for (Path f : files) {
            // data a Debian package provides (/usr/share/datasets/NAME/…): say which package, in the same line
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.exists(abs) && abs.startsWith(DATASETS) && abs.getNameCount() > DATASETS.getNameCount()) {
                String name = abs.getName(DATASETS.getNameCount()).toString();
                throw new DataError(f + ": no such file; the Debian package dataset-" + name + " provides it (scripts/install-deps.sh installs it)");
            }
        }
        return DataFiles.read(files, sig, targets);
    }

    private static final Path DATASETS = Path.of("/usr/share/datasets");

    /**
     * The softmax-cross-entropy rewrite's gradient p − y holds only for targets that sum to 1 (one-hot or
     * probabilities): refuse data that breaks that before training rather than train on a wrong gradient.
     */
    static void requireDistributions(Graph graph, Dataset data) throws DataError {
        for (Tensor y : graph.distributions()) {
            double[] c = data.column(y.name);
            for (int r = 0; r < data.size(); r++) {
                double sum = 0;
                for (int k = 0; k < y.size(); k++) sum += c[r * y.size() + k];
                if (Math.abs(sum - 1) > 1e-6) {
                    String where = data.files().size() == 1 && data.files().get(0).toString().endsWith(".csv")
                            ? data.files().get(0) + ":" + (r + 2) : data.files() + ": sample " + (r + 1);
                    throw new DataError(where + ": the target " + y.name + " sums to " + sum
                            + ", but cross-entropy of a softmax needs a one-hot or probability target (sum 1); "
                            + "for other targets turn the rewrite off: --no-rewrite softmax-cross-entropy");
                }
            }
        }
    }

    /** The SHA-256 of the source, so a checkpoint knows which program wrote it. */
    static String sourceHash(Path file) throws IOException {
        return Cache.sha256(Files.readAllBytes(file));
    }
}
