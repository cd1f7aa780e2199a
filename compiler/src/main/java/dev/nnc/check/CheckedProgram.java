package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.resolve.Scope;
import java.util.List;

/** The result of RESOLVE and CHECK for one compilation. Meaningful only when no error was reported. */
public record CheckedProgram(Scope scope, List<CheckedNetwork> networks, List<Decl.Train> trains) {
    public CheckedProgram {
        networks = List.copyOf(networks);
        trains = List.copyOf(trains);
    }
}
