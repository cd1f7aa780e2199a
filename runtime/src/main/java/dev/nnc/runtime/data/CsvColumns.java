package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which input or target element each column of a CSV header gives. The names follow the language's own
 * spellings, elements counting from 1: {@code x1}, {@code x[1]} or {@code x₁} for element 1 of a vector,
 * {@code m[1,2]} or {@code m1_2} for a matrix, the bare name for a scalar, and for a vector target {@code y[k]}
 * (k ≥ 2) the bare name {@code y} for one column holding a class label 0…k−1.
 */
final class CsvColumns {
    /** What a header name refers to. */
    private sealed interface Match {}

    /** Element {@code offset} (row-major, from 0) of tensor {@code tensor}. */
    private record Element(int tensor, int offset) implements Match {}

    /** All of a vector target, as a class label to expand to one-hot. */
    private record Label(int tensor) implements Match {}

    /** Nothing the network reads; {@code why} is a hint for the note, or empty. */
    private record Unused(String why) implements Match {}

    /** Marks a column that gives a class label in {@link #offset}. */
    static final int LABEL = -1;

    private static final Pattern BRACKETS = Pattern.compile("(.+?)\\s*\\[([^\\]]*)]");
    private static final Pattern DIGITS = Pattern.compile("\\d+(_\\d+)*");
    private static final String SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

    /** The tensors that will be read: all inputs, then the targets that are there (or needed). */
    final List<TensorInfo> inputs = new ArrayList<>();
    final List<TensorInfo> targets = new ArrayList<>();
    /** Per column: the index into {@link #read()} of the tensor it gives, or -1 if it is not used. */
    final int[] tensor;
    /** Per column: the element it gives (row-major, from 0), or {@link #LABEL}. */
    final int[] offset;
    final List<String> notes = new ArrayList<>();

    private final Path file;
    private final String[] header;
    private final List<TensorInfo> all = new ArrayList<>();
    private final int inputCount;

