package dev.nnc.cli;

import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.Model;
import java.util.List;

/** The backends {@code --backend} chooses from. */
public final class Backends {
    private Backends() {}

    public static final List<String> NAMES = List.of("interp");

    static final class Names implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return NAMES.iterator(); }
    }

    /** @throws IllegalArgumentException for a backend that does not exist (a usage mistake) */
    public static Model create(String name, Graph graph, OptimizerIr optimizer) {
        return switch (name) {
            case "interp" -> new InterpreterModel(graph, optimizer);
            default -> throw new IllegalArgumentException("there is no backend " + name + "; the backends are " + String.join(", ", NAMES));
        };
    }
}
