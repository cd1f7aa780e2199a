package dev.nnc.ir;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The ranges index arithmetic implies, in one place for the checker (which reports) and LOWER (which builds):
 * an index that subscripts only through affine subscripts ({@code x[i+p−1]}) gets the largest range that
 * reads nothing outside the tensor — a "valid" convolution, as Tensor Comprehensions infers it. Everything is
 * 1-based here, as written: a use is {@code Σ c·v + constant} read in a dimension of {@code extent}.
 *
 * @param <V> an index variable (the checker's or the IR's)
 */
public final class Windows {
    private Windows() {}

    public record Term<V>(V v, int coefficient) {}

    /** Whether any of these defs reads through an affine subscript: the network uses index arithmetic. */
    public static boolean used(List<Def> defs) {
        boolean[] any = {false};
        for (Def d : defs) {
            Exprs.visit(d.body(), e -> any[0] |= e instanceof Ex.Load l && l.idx().stream().anyMatch(i -> i instanceof Idx.Affine));
        }
        return any[0];
    }

    /** One affine subscript of one read, and what to say about it. */
    public record Use<V, P>(List<Term<V>> terms, long constant, int extent, P where) {
        public Use { terms = List.copyOf(terms); }
    }

    /** The smallest position the use reads, every variable over 1 … its range. */
    public static <V> long min(Use<V, ?> u, Function<V, Integer> range) {
        long m = u.constant();
        for (var t : u.terms()) m += t.coefficient() > 0 ? t.coefficient() : (long) t.coefficient() * range.apply(t.v());
        return m;
    }

    /** The largest position the use reads. */
    public static <V> long max(Use<V, ?> u, Function<V, Integer> range) {
        long m = u.constant();
        for (var t : u.terms()) m += t.coefficient() > 0 ? (long) t.coefficient() * range.apply(t.v()) : t.coefficient();
        return m;
    }

    /**
     * The largest n for which v over 1 … n keeps the use within 1 … extent, the other variables over their ranges;
     * 0 when not even n = 1 does.
     */
    public static <V> long largest(Use<V, ?> u, V v, Function<V, Integer> range) {
        long a = 0, lo = u.constant(), hi = u.constant();
        for (var t : u.terms()) {
            if (t.v().equals(v)) {
                a += t.coefficient();
                continue;
            }
            long c = t.coefficient(), r = range.apply(t.v());
            lo += c > 0 ? c : c * r;
            hi += c > 0 ? c * r : c;
        }
        if (a == 0) return Long.MAX_VALUE; // v does not move the position
        long n;
        if (a > 0) {
            if (a + lo < 1) return 0;
            n = Math.floorDiv(u.extent() - hi, a);
        } else {
            if (a + hi > u.extent()) return 0;
            n = Math.floorDiv(lo - 1, -a);
        }
        return Math.max(0, n);
    }

    /**
     * Ranges for the variables {@code range} does not know (it returns null for them): each from the uses in which
     * it is the only unknown, the smallest of their {@link #largest}; repeated while that settles another. A
     * variable left out of the result could not be settled; a range of 0 means it would read outside whatever it is.
     */
    public static <V, P> Map<V, Long> solve(List<Use<V, P>> uses, Function<V, Integer> range) {
        Map<V, Long> found = new LinkedHashMap<>();
        Map<V, Integer> now = new HashMap<>();
        Function<V, Integer> known = v -> {
            Integer r = range.apply(v);
            return r != null ? r : now.get(v);
        };
        boolean progress = true;
        while (progress) {
            progress = false;
            Map<V, Long> round = new LinkedHashMap<>();
            for (var u : uses) {
                V only = null;
                int unknown = 0;
                for (var t : u.terms()) {
                    if (known.apply(t.v()) == null && !t.v().equals(only)) {
                        only = t.v();
                        unknown++;
                    }
                }
                if (unknown != 1) continue;
                long n = largest(u, only, known);
                round.merge(only, n, Math::min);
            }
            for (var e : round.entrySet()) {
                long n = Math.min(e.getValue(), Integer.MAX_VALUE);
                found.put(e.getKey(), n);
                now.put(e.getKey(), (int) Math.max(n, 1)); // an empty range is reported; go on as if 1
                progress = true;
            }
        }
        return found;
    }

    /** The use whose {@link #largest} gave v's range: the read to name when that range is empty. */
    public static <V, P> Use<V, P> limiting(List<Use<V, P>> uses, V v, Function<V, Integer> range) {
        Use<V, P> best = null;
        long n = Long.MAX_VALUE;
        for (var u : uses) {
            if (u.terms().stream().noneMatch(t -> t.v().equals(v))) continue;
            boolean others = u.terms().stream().allMatch(t -> t.v().equals(v) || range.apply(t.v()) != null);
            if (!others) continue;
            long m = largest(u, v, range);
            if (m < n) {
                n = m;
                best = u;
            }
        }
        return best;
    }
}
