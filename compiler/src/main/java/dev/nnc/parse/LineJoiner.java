package dev.nnc.parse;

import static dev.nnc.grammar.NnLexer.*;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenSource;

/**
 * Sits between lexer and parser and decides which newlines end a statement, as Go's and Python's lexers do:
 * a newline counts only outside ( ) and [ ], after a token that can end a statement (a name, a number,
 * a closing bracket…), and when the next line does not begin by continuing this one (an operator,
 * {@code where}, {@code with}). Lexical mistakes (stray characters, unterminated strings and comments)
 * become diagnostics here, so the parser never sees them.
 */
final class LineJoiner extends TokenFilter {
    private final SourceFile source;
    private final Diagnostics diagnostics;
    private final ArrayDeque<Token> ahead = new ArrayDeque<>();
    private int depth;
    private int lastType = NL;

    LineJoiner(TokenSource lexer, SourceFile source, Diagnostics diagnostics) {
        super(lexer);
        this.source = source;
        this.diagnostics = diagnostics;
    }

    @Override public Token nextToken() {
        while (true) {
            Token t = take();
            switch (t.getType()) {
                case LPAREN, LBRACK -> depth++;
                case RPAREN, RBRACK -> depth = Math.max(0, depth - 1);
                // These never stand inside brackets: an unclosed bracket must not swallow the rest of the file.
                case LBRACE, RBRACE, NETWORK, INPUT, TARGET, PARAM, OUTPUT, LOSS, NEURON, LAYER, FN, OPTIMIZER,
                     STATE, TRAIN, IMPORT, ALIAS -> depth = 0;
                case NL -> {
                    if (!endsStatement(lastType) || continuesLine(peekSignificant())) continue;
                    if (depth > 0) {
                        // A line that reads as a new statement means a bracket was left open: end the
                        // statement here so the parser reports the missing ')' where it is missing.
                        if (!startsStatement()) continue;
                        depth = 0;
                    }
                }
                default -> { }
            }
            lastType = t.getType();
            return t;
        }
    }

    /** The next token from the lexer with lexical errors reported and removed. */
    private Token take() {
        if (!ahead.isEmpty()) return ahead.poll();
        return clean();
    }

    private Token clean() {
        while (true) {
            Token t = lexer.nextToken();
            switch (t.getType()) {
                case ERROR_CHAR -> {
                    reportStray(t);
                    // ½ reported, then read as the number it is: the line goes on as written, with no second error
                    BigDecimal[] fraction = Strays.fraction(t.getText().codePointAt(0));
                    if (fraction != null && fraction.length == 2 && fraction[0] != null && fraction[1] != null && fraction[1].signum() != 0) {
                        var number = new CommonToken(t);
                        number.setType(FLOAT);
                        number.setText(String.valueOf(fraction[0].doubleValue() / fraction[1].doubleValue()));
                        return number;
                    }
                }
                case UNCLOSED_COMMENT -> diagnostics.error(Key.UNCLOSED_COMMENT, span(t.getStartIndex(), 2),
                        "this comment is never closed", "end it with */");
                case UNTERMINATED_STRING -> {
                    diagnostics.error(Key.UNTERMINATED_STRING, span(t.getStartIndex(), 1),
                            "this string has no closing quote", "strings end on the line they start: add \"");
                    var fixed = new CommonToken(t);
                    fixed.setType(STRING);
                    fixed.setText(t.getText() + "\"");
                    return fixed;
                }
                default -> { return t; }
            }
        }
    }

    private int peekSignificant() {
        for (Token t : ahead) if (t.getType() != NL) return t.getType();
        while (true) {
            Token t = clean();
            ahead.add(t);
            if (t.getType() != NL) return t.getType();
        }
    }

    /** Whether the next line begins like a statement: a member keyword, {@code name =}, {@code nameᵢ =} or }. */
    private boolean startsStatement() {
        int first = peekSignificant();
        return switch (first) {
            case INPUT, TARGET, PARAM, LAYER, OUTPUT, LOSS, RBRACE, STATE -> true;
            case ID -> {
                int second = peekSecond();
                yield second == ASSIGN || second == ARROW || second == SUB;
            }
            default -> false;
        };
    }

    private int peekSecond() {
        peekSignificant();
        int seen = 0;
        for (Token t : ahead) {
            if (t.getType() == NL) continue;
            if (++seen == 2) return t.getType();
        }
        while (true) {
            Token t = clean();
            ahead.add(t);
            if (t.getType() != NL) return t.getType();
        }
    }

    private static boolean endsStatement(int type) {
        return switch (type) {
            case ID, INT, FLOAT, STRING, RPAREN, RBRACK, RBRACE, SUB, SUPER -> true;
            default -> false;
        };
    }

    private static boolean continuesLine(int type) {
        return switch (type) {
            case PLUS, MINUS, MUL, DIV, CARET, ASSIGN, ARROW, TILDE, COMMA, WHERE, WITH, RPAREN, RBRACK,
                 LT, LE, GT, GE, EQ, NE, SUPER, SUB -> true;
            default -> false;
        };
    }

    private void reportStray(Token t) {
        if (Strays.report(t, source, diagnostics)) return;
        String text = t.getText();
        int cp = text.codePointAt(0);
        String hint = switch (text) {
            case "Σ" -> "Σ needs its index: Σᵢ, Σ_i or Σ_{i=1}^{n}";
            case "→", "⇒" -> "updates are written θ ← θ - α ∂J/∂θ (or <-); equations use =";
            case "'" , "`" -> "strings use double quotes";
            case "₊", "₋" -> "index offsets are not supported; write x[i] with whole ranges";
            case "&", "|", "!" -> "comparisons go inside an Iverson bracket: [a > b]";
            case "%" -> "there is no remainder operator in .nn";
            case "#" -> "comments start with //";
            default -> Character.isLetter(cp) ? "identifiers use Latin or Greek letters, digits and _" : null;
        };
        String shown = Character.isISOControl(cp) ? String.format("U+%04X", cp) : "'" + text + "'";
        diagnostics.error(Key.UNEXPECTED_CHAR, span(t.getStartIndex(), 1), "unexpected character " + shown, hint);
    }

    private Span span(int start, int length) {
        return source.span(start, Math.min(source.length(), start + length));
    }
}
