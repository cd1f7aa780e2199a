package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.Safetensors;
import dev.nnc.runtime.train.RateSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train}, {@code predict} and {@code eval} end to end on the samples, and what they say when something is wrong. */
class TrainCommandTest {
    static double lastValidationAccuracy(String out) {
        var m = Pattern.compile("validation loss [0-9.]+  accuracy +([0-9.]+) %").matcher(out);
        double last = Double.NaN;
        while (m.find()) last = Double.parseDouble(m.group(1)) / 100;
        return last;
    }

    @Test
    void spiralsTrainsThenPredictsAndEvaluates(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("spirals.safetensors"), png = dir.resolve("curves.png"), predictions = dir.resolve("p.csv");
        var train = CliTest.nnc("train", CliTest.sample("spirals.nn"), "-o", w.toString(), "--plot", png.toString());
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("training Spirals (1,251 parameters) on 480 samples (validating on 120), adam(α = 0.01, β1 = 0.9, β2 = 0.999, ε = 1e-8) with a cosine schedule"), train.out());
        assertEquals(60, train.out().lines().filter(l -> l.startsWith("epoch ")).count(), train.out());
        assertTrue(lastValidationAccuracy(train.out()) >= 0.95, train.out());
        assertTrue(train.out().contains("weights written to " + w), train.out());
        var image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(600, image.getHeight());

