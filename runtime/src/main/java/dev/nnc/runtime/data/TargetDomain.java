package dev.nnc.runtime.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Values a target may take because of the loss that reads it: bce means something only for a target from 0 to 1
 * (a label, or a probability), cross-entropy only for one-hot or probability vectors, and the softmax-cross-entropy
 * rewrite's gradient p − y holds only for targets that sum to 1. The compiler says which targets have which
 * domain; the data readers check every value as they read it, so a target of 7 for bce is refused at its row and
 * column, like a word where a number belongs, instead of training on a loss that has no minimum.
 */
public sealed interface TargetDomain {
    /** The target's name, as the .nn source spells it. */
    String target();

    /** Every element at {@code element} (row-major from 0; {@link #ALL} for every element) lies in [lo, hi]. */
    record Range(String target, int element, double lo, double hi, String why) implements TargetDomain {}

    /** Each sample's elements sum to 1 (within 10⁻⁶): a one-hot or probability vector. */
    record Distribution(String target, String why) implements TargetDomain {}

    int ALL = -1;

    /**
     * The domains that matter where nothing is trained (eval, test data): the losses' ranges, not the sums to 1 that
     * only a rewrite's gradient assumes — its loss value is exact for any target.
     */
    static List<TargetDomain> forEvaluation(List<TargetDomain> domains) {
        return domains.stream().filter(d -> d instanceof Range).toList();
    }

    /** The range of {@code domains} that {@code v}, element {@code element} of {@code target}, lies outside, or null. */
    static Range outside(List<TargetDomain> domains, String target, int element, double v) {
        for (TargetDomain d : domains) {
            if (d instanceof Range r && r.target().equals(target) && (r.element() == ALL || r.element() == element) && !(v >= r.lo() && v <= r.hi())) {
                return r;
            }
        }
        return null;
    }

    /** The rule that {@code target}'s elements sum to 1, if there is one. */
    static Distribution distribution(List<TargetDomain> domains, String target) {
        for (TargetDomain d : domains) if (d instanceof Distribution s && s.target().equals(target)) return s;
        return null;
    }

    /** What a message says of a value outside a range: {@code 7 is outside 0 to 1: WHY}. */
    static String outsideText(String value, Range r) {
        return value + " is outside " + number(r.lo()) + " to " + number(r.hi()) + ": " + r.why();
    }

    /** What a message says of a sum that is not 1. */
    static String sumText(String target, double sum, Distribution d) {
        return "the target " + target + " sums to " + number(sum) + ", but " + d.why();
    }

    static boolean sumsToOne(double sum) {
        return Math.abs(sum - 1) <= 1e-6;
    }

    /** {@code 7} rather than {@code 7.0}, {@code 0.9} rather than {@code 0.8999999999999999}. */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }
}
