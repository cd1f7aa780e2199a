package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads IDX files, one per input and then one per target in the signature's order (images, then labels, for
 * MNIST). An input takes each item's values row-major (a 28×28 image fills {@code x[784]} or {@code x[28,28]});
 * a vector target {@code y[k]} (k ≥ 2) takes a rank-1 file of class labels 0…k−1, expanded to one-hot; any
 * other target takes items of as many values as it has elements.
 */
final class IdxReader {
    private IdxReader() {}

    static Dataset read(List<Path> files, byte[] firstBytes, Signature sig, boolean needTargets, List<TargetDomain> domains) throws DataError {
        List<TensorInfo> all = new ArrayList<>(sig.inputs());
        all.addAll(sig.targets());
        int inputs = sig.inputs().size();
        if (files.size() != all.size() && (needTargets || files.size() != inputs)) throw wrongCount(files, sig, needTargets);

        // Headers and sizes first: a wrong file is reported before the slow part, converting the values.
        var idx = new IdxFile[files.size()];
        for (int f = 0; f < files.size(); f++) idx[f] = IdxFile.parse(files.get(f), f == 0 ? firstBytes : FileBytes.read(files.get(f)));
        for (int f = 0; f < idx.length; f++) {
            IdxFile file = idx[f];
            TensorInfo t = all.get(f);
            String kind = f < inputs ? "input" : "target";
            if (!labels(file, t, f >= inputs) && file.itemSize() != t.size()) {
                throw DataError.atByte(file.file(), file.dims().length == 1 ? 3 : 8, "items of " + file.itemShape()
                        + " do not fit " + kind + " " + t + "; expected " + (oneHot(t, f >= inputs)
                        ? "class labels (a rank-1 file) or " : "") + t.size() + (t.size() == 1 ? " value" : " values") + " per item");
            }
            if (file.items() != idx[0].items()) {
                throw DataError.atByte(file.file(), 4, file.items() + " items, but " + idx[0].file() + " has " + idx[0].items()
                        + "; expected one item per sample in every file");
            }
        }

        int size = idx[0].items();
        Map<String, double[]> columns = new HashMap<>();
        Map<String, IdxType> types = new HashMap<>();
        for (int f = 0; f < idx.length; f++) {
            DataError.stopIfInterrupted(files.get(f));
            TensorInfo t = all.get(f);
            boolean labels = labels(idx[f], t, f >= inputs);
            columns.put(t.name(), labels ? oneHot(idx[f], t) : values(idx[f]));
            if (f >= inputs && !labels) inDomain(idx[f], t, columns.get(t.name()), domains); // one-hot rows always are
            types.put(t.name(), idx[f].type());
        }
        return new Dataset(size, columns, sig.inputs(), all.subList(inputs, idx.length), files, new Format.Idx(types), List.of());
    }

    /** A vector target of two or more elements may be given by class labels. */
    private static boolean oneHot(TensorInfo t, boolean target) {
        return target && t.shape().size() == 1 && t.size() >= 2;
    }

    /** Whether this file holds class labels for the target: one value per item. */
    private static boolean labels(IdxFile file, TensorInfo t, boolean target) {
        return oneHot(t, target) && file.dims().length == 1;
    }

    private static double[] values(IdxFile file) throws DataError {
        double[] v = new double[file.items() * file.itemSize()];
        file.values(v);
        if (file.type().floating()) {
            for (int k = 0; k < v.length; k++) {
                if (!Double.isFinite(v[k])) {
                    throw DataError.atItem(file.file(), file.offsetOf(k), k / file.itemSize(), "value " + v[k]
                            + " is not finite; expected finite numbers");
                }
            }
        }
        return v;
    }

    /** Every value of a target in its loss's domain, and every item summing to 1 where a rewrite assumed so. */
    private static void inDomain(IdxFile file, TensorInfo t, double[] v, List<TargetDomain> domains) throws DataError {
        int w = t.size();
        var rule = TargetDomain.distribution(domains, t.name());
        for (int item = 0; item < v.length / w; item++) {
            double sum = 0;
            for (int e = 0; e < w; e++) {
                int k = item * w + e;
                var outside = TargetDomain.outside(domains, t.name(), e, v[k]);
                if (outside != null) {
                    throw DataError.atItem(file.file(), file.offsetOf(k), item, TargetDomain.outsideText("value " + TargetDomain.number(v[k])
                            + " of target " + t.element(e), outside));
                }
                sum += v[k];
            }
            if (rule != null && !TargetDomain.sumsToOne(sum)) {
                throw DataError.atItem(file.file(), file.offsetOf((long) item * w), item, TargetDomain.sumText(t.name(), sum, rule));
            }
        }
    }

    private static double[] oneHot(IdxFile file, TensorInfo t) throws DataError {
        int k = t.size();
        double[] v = new double[file.items() * k];
        for (int item = 0; item < file.items(); item++) {
            double label = file.value(item);
            if (label != Math.rint(label)) {
                throw DataError.atItem(file.file(), file.offsetOf(item), item, "label " + label
                        + " is not an integer; class labels of target " + t + " are 0 to " + (k - 1));
            }
            if (label < 0 || label >= k) {
                throw DataError.atItem(file.file(), file.offsetOf(item), item, "label " + (long) label
                        + " is out of range for target " + t + "; class labels are 0 to " + (k - 1));
            }
            v[item * k + (int) label] = 1;
        }
        return v;
    }

    private static DataError wrongCount(List<Path> files, Signature sig, boolean needTargets) {
        var names = new ArrayList<String>();
        for (Path f : files) names.add(f.toString());
        var need = new ArrayList<String>();
        for (TensorInfo t : sig.inputs()) need.add("input " + t);
        int inputs = need.size();
        for (TensorInfo t : sig.targets()) need.add("target " + t);
        String all = need.size() + " (" + String.join(", then ", need) + ")";
        String expected = needTargets || inputs == need.size() ? all
                : inputs + " (" + String.join(", then ", need.subList(0, inputs)) + "), or with its targets " + all;
        return new DataError(String.join(", ", names) + ": " + files.size() + (files.size() == 1 ? " IDX file" : " IDX files")
                + " given, but " + sig.network() + " reads one IDX file per input and target: expected " + expected);
    }
}
