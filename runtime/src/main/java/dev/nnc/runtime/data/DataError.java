package dev.nnc.runtime.data;

import java.nio.file.Path;

/**
 * A data file the user gave is wrong: missing, malformed, or not fitting the network. The message is one line,
 * location first ({@code file:line:column:} for CSV, {@code file: byte N:} for IDX), then what is wrong and
 * what was expected, so a command can print it as it is, like a compiler diagnostic.
 *
 * <p>CSV lines and columns count from 1 (the header is line 1; a column is a cell's position in its row).
 * IDX byte offsets count from 0 in the decompressed data, and so do item numbers, as in the format's
 * description and in the tools that read it.
 */
public final class DataError extends Exception {
    public DataError(String message) {
        // One line, whatever a caller passed: a message with a line break would break the diagnostic's form.
        super(message.replace("\r", "\\r").replace("\n", "\\n"));
    }

    /**
     * Stops a read whose thread was interrupted — the reading was given up, as a training that fails before it uses
     * its data gives up the reads it started ({@code DataReading}) — at the next file, chunk or row, rather than
     * finishing what nobody will use.
     */
    static void stopIfInterrupted(Path file) throws DataError {
        if (Thread.currentThread().isInterrupted()) throw new DataError(file + ": reading stopped (interrupted)");
    }

    static DataError at(Path file, int line, int column, String what) {
        return new DataError(file + ":" + line + ":" + column + ": " + what);
    }

    static DataError at(Path file, int line, String what) {
        return new DataError(file + ":" + line + ": " + what);
    }

    static DataError atByte(Path file, long offset, String what) {
        return new DataError(file + ": byte " + offset + ": " + what);
    }

    /** At a byte of an IDX file that belongs to an item (a sample): {@code file: byte 20 (item 12): …}. */
    static DataError atItem(Path file, long offset, long item, String what) {
        return new DataError(file + ": byte " + offset + " (item " + item + "): " + what);
    }

    /**
     * Text from a data file as a message shows it: control characters escaped, so the message stays one line,
     * and long text cut, so one huge cell cannot drown the message.
     */
    static String show(String text) {
        var b = new StringBuilder();
        int shown = 0;
        for (int k = 0; k < text.length(); k++) {
            if (shown == 40) return b.append('…').toString();
            char c = text.charAt(k);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
            shown++;
        }
        return b.toString();
    }
}
