package dev.nnc.cli;

import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.runtime.Model;
import java.util.Iterator;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code --backend} and {@code --precision}, a mixin of train, predict and eval; the backends are the driver's. */
final class BackendOptions {
    static final class Names implements Iterable<String> {
        @Override public Iterator<String> iterator() { return Backends.NAMES.iterator(); }
    }

    @Option(names = "--backend", paramLabel = "B", completionCandidates = Names.class, converter = Options.BackendName.class,
            description = "which backend runs the network: jvm (bytecode), cuda (an NVIDIA GPU) or interp (the reference "
                    + "interpreter) (default: ${DEFAULT-VALUE})")
    String backend = "jvm";

    @Option(names = "--precision", paramLabel = "P", converter = Options.PrecisionName.class,
            description = "f32 or f64: what the jvm and cuda backends compute in (default: f32); the interpreter computes in f64")
    String precision;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

    /** The network's model on the chosen backend; a backend that cannot have that precision is a usage mistake. */
    Model create(Build.Built built, int batch) {
        try {
            return built.model(backend, precision, batch, note -> mixee.commandLine().getErr().println("nnc: note: " + note));
        } catch (Build.BadRequest e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
