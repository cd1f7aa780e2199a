package dev.nnc.parse;

import dev.nnc.grammar.NnParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The parser's nesting limit. Every level a reader counts — a bracket, a call, a sign, an exponent, a Σ — enters
 * the rule {@code unary} or {@code exponent} once, and between two such entries the parser (and every stage after
 * it) recurses a bounded number of times; so bounding these entries bounds the depth of the parse, of the AST and
 * of every walk over them, and no program can overflow the stack (the limit's deepest program fits
 * {@code driver.DeepStack} many times over). Like a C compiler's bracket depth, the limit is far beyond what a
 * person writes and reported, at the place it is crossed, instead of crashing.
 */
final class Nesting implements ParseTreeListener {
    /** Levels of nesting a program may use. */
    static final int LIMIT = 1000;

    /** Thrown, at the token where the limit is crossed, to stop the parse. */
    static final class TooDeep extends RuntimeException {
        final Token at;

        TooDeep(Token at) {
            super(null, null, false, false);
            this.at = at;
        }
    }

    private final NnParser parser;
    private int depth;

    Nesting(NnParser parser) { this.parser = parser; }

    @Override public void enterEveryRule(ParserRuleContext ctx) {
        if (counts(ctx) && ++depth > LIMIT) throw new TooDeep(parser.getCurrentToken());
    }

    // ANTLR calls this from each rule's finally block, so the count unwinds with a thrown TooDeep too.
    @Override public void exitEveryRule(ParserRuleContext ctx) {
        if (counts(ctx)) depth--;
    }

    private static boolean counts(ParserRuleContext ctx) {
        int rule = ctx.getRuleIndex();
        return rule == NnParser.RULE_unary || rule == NnParser.RULE_exponent;
    }

    @Override public void visitTerminal(TerminalNode node) {}

    @Override public void visitErrorNode(ErrorNode node) {}
}
