package dev.nnc.runtime.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Splits CSV text into rows of cells (RFC 4180): commas between cells; a cell in double quotes may hold commas,
 * line breaks and doubled quotes ({@code ""} for one {@code "}). Rows end with LF, CRLF or CR. Whitespace around
 * a cell, inside its quotes or not, is dropped. Each cell keeps the line it starts on, since a quoted cell may span lines and a message
 * must point at the file's own line numbers.
 */
final class CsvCells {
    /**
     * One row. {@code blank}: a line with nothing on it (not even {@code ""}), allowed only at the end of the file.
     */
    record Row(int line, String[] cells, int[] lines, boolean blank) {}

    private final Path file;
    private final String s;
    private int i;
    private int line = 1;

    CsvCells(Path file, byte[] bytes) throws DataError {
        this.file = file;
        String text = utf8(file, bytes);
        // A byte-order mark is how some editors (and Excel) start UTF-8 files; it is not part of the first name.
        this.s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The next row, or null at the end of the text. */
    Row next() throws DataError {
        int n = s.length();
        if (i >= n) return null;
        int start = line;
        var cells = new ArrayList<String>();
        var lines = new ArrayList<Integer>();
        boolean quoted = false;
        while (true) {
            int cellLine = line;
            int column = cells.size() + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            String cell;
            if (i < n && s.charAt(i) == '"') {
                quoted = true;
                // Stripped like an unquoted cell: names and numbers never mean their surrounding spaces.
                cell = quoted(cellLine, column).strip();
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
                if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    throw DataError.at(file, line, column, "text after the closing quote of \"" + DataError.show(cell)
                            + "\"; expected a comma or the end of the line (a quote inside a quoted cell is written \"\")");
                }
            } else {
                int b = i;
                while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') i++;
                cell = s.substring(b, i).strip();
            }
            cells.add(cell);
            lines.add(cellLine);
            if (i < n && s.charAt(i) == ',') {
                i++;
                continue;
            }
            endOfLine();
            break;
        }
        int[] at = new int[lines.size()];
        for (int k = 0; k < at.length; k++) at[k] = lines.get(k);
        boolean blank = !quoted && cells.size() == 1 && cells.get(0).isEmpty();
        return new Row(start, cells.toArray(String[]::new), at, blank);
    }

    /** A quoted cell, from its opening quote to just after its closing one. */
    private String quoted(int openLine, int column) throws DataError {
        int n = s.length();
        i++;
        var b = new StringBuilder();
        while (true) {
            if (i >= n) {
                throw DataError.at(file, openLine, column,
                        "unterminated quoted cell; expected a closing \" before the end of the file");
            }
            char c = s.charAt(i);
            if (c == '"') {
                if (i + 1 < n && s.charAt(i + 1) == '"') {
                    b.append('"');
                    i += 2;
                    continue;
                }
                i++;
                return b.toString();
            }
            if (c == '\r' || c == '\n') {
                int before = i;
                endOfLine();
                b.append(s, before, i);
                continue;
            }
            b.append(c);
            i++;
        }
    }

    private void endOfLine() {
        int n = s.length();
        if (i < n && s.charAt(i) == '\r') {
            i++;
            if (i < n && s.charAt(i) == '\n') i++;
            line++;
        } else if (i < n && s.charAt(i) == '\n') {
            i++;
            line++;
        }
    }

    /** The bytes as UTF-8; anything else is reported at its line and byte, not silently replaced. */
    private static String utf8(Path file, byte[] bytes) throws DataError {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int k = 0; k < at; k++) if (bytes[k] == '\n') line++;
            throw DataError.at(file, line, String.format(
                    "byte %d (0x%02X) is not UTF-8 text; expected a CSV file of UTF-8 text", at, bytes[at] & 0xFF));
        }
        d.flush(out);
        return out.flip().toString();
    }
}
