package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.opt.Stability;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** {@code --no-rewrite NAME}: the stability rewrites a command may turn off, for completion and the build's request. */
final class Rewrites implements Iterable<String> {
    @Override public Iterator<String> iterator() { return Stability.RULES.iterator(); }

    /** The request for a build; a rewrite or optimizer that does not exist is a usage mistake. */
    static Build.Request request(List<String> off, String optimizer, Double lr, CommandLine.Model.CommandSpec spec) {
        try {
            return new Build.Request(Set.copyOf(off), optimizer, lr);
        } catch (Build.BadRequest e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
