package dev.nnc.bench;

import dev.nnc.runtime.compiled.Pool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What one hand-off to the model threads costs: {@code Pool.run} of two near-empty tasks on two threads, called
 * back to back as a training loop calls it (a batch's slices, its gradient mean, its optimizer step).
 * Run: {@code java -jar bench/target/benchmarks.jar HandOffBench -f 1 -wi 3 -i 5 -w 1 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class HandOffBench {
    private final double[] sums = new double[2];

    @Benchmark
    public double twoTasksOnTwoThreads() {
        Pool.run(2, 2, (thread, i) -> sums[i] += i + 1);
        return sums[1];
    }
}
