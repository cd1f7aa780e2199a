package dev.nnc.bench;

import dev.nnc.driver.Build;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.runtime.DType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Parse to loaded class: how long the JVM backend takes from a .nn file to a class a model can run — PARSE,
 * CHECK, LOWER … OPTIMIZE, SCHEDULE, GENERATE and the class defined and instantiated. {@code cold} is one
 * compile in a fresh JVM (many forks, no warm-up: what {@code nnc train} spends before its first step, after
 * the JVM has started); {@code warm} is the steady state. Run with bench/compile-latency.sh.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileLatency {
    @Param({"mlp.nn", "seed.nn"})
    public String sample;

    @Param("samples")
    public String dir;

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object cold() throws Exception {
        return compile();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object warm() throws Exception {
        return compile();
    }

    private Object compile() throws Exception {
        Path file = Path.of(dir, sample);
        var result = Frontend.check(file);
        if (result.diagnostics().hasErrors()) throw new IllegalStateException(sample + " does not check");
        var checked = result.checked();
        var network = Compile.network(checked, null);
        var built = Build.network(checked, network, file, Build.Request.DEFAULT);
        return JvmBackend.load(built.graph().name(), built.jvmClass(DType.F32));
    }
}
