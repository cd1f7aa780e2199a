package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.gen.cuda.Toolchain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input suite: every file under {@code tests/hostile/CATEGORY/} is one mistake a user (or an attacker)
 * can make, with what nnc must answer. Each case runs in a fresh folder of its own and asserts the exit status, the
 * first line of standard error (the one located line: {@code file:line:col: error[key]: …} or {@code nnc: …} naming
 * the file, row, option or setting), that no Java trace, internal error or usage dump is printed, and that nothing
 * was written or lost: afterwards the folder holds exactly the files it held before, with the same bytes, but for
 * those the case says it writes.
 *
 * <p>A case is a txtar archive (Go's format): header lines, then files.
 * <pre>
 * # why this case matters (comments start with #)
 * nnc train $DIR/p.nn --lr NaN     setup commands (every nnc line but the last) must exit 0; the last is the case
 * exit 2                           its exit status
 * err nnc: --lr: …                 the first line of its standard error, exactly ($DIR is the case's folder)
 * out TEXT                         a line its standard output must contain (optional, repeatable)
 * writes p.safetensors             a file the commands may create (repeatable; setup commands' files count too)
 * -- p.nn --                       a file, its text up to the next section
 * -- big.nn (repeat 100000) --     the text repeated, without its last newline
 * -- w.safetensors (escaped) --    bytes: \xNN is a byte, \\ a backslash, a backslash at the end of a line joins lines
 * -- big.nn (repeat 999, append) -- options combine; append continues the file's earlier sections on their last line
 * </pre>
 * Arguments are separated by spaces; {@code ''} is an empty argument and {@code $DIR} the case's folder. A case
 * with {@code --backend cuda} runs on the tests' host emulation of CUDA, and one with {@code --target cuda} needs nvcc;
 * each is skipped, saying why, where that is missing.
 */
class HostileInputTest {
    static final Path ROOT = Repo.root().resolve("tests/hostile");

    record Case(Path path, List<List<String>> commands, int exit, String err, List<String> out, List<String> writes,
                Map<String, byte[]> files) {}

    @TestFactory
    Stream<DynamicTest> everyCase() throws IOException {
        List<Path> files;
        try (var walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(p -> DynamicTest.dynamicTest(ROOT.relativize(p).toString(), p.toUri(), () -> run(parse(p))));
    }

    /** The suite is as large as the issue that asked for it says, in every category. */
    @Test
    void thereAreEnoughCases() throws IOException {
        Map<String, Integer> perCategory = new TreeMap<>();
        try (var walk = Files.walk(ROOT)) {
            walk.filter(p -> p.toString().endsWith(".txt")).forEach(p -> perCategory.merge(ROOT.relativize(p).getName(0).toString(), 1, Integer::sum));
        }
        int total = perCategory.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= 150, "at least 150 hostile cases, found " + total + ": " + perCategory);
    }

    static void run(Case c) throws Exception {
        // --backend cuda runs on the tests' host emulation of CUDA, --target cuda needs nvcc: skipped without them
        for (var args : c.commands()) {
            if (names(args, "--backend", "cuda")) CudaCommandTest.emulation();
            if (names(args, "--target", "cuda")) {
                Assumptions.assumeTrue(Toolchain.nvcc().isPresent(), "skipped: nvcc is not installed");
            }
        }
        Path dir = Files.createTempDirectory("nnc-hostile-");
        try {
            for (var f : c.files().entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            Map<String, String> before = snapshot(dir);
            CliTest.Run last = null;
            for (int i = 0; i < c.commands().size(); i++) {
                String[] args = c.commands().get(i).stream().map(a -> a.replace("$DIR", dir.toString())).toArray(String[]::new);
                last = CliTest.nnc(args);
                if (i < c.commands().size() - 1) assertEquals(0, last.status(), "setup " + String.join(" ", args) + " failed:\n" + last.err());
            }
            String err = last.err(), out = last.out();
            String context = "\n--- stderr:\n" + err + "--- stdout:\n" + (out.length() > 2000 ? out.substring(0, 2000) + "…" : out);
            assertEquals(c.exit(), last.status(), "exit status" + context);
            String first = err.lines().findFirst().orElse("");
            assertEquals(c.err().replace("$DIR", dir.toString()), first, "first line of stderr" + context);
            for (String o : c.out()) assertTrue(out.contains(o.replace("$DIR", dir.toString())), "stdout should contain " + o + context);
            for (String s : List.of("Exception", "\tat ", "internal error", "Error:", "Usage:")) {
                assertFalse(err.contains(s) || out.contains(s), "no trace, internal error or usage dump (" + s + ")" + context);
            }
            Map<String, String> after = snapshot(dir);
            for (var e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " must be left as it was" + context);
            }
            var added = new TreeSet<>(after.keySet());
            added.removeAll(before.keySet());
            added.removeAll(c.writes());
            assertTrue(added.isEmpty(), "nothing else written, but found " + added + context);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Whether the arguments give the option this value ({@code --backend cuda} or {@code --backend=cuda}). */
    static boolean names(List<String> args, String option, String value) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option + "=" + value) || args.get(i).equals(option) && i + 1 < args.size() && args.get(i + 1).equals(value)) return true;
        }
        return false;
    }

    /** Every file under the folder (and its subfolders) by relative name, with a hash of its bytes. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                try {
                    m.put(dir.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return m;
    }

    static Case parse(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<List<String>> commands = new ArrayList<>();
        Integer exit = null;
        String err = null;
        List<String> out = new ArrayList<>(), writes = new ArrayList<>();
        Map<String, byte[]> files = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        for (; i < lines.length && !lines[i].startsWith("-- "); i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space), rest = space < 0 ? "" : line.substring(space + 1);
            switch (word) {
                case "nnc" -> commands.add(arguments(rest));
                case "exit" -> exit = Integer.parseInt(rest.trim());
                case "err" -> err = rest;
                case "out" -> out.add(rest);
                case "writes" -> writes.add(rest.trim());
                default -> fail(path + ":" + (i + 1) + ": unknown header line: " + line);
            }
        }
        if (commands.isEmpty() || exit == null || err == null) fail(path + ": a case needs an nnc line, an exit line and an err line");
        while (i < lines.length) {
            String header = lines[i].substring(3, lines[i].length() - 3).trim();
            if (!lines[i].endsWith(" --")) fail(path + ":" + (i + 1) + ": a file section is -- NAME --");
            var body = new StringBuilder();
            for (i++; i < lines.length && !lines[i].startsWith("-- "); i++) body.append(lines[i]).append('\n');
            String content = body.toString();
            if (i >= lines.length && content.endsWith("\n")) content = content.substring(0, content.length() - 1); // split's last piece
            // NAME (OPTION, OPTION): repeat N, escaped, append
            String name = header;
            List<String> options = List.of();
            var m = Pattern.compile("(.*) \\(([^()]*)\\)").matcher(header);
            if (m.matches()) {
                name = m.group(1);
                options = List.of(m.group(2).split(", *"));
            }
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            boolean append = false;
            for (String option : options) {
                if (option.startsWith("repeat ")) {
                    String unit = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
                    bytes = unit.repeat(Integer.parseInt(option.substring(7).trim())).getBytes(StandardCharsets.UTF_8);
                } else if (option.equals("escaped")) {
                    bytes = unescape(content);
                } else if (option.equals("append")) {
                    append = true;
                } else {
                    fail(path + ": unknown section option " + option + " (repeat N, escaped, append)");
                }
            }
            if (append && files.containsKey(name)) {
                byte[] before = files.get(name);
                int keep = before.length > 0 && before[before.length - 1] == '\n' ? before.length - 1 : before.length;
                var joined = new ByteArrayOutputStream();
                joined.write(before, 0, keep); // the section goes on the same line
                joined.writeBytes(bytes);
                bytes = joined.toByteArray();
            }
            files.put(name, bytes);
        }
        return new Case(path, commands, exit, err, out, writes, files);
    }

    static List<String> arguments(String line) {
        List<String> args = new ArrayList<>();
        for (String a : line.trim().split(" +")) args.add(a.equals("''") ? "" : a);
        return args;
    }

    static byte[] unescape(String s) {
        var bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                if (next == 'x') {
                    bytes.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    i += 3;
                } else if (next == '\n') {
                    i++;
                } else {
                    bytes.write(next);
                    i++;
                }
            } else { // a whole code point: a character outside the BMP is two chars
                int cp = s.codePointAt(i);
                bytes.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return bytes.toByteArray();
    }
}
