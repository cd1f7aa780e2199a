package dev.nnc.interp;

import dev.nnc.runtime.Batch;
import dev.nnc.ast.Names;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header whose names say which element of which input or target each column holds:
 * {@code x1}, {@code x[1]} or {@code x₁} for element 1 of x, {@code y} for a scalar y. (The training runtime
 * will grow more formats; this is what the reference interpreter's training needs.)
 */
public final class Csv {
    private Csv() {}

    /** A mistake in a data file: names the file, row and column. */
    public static final class BadData extends Exception {
        public BadData(String message) { super(message); }
    }

    public static Batch read(Path file, Graph g) throws IOException, BadData {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) throw new BadData(file + ": empty file, expected a header row");
        String[] header = lines.get(0).split(",", -1);
        Map<String, Tensor> byName = new HashMap<>();
        for (List<Tensor> ts : List.of(g.inputs(), g.targets())) for (Tensor t : ts) byName.put(t.name, t);
        Tensor[] tensor = new Tensor[header.length];
        int[] element = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            String h = Names.canonical(header[c].strip());
            var m = java.util.regex.Pattern.compile("(.+?)(?:\\[(\\d+)]|(\\d+)|([₀-₉]+))?").matcher(h);
            if (!m.matches()) throw new BadData(file + ":1: column " + (c + 1) + ": cannot read the name " + header[c]);
            String digits = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4) != null
                    ? m.group(4).chars().map(ch -> '0' + Names.subscriptDigit(ch)).collect(StringBuilder::new,
                    StringBuilder::appendCodePoint, StringBuilder::append).toString() : null;
            Tensor t = byName.get(m.group(1));
            if (t == null && byName.get(h) != null) {
                t = byName.get(h);
                digits = null;
            }
            if (t == null) throw new BadData(file + ":1: column " + (c + 1) + ": " + header[c] + " names no input or target of " + g.name());
            int at = digits == null ? 1 : Integer.parseInt(digits);
            if ((digits == null) != (t.size() == 1 && t.rank() == 0) || at < 1 || at > t.size()) {
                throw new BadData(file + ":1: column " + (c + 1) + ": " + header[c] + " does not fit " + t.name + t.shape);
            }
            tensor[c] = t;
            element[c] = at - 1;
        }
        int rows = 0;
        for (int r = 1; r < lines.size(); r++) if (!lines.get(r).isBlank()) rows++;
        Map<String, double[]> columns = new HashMap<>();
        for (Tensor t : byName.values()) columns.put(t.name, new double[rows * t.size()]);
        int row = 0;
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) continue;
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != header.length) {
                throw new BadData(file + ":" + (r + 1) + ": " + cells.length + " columns, but the header has " + header.length);
            }
            for (int c = 0; c < cells.length; c++) {
                double v;
                try {
                    v = Double.parseDouble(cells[c].strip());
                } catch (NumberFormatException e) {
                    throw new BadData(file + ":" + (r + 1) + ": column " + (c + 1) + " (" + header[c] + "): expected a number, found \"" + cells[c] + "\"");
                }
                columns.get(tensor[c].name)[row * tensor[c].size() + element[c]] = v;
            }
            row++;
        }
        return new Batch(rows, columns);
    }
}
