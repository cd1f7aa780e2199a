package dev.nnc.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an element lies in its tensor's row-major storage: {@code constant + Σ stride · var} over the subscripts'
 * variables (an affine subscript's coefficient times its dimension's stride), the fixed parts folded into the
 * constant. The interpreter, the JVM generator and the CUDA
 * generator all address elements by it.
 *
 * @param terms one per variable of each subscript, in the order of the subscripts (a repeated variable twice)
 */
public record Offset(int constant, List<Term> terms) {
    public record Term(IndexVar v, int stride) {}

    public Offset { terms = List.copyOf(terms); }

    public static Offset of(Tensor t, List<Idx> at) {
        if (at.size() != t.rank()) throw new IllegalStateException("internal: " + t + " read with " + at.size() + " subscripts");
        int constant = 0, stride = 1;
        var terms = new ArrayList<Term>();
        for (int k = at.size() - 1; k >= 0; k--) {
            switch (at.get(k)) {
                case Idx.Fixed f -> constant += f.position() * stride;
                case Idx.Var v -> terms.add(0, new Term(v.v(), stride));
                case Idx.Affine a -> {
                    constant += a.constant() * stride;
                    var these = new ArrayList<Term>();
                    for (Idx.Term u : a.terms()) these.add(new Term(u.v(), u.coefficient() * stride));
                    terms.addAll(0, these);
                }
            }
            stride *= t.shape.get(k);
        }
        return new Offset(constant, terms);
    }

    /** The offset of an element whose subscripts are all fixed: where a tensor kept in registers has it. */
    public static int fixed(Tensor t, List<Idx> at) {
        Offset o = of(t, at);
        if (!o.terms.isEmpty()) throw new IllegalStateException("internal: " + t + " in registers with a variable subscript");
        return o.constant;
    }
}
