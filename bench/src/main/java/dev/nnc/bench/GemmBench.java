package dev.nnc.bench;

import dev.nnc.runtime.kernel.ScalarGemm;
import dev.nnc.runtime.kernel.VectorGemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-threaded matrix products in the shapes a Fashion-MNIST MLP (784-256-128-10) trains with, per
 * thread batch slice s: {@code fwd1} Z[s,256] = X[s,784]·W1ᵀ, {@code wgrad1} G[256,784] += Dᵀ·X,
 * {@code dx2} DX[s,256] = D2[s,128]·W2, and the smaller layers' forward products; and one LeNet sample's
 * convolution products after IM2COL ({@code s} does not apply): {@code conv1} z_a1[6,784] = K1·col_pad_x,
 * {@code conv1k} ∂J/∂K1[6,25] += δa1·colᵀ, {@code conv2} z_a2[16,100] = K2·col_m1, {@code conv2k} ∂J/∂K2[16,150] +=
 * δa2·colᵀ, {@code conv2dx} δcol_m1[150,100] = K2ᵀ·δa2. The score is products per second; the {@code gflop} line
 * beside it counts 2·m·n·k per product, so its ops/s are GFLOP/s.
 * Run: {@code java -jar bench/target/benchmarks.jar GemmBench -f 1 -wi 3 -i 5 -w 1 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
public class GemmBench {
    @Param({"fwd1", "wgrad1", "dx2", "fwd2", "fwd3"})
    public String shape;

    @Param({"32", "128"})
    public int s;

    @Param({"vector", "scalar"})
    public String path;

    private int m, n, k, aRow, aCol, bRow, bCol;
    private boolean accumulate, vector;
    private float[] a, b, c;

    /** Counts floating-point operations so JMH can print a rate beside the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup
    public void setup() {
        vector = path.equals("vector");
        switch (shape) {
            case "fwd1" -> dims(s, 256, 784, 784, 1, 1, 784, false);
            case "wgrad1" -> dims(256, 784, s, 1, 256, 784, 1, true);
            case "dx2" -> dims(s, 256, 128, 128, 1, 256, 1, false);
            case "fwd2" -> dims(s, 128, 256, 256, 1, 1, 256, false);
            case "fwd3" -> dims(s, 10, 128, 128, 1, 1, 128, false);
            case "conv1" -> dims(6, 784, 25, 25, 1, 784, 1, false);
            case "conv1k" -> dims(6, 25, 784, 784, 1, 1, 784, true);
            case "conv2" -> dims(16, 100, 150, 150, 1, 100, 1, false);
            case "conv2k" -> dims(16, 150, 100, 100, 1, 1, 100, true);
            case "conv2dx" -> dims(150, 100, 16, 1, 150, 100, 1, false);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        Random rnd = new Random(1);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = random(rnd, m * n);
    }

    private void dims(int m, int n, int k, int aRow, int aCol, int bRow, int bCol, boolean accumulate) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.aRow = aRow;
        this.aCol = aCol;
        this.bRow = bRow;
        this.bCol = bCol;
        this.accumulate = accumulate;
    }

    @Benchmark
    public float[] product(Flops flops) {
        if (vector) VectorGemm.f32(m, n, k, a, 0, aRow, aCol, b, 0, bRow, bCol, c, 0, n, accumulate);
        else ScalarGemm.f32(m, n, k, a, 0, aRow, aCol, b, 0, bRow, bCol, c, 0, n, accumulate);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
