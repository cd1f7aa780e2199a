package dev.nnc.tests;

import dev.nnc.driver.Compile;
import dev.nnc.ir.IrPrinter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expectations a case of the behaviour suite writes inline ({@link BehaviourTest} says what each means), read
 * from its lines; and the two things a runner of golden files needs besides: a readable difference between the
 * expected and the actual text, and the file with its expected text replaced by the actual one.
 */
final class Behaviour {
    private Behaviour() {}

    /** What an expectation asks of the program. */
    sealed interface Check {}

    /** The IR after a stage of the middle end, as {@code nnc emit ir --after STAGE} prints it. */
    record Ir(String stage, IrPrinter.Style style, Compile.Options options) implements Check {}

    /** What {@code nnc explain} prints. */
    record Explain(IrPrinter.Style style, boolean notes, Compile.Options options) implements Check {}

    /** The targets the network's loss puts in a domain, one a line. */
    record Domains() implements Check {}

    /** The verdict of gradcheck at every seed: passes, or fails clearly. */
    record Gradcheck(boolean passes) implements Check {}

    /** Every element of every parameter gets a non-zero gradient, except those named (as W[1,2]), which get exactly 0. */
    record NonZero(List<String> except) implements Check {}

    /**
     * One {@code // expect} line: where it is, as written, and what it checks. A check that compares text has its
     * expected lines: the {@code // | } lines right after it, without their prefix.
     */
    record Expectation(int line, String written, Check check, List<String> text) {
        boolean comparesText() { return check instanceof Ir || check instanceof Explain || check instanceof Domains; }
    }

    /** A case: its expectations, and the repository file that holds the program if not the case itself. */
    record Case(List<Expectation> expectations, String program) {}

    /** A problem in how a case is written, with its line. */
    static final class Malformed extends RuntimeException {
        Malformed(int line, String message) { super("line " + line + ": " + message); }
    }

    private static final Pattern EXPECT = Pattern.compile("^//\\s*expect\\s+(.*?)\\s*$");
    private static final Pattern TEXT = Pattern.compile("^//\\s*\\|(?: (.*))?$");
    private static final Pattern PROGRAM = Pattern.compile("^//\\s*program:\\s*(\\S+)\\s*$");
    private static final Pattern IR = Pattern.compile("ir after (\\w+)((?:\\s+\\S+)*):");
    private static final Pattern EXPLAIN = Pattern.compile("explain((?:\\s+\\S+)*):");
    private static final Pattern NON_ZERO = Pattern.compile("gradients non-zero(?: except (.+))?");

