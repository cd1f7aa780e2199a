package dev.nnc.ast;

import dev.nnc.source.SourceFile;
import java.util.List;

/** One parsed .nn file. */
public record Program(SourceFile source, List<Decl> decls) {
    public Program { decls = List.copyOf(decls); }
}
