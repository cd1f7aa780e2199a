package dev.nnc.parse;

import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostics;
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
        var parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        NnParser.ProgramContext tree;
        try {
            tree = parser.program();
        } catch (ParseCancellationException e) {
            tokens = tokens(source, new Diagnostics()); // the lexical diagnostics were kept from the first pass
            parser = new NnParser(tokens);
            parser.removeErrorListeners();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new SyntaxErrors(source, diagnostics));
            tree = parser.program();
        }
        lexerDiagnostics.sorted().forEach(diagnostics::report);
        Program program = new AstBuilder(source, diagnostics).program(tree);
        diagnostics.sorted().forEach(outer::report);
        return program;
    }

    private static CommonTokenStream tokens(SourceFile source, Diagnostics diagnostics) {
        var lexer = new NnLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        return new CommonTokenStream(new LineJoiner(new MissingNames(lexer, source, diagnostics), source, diagnostics));
    }
}
