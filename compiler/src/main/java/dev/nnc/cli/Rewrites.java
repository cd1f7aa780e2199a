package dev.nnc.cli;

import dev.nnc.driver.Compile;
import dev.nnc.opt.Stability;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** {@code --no-rewrite NAME}: the stability rewrites a command may turn off, checked by name. */
final class Rewrites implements Iterable<String> {
    @Override public java.util.Iterator<String> iterator() { return Stability.RULES.iterator(); }

    static Compile.Options options(List<String> off, CommandLine.Model.CommandSpec spec) {
        for (String r : off) {
            if (!Stability.RULES.contains(r)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--no-rewrite: there is no rewrite " + r + "; the rewrites are "
                        + String.join(", ", Stability.RULES));
            }
        }
        return new Compile.Options(Set.copyOf(off), false);
    }
}
