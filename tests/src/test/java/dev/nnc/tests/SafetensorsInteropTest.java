package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.DType;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.Safetensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights nnc writes are read by an independent reader (tests/src/test/python/read_safetensors.py, written
 * from the format's specification with Python's standard library) with exactly the values nnc holds.
 */
class SafetensorsInteropTest {
    static final Path READER = Repo.root().resolve("tests/src/test/python/read_safetensors.py");

    /** name → values as Python's float.hex wrote them, and the metadata, from the reader's JSON. */
    static Map<String, List<String>> readWithPython(Path file, Map<String, String> metadataOut) throws Exception {
        var p = new ProcessBuilder("python3", READER.toString(), file.toString()).redirectErrorStream(true).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), json);
        var tensors = new LinkedHashMap<String, List<String>>();
        Matcher m = Pattern.compile("\"([^\"]+)\": \\{\"dtype\": \"(\\w+)\", \"shape\": \\[[^]]*\\], \"values\": \\[([^]]*)\\]\\}").matcher(json);
        while (m.find()) {
            tensors.put(m.group(1), m.group(3).isBlank() ? List.of() : List.of(m.group(3).replace("\"", "").split(", ")));
        }
        Matcher meta = Pattern.compile("\"metadata\": \\{([^}]*)\\}").matcher(json);
        if (meta.find()) {
            Matcher kv = Pattern.compile("\"([^\"]+)\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(meta.group(1));
            while (kv.find()) metadataOut.put(kv.group(1), kv.group(2));
        }
        return tensors;
    }

    @Test
    void trainedWeightsReadIdenticallyByAnIndependentReader(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("spirals.safetensors");
        var run = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--epochs", "2", "--quiet", "-o", w.toString());
        assertEquals(0, run.status(), run.err());
        var ours = Checkpoint.read(w).contents().tensors();
        var meta = new HashMap<String, String>();
        var theirs = readWithPython(w, meta);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3", "optimizer.m.W1", "optimizer.m.b1", "optimizer.m.W2", "optimizer.m.b2",
                "optimizer.m.W3", "optimizer.m.b3", "optimizer.v.W1", "optimizer.v.b1", "optimizer.v.W2", "optimizer.v.b2", "optimizer.v.W3",
                "optimizer.v.b3"), List.copyOf(theirs.keySet()));
        for (var e : ours.entrySet()) {
            double[] v = e.getValue().values();
            List<String> hex = theirs.get(e.getKey());
            assertEquals(v.length, hex.size(), e.getKey());
            for (int k = 0; k < v.length; k++) assertEquals(Double.toHexString(v[k]), pythonHex(hex.get(k)), e.getKey() + "[" + k + "]");
        }
        assertEquals("Spirals", meta.get("nnc.network"));
        assertEquals("2", meta.get("nnc.epoch"));
    }

    @Test
    void float32TensorsToo(@TempDir Path dir) throws Exception {
        double[] values = {0.1, -1e-8, 3.4e38, 1.5, -0.0};
        Path f = dir.resolve("f32.safetensors");
        Files.write(f, Safetensors.encode(List.of(new Safetensors.Entry("h1.w", DType.F32, List.of(5), values)), Map.of()));
        var theirs = readWithPython(f, new HashMap<>());
        for (int k = 0; k < values.length; k++) {
            assertEquals(Double.toHexString((float) values[k]), pythonHex(theirs.get("h1.w").get(k)));
        }
    }

    /** Python writes 0x1.8000000000000p+0 where Java writes 0x1.8p0: compare the numbers, not the spelling. */
    static String pythonHex(String h) {
        return Double.toHexString(Double.parseDouble(h.replaceAll("p\\+", "p")));
    }
}
