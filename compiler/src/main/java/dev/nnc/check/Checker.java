package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
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
        return new CheckedProgram(scope, networks, trains);
    }
}
