package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.resolve.Scope;
import dev.nnc.source.Span;
import java.util.List;
import java.util.Map;

/**
 * The result of RESOLVE and CHECK for one compilation. Meaningful only when no error was reported.
 *
 * @param ranges the range inferred for each place an index variable is written (its binder and its uses), for the
 *               editor's hover: a "valid" convolution's i over 24 is worth seeing
 */
public record CheckedProgram(Scope scope, List<CheckedNetwork> networks, List<Decl.Train> trains, Map<Span, Integer> ranges) {
    public CheckedProgram {
        networks = List.copyOf(networks);
        trains = List.copyOf(trains);
        ranges = Map.copyOf(ranges);
    }

    public CheckedProgram(Scope scope, List<CheckedNetwork> networks, List<Decl.Train> trains) {
        this(scope, networks, trains, Map.of());
    }
}
