package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Metadata keys. */
    public static final String FORMAT = "format", NETWORK = "nnc.network", SOURCE_SHA256 = "nnc.source_sha256",
            EPOCH = "nnc.epoch", STEP = "nnc.step", OPTIMIZER = "nnc.optimizer", BACKEND = "nnc.backend",
            NORMALIZATION = "nnc.normalization", HISTORY = "nnc.history", SEED = "nnc.seed";

    /** What a file holds once read: its tensors by name, and its metadata. */
    public record Loaded(Path file, Safetensors.Contents contents) {
        public Map<String, String> metadata() { return contents.metadata(); }

        public String meta(String key) { return contents.metadata().get(key); }
    }

    /** Writes the model's parameters and optimizer state, atomically replacing {@code file}. */
    public static void save(Model model, Path file, Map<String, String> metadata) throws IOException {
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
        AtomicFile.write(file, Safetensors.encode(entries, meta));
    }

    public static Loaded read(Path file) throws CheckpointError {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointError(file + ": no such file");
        } catch (IOException e) {
            throw new CheckpointError(file + ": cannot read it: " + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
        }
        return new Loaded(file, Safetensors.decode(bytes, file.toString()));
    }

    /**
     * Sets the model's parameters from the file, and its optimizer state and step count too if
     * {@code withOptimizer} (a resume). Every parameter must be there with the network's shape and nothing
     * else may be; otherwise nothing is changed and the message says what differs.
     */
    public static void restore(Loaded loaded, Model model, boolean withOptimizer) throws CheckpointError {
        Signature sig = model.signature();
        var tensors = loaded.contents().tensors();
        String file = loaded.file().toString();
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
        if (withOptimizer) {
            String step = loaded.meta(STEP);
            if (step == null) throw new CheckpointError(file + ": no step count in its metadata; it is weights, not a checkpoint to resume (use --init)");
            for (String s : sig.optimizerState()) {
                for (TensorInfo p : sig.params()) {
                    if (tensors.get(OPTIMIZER_PREFIX + s + "." + p.name()) == null) {
                        throw new CheckpointError(file + ": no optimizer state " + OPTIMIZER_PREFIX + s + "." + p.name()
                                + "; was it written with another optimizer? (it says " + loaded.meta(OPTIMIZER) + ")");
                    }
                }
            }
        }
        for (TensorInfo p : sig.params()) model.setParameter(p.name(), tensors.get(p.name()).values());
        if (withOptimizer) {
            for (String s : sig.optimizerState()) {
                for (TensorInfo p : sig.params()) model.setOptimizerState(s, p.name(), tensors.get(OPTIMIZER_PREFIX + s + "." + p.name()).values());
            }
            model.setSteps(Long.parseLong(loaded.meta(STEP)));
        }
    }

    private static String shape(List<Integer> shape) { return shape.toString().replace(" ", ""); }
}
