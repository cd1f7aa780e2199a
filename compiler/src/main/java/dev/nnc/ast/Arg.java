package dev.nnc.ast;

/** A call argument; {@code name} is null for a positional one. */
public record Arg(Ident name, Expr value) {}