    CsvColumns(Path file, String[] header, Signature sig, boolean needTargets) throws DataError {
        this.file = file;
        this.header = header;
        all.addAll(sig.inputs());
        all.addAll(sig.targets());
        inputCount = sig.inputs().size();
        int[][] elementColumn = new int[all.size()][];
        int[] labelColumn = new int[all.size()];
        for (int k = 0; k < all.size(); k++) {
            elementColumn[k] = new int[all.get(k).size()];
            Arrays.fill(elementColumn[k], -1);
            labelColumn[k] = -1;
        }
        Match[] match = new Match[header.length];
        for (int c = 0; c < header.length; c++) {
            String name = header[c];
            if (name.contains("[") && !name.contains("]")) splitAtCommas(c);
            Match m = name.isEmpty() ? new Unused("") : resolve(name, c);
            match[c] = m;
            // an if chain over the three kinds of Match: the runtime runs on Java 17, which has no switch over patterns
            if (m instanceof Element e) {
                int k = e.tensor();
                if (labelColumn[k] >= 0) throw mixed(k, labelColumn[k], c);
                int before = elementColumn[k][e.offset()];
                if (before >= 0) {
                    throw DataError.at(file, 1, c + 1, "columns " + show(before) + " (column " + (before + 1) + ") and "
                            + show(c) + " (column " + (c + 1) + ") both give " + kind(k) + " "
                            + element(all.get(k), e.offset()) + "; keep one of them");
                }
                elementColumn[k][e.offset()] = c;
            } else if (m instanceof Label l) {
                int k = l.tensor();
                if (labelColumn[k] >= 0) {
                    throw DataError.at(file, 1, c + 1, "columns " + show(labelColumn[k]) + " (column "
                            + (labelColumn[k] + 1) + ") and " + show(c) + " (column " + (c + 1)
                            + ") both give the class label of target " + all.get(k) + "; keep one of them");
                }
                for (int before : elementColumn[k]) if (before >= 0) throw mixed(k, c, before);
                labelColumn[k] = c;
            } else {
                Unused u = (Unused) m;
                notes.add(file + ":1:" + (c + 1) + ": column "
                        + (name.isEmpty() ? (c + 1) + " has no name and" : show(c)) + " is not used"
                        + (u.why().isEmpty() ? "" : "; " + u.why()));
            }
        }
        // Which tensors are read, and so the index each column's tensor has among them.
        int[] readIndex = new int[all.size()];
        for (int k = 0; k < all.size(); k++) {
            readIndex[k] = -1;
            int missing = -1;
            boolean any = labelColumn[k] >= 0;
            if (labelColumn[k] < 0) {
                for (int e = elementColumn[k].length - 1; e >= 0; e--) {
                    if (elementColumn[k][e] < 0) missing = e;
                    else any = true;
                }
            }
            boolean target = k >= inputCount;
            if (missing >= 0) {
                if (!target || needTargets) throw missing(k, missing);
                if (any) notes.add(file + ":1: target " + all.get(k) + " is not read: no column for "
                        + element(all.get(k), missing));
                continue;
            }
            readIndex[k] = inputs.size() + targets.size();
            (target ? targets : inputs).add(all.get(k));
        }
        tensor = new int[header.length];
        offset = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            tensor[c] = -1;
            if (match[c] instanceof Element e) {
                tensor[c] = readIndex[e.tensor()];
                offset[c] = e.offset();
            } else if (match[c] instanceof Label l) {
                tensor[c] = readIndex[l.tensor()];
                offset[c] = LABEL;
            }
        }
    }

    /** Inputs, then the targets read: the tensors {@link #tensor} indexes. */
    List<TensorInfo> read() {
        var r = new ArrayList<>(inputs);
        r.addAll(targets);
        return r;
    }

    /** m[1,2] unquoted: its commas made several cells of it. Easy to write, and otherwise baffling notes. */
    private void splitAtCommas(int c) throws DataError {
        int end = c + 1;
        while (end < header.length && !header[end].contains("]") && !header[end].contains("[")) end++;
        if (end < header.length && header[end].contains("]") && !header[end].contains("[")) {
            String whole = String.join(",", Arrays.asList(header).subList(c, end + 1));
            String underscores = whole.replaceAll("[\\s\\]]", "").replace('[', ',').replaceFirst(",", "").replace(',', '_');
            throw DataError.at(file, 1, c + 1, "column name " + DataError.show(whole) + " is split at its commas; expected "
                    + "it in quotes, \"" + DataError.show(whole) + "\", or written " + DataError.show(underscores));
        }
    }

    private Match resolve(String h, int column) throws DataError {
        for (int k = 0; k < all.size(); k++) {
            TensorInfo t = all.get(k);
            if (!t.name().equals(h)) continue;
            if (t.size() == 1) return new Element(k, 0);
            if (k >= inputCount && t.shape().size() == 1) return new Label(k);
            return new Unused(kind(k) + " " + t + " needs one column per element (" + spell(t, first(t)) + ", …)");
        }
        var m = BRACKETS.matcher(h);
        if (m.matches()) {
            String[] parts = m.group(2).split(",", -1);
            int[] idx = new int[parts.length];
            for (int p = 0; p < parts.length; p++) {
                String d = parts[p].strip();
                if (!d.matches("\\d+")) return new Unused("");
                idx[p] = number(d);
            }
            return element(m.group(1), idx);
        }
        int j = h.length();
        while (j > 0 && SUBSCRIPTS.indexOf(h.charAt(j - 1)) >= 0) j--;
        if (j > 0 && j < h.length()) {
            var d = new StringBuilder();
            for (int p = j; p < h.length(); p++) d.append((char) ('0' + SUBSCRIPTS.indexOf(h.charAt(p))));
            return element(h.substring(0, j).strip(), new int[] {number(d.toString())});
        }
        // x12 or m1_2: the name is a prefix, which may itself end in digits (x1[3] reads x11), so try each tensor.
        Element found = null;
        Unused why = new Unused("");
        for (TensorInfo t : all) {
            if (!h.startsWith(t.name()) || !DIGITS.matcher(h.substring(t.name().length())).matches()) continue;
            String[] parts = h.substring(t.name().length()).split("_");
            int[] idx = new int[parts.length];
            for (int p = 0; p < parts.length; p++) idx[p] = number(parts[p]);
            Match r = element(t.name(), idx);
            if (r instanceof Element e) {
                if (found != null) {
                    throw DataError.at(file, 1, column + 1, "column " + DataError.show(h) + " is ambiguous: it could be "
                            + element(all.get(found.tensor()), found.offset()) + " or " + element(all.get(e.tensor()), e.offset())
                            + "; write one of them with brackets");
                }
                found = e;
            } else if (why.why().isEmpty()) {
                why = (Unused) r;
            }
        }
        return found != null ? found : why;
    }

    /** Element {@code idx} (from 1) of the tensor named {@code base}. */
    private Match element(String base, int[] idx) {
        for (int k = 0; k < all.size(); k++) {
            TensorInfo t = all.get(k);
            if (!t.name().equals(base)) continue;
            List<Integer> shape = t.shape();
            if (shape.size() != idx.length) {
                return new Unused(kind(k) + " " + t + (shape.isEmpty() ? " is a scalar, read from column " + t.name()
                        : " has " + shape.size() + (shape.size() == 1 ? " index" : " indices")));
            }
            int off = 0;
            for (int p = 0; p < idx.length; p++) {
                if (idx[p] < 1 || idx[p] > shape.get(p)) {
                    return new Unused(kind(k) + " " + t + " has no element " + base + Arrays.toString(idx).replace(" ", "")
                            + (idx[p] == 0 ? "; elements count from 1" : ""));
                }
                off = off * shape.get(p) + idx[p] - 1;
            }
            return new Element(k, off);
        }
        return new Unused("");
    }

    private DataError missing(int k, int element) {
        TensorInfo t = all.get(k);
        int[] idx = indices(t, element);
        String expected = spell(t, idx);
        if (k >= inputCount && t.shape().size() == 1 && t.size() >= 2) {
            expected += ", or one column " + t.name() + " holding a class label 0 to " + (t.size() - 1);
        }
        String zero = "";
        if (t.shape().size() == 1) {
            for (String h : header) {
                if (h.equals(t.name() + "0") || h.equals(t.name() + "[0]") || h.equals(t.name() + "₀")) zero = "; elements count from 1";
            }
        }
        return DataError.at(file, 1, "no column for " + kind(k) + " " + element(t, element) + "; expected " + expected
                + " (the header has " + headerList() + ")" + zero);
    }

    private DataError mixed(int k, int labelCol, int elementCol) {
        return DataError.at(file, 1, Math.max(labelCol, elementCol) + 1, "columns " + show(labelCol) + " (column "
                + (labelCol + 1) + ", a class label) and " + show(elementCol) + " (column " + (elementCol + 1)
                + ", one element) both give target " + all.get(k) + "; keep one form");
    }

    /** The spellings of an element a header may use: {@code x2, x[2] or x₂}. */
    private static String spell(TensorInfo t, int[] idx) {
        String n = t.name();
        if (idx.length == 0) return n;
        if (idx.length == 1) {
            var sub = new StringBuilder();
            for (char d : Integer.toString(idx[0]).toCharArray()) sub.append(SUBSCRIPTS.charAt(d - '0'));
            return n + idx[0] + ", " + n + "[" + idx[0] + "] or " + n + sub;
        }
        var brackets = new StringBuilder(n).append('[');
        var underscores = new StringBuilder(n);
        for (int p = 0; p < idx.length; p++) {
            brackets.append(p == 0 ? "" : ",").append(idx[p]);
            underscores.append(p == 0 ? "" : "_").append(idx[p]);
        }
        return brackets.append("] or ").append(underscores).toString();
    }

    /** Element {@code offset} as the language writes it: {@code x[2]}, {@code m[1,2]}, or {@code y} for a scalar. */
    static String element(TensorInfo t, int offset) {
        int[] idx = indices(t, offset);
        if (idx.length == 0) return t.name();
        var b = new StringBuilder(t.name()).append('[');
        for (int p = 0; p < idx.length; p++) b.append(p == 0 ? "" : ",").append(idx[p]);
        return b.append(']').toString();
    }

    /** The indices (from 1) of element {@code offset} (row-major, from 0). */
    private static int[] indices(TensorInfo t, int offset) {
        int[] idx = new int[t.shape().size()];
        for (int p = idx.length - 1; p >= 0; p--) {
            idx[p] = offset % t.shape().get(p) + 1;
            offset /= t.shape().get(p);
        }
        return idx;
    }

    private static int[] first(TensorInfo t) {
        int[] idx = new int[t.shape().size()];
        Arrays.fill(idx, 1);
        return idx;
    }

    private String kind(int k) {
        return k < inputCount ? "input" : "target";
    }

    private String show(int column) {
        return DataError.show(header[column]);
    }

    /** The header's names, shortened when there are many (an image as CSV has hundreds of columns). */
    private String headerList() {
        if (header.length == 0) return "no columns";
        var names = new ArrayList<String>();
        for (String h : header) names.add(h.isEmpty() ? "\"\"" : DataError.show(h));
        if (names.size() <= 12) return String.join(", ", names);
        return names.size() + " columns: " + String.join(", ", names.subList(0, 8)) + ", …, "
                + String.join(", ", names.subList(names.size() - 2, names.size()));
    }

    /** A decimal index; absurdly long ones are simply out of range. */
    private static int number(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
