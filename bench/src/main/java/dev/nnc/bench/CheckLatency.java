package dev.nnc.bench;

import dev.nnc.driver.Frontend;
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
 * How long {@code nnc check} takes on a sample: PARSE, RESOLVE and CHECK, the standard library included.
 * {@code cold} is one check in a fresh JVM (run with many forks and no warm-up: the time a user waits after
 * the JVM has started); {@code warm} is the steady state an editor's language server would see.
 * Run with bench/check-latency.sh.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CheckLatency {
    @Param({"mlp.nn", "seed.nn", "seed_layers.nn", "xor.nn"})
    public String sample;

    @Param("samples")
    public String dir;

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object cold() throws Exception {
        return check();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object warm() throws Exception {
        return check();
    }

    private Object check() throws Exception {
        var result = Frontend.check(Path.of(dir, sample));
        if (result.diagnostics().hasErrors()) throw new IllegalStateException(sample + " does not check");
        return result;
    }
}
