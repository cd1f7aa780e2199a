package dev.nnc.parse;

import static dev.nnc.grammar.NnLexer.*;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery (single-token insertion and deletion, then resynchronisation), with its reports turned
 * into {@code syntax} diagnostics that speak the user's language: "expected ')' but found end of line"
 * rather than "mismatched input '\n' expecting {')', ','}".
 */
final class SyntaxErrors extends DefaultErrorStrategy {
    private final SourceFile source;
    private final Diagnostics diagnostics;

    SyntaxErrors(SourceFile source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    @Override protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        report(e.getOffendingToken(), parser, "unexpected " + describe(e.getOffendingToken()), expected(parser));
    }

    @Override protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(e.getOffendingToken(), parser, "unexpected " + describe(e.getOffendingToken()), expected(parser));
    }

    @Override protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        report(e.getOffendingToken(), parser, "unexpected " + describe(e.getOffendingToken()), expected(parser));
    }

    @Override protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        report(t, parser, "unexpected " + describe(t), expected(parser));
    }

    @Override protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        report(t, parser, "missing " + expected(parser) + " before " + describe(t), null);
    }

    @Override public void reportError(Parser parser, RecognitionException e) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        switch (e) {
            case NoViableAltException n -> reportNoViableAlternative(parser, n);
            case InputMismatchException m -> reportInputMismatch(parser, m);
            default -> report(e.getOffendingToken(), parser, "unexpected " + describe(e.getOffendingToken()),
                    expected(parser));
        }
    }

    private void report(Token at, Parser parser, String message, String expected) {
        Token opener = unclosed(parser, at);
        if (opener != null) {
            String close = opener.getType() == LPAREN ? "')'" : "']'";
            diagnostics.report(new Diagnostic(Key.SYNTAX, spanOf(at), "missing " + close + " before "
                    + describe(at), "the " + opener.getText() + " at " + opener.getLine() + ":"
                    + (opener.getCharPositionInLine() + 1) + " is never closed",
                    List.of(new Diagnostic.Related(spanOf(opener), "opened here"))));
            return;
        }
        String full = expected == null ? message : message + "; expected " + expected;
        diagnostics.error(Key.SYNTAX, spanOf(at), full, hint(at, parser));
    }

    /**
     * The innermost ( or [ left open before a token that cannot be inside one (an end of line, a brace,
     * the end of the file), looking back to the start of the statement; null if none.
     */
    private static Token unclosed(Parser parser, Token at) {
        int type = at.getType();
        if (type != NL && type != EOF && type != RBRACE && type != LBRACE && type != ASSIGN) return null;
        var tokens = parser.getInputStream();
        int depthParen = 0, depthBracket = 0;
        for (int i = at.getTokenIndex() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            switch (t.getType()) {
                case NL, SEMI, LBRACE, RBRACE -> { return null; }
                case RPAREN -> depthParen++;
                case RBRACK -> depthBracket++;
                case LPAREN -> {
                    if (depthParen == 0) return t;
                    depthParen--;
                }
                case LBRACK -> {
                    if (depthBracket == 0) return t;
                    depthBracket--;
                }
                default -> { }
            }
        }
        return null;
    }

    private String hint(Token at, Parser parser) {
        return switch (at.getType()) {
            case ARROW -> "← is for updates inside an optimizer block; equations use =";
            case LBRACE -> "blocks open after a declaration's head, like network Name {";
            case NL, EOF -> unclosedBracketHint(parser);
            default -> null;
        };
    }

    private static String unclosedBracketHint(Parser parser) {
        IntervalSet expected = parser.getExpectedTokens();
        if (expected.contains(RPAREN)) return "a ( is still open";
        if (expected.contains(RBRACK)) return "a [ is still open";
        if (expected.contains(RBRACE)) return "a { is still open";
        return null;
    }

    private Span spanOf(Token t) {
        if (t.getType() == EOF) {
            int end = source.length();
            return source.span(end, end);
        }
        int start = Math.max(0, t.getStartIndex());
        int stop = Math.max(start, t.getStopIndex() + 1);
        if (t.getType() == NL) stop = start; // point just past the line's end
        return source.span(start, Math.min(stop, source.length()));
    }

    /** A short readable list of what could have come next. */
    private static String expected(Parser parser) {
        IntervalSet set;
        try {
            set = parser.getExpectedTokens();
        } catch (RuntimeException e) {
            return null;
        }
        List<String> names = new ArrayList<>();
        boolean expression = set.contains(ID) && set.contains(INT) && set.contains(LPAREN);
        if (expression) names.add("an expression");
        for (int type : set.toArray()) {
            if (expression && (type == ID || type == INT || type == FLOAT || type == LPAREN || type == MINUS
                    || type == PLUS || type == SQRT || type == PARTIAL || type == LBRACK || type == SUM_SUB
                    || type == SUM_UNDERSCORE || type == SUM_OPEN)) continue;
            if (type == SEMI) continue; // a ';' is always possible where a newline is
            names.add(name(type, parser));
        }
        if (names.isEmpty()) return null;
        if (names.size() > 6) return null;
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String name(int type, Parser parser) {
        return switch (type) {
            case ID -> "a name";
            case INT -> "an integer";
            case FLOAT -> "a number";
            case STRING -> "a string";
            case NL -> "end of line";
            case EOF -> "end of file";
            case SUB -> "a subscript";
            case SUPER -> "a superscript";
            case SUM_SUB, SUM_UNDERSCORE, SUM_OPEN -> "Σ";
            case MUL -> "'·'";
            case DIV -> "'/'";
            case MINUS -> "'-'";
            case ARROW -> "'←'";
            case PARTIAL -> "'∂'";
            case LE -> "'≤'";
            case GE -> "'≥'";
            case NE -> "'≠'";
            default -> parser.getVocabulary().getDisplayName(type);
        };
    }

    static String describe(Token t) {
        return switch (t.getType()) {
            case EOF -> "end of file";
            case NL -> "end of line";
            case STRING -> "string " + t.getText();
            default -> "'" + t.getText() + "'";
        };
    }
}
