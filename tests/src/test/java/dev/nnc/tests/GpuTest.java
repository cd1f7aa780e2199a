package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.cuda.Driver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CudaChecks} on this machine's NVIDIA GPU, the kernels compiled by nvcc (or NVRTC) for it; and what only a
 * GPU can show: the Fashion-MNIST MLP trained to its test accuracy, and a model jar of {@code nnc build --target
 * cuda} predicting as {@code nnc predict} does. Tagged {@code gpu}: {@code mvn verify} runs these in a JVM of their
 * own, with the machine's driver, and each says it is skipped where there is no GPU; bench/gpu/run.sh runs them on
 * a GPU machine without Maven.
 */
@Tag("gpu")
class GpuTest extends CudaChecks {
    @Override String unavailable() {
        var why = Driver.unavailable();
        if (why.isPresent()) return why.get();
        if (Driver.device().name().equals(HostCuda.NAME)) return "the driver this JVM loaded is the tests' host emulation, not a GPU's";
        if (Toolchain.nvcc().isEmpty()) return "nvcc is not installed (the GPU tests compile with it)";
        return null;
    }

    @Override byte[] image(String source) { return Toolchain.forDevice(source, Driver.device().arch()); }

    /** Fashion-MNIST: where the data set is installed, or where NNC_FASHION_MNIST says. */
    static Path fashionMnist() {
        String dir = System.getenv("NNC_FASHION_MNIST");
        return Path.of(dir != null ? dir : "/usr/share/datasets/fashion-mnist");
    }

    @Test
    void theFashionMnistMlpTrainsTo88PercentTestAccuracy(@TempDir Path dir) {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        Path data = fashionMnist();
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz")), () -> "skipped: no Fashion-MNIST in " + data);
        var run = CliTest.nnc("train", CliTest.sample("mlp.nn"), "--backend", "cuda", "--quiet", "-o", dir.resolve("mlp.safetensors").toString(),
                "--data", data.resolve("train-images-idx3-ubyte.gz") + "," + data.resolve("train-labels-idx1-ubyte.gz"),
                "--test", data.resolve("t10k-images-idx3-ubyte.gz") + "," + data.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(0, run.status(), run.err());
        var m = Pattern.compile("test: loss [0-9.]+, accuracy ([0-9.]+) % on 10,000 samples").matcher(run.out());
        assertTrue(m.find(), run.out());
        double accuracy = Double.parseDouble(m.group(1));
        System.err.println("GpuTest: Fashion-MNIST test accuracy on " + Driver.device().describe() + ": " + accuracy + " %");
        assertTrue(accuracy >= 88, run.out());
    }

    @Test
    void aCudaModelJarPredictsAsNncPredicts(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        Path jar = dir.resolve("spirals-cuda.jar"), weights = dir.resolve("spirals.safetensors");
        assertEquals(0, CliTest.nnc("train", CliTest.sample("spirals.nn"), "--backend", "cuda", "--quiet", "--epochs", "5",
                "-o", weights.toString()).status());
        assertEquals(0, CliTest.nnc("build", CliTest.sample("spirals.nn"), "--target", "cuda", "-o", jar.toString()).status());
        var nnc = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--backend", "cuda", "--weights", weights.toString(),
                "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(0, nnc.status(), nnc.err());
        var run = CudaCommandTest.java(dir, System.getenv("LD_LIBRARY_PATH"),
                List.of("--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "predict", "--weights", weights.toString(),
                        "--input", CliTest.sample("data/spirals.csv")));
        assertEquals(0, run.status(), run.err());
        // the jar's fatbin and the cubin nnc compiled here are the same source: the same predictions
        assertEquals(nnc.out(), run.out());
        // and on the machine's Java 17, as plainly as a user runs it
        var on17 = CudaCommandTest.java(Java17.java(), dir, System.getenv("LD_LIBRARY_PATH"),
                List.of("-jar", jar.toString(), "predict", "--weights", weights.toString(), "--input", CliTest.sample("data/spirals.csv")));
        assertEquals(0, on17.status(), on17.err());
        assertEquals("", on17.err());
        assertEquals(nnc.out(), on17.out());
    }
}
