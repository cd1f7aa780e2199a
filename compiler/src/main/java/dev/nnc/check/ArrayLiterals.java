package dev.nnc.check;

import dev.nnc.ast.Init;
import dev.nnc.diag.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code param W[2,3] = [[1, 2, 3], [4, 5, 6]]}: the nesting of the literal must be the declared shape — a list
 * per dimension, as many entries as its size — and every element a finite constant. The values come out row-major.
 */
final class ArrayLiterals {
    private ArrayLiterals() {}

    static ParamInit values(Init.Values init, Shape shape, String param, Reporter reporter) {
        String declared = param + (shape.isScalar() ? "" : shape.toString());
        if (shape.isScalar()) {
            var elements = init.array().elements();
            reporter.error(Key.ARRAY_SHAPE, init.array().span(), param + " is a single number, but this gives a list of "
                    + elements.size(), elements.size() == 1 && elements.get(0) instanceof Init.Scalar one
                            ? "write the number without brackets: = " + one.value().span().text()
                            : "declare " + param + "[" + elements.size() + "] for a vector of " + elements.size());
            return null;
        }
        List<Double> out = new ArrayList<>();
        return collect(init.array(), shape, 0, declared, reporter, out) ? new ParamInit.Values(out) : null;
    }

    /** Adds the elements of a list at depth {@code d} (0 = the whole literal); false after reporting what does not fit. */
    private static boolean collect(Init.Array list, Shape shape, int d, String declared, Reporter reporter, List<Double> out) {
        int want = shape.dims().get(d);
        if (list.elements().size() != want) {
            reporter.error(Key.ARRAY_SHAPE, list.span(), entries(shape, d, declared, want) + ", but this list has "
                    + list.elements().size(), hint(shape));
            return false;
        }
        boolean ok = true;
        for (Init.Element e : list.elements()) {
            switch (e) {
                case Init.Array nested when d + 1 == shape.rank() -> {
                    reporter.error(Key.ARRAY_SHAPE, nested.span(), declared + " has " + dimensions(shape.rank())
                            + ", so a list nested " + (d + 2) + " deep is one too many", hint(shape));
                    return false;
                }
                case Init.Array nested -> ok &= collect(nested, shape, d + 1, declared, reporter, out);
                case Init.Scalar number when d + 1 < shape.rank() -> {
                    reporter.error(Key.ARRAY_SHAPE, number.span(), declared + " has " + dimensions(shape.rank())
                            + ", so each entry here is a list of " + shape.dims().get(d + 1) + ", not a number",
                            hint(shape));
                    return false;
                }
                case Init.Scalar number -> {
                    Double v = Constants.eval(number.value(), reporter, "an element of " + declared);
                    if (v == null) ok = false;
                    else out.add(v);
                }
            }
        }
        return ok;
    }

    private static String entries(Shape shape, int d, String declared, int want) {
        if (shape.rank() == 1) return declared + " has " + want + (want == 1 ? " element" : " elements");
        if (shape.rank() == 2) return d == 0 ? declared + " has " + want + (want == 1 ? " row" : " rows")
                : "each row of " + declared + " has " + want + (want == 1 ? " number" : " numbers");
        return "dimension " + (d + 1) + " of " + declared + " has " + want + (want == 1 ? " entry" : " entries");
    }

    private static String dimensions(int rank) { return rank == 1 ? "1 dimension" : rank + " dimensions"; }

    /** How to write a literal of this shape: "write [[1, 2, 3], [4, 5, 6]]" when small, else in words. */
    static String hint(Shape shape) {
        long size = 1;
        for (int n : shape.dims()) size = Math.min(size * n, 1000); // only "small or not" matters
        var b = new StringBuilder();
        if (size <= 12) {
            literal(shape, 0, b, new int[] {1});
            return "write " + b;
        }
        if (shape.rank() == 1) return "write all " + shape.dims().get(0) + " numbers: [1, 2, …]";
        for (int d = 0; d < shape.rank(); d++) {
            int n = shape.dims().get(d);
            b.append(d == 0 ? "" : " of ").append(n).append(d + 1 == shape.rank() ? (n == 1 ? " number" : " numbers") : (n == 1 ? " list" : " lists"));
        }
        return "write " + b + ": [[…], […], …]";
    }

    private static void literal(Shape shape, int d, StringBuilder b, int[] next) {
        b.append('[');
        for (int k = 0; k < shape.dims().get(d); k++) {
            if (k > 0) b.append(", ");
            if (d + 1 == shape.rank()) b.append(next[0]++);
            else literal(shape, d + 1, b, next);
        }
        b.append(']');
    }
}
