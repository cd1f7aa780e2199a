package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.diag.Diagnostic;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.Graph;
import dev.nnc.source.SourceFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of a document, through the front end: its diagnostics, its program and what the checker learned,
 * and, asked for by a hover, a network's derived gradients (the middle end runs then, once per network and version).
 */
final class Analysis {
    final SourceFile file;
    final Frontend.Result result;
    private final Map<String, Graph> graphs = new HashMap<>();

    /** @param name the file's path, so that its imports are found beside it */
    Analysis(String name, String text) {
        this.file = new SourceFile(name, text);
        this.result = Frontend.check(file);
    }

    /** The diagnostics located in this file (an imported file's own are reported where that file is open). */
    List<Diagnostic> diagnostics() {
        return result.diagnostics().sorted().stream().filter(d -> d.span().file() == file).toList();
    }

    /** The checked network a declaration is, or null (it did not check). */
    CheckedNetwork network(Decl.Network decl) {
        for (CheckedNetwork n : result.checked().networks()) if (n.decl() == decl) return n;
        return null;
    }

    /** The network's IR after OPTIMIZE, with its backward pass; null if the program has errors or it fails. */
    synchronized Graph graph(CheckedNetwork n) {
        if (result.diagnostics().hasErrors()) return null;
        return graphs.computeIfAbsent(n.name(), k -> {
            try {
                return Compile.graph(result.checked(), n, Compile.Options.DEFAULT);
            } catch (RuntimeException e) {
                return null; // a hover does without gradients rather than fail
            }
        });
    }
}
