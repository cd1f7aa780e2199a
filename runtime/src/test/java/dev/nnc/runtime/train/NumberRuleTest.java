package dev.nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule against every kind of bad number: not finite, too large, negative, zero, fractional, not a number, empty. */
class NumberRuleTest {
    static final List<String> NEVER = List.of("NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "abc", "", " ", "1d",
            "0x10", "1,5", "1e99999999999", "--1");

    @Test
    void noRuleTakesWhatIsNotAFiniteDecimalNumber() {
        for (NumberRule rule : NumberRule.values()) {
            for (String text : NEVER) {
                var e = assertThrows(IllegalArgumentException.class, () -> rule.parse(text), rule + " " + text);
                assertEquals("expected " + rule.expected() + ", got " + (text.isBlank() ? "nothing" : text.strip()), e.getMessage());
            }
            for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) assertFalse(rule.accepts(v), rule + " " + v);
        }
    }

    @Test
    void eachRuleDrawsItsLine() {
        check(NumberRule.POSITIVE_INTEGER, List.of("1", "10", "+3", "2.0", "1e3", "2147483647"), List.of("0", "-1", "1.5", "2147483648", "1e10", "0.5"));
        check(NumberRule.NON_NEGATIVE_INTEGER, List.of("0", "7", "9007199254740992", "-0"), List.of("-1", "0.5", "9223372036854775808", "1e19"));
        check(NumberRule.FRACTION, List.of("1", "0.5", "1e-300", ".8"), List.of("0", "-0.5", "1.0001", "80", "1e-400"));
        check(NumberRule.UNIT_INTERVAL, List.of("0", "1", "0.01"), List.of("-0.01", "1.5"));
        check(NumberRule.POSITIVE, List.of("0.001", "1e300", "5"), List.of("0", "-1", "1e-400", "1e309"));
        check(NumberRule.NON_ZERO, List.of("-3", "255", "1e-300"), List.of("0", "-0", "0.0", "1e-400"));
        check(NumberRule.FINITE, List.of("-3", "0", "1.7976931348623157e308"), List.of("1.8e308"));
    }

    @Test
    void integersAreExact() {
        assertEquals(9223372036854775807L, NumberRule.NON_NEGATIVE_INTEGER.parseLong("9223372036854775807"));
        assertEquals(5L, NumberRule.POSITIVE_INTEGER.parseLong("5.0"));
        assertTrue(NumberRule.POSITIVE_INTEGER.accepts(3));
        assertFalse(NumberRule.POSITIVE_INTEGER.accepts(3.5));
        assertFalse(NumberRule.NON_NEGATIVE_INTEGER.accepts(0x1p63));
    }

    private static void check(NumberRule rule, List<String> good, List<String> bad) {
        for (String g : good) {
            double v = rule.parse(g);
            assertTrue(rule.accepts(v), rule + " accepts " + g);
        }
        for (String b : bad) {
            var e = assertThrows(IllegalArgumentException.class, () -> rule.parse(b), rule + " refuses " + b);
            assertEquals("expected " + rule.expected() + ", got " + b, e.getMessage());
        }
    }
}
