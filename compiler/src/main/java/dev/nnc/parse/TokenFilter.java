package dev.nnc.parse;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/** A token source between the lexer and the parser that changes which tokens pass; the rest is the lexer's. */
abstract class TokenFilter implements TokenSource {
    /** The source it reads from. */
    final TokenSource lexer;

    TokenFilter(TokenSource lexer) { this.lexer = lexer; }

    @Override public int getLine() { return lexer.getLine(); }
    @Override public int getCharPositionInLine() { return lexer.getCharPositionInLine(); }
    @Override public CharStream getInputStream() { return lexer.getInputStream(); }
    @Override public String getSourceName() { return lexer.getSourceName(); }
    @Override public void setTokenFactory(TokenFactory<?> factory) { lexer.setTokenFactory(factory); }
    @Override public TokenFactory<?> getTokenFactory() { return lexer.getTokenFactory(); }
}
