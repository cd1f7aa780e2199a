package dev.nnc.gen.jvm;

import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.compiled.CompiledModel;
import dev.nnc.runtime.compiled.GeneratedNetwork;
import dev.nnc.schedule.Schedule;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.MethodTooLargeException;

/** The JVM backend: SCHEDULE, then GENERATE, then the class loaded and run by the runtime's {@link CompiledModel}. */
public final class JvmBackend {
    private JvmBackend() {}

    /**
     * The generated class file of a network. A block unrolled into a method too big for the optimizing JIT is
     * scheduled again with half the unrolling budget, down to none, and then with blocks of half as much code,
     * down to a few statements.
     */
    public static byte[] compile(Graph g, OptimizerIr o, DType precision, Schedule.Options options) {
        return compile(g, o, precision, options, LANES);
    }

    /**
     * The fewest elements a loop runs on vectors from: shorter ones stay scalar (a vector's setup costs more than a
     * few scalar steps). LeNet's second convolution's rows, 10 elements, gain.
     */
    public static final int LANES = 4;

    /**
     * @param lanes the fewest elements a loop that qualifies runs on vectors from, where the Vector API is there
     *              ({@link Integer#MAX_VALUE}: none; tests ask for short loops too)
     */
    public static byte[] compile(Graph g, OptimizerIr o, DType precision, Schedule.Options options, int lanes) {
        for (var attempt = options; ; ) {
            boolean last = attempt.unrollBudget() == 0 && attempt.blockNodes() <= MIN_BLOCK_NODES;
            try {
                return ClassGen.generate(Schedule.of(g, o, attempt), precision, last, lanes);
            } catch (ClassTooLargeException | MethodTooLargeException e) {
                // the blocks are small (above); what overflows is the class: its constants, or the method calling them all
                throw new TooLarge(g.name() + " is too large for the JVM backend: its class would pass a JVM class's limits "
                        + "(65,535 constants, 64 KiB of code a method)");
            } catch (ClassGen.TooBig e) {
                if (last) throw new IllegalStateException("internal: " + e.getMessage());
                attempt = attempt.unrollBudget() > 0 ? attempt.withUnrollBudget(attempt.unrollBudget() / 2)
                        : attempt.withBlockNodes(attempt.blockNodes() / 2);
            }
        }
    }

    private static final long MIN_BLOCK_NODES = 16;

    /**
     * A network too large for one generated class (tens of thousands of equations): said to the user, who can run
     * it on the interpreter. (Spreading a network over several classes would lift the limit.)
     */
    public static final class TooLarge extends RuntimeException {
        /** What is too large, without what to do: the command line says that, as it runs it on the interpreter. */
        public final String what;

        TooLarge(String what) {
            super(what + "; --backend interp runs it, or give parts of it networks of their own", null, false, false);
            this.what = what;
        }
    }

    /** Defines a generated class in a loader of its own, whose parent is the runtime's. */
    public static GeneratedNetwork load(String network, byte[] bytes) {
        var loader = new Loader(GeneratedNetwork.class.getClassLoader());
        try {
            Class<?> c = loader.define(ClassGen.className(network), bytes);
            return (GeneratedNetwork) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("internal: the generated class does not load: " + e, e);
        }
    }

    /**
     * A model of the network on the JVM backend. When a value turns out not to be finite, the reference
     * interpreter, given the same parameters, says where it first arises.
     */
    public static CompiledModel model(Graph g, OptimizerIr o, DType precision) {
        return model(g, o, precision, Schedule.Options.DEFAULT);
    }

    public static CompiledModel model(Graph g, OptimizerIr o, DType precision, Schedule.Options options) {
        var model = new CompiledModel(load(g.name(), compile(g, o, precision, options)));
        return model.withDiagnosis(InterpreterModel.diagnosis(g, o));
    }

    private static final class Loader extends ClassLoader {
        Loader(ClassLoader parent) { super("nnc-generated", parent); }

        Class<?> define(String name, byte[] bytes) { return defineClass(name, bytes, 0, bytes.length); }
    }
}
