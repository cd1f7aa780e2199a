package dev.nnc.ast;

import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;

/**
 * Structural equality of ASTs that ignores where things were written (spans, source files): two programs
 * are equal when they mean the same tree. Used by the print-and-parse-again round-trip tests.
 */
public final class AstEquality {
    private AstEquality() {}

    public static boolean equal(Object a, Object b) { return firstDifference(a, b, "") == null; }

    /** A path to the first difference, or null when the trees are equal. */
    public static String firstDifference(Object a, Object b, String path) {
        if (a == b) return null;
        if (a == null || b == null) return path + ": " + a + " vs " + b;
        if (a instanceof Span || a instanceof SourceFile) return null;
        if (a.getClass() != b.getClass()) return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) return path + ": " + la.size() + " vs " + lb.size() + " elements";
            for (int i = 0; i < la.size(); i++) {
                String d = firstDifference(la.get(i), lb.get(i), path + "[" + i + "]");
                if (d != null) return d;
            }
            return null;
        }
        if (a instanceof Record) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    String d = firstDifference(c.getAccessor().invoke(a), c.getAccessor().invoke(b), path + "." + c.getName());
                    if (d != null) return d;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("internal: cannot read " + c, e);
                }
            }
            return null;
        }
        if (a instanceof Double da && b instanceof Double db) {
            return Double.compare(da, db) == 0 ? null : path + ": " + da + " vs " + db;
        }
        return Objects.equals(a, b) ? null : path + ": " + a + " vs " + b;
    }
}
