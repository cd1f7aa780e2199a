package dev.nnc.parse;

import static dev.nnc.grammar.NnLexer.*;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.source.SourceFile;
import java.util.ArrayDeque;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenSource;

/**
 * A declaration keyword with no name after it — {@code loss = mse(f, y)}, {@code param [3] ~ he},
 * {@code network {} — is one mistake, so it gets one diagnostic ("a loss needs a name", with the line as it should
 * read), not the four syntax errors the parser's recovery would make of it. Sits between the lexer and the
 * {@link LineJoiner}: it reports the mistake and drops the statement to the end of its line; a block's head
 * ({@code network {}) gets a placeholder name instead, which the parser accepts and the AST builder drops with the
 * block, as it drops every part a syntax error left incomplete. Checking stops after it, as after any syntax error.
 */
final class MissingNames extends TokenFilter {
    /** The text of the placeholder: not a name a user can write, so the AST builder recognises it as a hole. */
    static final String PLACEHOLDER = "<missing name>";

    private final SourceFile source;
    private final Diagnostics diagnostics;
    private final ArrayDeque<Token> pending = new ArrayDeque<>();

    MissingNames(TokenSource lexer, SourceFile source, Diagnostics diagnostics) {
        super(lexer);
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /** The last token other than a line break handed on, and whether a line break came after it. */
    private int lastType = SEMI;
    private boolean lineBroken = true;

    @Override public Token nextToken() {
        Token t = pending.isEmpty() ? declaration(lexer.nextToken()) : pending.poll();
        if (t.getType() == NL) {
            lineBroken = true;
        } else {
            lastType = t.getType();
            lineBroken = false;
        }
        return t;
    }

    /** Whether a keyword here begins a statement, rather than stand where a name should ({@code input x, loss}). */
    private boolean statementStart() {
        return switch (lastType) {
            case SEMI, LBRACE, RBRACE -> true;
            case ID, INT, FLOAT, STRING, RPAREN, RBRACK, SUB, SUPER -> lineBroken;
            default -> false;
        };
    }

    private Token declaration(Token t) {
        Declaration d = Declaration.of(t.getType());
        if (d == null || !statementStart()) return t;
        // The name may be on the next line (the line joiner joins a line that ends with a keyword to the next).
        Token next = lexer.nextToken();
        var lineBreaks = new ArrayDeque<Token>();
        while (next.getType() == NL) {
            lineBreaks.add(next);
            next = lexer.nextToken();
        }
        boolean missing = next.getType() != ID && (!lineBreaks.isEmpty() || d.missingBefore(next.getType()));
        if (!missing) {
            pending.addAll(lineBreaks);
            pending.add(next);
            return t;
        }
        report(t, lineBreaks.isEmpty() ? next : lineBreaks.peek(), d);
        if (d.opensBlock() && next.getType() == LBRACE) {
            // network { … }: the block parses with a placeholder name, which the AST builder drops with it
            pending.add(placeholder(t));
            pending.add(next);
            return t;
        }
        // Any other statement is dropped to its end: nothing in it could be checked without its name.
        if (!lineBreaks.isEmpty()) {
            pending.addAll(lineBreaks);
            pending.add(next);
            return pending.poll();
        }
        return restOfLine(next);
    }

    /** What each keyword declares, the name to show in the fix, and what may not follow it directly. */
    private enum Declaration {
        NETWORK_("network", "a network needs a name", "Net"),
        TRAIN_("train", "a train block names the network it trains", "Net"),
        FN_("fn", "a function needs a name", "f"),
        NEURON_("neuron", "a neuron needs a name", "unit"),
        OPTIMIZER_("optimizer", "an optimizer needs a name", "opt"),
        ALIAS_("alias", "an alias needs a name", "new_name"),
        INPUT_("input", "an input needs a name", "x"),
        TARGET_("target", "a target needs a name", "y"),
        PARAM_("param", "a parameter needs a name", "w"),
        LAYER_("layer", "a layer needs a name", "h"),
        OUTPUT_("output", "output needs the name of the value the network gives", "p"),
        LOSS_("loss", "a loss needs a name", "J"),
        STATE_("state", "a state variable needs a name", "v");

        final String keyword, message, example;

        Declaration(String keyword, String message, String example) {
            this.keyword = keyword;
            this.message = message;
            this.example = example;
        }

        static Declaration of(int type) {
            return switch (type) {
                case NETWORK -> NETWORK_;
                case TRAIN -> TRAIN_;
                case FN -> FN_;
                case NEURON -> NEURON_;
                case OPTIMIZER -> OPTIMIZER_;
                case ALIAS -> ALIAS_;
                case INPUT -> INPUT_;
                case TARGET -> TARGET_;
                case PARAM -> PARAM_;
                case LAYER -> LAYER_;
                case OUTPUT -> OUTPUT_;
                case LOSS -> LOSS_;
                case STATE -> STATE_;
                default -> null;
            };
        }

        /** Whether {@code next} stands where the name should. */
        boolean missingBefore(int next) {
            boolean end = next == NL || next == EOF || next == SEMI || next == RBRACE;
            return switch (this) {
                case NETWORK_, TRAIN_ -> next == LBRACE || end;
                case FN_, NEURON_ -> next == LPAREN || next == ASSIGN || end;
                case OPTIMIZER_ -> next == LBRACE; // in a train block, optimizer is also a setting's key
                case ALIAS_, STATE_, LOSS_ -> next == ASSIGN || end;
                case INPUT_, TARGET_, LAYER_ -> next == LBRACK || next == COMMA || next == ASSIGN || end;
                case PARAM_ -> next == LBRACK || next == COMMA || next == ASSIGN || next == TILDE || end;
                case OUTPUT_ -> next == COMMA || next == ASSIGN || end;
            };
        }

        /** An equation given a keyword's name: {@code output = softmax(z)}, {@code input = …}. */
        boolean namesEquation(int next) {
            return next == ASSIGN && (this == OUTPUT_ || this == INPUT_ || this == TARGET_);
        }

        boolean opensBlock() { return this == NETWORK_ || this == TRAIN_ || this == OPTIMIZER_; }
    }

    private void report(Token keyword, Token next, Declaration d) {
        var span = source.span(keyword.getStartIndex(), keyword.getStopIndex() + 1);
        String rest = rest(next);
        String message = d.message;
        String hint;
        if (d.namesEquation(next.getType())) {
            message = d.keyword + " is a keyword: it declares " + (d == Declaration.OUTPUT_ ? "which values the network gives"
                    : d == Declaration.INPUT_ ? "an input, x[784]" : "a target, y[10]") + ", and cannot name an equation";
            hint = d == Declaration.OUTPUT_ ? "name the value and list it: p " + rest + ", then output p"
                    : "give the equation another name: " + d.example + "0 " + rest;
        } else {
            boolean attached = next.getType() == LBRACK || next.getType() == LPAREN || next.getType() == COMMA;
            hint = "write " + d.keyword + " " + d.example + (rest.isEmpty() ? "" : (attached ? "" : " ") + rest);
        }
        diagnostics.error(Key.MISSING_NAME, span, message, hint);
    }

    /** The line's text from {@code next} on, shortened: what the fix shows after the name. */
    private String rest(Token next) {
        if (next.getType() == EOF || next.getType() == NL) return "";
        int start = Math.max(0, next.getStartIndex());
        int line = source.lineOf(start);
        String text = source.line(line);
        int column = source.columnOf(start) - 1;
        int from = text.offsetByCodePoints(0, Math.min(column, text.codePointCount(0, text.length())));
        String rest = text.substring(from);
        int comment = rest.indexOf("//");
        if (comment >= 0) rest = rest.substring(0, comment);
        rest = rest.strip();
        return rest.codePointCount(0, rest.length()) > 50 ? rest.substring(0, rest.offsetByCodePoints(0, 49)) + "…" : rest;
    }

    /** A name of no width just after the keyword. */
    private Token placeholder(Token keyword) {
        var t = new CommonToken(keyword);
        t.setType(ID);
        t.setText(PLACEHOLDER);
        t.setStartIndex(keyword.getStopIndex() + 1);
        t.setStopIndex(keyword.getStopIndex());
        return t;
    }

    /** Skips to the end of the line (newlines inside brackets do not end it); returns the token that ends it. */
    private Token restOfLine(Token t) {
        int depth = 0;
        while (true) {
            switch (t.getType()) {
                case LPAREN, LBRACK -> depth++;
                case RPAREN, RBRACK -> depth = Math.max(0, depth - 1);
                case EOF, RBRACE -> { return t; }
                case NL, SEMI -> {
                    if (depth == 0) return t;
                }
                default -> { }
            }
            t = lexer.nextToken();
        }
    }
}
