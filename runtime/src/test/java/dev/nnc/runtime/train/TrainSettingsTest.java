package dev.nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options' settings over the train block's over the defaults, and the messages that name where a setting came from. */
class TrainSettingsTest {
    private static TrainSettings block(Integer epochs, Double split, Long seed, List<Path> validation) {
        return new TrainSettings(List.of(Path.of("d.csv")), validation, List.of(), epochs, 16, split, seed, new RateSchedule.Cosine(0), null);
    }

    private static TrainSettings options(Integer epochs, Double split, Long seed, List<Path> validation, RateSchedule schedule) {
        return new TrainSettings(null, validation, null, epochs, null, split, seed, schedule, null);
    }

    @Test
    void anOptionOverridesTheBlockWhichOverridesTheDefault() {
        var m = options(3, null, null, null, null).over(block(50, 0.8, 7L, List.of()));
        assertEquals(3, m.epochs());
        assertEquals(16, m.batch());
        assertEquals(0.8, m.split());
        assertEquals(new RateSchedule.Cosine(0), m.schedule());
        assertEquals(List.of(Path.of("d.csv")), m.data());
        assertEquals(null, m.normalize()); // the data's default, chosen when it is read
        var none = TrainSettings.NONE.over(TrainSettings.NONE);
        assertEquals(List.of(TrainSettings.DEFAULT_EPOCHS, TrainSettings.DEFAULT_BATCH), List.of(none.epochs(), none.batch()));
        assertEquals(new RateSchedule.Constant(), none.schedule());
        assertEquals(List.of(), none.validation());
        assertEquals(TrainSettings.DEFAULT_SPLIT, none.split());
    }

    @Test
    void aResumedRunKeepsItsSeedUnlessTheOptionSaysOtherwise() {
        var fromBlock = TrainSettings.NONE.over(block(null, null, 7L, List.of()));
        assertEquals(7, fromBlock.seed(null));
        assertEquals(42, fromBlock.seed(42L));
        assertEquals(5, options(null, null, 5L, null, null).over(block(null, null, 7L, List.of())).seed(42L));
        assertEquals(TrainSettings.DEFAULT_SEED, TrainSettings.NONE.over(TrainSettings.NONE).seed(null));
    }

    @Test
    void aMistakeNamesTheOptionItCameFrom() {
        var byOption = options(null, 0.5, null, null, null).over(block(null, null, null, List.of(Path.of("v.csv"))));
        assertEquals("--split: " + TrainSettings.CONFLICT, assertThrows(IllegalArgumentException.class, () -> byOption.check("adam", true, "none")).getMessage());
        assertEquals("--split 0.5", byOption.splitSource());
        var byValidation = options(null, null, null, List.of(Path.of("v.csv")), null).over(block(null, 0.0001, null, List.of()));
        assertEquals("--validation: " + TrainSettings.CONFLICT, assertThrows(IllegalArgumentException.class, () -> byValidation.check("adam", true, "none")).getMessage());
        assertEquals("split 0.0001 in the train block", byValidation.splitSource());
        var schedule = options(null, null, null, null, new RateSchedule.Step(5, 0.5)).over(TrainSettings.NONE);
        assertEquals("--schedule: " + TrainSettings.scheduleWithoutRate("sign"),
                assertThrows(IllegalArgumentException.class, () -> schedule.check("sign", false, "none")).getMessage());
        assertEquals("--optimizer: " + TrainSettings.scheduleWithoutRate("sign"),
                assertThrows(IllegalArgumentException.class, () -> TrainSettings.NONE.over(block(null, null, null, List.of())).check("sign", false, "none")).getMessage());
        assertEquals("no data", assertThrows(IllegalArgumentException.class, () -> TrainSettings.NONE.over(TrainSettings.NONE).check("gd", true, "no data")).getMessage());
        TrainSettings.NONE.over(block(null, 1.0, null, List.of(Path.of("v.csv")))).check("adam", true, "none"); // a split of 1 validates on the files
    }

    @Test
    void numericSettingsKeepTheirRules() {
        assertEquals(NumberRule.POSITIVE_INTEGER, TrainSettings.rule(TrainSettings.EPOCHS));
        assertEquals(NumberRule.FRACTION, TrainSettings.rule(TrainSettings.SPLIT));
        assertThrows(IllegalArgumentException.class, () -> TrainSettings.rule(TrainSettings.DATA));
    }
}
