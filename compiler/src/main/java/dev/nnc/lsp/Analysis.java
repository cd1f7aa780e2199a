package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Program;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Severity;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.Graph;
import dev.nnc.resolve.Resolver;
import dev.nnc.source.SourceFile;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
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

    /**
     * The diagnostics located in this file, and each error of a file it imports on the import it came through (the
     * program does not compile, and the editor may not have that file open), pointing at the error's own place.
     */
    List<Diagnostic> diagnostics() {
        List<Diagnostic> out = new ArrayList<>();
        Map<String, Decl.Import> via = null;
        for (Diagnostic d : result.diagnostics().sorted()) {
            if (d.span().file() == file) {
                out.add(d);
            } else if (d.severity() == Severity.ERROR) {
                if (via == null) via = importsReaching();
                Decl.Import imp = via.get(Resolver.normalized(d.span().file().name()));
                if (imp == null) continue;
                out.add(new Diagnostic(d.key(), imp.pathSpan(), "in the imported " + d.span().location() + ": " + d.message(),
                        d.hint(), List.of(new Diagnostic.Related(d.span(), d.message()))));
            }
        }
        return out;
    }

    /** Every file this one imports, directly or not, by normalised name: the import of this file it is reached by. */
    private Map<String, Decl.Import> importsReaching() {
        Map<String, Program> byName = new HashMap<>();
        for (Program p : result.checked().scope().userPrograms()) byName.put(Resolver.normalized(p.source().name()), p);
        Map<String, Decl.Import> via = new HashMap<>();
        for (Decl d : result.main().decls()) if (d instanceof Decl.Import imp) reach(result.main(), imp, imp, byName, via);
        return via;
    }

    private static void reach(Program from, Decl.Import imp, Decl.Import first, Map<String, Program> byName, Map<String, Decl.Import> via) {
        String name;
        try {
            name = Resolver.normalized(Resolver.target(from, imp).toString());
        } catch (InvalidPathException e) {
            return; // reported on the import itself
        }
        if (via.putIfAbsent(name, first) != null) return;
        Program p = byName.get(name);
        if (p == null) return;
        for (Decl d : p.decls()) if (d instanceof Decl.Import next) reach(p, next, first, byName, via);
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