        var predict = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--weights", w.toString(), "--input",
                CliTest.sample("data/spirals.csv"), "-o", predictions.toString());
        assertEquals(0, predict.status(), predict.err());
        List<String> rows = Files.readAllLines(predictions);
        assertEquals("p[1],p[2],p[3],class", rows.get(0));
        assertEquals(601, rows.size());
        List<String> data = Files.readAllLines(Path.of(CliTest.sample("data/spirals.csv")));
        int right = 0;
        for (int r = 1; r < rows.size(); r++) {
            String[] p = rows.get(r).split(",");
            double a = Double.parseDouble(p[0]), b = Double.parseDouble(p[1]), c = Double.parseDouble(p[2]);
            assertEquals(1, a + b + c, 1e-6, "a softmax sums to 1 (in float32, the JVM backend's default)");
            int argmax = a >= b && a >= c ? 0 : b >= c ? 1 : 2;
            assertEquals(argmax, Integer.parseInt(p[3]), rows.get(r));
            if (p[3].equals(data.get(r).split(",")[2])) right++;
        }

        var eval = CliTest.nnc("eval", CliTest.sample("spirals.nn"), "--weights", w.toString(), "--data", CliTest.sample("data/spirals.csv"));
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains(String.format(Locale.ROOT, "accuracy %.2f %%", 100.0 * right / 600)), eval.out() + right);
        assertTrue(eval.out().contains("confusion matrix (rows: true class, columns: predicted class)"), eval.out());
        long counted = eval.out().lines().filter(l -> l.matches("\\s+[0-2](\\s+\\d+){3}\\s+[0-9.]+ %")).count();
        assertEquals(3, counted, eval.out());
    }

    @Test
    void sameSeedSameWeightsAndInitStartsFromWeights(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors"), c = dir.resolve("c.safetensors");
        assertEquals(0, CliTest.nnc("train", CliTest.sample("xor.nn"), "--epochs", "3", "--quiet", "-o", a.toString()).status());
        assertEquals(0, CliTest.nnc("train", CliTest.sample("xor.nn"), "--epochs", "3", "--quiet", "-o", b.toString()).status());
        CheckpointCrashTest.assertSameTensors(Checkpoint.read(a), Checkpoint.read(b));
        var init = CliTest.nnc("train", CliTest.sample("xor.nn"), "--epochs", "1", "--quiet", "--lr", "1e-300", "--init", a.toString(), "-o", c.toString());
        assertEquals(0, init.status(), init.err());
        assertArrayEquals(Checkpoint.read(a).contents().tensors().get("h.w").values(), Checkpoint.read(c).contents().tensors().get("h.w").values(),
                "with α = 1e-300 (a learning rate must be positive; in float32 this one changes nothing) the weights stay the ones --init gave");
    }

    @Test
    void weightsOfAnotherNetworkAreRefused(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("xor.safetensors");
        assertEquals(0, CliTest.nnc("train", CliTest.sample("xor.nn"), "--epochs", "1", "--quiet", "-o", w.toString()).status());
        var run = CliTest.nnc("predict", CliTest.sample("seed_layers.nn"), "--weights", w.toString(), "--input", CliTest.sample("data/seed.csv"));
        assertEquals(1, run.status());
        assertEquals("nnc: " + w + ": no h1.w[4,3], h1.b[4], h2.w[2,4], h2.b[2] there; the network SeedLayers needs [h1.w[4,3], h1.b[4], "
                + "h2.w[2,4], h2.b[2], out.w[2], out.b]; these weights are for a different network\n", run.err().replace("\r", ""));
        Path edited = dir.resolve("edited.safetensors"); // the right names, one shape wrong
        var xor = Checkpoint.read(w).contents();
        var entries = new ArrayList<Safetensors.Entry>();
        for (var e : xor.tensors().values()) {
            entries.add(e.name().equals("out.w") ? new Safetensors.Entry("out.w", e.dtype(), List.of(3), new double[3]) : e);
        }
        Files.write(edited, Safetensors.encode(entries, xor.metadata()));
        var shape = CliTest.nnc("predict", CliTest.sample("xor.nn"), "--weights", edited.toString(), "--input", CliTest.sample("data/xor.csv"));
        assertEquals(1, shape.status());
        assertEquals("nnc: " + edited + ": out.w has shape [3] there, but the network Xor has out.w[4]; these weights are for a different network\n",
                shape.err().replace("\r", ""));
        var missing = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--quiet", "--init", w.toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("nnc: " + w + ": no W1[32,2], b1[32], W2[32,32]"), missing.err());
        var notCheckpoint = CliTest.nnc("train", CliTest.sample("xor.nn"), "--quiet", "--resume", CliTest.sample("data/xor.csv"));
        assertEquals(1, notCheckpoint.status());
        assertTrue(notCheckpoint.err().startsWith("nnc: " + CliTest.sample("data/xor.csv") + ": not a safetensors file"), notCheckpoint.err());
    }

    /**
     * A line fitted with a learning rate of 1e150, in {@code dir}: w grows by 1e150 times its gradient each step
     * until (w x)² overflows, in the first batch of epoch 2. Returns the .nn file (its data beside it).
     */
    static Path blowUp(Path dir) throws IOException {
        Path nn = dir.resolve("blowup.nn");
        Files.writeString(nn, """
                network Line {
                  input  x
                  target y
                  param  w = 1, b = 0
                  u = w x + b
                  output u
                  loss J = (u - y)²
                }
                train Line {
                  data "data.csv"
                  optimizer gd(α = 1e150)
                  batch 2
                  epochs 3
                }
                """);
        Files.writeString(dir.resolve("data.csv"), "x,y\n1,2\n3,1\n2,5\n4,4\n");
        return nn;
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingWhereItArose(@TempDir Path dir) throws Exception {
        Path nn = blowUp(dir), w = dir.resolve("w.safetensors");
        // in double precision (1e150 is infinite in float32)
        var run = CliTest.nnc("train", nn.toString(), "--quiet", "--precision", "f64", "-o", w.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        // w grows by 1e150 times its gradient each step until (w x)² overflows, in the first batch of epoch 2
        assertEquals("nnc: training stopped in epoch 2, mini-batch 1: J in sample 1 of the batch is not finite (the loss is Infinity); "
                + w + " keeps the weights of epoch 1; try a smaller learning rate (--lr) or normalised inputs\n", run.err().replace("\r", ""));
        var kept = Checkpoint.read(w);
        assertEquals("1", kept.meta(Checkpoint.EPOCH));
        assertTrue(Double.isFinite(kept.contents().tensors().get("w").values()[0]));
    }

    @Test
    void badDataIsOneLineWithItsPlaceAndNothingIsTrained(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv"), w = dir.resolve("w.safetensors");
        Files.writeString(csv, "x1,x2,y\n0.1,0.2,1\n0.3,zero,0\n");
        var run = CliTest.nnc("train", CliTest.sample("xor.nn"), "--data", csv.toString(), "-o", w.toString());
        assertEquals(1, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("nnc: " + csv + ":3:2: "), run.err());
        assertFalse(Files.exists(w));
        assertEquals("", run.out());
    }

    @Test
    void dataFromAMissingDebianPackageSaysWhichPackageInOneLine(@TempDir Path dir) {
        String images = "/usr/share/datasets/no-such-set/train-images-idx3-ubyte.gz", labels = "/usr/share/datasets/no-such-set/labels.gz";
        var run = CliTest.nnc("train", CliTest.sample("mlp.nn"), "--data", images + "," + labels, "-o", dir.resolve("w.safetensors").toString());
        assertEquals(1, run.status());
        assertEquals("nnc: " + images + ": no such file; the Debian package dataset-no-such-set provides it (scripts/install-deps.sh installs it)\n",
                run.err().replace("\r", ""));
    }

    @Test
    void usageMistakes() {
        var noData = CliTest.nnc("train", CliTest.sample("xor.nn"), "--optimizer", "adamm");
        assertEquals(2, noData.status());
        assertTrue(noData.err().contains("there is no optimizer adamm"), noData.err());
        var schedule = CliTest.nnc("train", CliTest.sample("xor.nn"), "--schedule", "linear");
        assertEquals(2, schedule.status());
        assertEquals("nnc: --schedule: there is no schedule linear; " + RateSchedule.USAGE + "\ntry 'nnc train --help'\n", schedule.err());
        var lr = CliTest.nnc("train", CliTest.sample("xor.nn"), "--optimizer", "momentum(β = 0.5)", "--lr", "0.05", "--epochs", "1", "--quiet", "-o",
                Path.of(System.getProperty("java.io.tmpdir"), "nnc-usage-test.safetensors").toString());
        assertEquals(0, lr.status(), lr.err());
        assertTrue(lr.out().contains("momentum(α = 0.05, β = 0.5)"), lr.out());
    }
}
