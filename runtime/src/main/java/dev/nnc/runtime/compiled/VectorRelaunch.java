package dev.nnc.runtime.compiled;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A model jar's way to the Vector API's kernels under plain {@code java -jar}. The matrix kernels are several times
 * faster on jdk.incubator.vector (see {@link dev.nnc.runtime.kernel.Gemm}), an incubator module that a JVM resolves
 * only when its command line names it: {@code java --add-modules jdk.incubator.vector -jar model.jar}. A jar's
 * manifest cannot name it (the launcher reads {@code Add-Exports} and {@code Add-Opens}, no {@code Add-Modules}), and
 * a running JVM cannot add it to itself. So for the commands that compute, {@link ModelMain} runs its own command line
 * once more, with the module added (and objects aligned to cache lines, as ./nnc runs), in a JVM with this one's standard
 * input and output and its other options (heap size, system properties), and exits with that JVM's status.
 *
 * <p>It does so only where the module is there to add (Java 17 and newer; not a runtime image linked without it),
 * where this JVM has it not, where {@code -Dnnc.vector=false} does not ask for the scalar kernels, and where the
 * command line is known and ends in this jar (or {@code ModelMain}) and the arguments {@code main} got, and where
 * this JVM runs no agent (a debugger's or a profiler's, from the command line or JAVA_TOOL_OPTIONS: the work should
 * happen where it looks, and a second debugger would find its port taken); otherwise the command runs here on the
 * scalar kernels, which compute the same to float32's rounding. The JVM with the module announces it on standard
 * error, a line users of nnc never see; that line is dropped.
 */
final class VectorRelaunch {
    private VectorRelaunch() {}

    static final String MODULE = "jdk.incubator.vector";

    /**
     * Objects on 64-byte cache lines, as ./nnc starts its JVM: the kernels line their vector loads up with them
     * ({@link dev.nnc.runtime.kernel.VectorGemm}); added unless the command line sets an alignment itself.
     */
    static final String ALIGNMENT = "-XX:ObjectAlignmentInBytes=64";

    /** In the started JVM's environment: it never starts another, whatever it finds. */
    static final String STARTED = "NNC_VECTOR_RELAUNCHED";

    /** What a JVM prints first on standard error when it resolved the module. */
    static final String NOTICE = "WARNING: Using incubator modules: " + MODULE;

    /** The command that runs {@code main(args)} again with the module, or null where it should not or cannot. */
    static List<String> command(String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent() || "false".equals(System.getProperty("nnc.vector"))
                || System.getenv(STARTED) != null || ModuleFinder.ofSystem().find(MODULE).isEmpty()) {
            return null;
        }
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            String options = System.getenv(variable);
            if (options != null && Arrays.stream(options.trim().split("\\s+")).anyMatch(VectorRelaunch::isAgent)) return null;
        }
        var info = ProcessHandle.current().info();
        return command(info.command().orElse(null), info.arguments().orElse(null), args, VectorRelaunch::isThisJar);
    }

    /**
     * {@code java} with the module added before the {@code arguments} it was started with, where those end in the
     * main class {@link ModelMain} or {@code -jar} and a jar that {@code isThisJar}, then in {@code args}; else null.
     */
    static List<String> command(String java, String[] arguments, String[] args, Predicate<String> isThisJar) {
        if (java == null || arguments == null) return null;
        int main = arguments.length - args.length - 1; // where the main class or the jar is
        if (main < 0 || !Arrays.equals(arguments, main + 1, arguments.length, args, 0, args.length)) return null;
        boolean ours = arguments[main].equals(ModelJar.MAIN_CLASS)
                || main > 0 && arguments[main - 1].equals("-jar") && isThisJar.test(arguments[main]);
        if (!ours) return null;
        for (int k = 0; k < main; k++) if (isAgent(arguments[k])) return null;
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", MODULE));
        if (Arrays.stream(arguments, 0, main).noneMatch(a -> a.startsWith("-XX:ObjectAlignmentInBytes="))) command.add(ALIGNMENT);
        command.addAll(Arrays.asList(arguments));
        return command;
    }

    /** Whether a JVM option starts an agent: a debugger ({@code -agentlib:jdwp=…}, the older {@code -Xrunjdwp}), a profiler. */
    static boolean isAgent(String option) {
        return option.startsWith("-agentlib:") || option.startsWith("-agentpath:") || option.startsWith("-javaagent:")
                || option.startsWith("-Xrun") || option.equals("-Xdebug");
    }

    /** Whether {@code path}, from the command line, is the jar this class was loaded from. */
    private static boolean isThisJar(String path) {
        try {
            var source = VectorRelaunch.class.getProtectionDomain().getCodeSource();
            return source != null && Files.isSameFile(Path.of(source.getLocation().toURI()), Path.of(path));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} with this JVM's standard streams and environment; its exit status, or −1 where it could not
     * be started (the caller then goes on here). This JVM, stopped by a signal, stops it too.
     */
    static int run(List<String> command) {
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT); // standard error is read here, to drop the notice
        builder.environment().put(STARTED, "1");
        Process child;
        try {
            child = builder.start();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        Thread stop = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(stop);
        Thread errors = new Thread(() -> copyErrors(child.getErrorStream(), new FileOutputStream(FileDescriptor.err)), "nnc-stderr");
        errors.start();
        while (true) {
            try {
                int status = child.waitFor();
                errors.join();
                Runtime.getRuntime().removeShutdownHook(stop);
                return status;
            } catch (InterruptedException e) {
                // nothing interrupts the main thread here; wait on
            }
        }
    }

    /**
     * Copies the started JVM's standard error to {@code out} as it comes, without what that JVM says before the
     * command runs: the notice that it uses the incubator module, and the {@code Picked up JAVA_TOOL_OPTIONS: …} lines
     * this JVM has already printed once.
     */
    static void copyErrors(InputStream in, OutputStream out) {
        try (in) {
            byte[] line;
            while ((line = line(in)) != null && isPreamble(new String(line, StandardCharsets.UTF_8).strip())) {
                // dropped
            }
            if (line == null) return;
            out.write(line);
            out.flush();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // this JVM's standard error is gone: nothing to tell anyone
        }
    }

    /** What a JVM prints before it runs main: the notice, and the options it took from the environment. */
    static boolean isPreamble(String line) {
        return line.equals(NOTICE) || line.startsWith("Picked up JAVA_TOOL_OPTIONS:") || line.startsWith("Picked up JDK_JAVA_OPTIONS:")
                || line.startsWith("Picked up _JAVA_OPTIONS:");
    }

    /** The next line of {@code in} with its line end; what is left without one at the end; null at the end. */
    private static byte[] line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
