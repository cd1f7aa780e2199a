package dev.nnc.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscript in the IR: an index variable, a fixed position (0-based here, 1-based in the source), or an affine
 * combination {@code Σ coefficient·v + constant} of variables (index arithmetic: {@code x[i+p−1]}). Values are
 * 0-based throughout: a variable runs over 0 … range − 1, so the source's {@code x[i+p−1]} is {@code i + p} here.
 * {@link #affine} keeps the simplest form, so a subscript that is a plain variable or position is always
 * {@link Var} or {@link Fixed}, never an {@link Affine}.
 */
public sealed interface Idx {
    record Var(IndexVar v) implements Idx {}

    record Fixed(int position) implements Idx {}

    /** At least two terms, or one whose coefficient is not 1 or with a constant; no coefficient is 0. */
    record Affine(List<Term> terms, int constant) implements Idx {
        public Affine { terms = List.copyOf(terms); }
    }

    record Term(IndexVar v, int coefficient) {}

    static Idx of(IndexVar v) { return new Var(v); }

    /** v's coefficient in i (0 where i does not use v). */
    static int coefficient(Idx i, IndexVar v) {
        int c = 0;
        for (Term t : terms(i)) if (t.v() == v) c += t.coefficient();
        return c;
    }

    /** The simplest subscript for Σ coefficient·v + constant: like terms merged, zero ones dropped. */
    static Idx affine(List<Term> terms, int constant) {
        Map<IndexVar, Integer> merged = new LinkedHashMap<>();
        for (Term t : terms) merged.merge(t.v(), t.coefficient(), Math::addExact);
        List<Term> kept = new ArrayList<>();
        merged.forEach((v, c) -> {
            if (c != 0) kept.add(new Term(v, c));
        });
        if (kept.isEmpty()) return new Fixed(constant);
        if (kept.size() == 1 && kept.get(0).coefficient() == 1 && constant == 0) return new Var(kept.get(0).v());
        return new Affine(kept, constant);
    }

    /** i's terms: one of coefficient 1 for a variable, none for a position. */
    static List<Term> terms(Idx i) {
        return switch (i) {
            case Var v -> List.of(new Term(v.v(), 1));
            case Fixed f -> List.of();
            case Affine a -> a.terms();
        };
    }

    static int constant(Idx i) {
        return switch (i) {
            case Var v -> 0;
            case Fixed f -> f.position();
            case Affine a -> a.constant();
        };
    }

    /** i with each variable replaced by what {@code by} maps it to (another subscript), composed affinely. */
    static Idx substitute(Idx i, Map<IndexVar, Idx> by) {
        if (i instanceof Fixed) return i;
        List<Term> out = new ArrayList<>();
        int constant = constant(i);
        for (Term t : terms(i)) {
            Idx to = by.get(t.v());
            if (to == null) {
                out.add(t);
                continue;
            }
            for (Term u : terms(to)) out.add(new Term(u.v(), Math.multiplyExact(t.coefficient(), u.coefficient())));
            constant = Math.addExact(constant, Math.multiplyExact(t.coefficient(), constant(to)));
        }
        return affine(out, constant);
    }

    /** c·i + k. */
    static Idx scaled(Idx i, int c, int k) {
        List<Term> out = new ArrayList<>();
        for (Term t : terms(i)) out.add(new Term(t.v(), Math.multiplyExact(c, t.coefficient())));
        return affine(out, Math.addExact(Math.multiplyExact(c, constant(i)), k));
    }

    /** The smallest and largest value over the variables' ranges. */
    static long min(Idx i) {
        long m = constant(i);
        for (Term t : terms(i)) m += t.coefficient() > 0 ? 0 : (long) t.coefficient() * (t.v().range() - 1);
        return m;
    }

    static long max(Idx i) {
        long m = constant(i);
        for (Term t : terms(i)) m += t.coefficient() > 0 ? (long) t.coefficient() * (t.v().range() - 1) : 0;
        return m;
    }
}
