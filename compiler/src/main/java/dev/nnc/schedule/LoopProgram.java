package dev.nnc.schedule;

import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SCHEDULE's result: how to run a network on the slice of a mini-batch one thread gets, as blocks of loops and
 * matrix products over arrays at fixed slots. Three programs share the slots: training (forward, loss,
 * backward, gradients summed), prediction (what the outputs need) and evaluation (outputs and loss).
 *
 * @param slots     every array, by slot number; a slot's tensor is the one it holds
 * @param sums      for each parameter, the tensor its gradient is summed into
 * @param offsets   where each parameter starts in the one array of all parameters (and its gradient sum in
 *                  the array of all gradient sums): slots 0 and 1
 * @param work      operations per sample, roughly
 */
public record LoopProgram(Graph graph, OptimizerIr optimizer, List<Slot> slots, Map<Tensor, Tensor> sums,
                          Map<Tensor, Integer> offsets, Entry train, Entry predict, Entry evaluate, long work) {
    public LoopProgram {
        slots = List.copyOf(slots);
        sums = Collections.unmodifiableMap(new LinkedHashMap<>(sums));
        offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    /** The slots of the array of all parameters and of all gradient sums. */
    public static final int PARAMETERS = 0, GRADIENTS = 1;

    public enum SlotKind { PARAM, GRADIENT, INPUT, TARGET, WORK, SCRATCH }

    /** @param size the whole tensor for parameters and gradients; one sample's elements otherwise */
    public record Slot(SlotKind kind, Tensor tensor, int size) {}

    /**
     * One entry point of the network (train, predict or evaluate): its blocks, and where each tensor it touches lives.
     *
     * @param blocks  what runs on each slice of the batch, in order
     * @param rows    training on a CPU: the products that set weights' gradient sums, run once every slice's blocks have
     *                run, over all the slices' samples, each thread computing a share of each product's rows into the
     *                one array of gradient sums ({@link Rows}); empty otherwise
     * @param outputs for prediction and evaluation, the workspace array each of the graph's outputs is in when the
     *                program ends, where the runtime collects it — whether the output is computed or is an input or
     *                a parameter (copied there); empty for training
     * @param chunk   how many samples each block after the clears runs before the next block takes them (Schedule's CHUNK);
     *                Integer.MAX_VALUE: the slice whole
     */
    public record Entry(List<Block> blocks, List<Block.Product> rows, Map<Tensor, Storage> storage, Map<Tensor, Storage.Work> outputs, int chunk) {
        public Entry {
            blocks = List.copyOf(blocks);
            rows = List.copyOf(rows);
            storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }
}
