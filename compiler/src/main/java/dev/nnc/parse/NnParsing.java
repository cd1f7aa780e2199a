package dev.nnc.parse;

import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser;
import dev.nnc.source.SourceFile;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * PARSE: text to AST. Tries the fast SLL prediction first and falls back to full LL, with recovery and
 * diagnostics, only when that fails — the two-stage strategy ANTLR's authors recommend.
 */
public final class NnParsing {
    private NnParsing() {}

    public static Program parse(SourceFile source, Diagnostics outer) {
        var diagnostics = new Diagnostics(); // this file's alone: the builder asks whether it had syntax errors
        var lexerDiagnostics = new Diagnostics();
        var tokens = tokens(source, lexerDiagnostics);
        var parser = parser(tokens);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        NnParser.ProgramContext tree;
        try {
            try {
                tree = parser.program();
            } catch (ParseCancellationException e) {
                tokens = tokens(source, new Diagnostics()); // the lexical diagnostics were kept from the first pass
                parser = parser(tokens);
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                parser.setErrorHandler(new SyntaxErrors(source, diagnostics));
                tree = parser.program();
            }
        } catch (Nesting.TooDeep e) {
            // nothing of the file is read: its declarations would be reported as missing
            int start = Math.max(0, e.at.getStartIndex());
            diagnostics.error(Key.TOO_DEEP, source.span(start, Math.max(start + 1, e.at.getStopIndex() + 1)),
                    "this expression nests more than " + Nesting.LIMIT + " levels deep",
                    "nnc reads brackets, calls, signs and exponents up to " + Nesting.LIMIT
                            + " levels deep: give inner parts names of their own (h = tanh(…))");
            lexerDiagnostics.sorted().forEach(diagnostics::report);
            diagnostics.sorted().forEach(outer::report);
            return new Program(source, java.util.List.of());
        }
        lexerDiagnostics.sorted().forEach(diagnostics::report);
        Program program = new AstBuilder(source, diagnostics).program(tree);
        diagnostics.sorted().forEach(outer::report);
        return program;
    }

    private static NnParser parser(CommonTokenStream tokens) {
        var parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.addParseListener(new Nesting(parser));
        return parser;
    }

    private static CommonTokenStream tokens(SourceFile source, Diagnostics diagnostics) {
        var lexer = new NnLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        return new CommonTokenStream(new LineJoiner(new MissingNames(lexer, source, diagnostics), source, diagnostics));
    }
}
