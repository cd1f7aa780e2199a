package dev.nnc.ir;

import dev.nnc.source.Span;

/** What a rewrite did, and where in the source: {@code nnc explain --notes} prints these. */
public record Note(String rule, Span span, String message) {}
