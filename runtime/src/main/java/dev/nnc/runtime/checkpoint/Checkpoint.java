package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights and training state in one safetensors file: every parameter under its .nn name ({@code w57},
 * {@code h1.w}, {@code W1}), every optimizer state tensor as {@code optimizer.STATE.PARAM}
 * ({@code optimizer.m.W1}), and metadata strings (the network, the source's hash, epoch, step, the
 * optimizer, the input normalisation, the history so far). PyTorch's {@code safetensors.torch.load_file}
 * reads it as it is.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String OPTIMIZER_PREFIX = "optimizer.";

    /** Metadata keys: the only spelling of each, for the writers (here, Trainer, TrainingRun) and the reader (Metadata). */
    public static final String FORMAT = "format", NETWORK = "nnc.network", SOURCE_SHA256 = "nnc.source_sha256",
            EPOCH = "nnc.epoch", STEP = "nnc.step", OPTIMIZER = "nnc.optimizer", BACKEND = "nnc.backend",
            NORMALIZATION = "nnc.normalization", HISTORY = "nnc.history", SEED = "nnc.seed", TASK = "nnc.task", SOURCE = "nnc.source",
            SCHEDULE = "nnc.schedule", BATCH = "nnc.batch", EPOCHS = "nnc.epochs";

    /** What a file holds once read: its tensors by name, and its metadata, as strings and as what they mean. */
    public record Loaded(Path file, Safetensors.Contents contents, Metadata parsed) {
        public Map<String, String> metadata() { return contents.metadata(); }

        public String meta(String key) { return contents.metadata().get(key); }
    }

    /** Writes the model's parameters and optimizer state, atomically replacing {@code file}. */
    public static void save(Model model, Path file, Map<String, String> metadata) throws IOException {
        snapshot(model, metadata).write(file);
    }

    /**
     * The model's parameters, optimizer state and metadata as they are now, copied: the model may train on while the
     * snapshot is written.
     */
    public static Snapshot snapshot(Model model, Map<String, String> metadata) {
        Signature sig = model.signature();
        List<Safetensors.Entry> entries = new ArrayList<>();
        for (TensorInfo p : sig.params()) entries.add(new Safetensors.Entry(p.name(), model.precision(), p.shape(), model.parameter(p.name())));
        for (String s : sig.optimizerState()) {
            for (TensorInfo p : sig.params()) {
                entries.add(new Safetensors.Entry(OPTIMIZER_PREFIX + s + "." + p.name(), model.precision(), p.shape(), model.optimizerState(s, p.name())));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, "pt"); // what safetensors.torch expects to find; nnc's own keys follow
        meta.put(NETWORK, sig.network());
        meta.put(BACKEND, model.backend());
        meta.put(STEP, Long.toString(model.steps()));
        meta.putAll(metadata);
        return new Snapshot(List.copyOf(entries), Collections.unmodifiableMap(meta)); // in order: the file lists them so
    }

    /** A checkpoint's contents, taken by {@link #snapshot}: encoded and written by {@link #write}, on any thread. */
    public record Snapshot(List<Safetensors.Entry> entries, Map<String, String> metadata) {
        /** Atomically replaces {@code file} with this checkpoint. */
        public void write(Path file) throws IOException { AtomicFile.write(file, Safetensors.encode(entries, metadata)); }
    }

    /**
     * Reads a weights file whole: a safetensors file whose metadata nnc can use (every field it reads back is checked
     * here, see {@link Metadata}). A file that is not there, a directory, a device or a damaged file is one line
     * naming it.
     */
    public static Loaded read(Path file) throws CheckpointError {
        byte[] bytes;
        try {
            bytes = UserFiles.read(file);
        } catch (FileProblem e) {
            throw new CheckpointError(e.getMessage());
        }
        String name = FileProblem.name(file);
        var contents = Safetensors.decode(bytes, name);
        return new Loaded(file, contents, Metadata.parse(name, contents.metadata()));
    }

    /**
     * Sets the model's parameters from the file, and its optimizer state and step count too if
     * {@code withOptimizer} (a resume). Every parameter must be there with the network's shape and nothing
     * else may be; otherwise nothing is changed and the message says what differs.
     */
    public static void restore(Loaded loaded, Model model, boolean withOptimizer) throws CheckpointError {
        Signature sig = model.signature();
        var tensors = loaded.contents().tensors();
        String file = FileProblem.name(loaded.file());
        List<String> missing = new ArrayList<>();
        for (TensorInfo p : sig.params()) if (!tensors.containsKey(p.name())) missing.add(p.toString());
        if (!missing.isEmpty()) {
            throw new CheckpointError(file + ": no " + String.join(", ", missing) + " there; the network " + sig.network()
                    + " needs " + sig.params().stream().map(TensorInfo::toString).toList() + "; these weights are for a different network");
        }
        for (TensorInfo p : sig.params()) {
            var t = tensors.get(p.name());
            if (!t.shape().equals(p.shape())) {
                throw new CheckpointError(file + ": " + p.name() + " has shape " + shape(t.shape()) + " there, but the network "
                        + sig.network() + " has " + p + "; these weights are for a different network");
            }
        }
        for (String name : tensors.keySet()) {
            if (name.startsWith(OPTIMIZER_PREFIX)) continue;
            if (sig.param(name) == null) {
                throw new CheckpointError(file + ": it has a tensor " + name + " that the network " + sig.network()
                        + " does not have (its parameters: " + String.join(", ", sig.params().stream().map(TensorInfo::name).toList()) + ")");
            }
        }
        for (TensorInfo p : sig.params()) finite(file, p, tensors.get(p.name()), p.name());
        var normalization = loaded.parsed().normalization();
        String mismatch = normalization == null ? null : normalization.mismatch(sig);
        if (mismatch != null) throw new CheckpointError(file + ": metadata " + NORMALIZATION + " does not fit the network " + sig.network() + ": " + mismatch);
        if (withOptimizer) {
            if (loaded.parsed().step() == null) throw new CheckpointError(file + ": no step count in its metadata; it is weights, not a checkpoint to resume (use --init)");
            for (String s : sig.optimizerState()) {
                for (TensorInfo p : sig.params()) {
                    if (tensors.get(OPTIMIZER_PREFIX + s + "." + p.name()) == null) {
                        throw new CheckpointError(file + ": no optimizer state " + OPTIMIZER_PREFIX + s + "." + p.name()
                                + "; was it written with another optimizer? (it says " + loaded.meta(OPTIMIZER) + ")");
                    }
                    finite(file, p, tensors.get(OPTIMIZER_PREFIX + s + "." + p.name()), OPTIMIZER_PREFIX + s + "." + p.name());
                }
            }
        }
        for (TensorInfo p : sig.params()) model.setParameter(p.name(), tensors.get(p.name()).values());
        if (withOptimizer) {
            for (String s : sig.optimizerState()) {
                for (TensorInfo p : sig.params()) model.setOptimizerState(s, p.name(), tensors.get(OPTIMIZER_PREFIX + s + "." + p.name()).values());
            }
            model.setSteps(loaded.parsed().step());
        }
    }

    /**
     * Weights are finite numbers: a NaN or an infinity would make every prediction NaN (or training stop at its
     * first step) without saying why, so the file is refused naming the tensor and the element.
     */
    private static void finite(String file, TensorInfo p, Safetensors.Entry t, String name) throws CheckpointError {
        double[] v = t.values();
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k])) {
                String element = new TensorInfo(name, p.shape()).element(k);
                throw new CheckpointError(file + ": " + element + (p.shape().isEmpty() ? "" : " (element " + k + " of " + name + ", from 0)")
                        + " is " + v[k] + "; weights must be finite numbers");
            }
        }
    }

    private static String shape(List<Integer> shape) { return shape.toString().replace(" ", ""); }
}