    static Case parse(List<String> lines) {
        List<Expectation> out = new ArrayList<>();
        String program = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            Matcher p = PROGRAM.matcher(line);
            if (p.matches()) {
                if (program != null) throw new Malformed(number, "a second // program:");
                program = p.group(1);
                continue;
            }
            if (TEXT.matcher(line).matches()) throw new Malformed(number, "an expected line `// |` that follows no `// expect …:`");
            Matcher m = EXPECT.matcher(line);
            if (!m.matches()) continue;
            Check check = check(number, m.group(1));
            var e = new Expectation(number, m.group(1), check, new ArrayList<>());
            while (e.comparesText() && i + 1 < lines.size()) {
                Matcher t = TEXT.matcher(lines.get(i + 1));
                if (!t.matches()) break;
                e.text().add(t.group(1) == null ? "" : t.group(1));
                i++;
            }
            out.add(e);
        }
        if (out.isEmpty()) throw new Malformed(1, "no `// expect` line: a case must expect something");
        return new Case(out, program);
    }

    private static Check check(int line, String written) {
        Matcher m;
        if ((m = IR.matcher(written)).matches()) {
            if (!Compile.STAGES.contains(m.group(1))) {
                throw new Malformed(line, "no stage " + m.group(1) + "; the stages are " + String.join(", ", Compile.STAGES));
            }
            var o = options(line, m.group(2));
            if (o.notes) throw new Malformed(line, "--notes is an option of explain, not of ir");
            return new Ir(m.group(1), o.style, o.compile);
        }
        if ((m = EXPLAIN.matcher(written)).matches()) {
            var o = options(line, m.group(1));
            return new Explain(o.style, o.notes, o.compile);
        }
        if (written.equals("target domains:")) return new Domains();
        if (written.equals("gradcheck passes")) return new Gradcheck(true);
        if (written.equals("gradcheck fails")) return new Gradcheck(false);
        if ((m = NON_ZERO.matcher(written)).matches()) {
            return new NonZero(m.group(1) == null ? List.of() : Arrays.stream(m.group(1).split(",\\s*(?=[^\\]]*(?:\\[|$))"))
                    .map(String::strip).toList());
        }
        throw new Malformed(line, "unknown expectation `" + written + "`; see BehaviourTest for those there are");
    }

    private record Options(IrPrinter.Style style, boolean notes, Compile.Options compile) {}

    /** The options after ir or explain, as the command line spells them. */
    private static Options options(int line, String written) {
        var style = IrPrinter.Style.UNICODE;
        boolean notes = false;
        Set<String> off = new LinkedHashSet<>();
        var words = written.isBlank() ? List.<String>of() : List.of(written.strip().split("\\s+"));
        for (int k = 0; k < words.size(); k++) {
            switch (words.get(k)) {
                case "--notes" -> notes = true;
                case "--latex" -> style = IrPrinter.Style.LATEX;
                case "--ascii" -> style = IrPrinter.Style.ASCII;
                case "--no-rewrite" -> {
                    if (++k == words.size()) throw new Malformed(line, "--no-rewrite needs a rule's name");
                    off.addAll(List.of(words.get(k).split(",")));
                }
                default -> throw new Malformed(line, "unknown option " + words.get(k));
            }
        }
        return new Options(style, notes, new Compile.Options(off, false));
    }

    /** The expected text of an expectation as the program's output would be: each line ended by a newline. */
    static String expected(Expectation e) {
        var b = new StringBuilder();
        e.text().forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    /**
     * The difference between an expectation's text and the actual text, as changed lines with one line of context,
     * each with the line of the case it concerns: {@code name:line: - expected} for a line to remove, and
     * {@code name:line: + actual} for a line to add after that line.
     */
    static String diff(String name, Expectation e, String actual) {
        List<String> want = e.text(), got = actual.lines().toList();
        if (want.equals(got)) return "  " + name + ":" + e.line() + ": the text differs only in its final newline\n";
        int[][] lcs = new int[want.size() + 1][got.size() + 1];
        for (int i = want.size() - 1; i >= 0; i--) {
            for (int j = got.size() - 1; j >= 0; j--) {
                lcs[i][j] = want.get(i).equals(got.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        record Op(char kind, int line, String text) {}
        List<Op> ops = new ArrayList<>();
        int i = 0, j = 0;
        while (i < want.size() || j < got.size()) {
            int at = e.line() + 1 + i; // the case's line of expected line i; an added line goes after the line before
            if (i < want.size() && j < got.size() && want.get(i).equals(got.get(j))) {
                ops.add(new Op(' ', at, want.get(i++)));
                j++;
            } else if (i < want.size() && (j == got.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', at, want.get(i++)));
            } else {
                ops.add(new Op('+', at - 1, got.get(j++)));
            }
        }
        var b = new StringBuilder();
        int shown = -2;
        for (int k = 0; k < ops.size(); k++) {
            boolean near = false;
            for (int d = -1; d <= 1; d++) near |= k + d >= 0 && k + d < ops.size() && ops.get(k + d).kind != ' ';
            if (!near) continue;
            if (shown >= 0 && shown != k - 1) b.append("  …\n");
            Op op = ops.get(k);
            b.append("  ").append(name).append(':').append(op.line).append(": ").append(op.kind).append(' ').append(op.text).append('\n');
            shown = k;
        }
        return b.toString();
    }

    /** The case's lines with each given expectation's text replaced by its actual text. */
    static List<String> rewritten(List<String> lines, List<Expectation> expectations, List<String> actual) {
        List<String> out = new ArrayList<>(lines);
        for (int k = expectations.size() - 1; k >= 0; k--) { // from the end, so that earlier line numbers hold
            Expectation e = expectations.get(k);
            List<String> block = actual.get(k).lines().map(l -> l.isEmpty() ? "// |" : "// | " + l).toList();
            var region = out.subList(e.line(), e.line() + e.text().size());
            region.clear();
            region.addAll(block);
        }
        return out;
    }
}
