package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.source.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checker learned about a network, for the stages after it: every value with its kind and
 * shape (layer parameters under their qualified names, h1.w), how each parameter starts, and the
 * computed values (equations, layers, the loss) in an order where each comes after what it uses.
 */
public record CheckedNetwork(Decl.Network decl, Map<String, NetworkValue> values, List<String> order,
                             List<String> outputs, String loss) {
    public CheckedNetwork {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // declaration order
        order = List.copyOf(order);
        outputs = List.copyOf(outputs);
    }

    public record NetworkValue(String name, Kind kind, Shape shape, Span span, ParamInit init) {}

    public String name() { return decl.name().name(); }
}
