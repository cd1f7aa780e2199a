package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.Metrics;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint's metadata strings mean, read once when the file is read: every field nnc reads back is
 * parsed and checked there, so a file whose metadata was edited or damaged is refused with its name, the field and
 * what was expected, before anything uses it — never a NumberFormatException in the middle of a resume.
 *
 * @param step          {@code nnc.step}: optimizer steps so far, or null where absent (weights, not a checkpoint)
 * @param seed          {@code nnc.seed}, or null
 * @param epoch         {@code nnc.epoch}: epochs trained, or null
 * @param history       {@code nnc.history}: one entry per epoch trained, numbered from 1 (empty where absent)
 * @param normalization {@code nnc.normalization}, fitted, or null where absent
 * @param task          {@code nnc.task}, one of {@link Metrics.Task}'s names, or null
 */
public record Metadata(Long step, Long seed, Integer epoch, List<EpochStats> history, Normalization normalization, String task) {
    public Metadata {
        history = List.copyOf(history);
    }

    static Metadata parse(String file, Map<String, String> m) throws CheckpointError {
        Long step = whole(file, m, Checkpoint.STEP, 0, "the number of optimizer steps so far");
        Long seed = whole(file, m, Checkpoint.SEED, Long.MIN_VALUE, "the seed of the run");
        Long epoch = whole(file, m, Checkpoint.EPOCH, 0, "the number of epochs trained");
        whole(file, m, Checkpoint.BATCH, 1, "the batch size");
        whole(file, m, Checkpoint.EPOCHS, 1, "the number of epochs asked for");
        if (epoch != null && epoch > Integer.MAX_VALUE) throw bad(file, Checkpoint.EPOCH, m.get(Checkpoint.EPOCH), "the number of epochs trained", 0);

        List<EpochStats> history = List.of();
        String h = m.get(Checkpoint.HISTORY);
        if (h != null) {
            try {
                history = EpochStats.decode(h);
            } catch (IllegalArgumentException e) {
                throw new CheckpointError(file + ": metadata " + Checkpoint.HISTORY + " cannot be read: " + e.getMessage());
            }
            if (epoch != null && history.size() != epoch) {
                throw new CheckpointError(file + ": metadata " + Checkpoint.HISTORY + " has " + history.size() + " epochs, but "
                        + Checkpoint.EPOCH + " says " + epoch + "; expected one entry per epoch trained");
            }
        }

        Normalization normalization = null;
        String n = m.get(Checkpoint.NORMALIZATION);
        if (n != null) {
            try {
                normalization = Normalization.decode(n);
            } catch (IllegalArgumentException e) {
                throw new CheckpointError(file + ": metadata " + Checkpoint.NORMALIZATION + " cannot be read: " + e.getMessage());
            }
            if (!normalization.fitted()) {
                throw new CheckpointError(file + ": metadata " + Checkpoint.NORMALIZATION + " is \"" + show(n)
                        + "\" without the values training fitted; expected " + show(n.strip()) + " x=a:b,… for every input");
            }
        }

        String task = m.get(Checkpoint.TASK);
        if (task != null && List.of(Metrics.Task.values()).stream().noneMatch(t -> t.name().equals(task))) {
            throw new CheckpointError(file + ": metadata " + Checkpoint.TASK + " is \"" + show(task) + "\"; expected BINARY, CLASSES or OTHER");
        }
        return new Metadata(step, seed, epoch == null ? null : epoch.intValue(), history, normalization, task);
    }

    /** A whole number of at least {@code min}, or null if the key is absent. */
    private static Long whole(String file, Map<String, String> m, String key, long min, String meaning) throws CheckpointError {
        String v = m.get(key);
        if (v == null) return null;
        try {
            if (!v.matches("-?\\d{1,19}")) throw new NumberFormatException();
            long x = Long.parseLong(v);
            if (x < min) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw bad(file, key, v, meaning, min);
        }
    }

    private static CheckpointError bad(String file, String key, String value, String meaning, long min) {
        return new CheckpointError(file + ": metadata " + key + " is \"" + show(value) + "\"; expected " + meaning + ", a whole number"
                + (min == Long.MIN_VALUE ? "" : " ≥ " + min));
    }

    /** Metadata as a message shows it: one line, and not too long. */
    static String show(String v) {
        String s = v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
