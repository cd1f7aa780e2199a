package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.nnc.runtime.Signature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizationTest {
    /** x[2] and a scalar input z, target y; three samples. */
    private static final Signature SIG = sig(List.of(t("x", 2), t("z")), List.of(t("y")));

    private static Dataset data() {
        return new Dataset(3, Map.of("x", new double[] {1, 10, 3, 10, 5, 10}, "z", new double[] {-2, 0, 2},
                "y", new double[] {7, 8, 9}), SIG.inputs(), SIG.targets(), List.of(Path.of("d.csv")), new Format.Csv(), List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "none; none", " None ; none", "scale(255); scale(255)", "SCALE( 2.5 ); scale(2.5)", "/255; scale(255)",
            "/ 0.5; scale(0.5)", "minmax; minmax", "standard; standard"})
    void spellings(String text, String encoded) {
        assertEquals(encoded, Normalization.parse(text).encode());
    }

    @Test void unknownSpellingsListTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.parse("zscore"));
        assertEquals("there is no normalization zscore; " + Normalization.USAGE, e.getMessage());
    }

    /** What --normalize is told and what a train block says meet the same rule, with the number as it was written. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "scale(0) | the D of scale(D), the divisor, must be a finite number other than 0, not 0",
            "/1e999 | the D of scale(D), the divisor, must be a finite number other than 0, not 1e999",
            "scale(-0.0) | the D of scale(D), the divisor, must be a finite number other than 0, not -0.0",
            "/abc | cannot read the normalization \"/abc\": abc is not a number; USAGE",
            "scale(NaN) | cannot read the normalization \"scale(NaN)\": NaN is not a number; USAGE",
            "scale() | scale takes one number, scale(D), not 0",
            "scale(1, 2) | scale takes one number, scale(D), not 2",
            "minmax(3) | minmax takes no numbers, not 1",
            "/ | cannot read the normalization \"/\": a number is missing; USAGE"})
    void scaleNeedsAFiniteNonZeroNumber(String text, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.parse(text));
        assertEquals(message.replace("USAGE", Normalization.USAGE), e.getMessage());
    }

    @Test void ofIsWhatParseReads() {
        assertEquals(new Normalization.Scale(255), Normalization.of("scale", List.of(255.0)));
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.of("scale", List.of(0.0)));
        assertEquals("the D of scale(D), the divisor, must be a finite number other than 0, not 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalization.of("scale", List.of(Double.POSITIVE_INFINITY)));
    }

    @Test void noneLeavesTheDataAsItIs() {
        Dataset d = data();
        assertSame(d, new Normalization.None().fit(d, SIG).apply(d));
    }

    @Test void scaleDividesInputsNotTargets() {
        Dataset d = data();
        Dataset s = Normalization.parse("/2").fit(d, SIG).apply(d);
        assertArrayEquals(new double[] {0.5, 5, 1.5, 5, 2.5, 5}, s.column("x"));
        assertArrayEquals(new double[] {-1, 0, 1}, s.column("z"));
        assertSame(d.column("y"), s.column("y"));
        assertArrayEquals(new double[] {1, 10, 3, 10, 5, 10}, d.column("x"), "the original is unchanged");
    }

    @Test void minMaxMapsEachElementToZeroOneAndConstantsToZero() {
        Dataset d = data();
        var fitted = (Normalization.MinMax) new Normalization.MinMax().fit(d, SIG);
        assertArrayEquals(new double[] {1, 10}, fitted.min().get("x"));
        assertArrayEquals(new double[] {5, 10}, fitted.max().get("x"));
        Dataset n = fitted.apply(d);
        assertArrayEquals(new double[] {0, 0, 0.5, 0, 1, 0}, n.column("x"));
        assertArrayEquals(new double[] {0, 0.5, 1}, n.column("z"));
        assertArrayEquals(new double[] {7, 8, 9}, n.column("y"));
        assertEquals("minmax x=1:5,10:10 z=-2:2", fitted.encode());
    }

    @Test void standardUsesThePopulationDeviationAndOneForConstants() {
        Dataset d = data();
        var fitted = (Normalization.Standard) Normalization.parse("standard").fit(d, SIG);
        double sd = Math.sqrt(8.0 / 3);
        assertArrayEquals(new double[] {3, 10}, fitted.mean().get("x"));
        assertArrayEquals(new double[] {sd, 1}, fitted.std().get("x"));
        Dataset n = fitted.apply(d);
        assertArrayEquals(new double[] {-2 / sd, 0, 0, 0, 2 / sd, 0}, n.column("x"), 1e-15);
        assertArrayEquals(new double[] {-2 / sd, 0, 2 / sd}, n.column("z"), 1e-15);
    }

    @Test void fittedOnTrainingAppliedToOtherData() {
        var fitted = new Normalization.MinMax().fit(data(), SIG);
        Dataset other = new Dataset(1, Map.of("x", new double[] {9, 11}, "z", new double[] {0}), SIG.inputs(), List.of(),
                List.of(), new Format.Csv(), List.of());
        assertArrayEquals(new double[] {2, 0}, fitted.apply(other).column("x"), "outside the training range stays outside [0, 1]");
    }

    @Test void unfittedCannotBeApplied() {
        var e = assertThrows(IllegalStateException.class, () -> new Normalization.Standard().apply(data()));
        assertEquals("standard is not fitted; fit it on the training set first", e.getMessage());
        assertFalse(new Normalization.MinMax().fitted());
        assertTrue(new Normalization.Scale(3).fitted());
    }

    @Test void encodeDecodeRoundTripIsExact() {
        var r = new Random(11);
        int w = 50;
        double[] x = new double[3 * w];
        for (int k = 0; k < x.length; k++) x[k] = switch (k % 5) {
            case 0 -> r.nextGaussian() * 1e-300;
            case 1 -> r.nextDouble() * 1e12;
            case 2 -> -0.0;
            case 3 -> r.nextInt(256);
            default -> r.nextGaussian() / 3;
        };
        var sig = sig(List.of(t("x", w), t("β")), List.of());
        var d = new Dataset(3, Map.of("x", x, "β", new double[] {0.1, 0.2, 0.3}), sig.inputs(), List.of(), List.of(), new Format.Csv(), List.of());
        for (String kind : List.of("minmax", "standard")) {
            Normalization fitted = Normalization.parse(kind).fit(d, sig);
            String text = fitted.encode();
            assertFalse(text.contains("\n"));
            Normalization back = Normalization.decode(text);
            assertEquals(text, back.encode());
            assertArrayEquals(fitted.apply(d).column("x"), back.apply(d).column("x"), 0.0, kind);
            assertArrayEquals(fitted.apply(d).column("β"), back.apply(d).column("β"), 0.0, kind);
        }
        for (String s : List.of("none", "scale(255)", "scale(0.1)", "minmax", "standard", "scale(1.0E-300)")) {
            assertEquals(s, Normalization.decode(s).encode());
        }
        assertEquals(new Normalization.Scale(255), Normalization.decode("scale(255)"));
    }

    @Test void decodeRejectsGarbage() {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.decode("minmax x=1:2,3"));
        assertEquals("cannot decode the normalization pair \"3\": expected a:b, two finite numbers", e.getMessage());
    }

    @Test void defaultIsScale255ForByteImagesOnly() {
        assertEquals(new Normalization.None(), Normalization.defaultFor(data()));
        var sig = sig(List.of(t("x", 1)), List.of());
        var bytes = new Dataset(1, Map.of("x", new double[] {3}), sig.inputs(), List.of(), List.of(),
                new Format.Idx(Map.of("x", IdxType.UBYTE)), List.of());
        assertEquals(new Normalization.Scale(255), Normalization.defaultFor(bytes));
        var shorts = new Dataset(1, Map.of("x", new double[] {3}), sig.inputs(), List.of(), List.of(),
                new Format.Idx(Map.of("x", IdxType.SHORT)), List.of());
        assertEquals(new Normalization.None(), Normalization.defaultFor(shorts));
    }
}
