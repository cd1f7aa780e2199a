package dev.nnc.driver;

import dev.nnc.ast.Program;
import dev.nnc.check.CheckedProgram;
import dev.nnc.check.Checker;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.parse.NnParsing;
import dev.nnc.resolve.Resolver;
import dev.nnc.runtime.io.UserFiles;
import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The front end as a flat list of stages: PARSE → RESOLVE → CHECK. Each stage reports into one
 * {@link Diagnostics}; later stages run even after errors so that one run reports as much as it can.
 */
public final class Frontend {
    private Frontend() {}

    public record Result(Program main, CheckedProgram checked, Diagnostics diagnostics) {}

    /** Checks one file (and what it imports) read from disk. */
    public static Result check(Path file) throws IOException {
        return check(read(file, file.toString()));
    }

    /** Checks a program, on a deep stack (DeepStack) whoever calls: every stage recurses over expressions. */
    public static Result check(SourceFile main) {
        return DeepStack.call(() -> checkHere(main));
    }

    private static Result checkHere(SourceFile main) {
        var diagnostics = new Diagnostics();
        Program program = NnParsing.parse(main, diagnostics);
        var scope = new Resolver(diagnostics, Frontend::readIfExists, NnParsing::parse).resolve(program, prelude());
        // As javac does, stop after syntax errors: what recovery dropped would only come back as false
        // "undefined" or "unused" reports. All the syntax errors have been collected by now.
        if (diagnostics.hasErrors() && diagnostics.sorted().stream().anyMatch(d -> d.key().isLexicalOrSyntax())) {
            return new Result(program, new CheckedProgram(scope, List.of(), List.of()), diagnostics);
        }
        CheckedProgram checked = Checker.check(scope, diagnostics);
        return new Result(program, checked, diagnostics);
    }

    public static Program parse(SourceFile file, Diagnostics diagnostics) {
        return DeepStack.call(() -> NnParsing.parse(file, diagnostics));
    }

    private static volatile List<Program> prelude;

    /** The standard library, parsed once per process. Its files are the compiler's own: an error is a bug. */
    public static List<Program> prelude() {
        var p = prelude;
        if (p == null) {
            var diagnostics = new Diagnostics();
            p = Stdlib.sources().stream().map(s -> NnParsing.parse(s, diagnostics)).toList();
            if (diagnostics.hasErrors()) {
                throw new IllegalStateException("internal: the standard library does not parse:\n"
                        + diagnostics.sorted().stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
            }
            prelude = p;
        }
        return p;
    }

    /**
     * The most bytes a source file may have: 64 MiB, six times the largest program the tests check (a 10 MB file of
     * 95,000 equations), and as much as a JVM's default heap on a large machine can parse.
     */
    public static final long SOURCE_LIMIT = 64L << 20;

    /**
     * Reads a source file as UTF-8, naming it as given. A directory, a device (/dev/zero would never end) or a file
     * over {@link #SOURCE_LIMIT} is refused before it is read ({@code runtime.io.UserFiles}).
     */
    public static SourceFile read(Path file, String name) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        byte[] bytes = UserFiles.read(file, SOURCE_LIMIT);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(name, text);
        } catch (CharacterCodingException e) {
            throw new IOException("it is not valid UTF-8 text", e);
        }
    }

    private static SourceFile readIfExists(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            Path cwd = Path.of("").toAbsolutePath();
            Path abs = file.toAbsolutePath().normalize();
            return read(file, abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString());
        } catch (IOException e) {
            return null;
        }
    }
}
