package dev.nnc.runtime.cuda;

import dev.nnc.runtime.checkpoint.Json;
import dev.nnc.runtime.compiled.Layout;
import java.util.List;
import java.util.Map;

/**
 * What the compiler tells the runtime about a network compiled for CUDA, as JSON beside the kernels: the layout
 * (names, shapes, slots, initializers, the optimizer — the JVM backend's, as a string), the fields of the kernels' one
 * argument in order, and each program's launches.
 *
 * @param args        the fields of {@code nnc_args} in order (the JSON names them by {@link Argument#field})
 * @param columns     partial-sum columns of the training and evaluation programs
 * @param lossColumn  the evaluation program's column of the loss
 * @param fusedStep   whether the training program's kernel finishes the step itself (there is no finish)
 */
public record CudaPlan(Layout layout, String json, int threads, boolean fusedStep, List<Argument> args, int trainColumns,
                       int evaluateColumns, int lossColumn, List<Launch> train, List<Launch> predict, List<Launch> evaluate,
                       Launch finish, Launch step) {
    public CudaPlan {
        args = List.copyOf(args);
        train = List.copyOf(train);
        predict = List.copyOf(predict);
        evaluate = List.copyOf(evaluate);
    }

    /**
     * A kernel's launch: grid extents ⌈(samples · count + fixed) / per⌉, count being the batch's samples. A matrix
     * product says what it computes ({@code gemm}, else null), for cuBLAS; a gather runs only with cuBLAS.
     */
    public record Launch(String name, long[] x, long[] y, int threads, Gemm gemm, boolean cublasOnly) {
        long gridX(int count) { return extent(x, count); }

        long gridY(int count) { return extent(y, count); }

        private static long extent(long[] d, int count) { return Math.max(1, (d[0] * count + d[1] + d[2] - 1) / d[2]); }
    }

    public static CudaPlan parse(String json) {
        Map<?, ?> o = (Map<?, ?>) Json.parse(json);
        Layout layout = Layout.parse((String) o.get("layout"));
        return new CudaPlan(layout, json, integer(o.get("threads")), Boolean.TRUE.equals(o.get("fusedStep")),
                ((List<?>) o.get("args")).stream().map(a -> Argument.parse((String) a, layout)).toList(), integer(o.get("trainColumns")),
                integer(o.get("evaluateColumns")), integer(o.get("lossColumn")), launches(o.get("train"), layout),
                launches(o.get("predict"), layout), launches(o.get("evaluate"), layout), launch(o.get("finish"), layout),
                launch(o.get("step"), layout));
    }

    private static List<Launch> launches(Object v, Layout layout) { return ((List<?>) v).stream().map(l -> launch(l, layout)).toList(); }

    /**
     * {@code C[i,j] (+)= Σ_p A[i,p]·B[p,j]}, an extent of −1 being the batch's samples; element (i, j) of an
     * operand at {@code offset + i·row + j·col} of the array of argument {@code field}; an input or target is read
     * from its gathered copy of the batch's rows.
     */
    public record Gemm(int m, int n, int k, Operand a, Operand b, Operand c, boolean accumulate) {
        public record Operand(Argument field, long offset, int row, int col) {}
    }

    private static Launch launch(Object v, Layout layout) {
        if (!(v instanceof Map<?, ?> m)) return null;
        Gemm gemm = null;
        if (m.get("gemm") instanceof Map<?, ?> g) {
            gemm = new Gemm(integer(g.get("m")), integer(g.get("n")), integer(g.get("k")), operand(g.get("a"), layout),
                    operand(g.get("b"), layout), operand(g.get("c"), layout), Boolean.TRUE.equals(g.get("accumulate")));
        }
        return new Launch((String) m.get("name"), dim(m.get("x")), dim(m.get("y")), integer(m.get("threads")), gemm,
                Boolean.TRUE.equals(m.get("cublasOnly")));
    }

    private static Gemm.Operand operand(Object v, Layout layout) {
        Map<?, ?> o = (Map<?, ?>) v;
        return new Gemm.Operand(Argument.parse((String) o.get("field"), layout), ((Number) o.get("offset")).longValue(), integer(o.get("row")), integer(o.get("col")));
    }

    private static long[] dim(Object v) {
        List<?> l = (List<?>) v;
        return new long[] {((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue(), ((Number) l.get(2)).longValue()};
    }

    private static int integer(Object v) { return ((Number) v).intValue(); }
}
