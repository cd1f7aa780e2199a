package dev.nnc.runtime.data;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Samples read from data files, already checked against the network: for each input and target (by its .nn
 * name) {@code size} rows of that tensor's elements, row-major, one sample after another, as {@link Batch}
 * wants them. Class labels are already expanded to one-hot rows.
 *
 * @param inputs  the network's inputs, in its signature's order; every one has a column
 * @param targets the targets that were read (all of the signature's when they were needed; for a prediction,
 *                those the data happened to hold, possibly none)
 * @param files   the files read, as the user named them
 * @param format  what kind of files they were, for {@link Normalization#defaultFor}
 * @param notes   warnings about the data that are not errors, one line each, location first
 *                (e.g. a CSV column no input or target reads)
 */
public record Dataset(int size, Map<String, double[]> columns, List<TensorInfo> inputs, List<TensorInfo> targets,
                      List<Path> files, Format format, List<String> notes) {
    public Dataset {
        columns = Map.copyOf(columns);
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
        for (List<TensorInfo> ts : List.of(inputs, targets)) {
            for (TensorInfo t : ts) {
                double[] c = columns.get(t.name());
                if (c == null) throw new IllegalArgumentException("no column for " + t);
                if (c.length != (long) size * t.size()) {
                    throw new IllegalArgumentException(t + " has " + c.length + " values, not " + size + " × " + t.size());
                }
            }
        }
    }

    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) throw new IllegalArgumentException("the data set has no column " + name);
        return c;
    }

    public boolean hasTargets() {
        return !targets.isEmpty();
    }

    /** Every sample as one batch (sharing this data set's arrays). */
    public Batch batch() {
        return new Batch(size, columns);
    }

    /** The samples {@code rows} (counting from 0), in that order, as a new batch. */
    public Batch rows(int[] rows) {
        return batch().rows(rows);
    }

    /** The samples {@code rows} as a new data set, e.g. the training part of a split, to fit a normalisation on. */
    public Dataset select(int[] rows) {
        return withColumns(rows(rows).columns(), rows.length);
    }

    /**
     * The samples in the order {@code order} gives (a permutation of all the rows: sample k of the result is sample
     * {@code order[k]} of this one), rearranged where they are, as {@link #select} would copy them: for a data set read
     * for this alone that nothing else reads, as training's shuffle of the whole set is. A copy of Fashion-MNIST's
     * training set would be another 376 MB to allocate and fill.
     */
    public Dataset permuteInPlace(int[] order) {
        if (order.length != size) throw new IllegalArgumentException("internal: " + order.length + " rows to permute " + size);
        for (double[] c : columns.values()) {
            int width = size == 0 ? 0 : c.length / size;
            double[] held = new double[width];
            boolean[] placed = new boolean[size];
            // cycle by cycle: the cycle's first row held aside, each row then filled from the one it takes and left to be filled
            for (int first = 0; first < size; first++) {
                if (placed[first]) continue;
                System.arraycopy(c, first * width, held, 0, width);
                for (int k = first; ; ) {
                    if (placed[k]) throw new IllegalArgumentException("internal: the order is not a permutation");
                    placed[k] = true;
                    int from = order[k];
                    if (from == first) {
                        System.arraycopy(held, 0, c, k * width, width);
                        break;
                    }
                    System.arraycopy(c, from * width, c, k * width, width);
                    k = from;
                }
            }
        }
        return this;
    }

    /** This data set with other columns of the same shapes (a normalised copy). */
    public Dataset withColumns(Map<String, double[]> columns) {
        return withColumns(columns, size);
    }

    private Dataset withColumns(Map<String, double[]> columns, int size) {
        return new Dataset(size, columns, inputs, targets, files, format, notes);
    }
}
