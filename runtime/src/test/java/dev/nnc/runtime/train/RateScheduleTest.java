package dev.nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateScheduleTest {
    @Test
    void spellings() {
        assertEquals(new RateSchedule.Constant(), RateSchedule.parse("constant"));
        assertEquals(new RateSchedule.Step(5, 0.5), RateSchedule.parse("step(5, 0.5)"));
        assertEquals(new RateSchedule.Cosine(0), RateSchedule.parse(" cosine "));
        assertEquals(new RateSchedule.Cosine(0.01), RateSchedule.parse("cosine(0.01)"));
        assertEquals("step(5, 0.5)", RateSchedule.parse("step(5,0.5)").spelling());
    }

    @Test
    void factors() {
        var step = new RateSchedule.Step(2, 0.1);
        assertEquals(1, step.factor(0, 0, 100));
        assertEquals(1, step.factor(1, 0, 100));
        assertEquals(0.1, step.factor(2, 0, 100), 1e-15);
        assertEquals(0.01, step.factor(5, 0, 100), 1e-15);
        var cos = new RateSchedule.Cosine(0.1);
        assertEquals(1, cos.factor(0, 0, 11), 1e-15);
        assertEquals(0.55, cos.factor(0, 5, 11), 1e-15);
        assertEquals(0.1, cos.factor(0, 10, 11), 1e-15);
    }

    /** Each kind of mistake, with the number as it was written; --schedule and a train block share these words. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "linear | there is no schedule linear; USAGE",
            "step(5) | step takes two numbers, step(E, γ), not 1",
            "constant(1) | constant takes no numbers, not 1",
            "cosine(0.1, 0.2) | cosine takes at most one number, cosine(MIN), not 2",
            "step(0, 0.5) | the E of step(E, γ), the epochs between reductions, must be a positive integer, not 0",
            "step(2.5, 0.5) | the E of step(E, γ), the epochs between reductions, must be a positive integer, not 2.5",
            "step(1e400, 0.5) | the E of step(E, γ), the epochs between reductions, must be a positive integer, not 1e400",
            "step(5, 0) | the γ of step(E, γ), the factor of each reduction, must be a number in (0, 1], not 0",
            "step(5, 1.5) | the γ of step(E, γ), the factor of each reduction, must be a number in (0, 1], not 1.5",
            "cosine(2) | the MIN of cosine(MIN), a fraction of α, must be a number in [0, 1], not 2",
            "cosine(-0.1) | the MIN of cosine(MIN), a fraction of α, must be a number in [0, 1], not -0.1",
            "step(a, b) | cannot read the schedule \"step(a, b)\": a is not a number; USAGE",
            "step(NaN, 0.5) | cannot read the schedule \"step(NaN, 0.5)\": NaN is not a number; USAGE",
            "step(5,) | cannot read the schedule \"step(5,)\": a number is missing; USAGE",
            "step 5 | cannot read the schedule \"step 5\"; USAGE"})
    void mistakesSayWhatIsAccepted(String bad, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> RateSchedule.parse(bad));
        assertEquals(message.replace("USAGE", RateSchedule.USAGE), e.getMessage());
    }

    @Test
    void ofIsWhatParseReads() {
        assertEquals(new RateSchedule.Step(5, 0.5), RateSchedule.of("step", List.of(5.0, 0.5)));
        assertEquals(new RateSchedule.Cosine(0), RateSchedule.of("cosine", List.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> RateSchedule.of("step", List.of(0.0, 0.5)));
        assertEquals("the E of step(E, γ), the epochs between reductions, must be a positive integer, not 0", e.getMessage());
    }

    @Test
    void historyRoundTripsExactlyWithoutTheTimes() {
        var h = List.of(new EpochStats(1, 0.1, 0.2, 0.3, Double.NaN, Double.NaN, 1.5), new EpochStats(2, 1e-17, Math.PI, 1, 0.5, 0.25, 0.001));
        var want = List.of(new EpochStats(1, 0.1, 0.2, 0.3, Double.NaN, Double.NaN, Double.NaN), new EpochStats(2, 1e-17, Math.PI, 1, 0.5, 0.25, Double.NaN));
        assertEquals("1:0.1,0.2,0.3,NaN,NaN;2:1.0E-17,3.141592653589793,1.0,0.5,0.25", EpochStats.encode(h));
        assertEquals(want, EpochStats.decode(EpochStats.encode(h)));
        assertEquals(want, EpochStats.decode("1:0.1,0.2,0.3,NaN,NaN,1.5;2:1.0E-17,3.141592653589793,1.0,0.5,0.25,0.001"), "an older file's times are read and dropped");
    }
}
