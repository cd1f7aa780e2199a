package dev.nnc.runtime.train;

import java.math.BigDecimal;

/**
 * What a number that a user gives may be: every numeric option of every command, every number of a train
 * block's settings and of the schedules and scalings spelled in them. One rule per kind of number, so that
 * {@code --epochs 0}, {@code epochs 0} in a train block and {@code step(0, 0.5)} are refused with the same words.
 * Every rule wants a finite number; the integer rules want one without a fraction, within what the setting holds.
 */
public enum NumberRule {
    /** epochs, batch, gradcheck's elements, a step schedule's epochs */
    POSITIVE_INTEGER("a positive integer", true, 1, Integer.MAX_VALUE),
    /** seeds */
    NON_NEGATIVE_INTEGER("a non-negative integer", true, 0, Long.MAX_VALUE),
    /** split, a step schedule's factor γ */
    FRACTION("a number in (0, 1]", false, 0, 1),
    /** a cosine schedule's floor */
    UNIT_INTERVAL("a number in [0, 1]", false, 0, 1),
    /** learning rates, gradcheck's tolerance */
    POSITIVE("a positive finite number", false, 0, Double.MAX_VALUE),
    /** scale's divisor */
    NON_ZERO("a finite number other than 0", false, -Double.MAX_VALUE, Double.MAX_VALUE),
    /** hyperparameters other than the learning rate */
    FINITE("a finite number", false, -Double.MAX_VALUE, Double.MAX_VALUE);

    private final String expected;
    private final boolean integer;
    private final double min, max;

    NumberRule(String expected, boolean integer, double min, double max) {
        this.expected = expected;
        this.integer = integer;
        this.min = min;
        this.max = max;
    }

    /** What the rule asks for, as a message says it: {@code a positive integer}. */
    public String expected() { return expected; }

    public boolean integer() { return integer; }

    /** Whether {@code v} keeps the rule. */
    public boolean accepts(double v) {
        if (!Double.isFinite(v) || v < min || v > max) return false;
        return switch (this) {
            case FRACTION, POSITIVE -> v > 0;
            case NON_ZERO -> v != 0;
            case POSITIVE_INTEGER, NON_NEGATIVE_INTEGER -> v == Math.rint(v) && v < 0x1p63; // a long holds it
            default -> true;
        };
    }

    /**
     * The number {@code text} spells, if it keeps the rule.
     *
     * @throws IllegalArgumentException {@code expected a positive integer, got 1.5}
     */
    public double parse(String text) {
        return exact(text).doubleValue();
    }

    /** For the integer rules: the integer {@code text} spells, exactly (a seed may be larger than a double holds). */
    public long parseLong(String text) {
        if (!integer) throw new IllegalStateException("internal: " + this + " is not an integer rule");
        return exact(text).longValueExact();
    }

    private BigDecimal exact(String text) {
        String s = text.strip();
        if (decimal(s)) {
            BigDecimal exact;
            try {
                exact = new BigDecimal(s);
            } catch (NumberFormatException e) { // an exponent beyond an int's range
                throw new IllegalArgumentException(problem(text));
            }
            if (integer) {
                // whole, and within the integer's range, compared exactly: 1e400 and 9223372036854775808 are not longs
                if (exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0) {
                    if (exact.compareTo(BigDecimal.valueOf(min)) >= 0 && exact.compareTo(new BigDecimal(Long.toString((long) max))) <= 0) return exact;
                }
            } else if (accepts(exact.doubleValue())) {
                return exact;
            }
        }
        throw new IllegalArgumentException(problem(text));
    }

    /** {@code expected a positive integer, got 1.5}: what the user gave, as they wrote it. */
    public String problem(String given) {
        return "expected " + expected + ", got " + (given.isBlank() ? "nothing" : given.strip());
    }

    /**
     * Whether {@code s} is a plain decimal number: sign, digits with an optional point, an optional exponent. Stricter
     * than {@link Double#parseDouble}, which also takes {@code 1d}, {@code 0x1p3} and {@code Infinity}. Scanned by
     * hand, not by a pattern: the data readers ask it of every cell.
     */
    public static boolean decimal(String s) {
        int n = s.length();
        int k = 0;
        if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
        int digits = 0;
        while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
            k++;
            digits++;
        }
        if (k < n && s.charAt(k) == '.') {
            k++;
            while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                k++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (k < n && (s.charAt(k) == 'e' || s.charAt(k) == 'E')) {
            k++;
            if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
            int exponent = 0;
            while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                k++;
                exponent++;
            }
            if (exponent == 0) return false;
        }
        return k == n;
    }

    /** Not Java's {@code 1d}, {@code 0x1p3} or {@code Infinity}. */

    /** A number as a message shows it: {@code 5}, not {@code 5.0}. */
    public static String show(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
