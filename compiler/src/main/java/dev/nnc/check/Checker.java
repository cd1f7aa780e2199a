package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CHECK: everything the user's files declare — functions, neurons and optimizers generically, networks
 * with their shapes, train blocks. Library definitions are checked when something uses them.
 */
public final class Checker {
    private Checker() {}

    public static CheckedProgram check(Scope scope, Diagnostics diagnostics) {
        Reporter reporter = Reporter.to(diagnostics);
        var functions = new Functions(scope, reporter);
        var neurons = new Neurons(functions, reporter);
        var optimizers = new OptimizerChecker(functions, reporter);
        List<CheckedNetwork> networks = new ArrayList<>();
        List<Decl.Train> trains = new ArrayList<>();
        Map<String, Decl.Train> trainedNetworks = new HashMap<>();
        var trainChecker = new TrainChecker(scope, reporter);
        for (Program p : scope.userPrograms()) {
            for (Decl d : p.decls()) {
                switch (d) {
                    case Decl.Fn f -> functions.check(f);
                    case Decl.Neuron n -> neurons.check(n);
                    case Decl.Optimizer o -> optimizers.check(o);
                    case Decl.Network n -> {
                        if (scope.lookup(n.name().name()) instanceof Symbol.Network s && s.decl() == n) {
                            networks.add(new NetworkChecker(functions, neurons, reporter, n).check());
                        }
                    }
                    case Decl.Train t -> {
                        var previous = trainedNetworks.putIfAbsent(t.network().name(), t);
                        if (previous != null) {
                            diagnostics.error(Key.DUPLICATE_DEFINITION, t.network().span(), t.network().name()
                                    + " already has a train block", "merge the settings into one block",
                                    previous.network().span(), "the first train block");
                        }
                        trainChecker.check(t);
                        trains.add(t);
                    }
                    case Decl.Import i -> { }
                    case Decl.Alias a -> { }
                }
            }
        }
        // A program of nothing has nothing for any command to work on: say so, for every command alike.
        if (!scope.userPrograms().isEmpty() && scope.userPrograms().getLast().decls().isEmpty()) {
            diagnostics.report(noNetwork(scope.userPrograms().getLast().source(), true));
        }
        return new CheckedProgram(scope, networks, trains, functions.ranges);
    }

    /**
     * The error for a file without a network, at its start: for an empty one every command reports it (the
     * checker does); for one that declares only what networks use (a library to import), the commands that need
     * a network do.
     */
    public static Diagnostic noNetwork(SourceFile file, boolean empty) {
        return new Diagnostic(Key.NO_NETWORK, file.span(0, 0), "there is no network in " + file.name() + (empty ? ": it declares nothing" : ""),
                empty ? "a program declares a network, such as network N { input x  target y  … loss J = … }; see samples/xor.nn"
                        : "it declares only what networks use: give the .nn file that declares a network (and imports this one)", List.of());
    }
}
