package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.train.NumberRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one CSV file: a header row naming the columns ({@link CsvColumns}), then one sample per row. Only the
 * columns the network reads are parsed, so other columns (ids, comments) may hold anything.
 */
final class CsvReader {
    private CsvReader() {}

    static Dataset read(Path file, byte[] bytes, Signature sig, boolean needTargets, List<TargetDomain> domains) throws DataError {
        var rows = new CsvCells(file, bytes);
        CsvCells.Row header = rows.next();
        CsvCells.Row firstRow = header;
        while (firstRow != null && firstRow.blank()) firstRow = rows.next();
        if (firstRow == null) {
            throw new DataError(file + ": empty file; expected a header row of column names, then one row per sample");
        }
        if (header.blank()) {
            throw DataError.at(file, 1, "empty header; expected the column names on the first line, such as x1, x2, y");
        }
        var columns = new CsvColumns(file, header.cells(), sig, needTargets);
        List<TensorInfo> read = columns.read();
        int width = header.cells().length;
        double[][] values = new double[read.size()][];
        for (int k = 0; k < values.length; k++) values[k] = new double[16 * read.get(k).size()];
        int count = 0;
        int blankLine = 0;
        for (CsvCells.Row row = rows.next(); row != null; row = rows.next()) {
            DataError.stopIfInterrupted(file);
            if (row.blank()) {
                if (blankLine == 0) blankLine = row.line();
                continue;
            }
            if (blankLine != 0) {
                throw DataError.at(file, blankLine, "blank line between rows; expected one sample per line "
                        + "(blank lines are allowed only at the end of the file)");
            }
            String[] cells = row.cells();
            if (cells.length < width) {
                throw DataError.at(file, row.line(), cells.length + (cells.length == 1 ? " cell" : " cells")
                        + ", but the header has " + width + " columns; expected " + width + " cells in every row");
            }
            if (cells.length > width) {
                throw DataError.at(file, row.lines()[width], width + 1, cells.length + " cells, but the header has "
                        + width + " columns; expected " + width + " cells in every row");
            }
            for (int k = 0; k < values.length; k++) {
                int need = (count + 1) * read.get(k).size();
                if (need > values[k].length) values[k] = Arrays.copyOf(values[k], Math.max(need, 2 * values[k].length));
            }
            for (int c = 0; c < width; c++) {
                int k = columns.tensor[c];
                if (k < 0) continue;
                TensorInfo t = read.get(k);
                int at = count * t.size();
                if (columns.offset[c] == CsvColumns.LABEL) {
                    values[k][at + label(file, row, c, header, t)] = 1; // one-hot: in every target's domain
                    continue;
                }
                double v = number(file, row, c, header);
                values[k][at + columns.offset[c]] = v;
                if (k >= columns.inputs.size()) {
                    var outside = TargetDomain.outside(domains, t.name(), columns.offset[c], v);
                    if (outside != null) {
                        throw at(row, c, file, TargetDomain.outsideText(row.cells()[c] + " in column " + DataError.show(header.cells()[c]), outside));
                    }
                }
            }
            for (int k = columns.inputs.size(); k < read.size(); k++) sumsToOne(file, row, columns, k, read.get(k), values[k], count, domains);
            count++;
        }
        if (count == 0) {
            throw DataError.at(file, 1, "a header but no rows; expected one row per sample after the header");
        }
        Map<String, double[]> data = new HashMap<>();
        for (int k = 0; k < values.length; k++) data.put(read.get(k).name(), Arrays.copyOf(values[k], count * read.get(k).size()));
        return new Dataset(count, data, columns.inputs, columns.targets, List.of(file), new Format.Csv(), columns.notes);
    }

    /**
     * A target a rewrite assumed to be a distribution sums to 1 in this row (a class label column always does); if
     * not, the message points at the target's first column.
     */
    private static void sumsToOne(Path file, CsvCells.Row row, CsvColumns columns, int k, TensorInfo t, double[] values, int count,
                                  List<TargetDomain> domains) throws DataError {
        var rule = TargetDomain.distribution(domains, t.name());
        if (rule == null) return;
        double sum = 0;
        for (int e = 0; e < t.size(); e++) sum += values[count * t.size() + e];
        if (TargetDomain.sumsToOne(sum)) return;
        int first = 0;
        while (columns.tensor[first] != k) first++;
        throw at(row, first, file, TargetDomain.sumText(t.name(), sum, rule));
    }

    /** The cell as a finite number. */
    private static double number(Path file, CsvCells.Row row, int c, CsvCells.Row header) throws DataError {
        String cell = row.cells()[c];
        String column = "column " + DataError.show(header.cells()[c]);
        if (cell.isEmpty()) throw DataError.at(file, row.lines()[c], c + 1, "empty cell in " + column + "; expected a number");
        if (!NumberRule.decimal(cell)) {
            String word = cell.replaceFirst("^[+-]", "").toLowerCase(Locale.ROOT);
            if (word.equals("nan")) throw at(row, c, file, "\"" + cell + "\" in " + column + " is NaN; expected a finite number");
            if (word.equals("inf") || word.equals("infinity")) {
                throw at(row, c, file, "\"" + cell + "\" in " + column + " is infinite; expected a finite number");
            }
            throw at(row, c, file, "\"" + DataError.show(cell) + "\" in " + column + " is not a number");
        }
        double v = Double.parseDouble(cell);
        if (Double.isInfinite(v)) {
            throw at(row, c, file, "\"" + DataError.show(cell) + "\" in " + column + " is too large for a double; expected a finite number");
        }
        return v;
    }

    /** The cell as a class label of target {@code t}: its element (from 0) to set to 1. */
    private static int label(Path file, CsvCells.Row row, int c, CsvCells.Row header, TensorInfo t) throws DataError {
        String cell = row.cells()[c];
        String column = "column " + DataError.show(header.cells()[c]);
        String labels = "class labels of target " + t + " are 0 to " + (t.size() - 1);
        if (cell.isEmpty()) throw at(row, c, file, "empty cell in " + column + "; expected a class label (" + labels + ")");
        if (!NumberRule.decimal(cell)) {
            throw at(row, c, file, "\"" + DataError.show(cell) + "\" in " + column + " is not a class label; " + labels);
        }
        double v = Double.parseDouble(cell);
        if (v != Math.rint(v)) throw at(row, c, file, "class label " + cell + " in " + column + " is not an integer; " + labels);
        if (v < 0 || v >= t.size()) {
            throw at(row, c, file, "class label " + cell + " in " + column + " is out of range for target " + t + "; "
                    + "class labels are 0 to " + (t.size() - 1));
        }
        return (int) v;
    }

    private static DataError at(CsvCells.Row row, int c, Path file, String what) {
        return DataError.at(file, row.lines()[c], c + 1, what);
    }

}
