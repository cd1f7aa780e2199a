package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.driver.DeepStack;
import dev.nnc.driver.Memory;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.runtime.BackendUnavailable;
import dev.nnc.runtime.DeviceFailure;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code nnc} command. Exit status: 0 clean (warnings allowed), 1 errors in the program,
 * 2 a usage mistake, 3 an internal error (a bug in nnc, with what to report).
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The nnc compiler: neural networks written as the equations of a lecture note.",
        subcommands = {CheckCommand.class, ExplainCommand.class, GradcheckCommand.class, TrainCommand.class, PredictCommand.class,
                EvalCommand.class, BuildCommand.class, ExportCommand.class, EmitCommand.class, LspCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 clean, 1 errors in the program, its data or weights,", "or training stopped; 2 usage mistake, 3 internal error."})
public final class Main implements Runnable {
    public static final int OK = 0, ERRORS = 1, USAGE = 2, INTERNAL = 3;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command, such as nnc check FILE");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // A usage mistake is one line that names what is wrong, and where to read more; not the whole option list.
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("nnc: " + Options.problem(e));
            err.println("try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // too large for this JVM's memory, or (nnc build) for one JVM class: the network's size, said in one line
            if (e instanceof Memory.TooLarge || e instanceof JvmBackend.TooLarge) {
                err.println("nnc: " + e.getMessage());
                err.flush();
                return ERRORS;
            }
            if (e instanceof BackendUnavailable u) {
                err.println("nnc: the cuda backend cannot run here: " + u.getMessage() + "; the jvm backend runs on the CPU");
                err.flush();
                return ERRORS;
            }
            if (e instanceof DeviceFailure f && !f.bug()) {
                err.println("nnc: the GPU failed: " + f.getMessage());
                err.flush();
                return ERRORS;
            }
            err.println("nnc: internal error: " + e);
            err.println("This is a bug in nnc, not in your program. Please report it with the command line,");
            err.println("the .nn files involved, and this trace:");
            e.printStackTrace(err);
            err.flush();
            return INTERNAL;
        });
        // on a deep stack: every stage walks expressions recursively (driver.DeepStack)
        int status;
        try {
            status = DeepStack.call(() -> cli.execute(args));
        } catch (OutOfMemoryError e) {
            // not a bug and not the program's mistake: the JVM was given too little for this work
            err.println("nnc: out of memory: the JVM has " + Memory.heapDescription() + " for this; give it more "
                    + "(JAVA_TOOL_OPTIONS=-Xmx8g, say) or split the work (a smaller program, batch or data file)");
            status = ERRORS;
        }
        out.flush();
        err.flush();
        return status;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() throws Exception {
            return new String[] {"nnc " + Build.version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
