package dev.nnc.runtime.compiled;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model jar's command line, read by hand because the runtime depends on the JDK alone: {@code --name VALUE} or
 * {@code --name=VALUE}; an option in {@code lists} may be repeated and splits at commas (as nnc's {@code --input}
 * does), any other may be given once. Every option {@link ModelMain} asks for is required unless it checks
 * {@link #has} first.
 */
record Args(String command, Map<String, List<String>> values, boolean help) {
    /** A usage mistake, in one line. */
    static final class Mistake extends Exception {
        Mistake(String message) { super(message, null, false, false); }
    }

    static Args parse(String command, String[] args, List<String> options, List<String> lists) throws Mistake {
        Map<String, List<String>> values = new LinkedHashMap<>();
        boolean help = false;
        for (int k = 1; k < args.length; k++) {
            String arg = args[k], value = null;
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("-")) throw new Mistake("unexpected argument " + arg + " for " + command);
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (!options.contains(arg)) {
                throw new Mistake(options.isEmpty() ? command + " takes no options, not " + arg
                        : "unknown option " + arg + " for " + command + "; it takes " + String.join(", ", options));
            }
            if (value == null) {
                if (k + 1 >= args.length) throw new Mistake(arg + " needs a value");
                value = args[++k];
            }
            var list = values.computeIfAbsent(arg, x -> new ArrayList<>());
            if (lists.contains(arg)) {
                for (String part : value.split(",")) if (!part.isEmpty()) list.add(part);
            } else {
                if (!list.isEmpty()) throw new Mistake(arg + " is given twice");
                list.add(value);
            }
        }
        return new Args(command, values, help);
    }

    boolean has(String option) { return values.containsKey(option); }

    Path path(String option) throws Mistake { return paths(option).get(0); }

    List<Path> paths(String option) throws Mistake {
        List<String> v = values.get(option);
        if (v == null || v.isEmpty()) throw new Mistake(command + " needs " + option);
        List<Path> paths = new ArrayList<>();
        for (String s : v) {
            try {
                paths.add(Path.of(s));
            } catch (InvalidPathException e) {
                throw new Mistake(option + ": " + s + " is not a file name");
            }
        }
        return paths;
    }
}
