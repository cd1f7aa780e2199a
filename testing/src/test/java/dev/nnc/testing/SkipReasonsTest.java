package dev.nnc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** What the console says of each way a test is skipped, and nothing of the tests that ran. */
class SkipReasonsTest {
    /** Tests that skip themselves, run here through a launcher of their own (the build's runner does not see them). */
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class Samples {
        @Disabled("waits for a fix") @Test void disabled() {}

        @Test void lacksATool() { Assumptions.assumeTrue(false, "skipped: nvcc is not installed"); }

        @ParameterizedTest @ValueSource(ints = {1, 2, 3}) void lacksItToo(int k) { Assumptions.assumeTrue(false, "nvcc is not installed"); }

        @ParameterizedTest @ValueSource(ints = {1, 2}) void once(int k) { Assumptions.assumeTrue(k == 1, "only the first"); }

        @Test void runs() {}

        @Test void saysNothing() { Assumptions.assumeTrue(false); }
    }

    static class WholeClass {
        @BeforeAll static void needsAGpu() { Assumptions.assumeTrue(false, () -> "there is no GPU"); }

        @Test void a() {}
    }

    @Disabled("not on this machine")
    static class DisabledClass {
        @Test void a() {}
    }

    static List<String> said(Class<?> tests) {
        var bytes = new ByteArrayOutputStream();
        var launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests)).build(),
                new SkipReasons(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void eachReasonIsOneLineNamingItsTests() {
        assertEquals(List.of(
                "Skipped SkipReasonsTest$Samples.disabled: waits for a fix",
                "Skipped SkipReasonsTest$Samples.lacksATool, lacksItToo (3): nvcc is not installed",
                "Skipped SkipReasonsTest$Samples.once: only the first",
                "Skipped SkipReasonsTest$Samples.saysNothing: assumption is not true"), said(Samples.class));
    }

    @Test
    void aClassThatSkipsItselfIsNamedOnce() {
        assertEquals(List.of("Skipped SkipReasonsTest$WholeClass: there is no GPU"), said(WholeClass.class));
        assertEquals(List.of("Skipped SkipReasonsTest$DisabledClass: not on this machine"), said(DisabledClass.class));
    }

    @Test
    void testsThatRunSayNothing() {
        assertEquals(List.of(), said(Quiet.class));
    }

    static class Quiet {
        @Test void a() {}

        @ParameterizedTest @ValueSource(ints = {1, 2}) void b(int k) {}
    }
}
