package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.interp.Interpreter;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * nnc's symbolic gradients against an independent oracle: tests/src/test/python/torch_reference.py writes
 * samples/seed.nn and samples/mlp.nn directly in PyTorch (plain sigmoid/softmax followed by log, no fused
 * losses) and differentiates them with autograd. Both run in double precision on the same weights, inputs and
 * targets; the mean loss over the batch and every element of every gradient must agree to 1e-9 relative.
 */
class TorchComparisonTest {
    /** The Python with torch; {@code -Dnnc.python=…} picks another. */
    private static final String PYTHON = System.getProperty("nnc.python", "/usr/bin/python3");
    private static final double RELATIVE = 1e-9;
    /*
     * The absolute floor. Relative agreement means nothing for values that are 0 up to rounding: a gradient
     * element that is mathematically 0, or a cancellation of terms far larger than the result, can come out as
     * exactly 0 in one implementation and as ±1e-18 in the other, because torch (BLAS) and the interpreter sum in
     * different orders. The floor excuses only such noise: the smallest non-zero gradient elements of these
     * networks are about 1e-7 (a third of the MLP's are exactly 0, behind dead ReLUs), eight orders above it.
     */
    private static final double ABSOLUTE = 1e-15;

    private static Boolean torchAvailable;

    /** Whether the Python can import torch, asked once per run. */
    private static synchronized boolean torchAvailable() throws InterruptedException {
        if (torchAvailable == null) {
            boolean ok;
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                ok = false;
            }
            torchAvailable = ok;
        }
        return torchAvailable;
    }

    @BeforeEach
    void torchIsInstalled() throws Exception {
        Assumptions.assumeTrue(torchAvailable(), "skipped: python3-torch is not installed (scripts/install-deps.sh "
                + "installs it); " + PYTHON + " -c 'import torch' failed");
    }

    @Test
    void seedNetworkMatchesTorch() throws Exception {
        Graph graph = Nets.compile(Repo.root().resolve("samples/seed.nn"));
        var interp = new Interpreter(graph);
        var random = new SplittableRandom(20240611);
        perturb(interp, graph, 42, random, 0.3);
        int n = 5;
        double[] x = new double[n * 3];
        double[] y = new double[n];
        for (int k = 0; k < x.length; k++) x[k] = gaussian(random);
        for (int s = 0; s < n; s++) y[s] = random.nextBoolean() ? 1 : 0;
        y[0] = 0; // both classes, whatever the draw
        y[1] = 1;
        compare("seed", graph, interp, new Batch(n, Map.of("x", x, "y", y)), 28);
    }

    @Test
    void mlpMatchesTorch() throws Exception { sampleMatchesTorch("mlp", 777, 3, 235_146); }

    /**
     * A sample on 3 Fashion-MNIST-shaped samples: its he/xavier weights (drawn with {@code init}) with a little noise,
     * so that the biases are not 0 and the logits not tiny, against PyTorch; {@code elements}: its parameters'.
     */
    private static void sampleMatchesTorch(String name, long seed, long init, int elements) throws Exception {
        Graph graph = Nets.compile(Repo.root().resolve("samples/" + name + ".nn"));
        var interp = new Interpreter(graph);
        var random = new SplittableRandom(seed);
        perturb(interp, graph, init, random, 0.02);
        compare(name, graph, interp, images(3, random), elements);
    }

    /** n Fashion-MNIST-shaped samples: 784 pixels in [0, 1) and a one-hot label of 10 classes. */
    private static Batch images(int n, SplittableRandom random) {
        double[] x = new double[n * 784];
        double[] y = new double[n * 10];
        for (int k = 0; k < x.length; k++) x[k] = random.nextDouble();
        for (int s = 0; s < n; s++) y[s * 10 + random.nextInt(10)] = 1;
        return new Batch(n, Map.of("x", x, "y", y));
    }

    /**
     * The convolutional network: PyTorch's conv2d (padding 2, then none) and max_pool2d against nnc's equations with
     * index arithmetic, pad and max_{p=1}^{2}, and the adjoints nnc derives for them (the transposed convolutions,
     * the pool's first maximum). Pixels in [0, 1) make ties in a pooling window as unlikely as in real images.
     */
    @Test
    void lenetMatchesTorch() throws Exception { sampleMatchesTorch("lenet", 5, 11, 61_706); }

    /** Draws the network's initial weights, then adds N(0, noise²) to every element (biases included). */
    private static void perturb(Interpreter interp, Graph graph, long seed, SplittableRandom random, double noise) {
        interp.initialize(seed);
        for (Tensor p : graph.params()) {
            double[] v = interp.values(p);
            for (int k = 0; k < v.length; k++) v[k] += noise * gaussian(random);
        }
    }

    private static void compare(String network, Graph graph, Interpreter interp, Batch batch, int parameters)
            throws Exception {
        Map<Tensor, double[]> grads = new HashMap<>();
        double loss = interp.lossAndGradients(batch, grads);
        assertTrue(Double.isFinite(loss), "nnc's loss is " + loss);

        // the request, as the script's docstring describes it
        var json = new StringBuilder(1 << 20);
        json.append("{\"network\":\"").append(network).append("\",\"params\":{");
        boolean first = true;
        for (Tensor p : graph.params()) {
            if (!first) json.append(',');
            first = false;
            json.append('"').append(p.name).append("\":");
            array(json, interp.values(p), 0, p.size());
        }
        json.append("},\"inputs\":{\"x\":");
        rows(json, batch.column("x"), batch.size());
        json.append("},\"targets\":{\"y\":");
        rows(json, batch.column("y"), batch.size());
        json.append("}}");

        @SuppressWarnings("unchecked")
        var response = (Map<String, Object>) Json.parse(torch(json.toString()));
        double torchLoss = ((Number) response.get("loss")).doubleValue();
        @SuppressWarnings("unchecked")
        var torchGrads = (Map<String, Object>) response.get("grads");

        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        double worst = 0, used = 0;
        String worstAt = "-", usedAt = "-";
        if (!close(loss, torchLoss)) mismatches.add(String.format(Locale.ROOT, "loss: nnc %.17g, torch %.17g", loss, torchLoss));
        assertEquals(graph.params().size(), torchGrads.size(), "torch returned gradients for " + torchGrads.keySet());
        for (Tensor p : graph.params()) {
            Object t = torchGrads.get(p.name);
            assertNotNull(t, "torch returned no gradient for " + p.name);
            @SuppressWarnings("unchecked")
            var expected = (List<Object>) t;
            double[] actual = grads.get(p);
            assertEquals(p.size(), expected.size(), "elements of the gradient of " + p.name);
            assertEquals(p.size(), actual.length, "elements of nnc's gradient of " + p.name);
            for (int k = 0; k < actual.length; k++) {
                double e = ((Number) expected.get(k)).doubleValue();
                double a = actual[k];
                compared++;
                double scale = Math.max(Math.abs(a), Math.abs(e));
                double rel = scale == 0 ? 0 : Math.abs(a - e) / scale;
                double fraction = Math.abs(a - e) / (RELATIVE * scale + ABSOLUTE); // of the tolerance
                if (rel > worst) {
                    worst = rel;
                    worstAt = p.name + "[" + k + "]";
                }
                if (fraction > used) {
                    used = fraction;
                    usedAt = p.name + "[" + k + "]";
                }
                if (!close(a, e) && mismatches.size() < 20) {
                    mismatches.add(String.format(Locale.ROOT, "∂J/∂%s element %d: nnc %.17g, torch %.17g", p.name, k, a, e));
                }
            }
        }
        System.out.printf(Locale.ROOT, "TorchComparisonTest %s: loss %.12g (torch %.12g), %d gradient elements compared, "
                + "largest relative difference %.2e (at %s), largest fraction of the tolerance used %.2e (at %s)%n",
                network, loss, torchLoss, compared, worst, worstAt, used, usedAt);
        assertEquals(parameters, compared, "gradient elements compared");
        if (!mismatches.isEmpty()) {
            fail(network + ": nnc and torch disagree beyond " + RELATIVE + " relative (+" + ABSOLUTE + " absolute):\n  "
                    + String.join("\n  ", mismatches));
        }
    }

    static boolean close(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b) && Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)) + ABSOLUTE;
    }

    private static void array(StringBuilder json, double[] v, int from, int to) {
        json.append('[');
        for (int k = from; k < to; k++) {
            if (k > from) json.append(',');
            json.append(v[k]); // Double.toString is exact: it reads back as the same double
        }
        json.append(']');
    }

    private static void rows(StringBuilder json, double[] column, int samples) {
        int width = column.length / samples;
        json.append('[');
        for (int s = 0; s < samples; s++) {
            if (s > 0) json.append(',');
            array(json, column, s * width, (s + 1) * width);
        }
        json.append(']');
    }

    private static String torch(String request) throws Exception {
        Path script = Repo.root().resolve("tests/src/test/python/torch_reference.py");
        Process p = new ProcessBuilder(PYTHON, script.toString()).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("torch_reference.py did not finish in 300 s");
        }
        String stdout = new String(out.get(), StandardCharsets.UTF_8);
        String stderr = new String(err.get(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) fail("torch_reference.py exited with " + p.exitValue() + ":\n" + stderr);
        return stdout;
    }

    private static byte[] readAll(InputStream in) {
        try {
            var buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Just enough JSON for the script's response: objects, arrays, numbers, strings, true/false/null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) { this.s = s; }

        static Object parse(String text) {
            var j = new Json(text);
            Object v = j.value();
            j.space();
            if (j.i != text.length()) throw new IllegalArgumentException("trailing text at " + j.i + ": " + snippet(text, j.i));
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) throw error("a value");
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    space();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        m.put(key, value());
                        space();
                        if (peek() == ',') i++;
                        else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    space();
                    if (peek() == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        space();
                        if (peek() == ',') i++;
                        else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> { return string(); }
                default -> {
                    for (String word : new String[] {"true", "false", "null", "NaN", "Infinity", "-Infinity"}) {
                        if (s.startsWith(word, i)) {
                            i += word.length();
                            return switch (word) {
                                case "true" -> Boolean.TRUE;
                                case "false" -> Boolean.FALSE;
                                case "null" -> null;
                                default -> Double.parseDouble(word); // Python's json writes these for non-finite floats
                            };
                        }
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    if (start == i) throw error("a value");
                    return Double.parseDouble(s.substring(start, i));
                }
            }
        }

        private String string() {
            expect('"');
            var b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw error("the end of a string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

        private void expect(char c) {
            if (peek() != c) throw error("'" + c + "'");
            i++;
        }

        private void space() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private IllegalArgumentException error(String wanted) {
            return new IllegalArgumentException("JSON: expected " + wanted + " at " + i + ": " + snippet(s, i));
        }

        private static String snippet(String s, int at) { return s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 20)); }
    }
}
