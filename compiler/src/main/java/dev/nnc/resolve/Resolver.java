package dev.nnc.resolve;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Program;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.source.SourceFile;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * RESOLVE, part one: gathers the files of a compilation (following imports, relative to the importing file)
 * and binds every top-level name, reporting duplicates, missing imports and broken aliases.
 * Names inside bodies are bound by the checker, which knows their shapes.
 */
public final class Resolver {
    private final Diagnostics diagnostics;
    private final Function<Path, SourceFile> loader;
    private final BiFunction<SourceFile, Diagnostics, Program> parser;

    /**
     * @param loader reads a file, or returns null when it does not exist
     * @param parser the PARSE stage
     */
    public Resolver(Diagnostics diagnostics, Function<Path, SourceFile> loader,
                    BiFunction<SourceFile, Diagnostics, Program> parser) {
        this.diagnostics = diagnostics;
        this.loader = loader;
        this.parser = parser;
    }

    public Scope resolve(Program main, List<Program> prelude) {
        Map<String, Symbol> preludeTable = Scope.newTable();
        for (Program p : prelude) declare(p, preludeTable, null);

        List<Program> programs = new ArrayList<>();
        collect(main, programs, new HashSet<>());
        Map<String, Symbol> userTable = Scope.newTable();
        for (Program p : programs) declare(p, userTable, preludeTable);

        var scope = new Scope(preludeTable, userTable, prelude, programs);
        for (Symbol s : preludeTable.values()) if (s instanceof Symbol.Alias a) resolveAlias(a, scope);
        for (Symbol s : userTable.values()) if (s instanceof Symbol.Alias a) resolveAlias(a, scope);
        return scope;
    }

    /** Depth first, so that imported files come before the files that import them. */
    private void collect(Program program, List<Program> out, Set<String> seen) {
        if (!seen.add(normalized(program.source().name()))) return;
        for (Decl d : program.decls()) {
            if (!(d instanceof Decl.Import imp)) continue;
            Path target;
            try {
                target = target(program, imp);
            } catch (InvalidPathException e) {
                diagnostics.error(Key.IMPORT_NOT_FOUND, imp.pathSpan(), "cannot import " + imp.path()
                        + ": it is not a valid file name (" + e.getReason() + ")", null);
                continue;
            }
            if (seen.contains(normalized(target.toString())) || seen.contains(normalized(display(target)))) continue;
            SourceFile file = loader.apply(target);
            if (file == null) {
                diagnostics.error(Key.IMPORT_NOT_FOUND, imp.pathSpan(), "cannot find the imported file " + imp.path(),
                        "import paths are relative to the importing file (looked for " + display(target) + ")");
                continue;
            }
            collect(parser.apply(file, diagnostics), out, seen);
        }
        out.add(program);
    }

    /** The file an import names: its path is relative to the importing file. */
    public static Path target(Program from, Decl.Import imp) {
        Path base = Path.of(from.source().name()).toAbsolutePath().getParent();
        return base == null ? Path.of(imp.path()) : base.resolve(imp.path());
    }

    /** A file's name as the resolver compares names: absolute and normalised. */
    public static String normalized(String name) {
        return Path.of(name).toAbsolutePath().normalize().toString();
    }

    private static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private void declare(Program program, Map<String, Symbol> table, Map<String, Symbol> prelude) {
        for (Decl d : program.decls()) {
            Symbol s = Scope.symbolOf(d);
            if (s == null) continue;
            if (Builtins.function(s.name()) != null || Builtins.CONSTANTS.containsKey(s.name())) {
                diagnostics.error(Key.REDEFINES_BUILTIN, s.span(), s.name() + " is built into the language",
                        "choose another name");
                continue;
            }
            Symbol previous = table.get(s.name());
            if (previous != null) {
                diagnostics.error(Key.DUPLICATE_DEFINITION, s.span(),
                        s.name() + " is already defined as a " + previous.kind(), null,
                        previous.span(), "first definition of " + s.name());
                continue;
            }
            table.put(s.name(), s);
        }
    }

    private void resolveAlias(Symbol.Alias alias, Scope scope) {
        Set<Symbol> visited = new HashSet<>();
        Symbol current = alias;
        while (current instanceof Symbol.Alias a) {
            if (!visited.add(a)) {
                diagnostics.error(Key.CYCLE, alias.span(), "the alias " + alias.name() + " never reaches a definition",
                        "an alias must name a function, neuron or optimizer");
                return;
            }
            if (a.resolved()[0] != null) {
                current = a.resolved()[0];
                break;
            }
            String target = a.decl().target().name();
            Symbol next = scope.lookup(target);
            if (next == null) {
                var d = diagnostics.error(Key.UNDEFINED_FUNCTION, a.decl().target().span(),
                        "the alias " + a.name() + " names " + target + ", which is not defined");
                String guess = Suggest.closest(target, scope.names());
                if (guess != null) diagnostics.report(d.withHint("did you mean " + guess + "?"));
                return;
            }
            current = next;
        }
        if (current instanceof Symbol.Network n) {
            diagnostics.error(Key.NOT_A_FUNCTION, alias.decl().target().span(),
                    "an alias names a function, neuron or optimizer, but " + n.name() + " is a network");
            return;
        }
        alias.resolved()[0] = current;
    }
}
