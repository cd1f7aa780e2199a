package dev.nnc.testing;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says on the console which tests were skipped and why. Maven's test runner counts skipped tests
 * ({@code Skipped: 1}) but keeps their reasons in its report files; a test here is skipped only where the machine
 * lacks something (nvcc, a GPU, Node.js, PyTorch, a data set), and whoever reads the build log should learn what.
 *
 * <p>One line per test class and reason, when the class is done, naming its skipped tests (and how many runs of
 * a parameterized one): {@code Skipped GpuTest.sampleWithCublas (10), runIsStepByStep (6): there is no NVIDIA
 * driver (…)}. A listener of the JUnit Platform, found through {@code META-INF/services}: the tests of every
 * module with this one on their class path get it, whatever the kind of test.
 */
public final class SkipReasons implements TestExecutionListener {
    private final PrintStream out;
    private TestPlan plan;

    /** Per test class (its identifier's unique id), per reason, the skipped tests' names and how many ran of each. */
    private final Map<String, Map<String, Map<String, Integer>>> skipped = new LinkedHashMap<>();
    private final Map<String, String> classNames = new LinkedHashMap<>();

    public SkipReasons() { this(System.out); }

    SkipReasons(PrintStream out) { this.out = out; }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) { plan = testPlan; }

    /** A test that did not run at all: {@code @Disabled}, or a condition. */
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        note(test, reason);
        if (isClass(test)) flush(test.getUniqueId());
    }

    /** A test that stopped itself (an assumption that did not hold), or the end of a class. */
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) note(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        if (isClass(test)) flush(test.getUniqueId());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        for (String id : List.copyOf(skipped.keySet())) flush(id);
    }

    private void note(TestIdentifier test, String reason) {
        TestIdentifier owner = enclosingClass(test).orElse(test);
        classNames.put(owner.getUniqueId(), isClass(owner) ? simple(((ClassSource) owner.getSource().get()).getClassName()) : owner.getDisplayName());
        String name = owner == test ? "" : name(test);
        skipped.computeIfAbsent(owner.getUniqueId(), k -> new LinkedHashMap<>())
                .computeIfAbsent(reason(reason), k -> new LinkedHashMap<>()).merge(name, 1, Integer::sum);
    }

    private void flush(String classId) {
        var reasons = skipped.remove(classId);
        if (reasons == null) return;
        for (var r : reasons.entrySet()) out.println(line(classNames.get(classId), r.getValue(), r.getKey()));
        out.flush();
    }

    /** {@code Skipped GpuTest.a, b (3): why}; {@code Skipped GpuTest: why} for the class as a whole. */
    static String line(String className, Map<String, Integer> tests, String why) {
        String names = tests.entrySet().stream().filter(e -> !e.getKey().isEmpty())
                .map(e -> e.getKey() + (e.getValue() > 1 ? " (" + e.getValue() + ")" : "")).collect(Collectors.joining(", "));
        return "Skipped " + className + (names.isEmpty() ? "" : "." + names) + ": " + why;
    }

    /** What the test said, without JUnit's {@code Assumption failed: } and the {@code skipped: } some tests begin with. */
    static String reason(String said) {
        String why = said == null || said.isBlank() ? "no reason given" : said.strip();
        return strip(strip(why, "Assumption failed: "), "skipped: ");
    }

    private static String strip(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length()) ? s.substring(prefix.length()) : s;
    }

    private Optional<TestIdentifier> enclosingClass(TestIdentifier test) {
        if (plan == null) return Optional.empty();
        for (var t = Optional.of(test); t.isPresent(); t = plan.getParent(t.get())) {
            if (isClass(t.get())) return t;
        }
        return Optional.empty();
    }

    private static boolean isClass(TestIdentifier test) {
        return test.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    /** A test method's name; a test that is not a method (a dynamic one) by what it shows. */
    private static String name(TestIdentifier test) {
        if (test.getSource().orElse(null) instanceof MethodSource m) return m.getMethodName();
        return test.getDisplayName();
    }

    private static String simple(String className) { return className.substring(className.lastIndexOf('.') + 1); }
}
