package dev.nnc.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputNameTest {
    @Test
    void namedAfterTheFileNotTheNetwork() {
        assertEquals(Path.of("gbc_xor.safetensors"), OutputName.weights(Path.of("samples/gbc_xor.nn"), "GbcXor", 1));
        assertEquals(Path.of("xor.safetensors"), OutputName.weights(Path.of("xor.nn"), "Xor", 1));
        assertEquals("model.v2", OutputName.stem(Path.of("/a/b/model.v2.nn"), "M", 1));
        assertEquals("noext", OutputName.stem(Path.of("noext"), "M", 1));
    }

    @Test
    void aFileOfSeveralNetworksNamesTheNetworkToo() {
        assertEquals(Path.of("models-encoder.safetensors"), OutputName.weights(Path.of("models.nn"), "Encoder", 2));
    }

    @Test
    void aFileAboutToBeReplacedIsNamedWithWhenItWasWritten(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("xor.safetensors");
        assertNull(OutputName.replacing(w));
        assertNull(OutputName.replacing(dir), "a directory is not weights to replace");
        Files.writeString(w, "earlier");
        String note = OutputName.replacing(w);
        assertTrue(note.matches(Pattern.quote(w.toString()) + " holds the weights of a run at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d; "
                + "this run replaces them after its first epoch \\(-o FILE writes elsewhere\\)"), note);
    }
}
