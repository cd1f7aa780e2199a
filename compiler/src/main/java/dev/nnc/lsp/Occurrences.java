package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Index;
import dev.nnc.ast.Member;
import dev.nnc.ast.OptimizerStatement;
import dev.nnc.ast.Program;
import dev.nnc.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Every name written in a program, with the declaration it is written in and whether it declares or uses a name.
 *
 * <p>The walk goes through the AST's records by their components, reflectively, rather than by an exhaustive switch
 * over every node kind: it looks for one thing (identifiers) in every node, so a node kind added later is walked
 * without a change here, where a switch would have to learn it to find nothing new.
 */
final class Occurrences {
    private Occurrences() {}

    enum Role { DECLARES, INDEX, USES }

    record Occurrence(Ident ident, Decl decl, Role role) {}

    /** The name at a code-point offset (also just after its last character), or null. */
    static Occurrence at(Program program, int offset) {
        Occurrence best = null;
        for (Occurrence o : all(program)) {
            var s = o.ident().span();
            if (s.file() == program.source() && s.start() <= offset && offset <= s.end()
                    && (best == null || s.end() - s.start() < best.ident().span().end() - best.ident().span().start())) {
                best = o;
            }
        }
        return best;
    }

    static List<Occurrence> all(Program program) {
        List<Occurrence> out = new ArrayList<>();
        for (Decl d : program.decls()) walk(d, d, Role.USES, out);
        return out;
    }

    private static void walk(Object node, Decl decl, Role role, List<Occurrence> out) {
        switch (node) {
            case null -> { }
            case Ident id -> out.add(new Occurrence(id, decl, role));
            case List<?> list -> {
                for (Object o : list) walk(o, decl, role, out);
            }
            case Record r -> {
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    if (c.getType() == Span.class) continue;
                    Object value;
                    try {
                        value = c.getAccessor().invoke(r);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("internal: " + r.getClass() + "." + c.getName(), e);
                    }
                    walk(value, decl, role(r, c.getName(), role), out);
                }
            }
            default -> { }
        }
    }

    /** What the names in component {@code name} of {@code parent} do. */
    private static Role role(Record parent, String name, Role inherited) {
        if (parent instanceof Index.Var || parent instanceof Index.Term || parent instanceof Index.Broken
                || parent instanceof Expr.Sum && name.equals("index")
                || parent instanceof Member.Equation && name.equals("indices")) {
            return Role.INDEX;
        }
        boolean declaring = parent instanceof Decl || parent instanceof Member.TensorDecl || parent instanceof Member.ParamDecl
                || parent instanceof Member.Equation || parent instanceof Member.Loss || parent instanceof Member.Layer
                || parent instanceof Decl.Param || parent instanceof OptimizerStatement.StateVar;
        if (declaring && name.equals("name")) return Role.DECLARES;
        return inherited == Role.DECLARES ? Role.USES : inherited;
    }
}
