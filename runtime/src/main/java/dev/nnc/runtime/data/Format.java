package dev.nnc.runtime.data;

import java.util.Map;

/**
 * The kind of file a {@link Dataset} came from. The trainer chooses a default normalisation from it:
 * unsigned-byte IDX images are pixels 0…255, while CSV values are taken as the user wrote them.
 */
public sealed interface Format {
    /** One CSV file. */
    record Csv() implements Format {}

    /** IDX files; the element type of each input's and target's file, by tensor name. */
    record Idx(Map<String, IdxType> types) implements Format {
        public Idx {
            types = Map.copyOf(types);
        }
    }
}
