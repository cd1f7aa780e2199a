package dev.nnc.runtime.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which command lines a model jar runs again with the Vector API, and what of that JVM's standard error is kept. */
class VectorRelaunchTest {
    static final String[] ARGS = {"predict", "--weights", "w.safetensors", "--input", "x.csv"};

    static List<String> command(String... jvm) {
        String[] arguments = new String[jvm.length + ARGS.length];
        System.arraycopy(jvm, 0, arguments, 0, jvm.length);
        System.arraycopy(ARGS, 0, arguments, jvm.length, ARGS.length);
        return VectorRelaunch.command("/jdk/bin/java", arguments, ARGS, "model.jar"::equals);
    }

    @Test
    void theModuleGoesFirstAndEverythingElseStays() {
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", VectorRelaunch.ALIGNMENT, "-jar", "model.jar", "predict", "--weights",
                "w.safetensors", "--input", "x.csv"), command("-jar", "model.jar"));
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", VectorRelaunch.ALIGNMENT, "-Xmx2g", "-Dx=y", "-jar", "model.jar", "predict",
                "--weights", "w.safetensors", "--input", "x.csv"), command("-Xmx2g", "-Dx=y", "-jar", "model.jar"));
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", VectorRelaunch.ALIGNMENT, "-cp", "other.jar", ModelJar.MAIN_CLASS, "predict",
                "--weights", "w.safetensors", "--input", "x.csv"), command("-cp", "other.jar", ModelJar.MAIN_CLASS));
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=16", "-jar", "model.jar",
                "predict", "--weights", "w.safetensors", "--input", "x.csv"), command("-XX:ObjectAlignmentInBytes=16", "-jar", "model.jar"),
                "an alignment the user chose stays");
    }

    @Test
    void aCommandLineItCannotReadIsLeftAlone() {
        assertNull(command("-jar", "another.jar"), "a jar that is not this one");
        assertNull(command("-cp", "model.jar", "some.other.Main"), "another main class");
        assertNull(command("-jar", "model.jar", "extra"), "arguments that are not main's");
        for (String agent : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-agentpath:/opt/yourkit/libyjpagent.so",
                "-javaagent:jacoco.jar", "-Xrunjdwp:transport=dt_socket", "-Xdebug")) {
            assertNull(command(agent, "-jar", "model.jar"), "a JVM with an agent: " + agent);
        }
        assertNull(VectorRelaunch.command("/jdk/bin/java", new String[] {"predict"}, ARGS, "model.jar"::equals), "fewer arguments than main's");
        assertNull(VectorRelaunch.command(null, new String[] {"-jar", "model.jar"}, new String[0], "model.jar"::equals), "no java");
        assertNull(VectorRelaunch.command("/jdk/bin/java", null, new String[0], "model.jar"::equals), "no arguments");
    }

    static String errors(String text) {
        var out = new ByteArrayOutputStream();
        VectorRelaunch.copyErrors(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void whatTheStartedJvmSaysBeforeMainIsDropped() {
        assertEquals("", errors("WARNING: Using incubator modules: jdk.incubator.vector\n"));
        assertEquals("600 predictions written to p.csv\n", errors("WARNING: Using incubator modules: jdk.incubator.vector\n600 predictions written to p.csv\n"));
        assertEquals("m.jar: x.csv:3:5: not a number\n", errors("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\r\nPicked up JDK_JAVA_OPTIONS: -Dx=y\n"
                + "WARNING: Using incubator modules: jdk.incubator.vector\nm.jar: x.csv:3:5: not a number\n"));
        assertEquals("no line end", errors("no line end"));
        assertEquals("", errors(""));
    }

    @Test
    void whatTheCommandSaysIsKeptWhole() {
        String said = "first\nWARNING: Using incubator modules: jdk.incubator.vector\nPicked up JAVA_TOOL_OPTIONS: x\n" + "é".repeat(10_000) + "\nlast";
        assertEquals(said, errors(said));
    }
}
