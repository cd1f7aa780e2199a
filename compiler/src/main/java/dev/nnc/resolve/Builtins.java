package dev.nnc.resolve;

import dev.nnc.runtime.Primitive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The names the language defines: a function for each row of the runtime's table of primitives, and π. */
public final class Builtins {
    private Builtins() {}

    public static final Map<String, Symbol.Builtin> FUNCTIONS = functions();

    /** pad(x, n…), the one built-in function that is not a primitive. */
    public static final Symbol.Pad PAD = new Symbol.Pad();

    /** Named constants usable anywhere a number is. */
    public static final Map<String, Double> CONSTANTS = Map.of("π", Math.PI);

    /** The functions' names, for a hint: {@code exp/log/…}. */
    public static String functionNames() { return String.join("/", FUNCTIONS.keySet()); }

    /** The built-in function of that name, else null. */
    public static Symbol function(String name) { return name.equals(PAD.name()) ? PAD : FUNCTIONS.get(name); }

    private static Map<String, Symbol.Builtin> functions() {
        var m = new LinkedHashMap<String, Symbol.Builtin>();
        for (Primitive p : Primitive.values()) {
            if (m.put(p.spelling, new Symbol.Builtin(p)) != null) throw new IllegalStateException("internal: two primitives named " + p.spelling);
        }
        return Collections.unmodifiableMap(m);
    }
}
