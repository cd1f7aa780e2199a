package dev.nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void spellings() {
        assertEquals(new Schedule.Constant(), Schedule.parse("constant"));
        assertEquals(new Schedule.Step(5, 0.5), Schedule.parse("step(5, 0.5)"));
        assertEquals(new Schedule.Cosine(0), Schedule.parse(" cosine "));
        assertEquals(new Schedule.Cosine(0.01), Schedule.parse("cosine(0.01)"));
        assertEquals("step(5, 0.5)", Schedule.parse("step(5,0.5)").spelling());
    }

    @Test
    void factors() {
        var step = new Schedule.Step(2, 0.1);
        assertEquals(1, step.factor(0, 0, 100));
        assertEquals(1, step.factor(1, 0, 100));
        assertEquals(0.1, step.factor(2, 0, 100), 1e-15);
        assertEquals(0.01, step.factor(5, 0, 100), 1e-15);
        var cos = new Schedule.Cosine(0.1);
        assertEquals(1, cos.factor(0, 0, 11), 1e-15);
        assertEquals(0.55, cos.factor(0, 5, 11), 1e-15);
        assertEquals(0.1, cos.factor(0, 10, 11), 1e-15);
    }

    @Test
    void mistakesSayWhatIsAccepted() {
        for (String bad : List.of("linear", "step(5)", "step(0, 0.5)", "cosine(2)", "step(a, b)")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad));
            assertEquals(true, e.getMessage().startsWith("cannot read the schedule \"" + bad + "\""), e.getMessage());
            assertEquals(true, e.getMessage().contains("step(EPOCHS, GAMMA)"), e.getMessage());
        }
    }

    @Test
    void historyRoundTripsExactly() {
        var h = List.of(new EpochStats(1, 0.1, 0.2, 0.3, Double.NaN, Double.NaN, 1.5), new EpochStats(2, 1e-17, Math.PI, 1, 0.5, 0.25, 0.001));
        assertEquals(h, EpochStats.decode(EpochStats.encode(h)));
    }
}
