package dev.nnc.parse;

import dev.nnc.ast.Expr;
import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser;
import dev.nnc.source.SourceFile;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
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
            return new Program(source, List.of());
        }
        lexerDiagnostics.sorted().forEach(diagnostics::report);
        Program program = new AstBuilder(source, diagnostics).program(tree);
        diagnostics.sorted().forEach(outer::report);
        return program;
    }

    /** Text that is not one expression; {@code offset} is where the first character it cannot read is. */
    public static final class Unreadable extends Exception {
        public final int offset;

        Unreadable(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    /**
     * One expression on its own, such as an option's value written as in a train block ({@code adam(α = 0.01)}), by
     * the grammar's {@code expression} rule and the builder that makes the AST of a file's.
     *
     * @param diagnostics what the builder finds wrong in an expression that parses (a number too large for a double)
     * @throws Unreadable where the text is not one expression and nothing else
     */
    public static Expr expression(SourceFile source, Diagnostics diagnostics) throws Unreadable {
        var lexical = new Diagnostics();
        var tokens = tokens(source, lexical);
        var parser = parser(tokens);
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        parser.setErrorHandler(new BailErrorStrategy());
        NnParser.ExpressionContext tree;
        try {
            tree = parser.expression();
        } catch (ParseCancellationException e) {
            throw new Unreadable(e.getCause() instanceof RecognitionException r && r.getOffendingToken() != null
                    ? r.getOffendingToken().getStartIndex() : parser.getCurrentToken().getStartIndex());
        } catch (Nesting.TooDeep e) {
            throw new Unreadable(Math.max(0, e.at.getStartIndex()));
        }
        if (tokens.LA(1) != Token.EOF) throw new Unreadable(tokens.LT(1).getStartIndex());
        if (lexical.hasErrors()) throw new Unreadable(lexical.sorted().get(0).span().start());
        return new AstBuilder(source, diagnostics).expr(tree);
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
