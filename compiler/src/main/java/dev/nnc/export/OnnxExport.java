package dev.nnc.export;

import com.google.protobuf.ByteString;
import dev.nnc.ast.Expr.Compare;
import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.onnx.proto.OnnxProto.AttributeProto;
import dev.nnc.onnx.proto.OnnxProto.GraphProto;
import dev.nnc.onnx.proto.OnnxProto.ModelProto;
import dev.nnc.onnx.proto.OnnxProto.NodeProto;
import dev.nnc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nnc.onnx.proto.OnnxProto.TensorProto;
import dev.nnc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nnc.onnx.proto.OnnxProto.TypeProto;
import dev.nnc.onnx.proto.OnnxProto.ValueInfoProto;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.data.Normalization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's forward pass (its outputs, not the loss) as an ONNX model. Index notation maps onto ONNX
 * systematically: every subexpression becomes a tensor whose axes are known — the batch axis first where it
 * differs per sample, then its free index variables in a recorded order — and operands are aligned by Transpose
 * and Unsqueeze before an elementwise operator broadcasts them. A Σ of a product is an Einsum, any other Σ a
 * ReduceSum, a max over a variable a ReduceMax; σ, tanh and softplus are ONNX's operators, other library functions
 * their bodies in primitives. What cannot be exported is refused with {@link Unsupported}, naming the construct.
 */
public final class OnnxExport {
    /** The opset the model imports: ReduceSum's axes are an input (13), ReduceMax's still an attribute (before 18). */
    public static final int OPSET = 17;
    /** ONNX's IR version 8, which ONNX 1.12's checker and ONNX Runtime both read. */
    public static final int IR_VERSION = 8;
    /** The symbolic batch dimension of every input and output. */
    public static final String BATCH = "N";

    /** A construct nnc cannot export (yet), named in the message. */
    public static final class Unsupported extends RuntimeException {
        /** Where the source defines the value that cannot be exported; null where none is known. */
        public final dev.nnc.source.Span span;

        public Unsupported(String message) { this(message, null); }

        public Unsupported(String message, dev.nnc.source.Span span) {
            super(message, null, false, false);
            this.span = span;
        }
    }

    /** A computed value: its ONNX name, whether its first axis is the batch, and the index variables of the rest. */
    private record Term(String name, boolean batched, List<IndexVar> axes) {
        int rank() { return (batched ? 1 : 0) + axes.size(); }

        int axis(IndexVar v) { return (batched ? 1 : 0) + axes.indexOf(v); }
    }

    private final Graph graph;
    private final DType type;
    private final int elem;
    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Map<Tensor, String> names = new IdentityHashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private int next;
    private Def current;

    private OnnxExport(Graph graph, DType type) {
        this.graph = graph;
        this.type = type;
        this.elem = type == DType.F64 ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE;
    }

    /**
     * The model of a graph's forward pass with these parameter values (by parameter name, row-major), its weights
     * stored in {@code type}; {@code doc} becomes the model's doc string (the source file and its hash).
     *
     * @throws Unsupported naming the first construct that has no ONNX form here
     */
    public static ModelProto export(Graph graph, Map<String, double[]> weights, DType type, String doc) {
        return export(graph, weights, type, doc, new Normalization.None());
    }

    /**
     * The model as above, scaling its inputs first by the normalisation training fitted (as {@code nnc predict}
     * does), so that it takes the inputs as they are in the data.
     */
    public static ModelProto export(Graph graph, Map<String, double[]> weights, DType type, String doc, Normalization normalization) {
        var e = new OnnxExport(graph, type);
        var g = e.build(weights, normalization);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("nnc")
                .setDocString(doc)
                .setGraph(g)
                .build();
    }

    private GraphProto build(Map<String, double[]> weights, Normalization normalization) {
        g.setName(graph.name());
        Set<Tensor> needed = needed();
        for (Tensor t : graph.inputs()) {
            if (!needed.contains(t)) continue;
            names.put(t, normalized(t, normalization));
            g.addInput(valueInfo(t.name, true, t.shape));
        }
        for (Tensor t : graph.params()) {
            if (!needed.contains(t)) continue;
            double[] w = weights.get(t.name);
            if (w == null) throw new Unsupported("no weights for the parameter " + t.name);
            if (w.length != t.size()) {
                throw new Unsupported("the weights of " + t.name + " have " + w.length + " values, not " + t.size());
            }
            names.put(t, t.name);
            g.addInitializer(tensor(t.name, t.shape, w));
        }
        for (Def d : graph.forward()) {
            if (!needed.contains(d.tensor())) continue;
            current = d;
            try {
                define(d);
            } catch (Unsupported e) {
                if (e.span != null) throw e;
                Tensor t = d.tensor().preActivationOf != null ? d.tensor().preActivationOf : d.tensor();
                throw new Unsupported(e.getMessage(), t.span != null ? t.span : d.tensor().span);
            }
        }
        current = null;
        for (Tensor t : graph.outputs()) g.addOutput(valueInfo(t.name, t.perSample(), t.shape));
        return g.build();
    }

    /**
     * The input as the network sees it: (x − shift) / divisor elementwise, as {@link Normalization#apply} computes
     * it, times 0 where minmax found the element constant in training.
     */
    private String normalized(Tensor t, Normalization n) {
        if (n instanceof Normalization.None) return t.name;
        if (!n.fitted()) throw new Unsupported("the normalization " + n.encode() + " is not fitted");
        int w = t.size();
        double[] shift = new double[w], divisor = new double[w], keep = new double[w];
        java.util.Arrays.fill(keep, 1);
        boolean masked = false;
        switch (n) {
            case Normalization.Scale s -> java.util.Arrays.fill(divisor, s.divisor());
            case Normalization.MinMax m -> {
                double[] lo = fitted(m.min(), t), hi = fitted(m.max(), t);
                for (int k = 0; k < w; k++) {
                    shift[k] = lo[k];
                    double range = hi[k] - lo[k];
                    divisor[k] = range == 0 ? 1 : range;
                    if (range == 0) {
                        keep[k] = 0;
                        masked = true;
                    }
                }
            }
            case Normalization.Standard st -> {
                shift = fitted(st.mean(), t);
                divisor = fitted(st.std(), t);
            }
            case Normalization.None none -> throw new IllegalStateException("internal");
        }
        String shifted = fresh(), scaled = fresh();
        node("Sub", List.of(t.name, initializer(shift, t.shape)), shifted, List.of());
        node("Div", List.of(shifted, initializer(divisor, t.shape)), scaled, List.of());
        if (!masked) return scaled;
        String out = fresh();
        node("Mul", List.of(scaled, initializer(keep, t.shape)), out, List.of());
        return out;
    }

    private static double[] fitted(Map<String, double[]> values, Tensor t) {
        double[] v = values.get(t.name);
        if (v == null || v.length != t.size()) throw new Unsupported("the normalization was not fitted for the input " + t.name + " of " + t.size() + " elements");
        return v;
    }

    private String initializer(double[] values, List<Integer> shape) {
        String name = fresh();
        g.addInitializer(tensor(name, shape, values));
        return name;
    }

    /** The outputs and every tensor they read, through the forward defs. */
    private Set<Tensor> needed() {
        Map<Tensor, Def> defs = new IdentityHashMap<>();
        for (Def d : graph.forward()) defs.put(d.tensor(), d);
        Set<Tensor> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> work = new ArrayList<>(graph.outputs());
        while (!work.isEmpty()) {
            Tensor t = work.removeLast();
            if (!out.add(t)) continue;
            Def d = defs.get(t);
            if (d != null) work.addAll(Exprs.reads(d.body()));
            else if (t.role == Tensor.Role.TARGET) throw new Unsupported("the output " + t.name + " reads the target " + t.name);
        }
        return out;
    }

    private void define(Def d) {
        Tensor t = d.tensor();
        Term body = eval(d.body(), Map.of());
        for (IndexVar v : body.axes) {
            if (!d.vars().contains(v)) throw new Unsupported(where() + "an index variable " + v.name + " free in the body only");
        }
        // every variable of the def as an axis, in the def's order; one the body does not mention is broadcast
        Term shaped = align(body, t.perSample(), d.vars());
        String name = t.name;
        boolean expand = (t.perSample() && !body.batched) || !body.axes.containsAll(d.vars());
        if (expand) {
            String shape = shapeOf(t.perSample(), t.shape);
            node("Expand", List.of(shaped.name, shape), name, List.of());
        } else {
            node("Identity", List.of(shaped.name), name, List.of());
        }
        names.put(t, name);
    }

    private String where() { return current == null ? "" : "in " + current.tensor().name + ": "; }

    /** The value of e, with arguments of a function's body bound to terms. */
    private Term eval(Ex e, Map<Integer, Term> args) {
        return switch (e) {
            case Ex.Num n -> new Term(constant(n.value()), false, List.of());
            case Ex.Load l -> load(l);
            case Ex.Neg n -> unary("Neg", eval(n.a(), args));
            case Ex.Binary b -> {
                Ex sq = b.squared();
                if (sq != null) {
                    Term a = eval(sq, args);
                    yield elementwise("Mul", List.of(a, a));
                }
                String op = switch (b.op()) {
                    case ADD -> "Add";
                    case SUB -> "Sub";
                    case MUL -> "Mul";
                    case DIV -> "Div";
                    case POW -> "Pow";
                };
                yield elementwise(op, List.of(eval(b.a(), args), eval(b.b(), args)));
            }
            case Ex.Call c -> switch (c.f()) {
                case EXP -> unary("Exp", eval(c.a(), args));
                case LOG -> unary("Log", eval(c.a(), args));
                case SQRT -> unary("Sqrt", eval(c.a(), args));
                case ABS -> unary("Abs", eval(c.a(), args));
                case ERF -> {
                    // ONNX Runtime's Erf takes floats only; a float64 model would compute it in float32 unseen
                    if (type == DType.F64) throw new Unsupported(where() + "erf in float64 (ONNX Runtime has Erf of float32 only; export it in f32)");
                    yield unary("Erf", eval(c.a(), args));
                }
                case MAX -> elementwise("Max", List.of(eval(c.a(), args), eval(c.b(), args)));
                case MIN -> elementwise("Min", List.of(eval(c.a(), args), eval(c.b(), args)));
                default -> throw new Unsupported(where() + "the primitive " + c.f().spelling);
            };
            case Ex.Cmp c -> {
                Term a = eval(c.a(), args), b = eval(c.b(), args);
                Term cmp = switch (c.op()) {
                    case LT -> elementwise("Less", List.of(a, b));
                    case LE -> elementwise("LessOrEqual", List.of(a, b));
                    case GT -> elementwise("Greater", List.of(a, b));
                    case GE -> elementwise("GreaterOrEqual", List.of(a, b));
                    case EQ -> elementwise("Equal", List.of(a, b));
                    case NE -> unary("Not", elementwise("Equal", List.of(a, b)));
                };
                yield cast(cmp);
            }
            case Ex.Select s -> {
                Term cond = unary("Not", elementwise("Equal", List.of(eval(s.cond(), args), new Term(constant(0), false, List.of()))));
                yield elementwise("Where", List.of(cond, eval(s.then(), args), eval(s.otherwise(), args)));
            }
            case Ex.Sum s -> sum(s, args);
            case Ex.Max m -> {
                Term body = eval(m.body(), args);
                if (!body.axes.contains(m.i())) yield body;
                String out = fresh();
                node("ReduceMax", List.of(body.name), out, List.of(ints("axes", List.of((long) body.axis(m.i()))), intAttr("keepdims", 0)));
                yield new Term(out, body.batched, without(body.axes, m.i()));
            }
            case Ex.Annotated a -> eval(a.value(), args);
            case Ex.Apply a -> {
                List<Term> in = new ArrayList<>();
                for (Ex x : a.args()) in.add(eval(x, args));
                if (a.f().library && in.size() == 1) {
                    // in float64 σ and softplus are their bodies: ONNX Runtime has no Softplus of doubles, and fuses
                    // x·Sigmoid(x) into a QuickGelu it has only for floats
                    String op = switch (a.f().name) {
                        case "σ" -> type == DType.F32 ? "Sigmoid" : null;
                        case "tanh" -> "Tanh";
                        case "softplus" -> type == DType.F32 ? "Softplus" : null;
                        default -> null;
                    };
                    if (op != null) yield unary(op, in.get(0));
                }
                if (a.f().body() == null) throw new Unsupported(where() + "the function " + a.f().name + " without a body");
                Map<Integer, Term> bound = new HashMap<>();
                for (int k = 0; k < in.size(); k++) bound.put(k, in.get(k));
                yield eval(a.f().body(), bound);
            }
            case Ex.Arg a -> {
                Term t = args.get(a.k());
                if (t == null) throw new Unsupported(where() + "an argument outside a function");
                yield t;
            }
            case Ex.Same s -> throw new Unsupported(where() + "Kronecker's delta on subscripts");
            case Ex.InRange r -> inRange(r);
            // a max's subgradient: the backward pass, which is not exported
            case Ex.Position p -> throw new Unsupported(where() + "the value of a subscript");
            case Ex.ArgMax m -> throw new Unsupported(where() + "the position of a window's maximum");
        };
    }

    /**
     * One element of a tensor: fixed subscripts taken by Gather, variables named as axes, and an affine subscript
     * (a convolution's x[i+p−1]) by a Gather with a table of its positions over its variables, whose axes replace the
     * tensor's (im2col as one operator). A position outside the tensor (under a guard that masks it) is clamped.
     */
    private Term load(Ex.Load l) {
        Tensor t = l.tensor();
        String name = names.get(t);
        if (name == null) throw new Unsupported(where() + "the value " + t.name + ", which the forward pass does not compute before it");
        boolean batched = t.perSample();
        // from the last subscript to the first, so the earlier axes keep their positions
        List<Idx> idx = l.idx();
        for (int k = idx.size() - 1; k >= 0; k--) {
            String table = switch (idx.get(k)) {
                case Idx.Fixed f -> longConstant(f.position());
                case Idx.Affine a -> positions(a, t.shape.get(k));
                case Idx.Var v -> null;
            };
            if (table == null) continue;
            String out = fresh();
            node("Gather", List.of(name, table), out, List.of(intAttr("axis", (batched ? 1 : 0) + k)));
            name = out;
        }
        List<IndexVar> axes = new ArrayList<>();
        for (Idx i : idx) {
            for (Idx.Term term : i instanceof Idx.Fixed ? List.<Idx.Term>of() : Idx.terms(i)) {
                if (axes.contains(term.v())) throw new Unsupported(where() + "a repeated subscript " + term.v().name + " in " + t.name + " (a diagonal)");
                axes.add(term.v());
            }
        }
        return new Term(name, batched, axes);
    }

    /** The int64 table of an affine subscript's positions, over its variables in order, clamped to 0 … size − 1. */
    private String positions(Idx.Affine a, int size) {
        List<Integer> dims = a.terms().stream().map(t -> t.v().range()).toList();
        long[] values = new long[dims.stream().reduce(1, (x, y) -> x * y)];
        int[] at = new int[dims.size()];
        for (int e = 0; e < values.length; e++) {
            long v = a.constant();
            for (int k = 0; k < at.length; k++) v += (long) a.terms().get(k).coefficient() * at[k];
            values[e] = Math.max(0, Math.min(size - 1, v));
            for (int k = at.length - 1; k >= 0; k--) { // row-major odometer
                if (++at[k] < dims.get(k)) break;
                at[k] = 0;
            }
        }
        String name = fresh();
        var b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (int d : dims) b.addDims(d);
        for (long v : values) b.addInt64Data(v);
        g.addInitializer(b);
        return name;
    }

    /** [0 ≤ at < size] as a constant of the element type over the subscript's variables: known at export. */
    private Term inRange(Ex.InRange r) {
        List<Idx.Term> terms = Idx.terms(r.at());
        List<Integer> dims = terms.stream().map(t -> t.v().range()).toList();
        double[] values = new double[dims.stream().reduce(1, (x, y) -> x * y)];
        int[] at = new int[dims.size()];
        for (int e = 0; e < values.length; e++) {
            long v = Idx.constant(r.at());
            for (int k = 0; k < at.length; k++) v += (long) terms.get(k).coefficient() * at[k];
            values[e] = v >= 0 && v < r.size() ? 1 : 0;
            for (int k = at.length - 1; k >= 0; k--) {
                if (++at[k] < dims.get(k)) break;
                at[k] = 0;
            }
        }
        if (dims.isEmpty()) return new Term(constant(values[0]), false, List.of());
        return new Term(initializer(values, dims), false, terms.stream().map(Idx.Term::v).toList());
    }

    private Term sum(Ex.Sum s, Map<Integer, Term> args) {
        Ex body = Ex.Annotated.strip(s.body());
        if (body instanceof Ex.Binary b && b.op() == Ex.BinOp.MUL && b.squared() == null) {
            Term x = eval(b.a(), args), y = eval(b.b(), args);
            if (x.axes.contains(s.i()) || y.axes.contains(s.i())) return einsum(x, y, s.i());
        }
        Term t = eval(s.body(), args);
        if (!t.axes.contains(s.i())) return elementwise("Mul", List.of(t, new Term(constant(s.i().range()), false, List.of())));
        String out = fresh();
        node("ReduceSum", List.of(t.name, longsConstant(List.of((long) t.axis(s.i())))), out, List.of(intAttr("keepdims", 0)));
        return new Term(out, t.batched, without(t.axes, s.i()));
    }

    /** Σᵢ x·y as one Einsum: a letter per index variable, n for the batch. */
    private Term einsum(Term x, Term y, IndexVar i) {
        Map<IndexVar, Character> letters = new IdentityHashMap<>();
        List<IndexVar> outAxes = new ArrayList<>();
        for (Term t : List.of(x, y)) {
            for (IndexVar v : t.axes) {
                if (!letters.containsKey(v)) {
                    if (letters.size() >= 25) throw new Unsupported(where() + "a Σ of a product over more than 25 indices");
                    letters.put(v, (char) ('a' + letters.size()));
                    if (v != i) outAxes.add(v);
                }
            }
        }
        boolean batched = x.batched || y.batched;
        String eq = spell(x, letters) + "," + spell(y, letters) + "->" + spell(new Term("", batched, outAxes), letters);
        String out = fresh();
        node("Einsum", List.of(x.name, y.name), out, List.of(stringAttr("equation", eq)));
        return new Term(out, batched, outAxes);
    }

    private static String spell(Term t, Map<IndexVar, Character> letters) {
        var b = new StringBuilder(t.batched ? "z" : "");
        for (IndexVar v : t.axes) b.append(letters.get(v));
        return b.toString();
    }

    private Term unary(String op, Term a) {
        String out = fresh();
        node(op, List.of(a.name), out, List.of());
        return new Term(out, a.batched, a.axes);
    }

    private Term cast(Term a) {
        String out = fresh();
        node("Cast", List.of(a.name), out, List.of(intAttr("to", elem)));
        return new Term(out, a.batched, a.axes);
    }

    /** An elementwise operator of terms aligned on the union of their axes. */
    private Term elementwise(String op, List<Term> in) {
        boolean batched = false;
        List<IndexVar> axes = new ArrayList<>();
        for (Term t : in) {
            batched |= t.batched;
            for (IndexVar v : t.axes) if (!axes.contains(v)) axes.add(v);
        }
        List<String> aligned = new ArrayList<>();
        for (Term t : in) aligned.add(align(t, batched, axes).name);
        String out = fresh();
        node(op, aligned, out, List.of());
        return new Term(out, batched, axes);
    }

    /**
     * t with its axes in the order of {@code target} and of rank batched + |target| (axes it lacks of size 1), so
     * that ONNX's broadcasting lines it up with every other term aligned the same way; a scalar stays a scalar.
     */
    private Term align(Term t, boolean batched, List<IndexVar> target) {
        if (t.rank() == 0) return t;
        String name = t.name;
        List<IndexVar> order = new ArrayList<>(t.axes);
        order.sort((a, b) -> Integer.compare(target.indexOf(a), target.indexOf(b)));
        if (!order.equals(t.axes)) {
            List<Long> perm = new ArrayList<>();
            if (t.batched) perm.add(0L);
            for (IndexVar v : order) perm.add((long) t.axis(v));
            String out = fresh();
            node("Transpose", List.of(name), out, List.of(ints("perm", perm)));
            name = out;
        }
        List<Long> missing = new ArrayList<>();
        if (batched && !t.batched) missing.add(0L);
        for (int k = 0; k < target.size(); k++) if (!order.contains(target.get(k))) missing.add((long) ((batched ? 1 : 0) + k));
        if (!missing.isEmpty()) {
            String out = fresh();
            node("Unsqueeze", List.of(name, longsConstant(missing)), out, List.of());
            name = out;
        }
        return new Term(name, batched || t.batched, target);
    }

    /** The shape [N, dims…] (N taken from the first input) or [dims…], as an int64 tensor, for Expand. */
    private String shapeOf(boolean batched, List<Integer> dims) {
        List<Long> d = new ArrayList<>();
        for (int x : dims) d.add((long) x);
        if (!batched) return longsConstant(d);
        Tensor first = graph.inputs().stream().filter(names::containsKey).findFirst()
                .orElseThrow(() -> new Unsupported(where() + "a value per sample that reads no input"));
        String shape = fresh(), n = fresh(), out = fresh();
        node("Shape", List.of(names.get(first)), shape, List.of());
        node("Slice", List.of(shape, longsConstant(List.of(0L)), longsConstant(List.of(1L))), n, List.of());
        if (d.isEmpty()) return n;
        node("Concat", List.of(n, longsConstant(d)), out, List.of(intAttr("axis", 0)));
        return out;
    }

    private static List<IndexVar> without(List<IndexVar> axes, IndexVar v) {
        List<IndexVar> out = new ArrayList<>(axes);
        out.remove(v);
        return out;
    }

    private String fresh() { return "_" + (++next); }

    private void node(String op, List<String> inputs, String output, List<AttributeProto> attributes) {
        g.addNode(NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(attributes));
    }

    /** A scalar constant of the model's element type, one initializer per value. */
    private String constant(double v) {
        return constants.computeIfAbsent(type + ":" + Double.doubleToLongBits(v), k -> {
            String name = fresh();
            g.addInitializer(tensor(name, List.of(), new double[] {v}));
            return name;
        });
    }

    private String longConstant(long v) {
        return constants.computeIfAbsent("i64:" + v, k -> {
            String name = fresh();
            g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(v));
            return name;
        });
    }

    private String longsConstant(List<Long> v) {
        return constants.computeIfAbsent("i64s:" + v, k -> {
            String name = fresh();
            g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(v.size()).addAllInt64Data(v));
            return name;
        });
    }

    private TensorProto tensor(String name, List<Integer> shape, double[] values) {
        var b = TensorProto.newBuilder().setName(name).setDataType(elem);
        for (int d : shape) b.addDims(d);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (type == DType.F64) bytes.putDouble(v);
            else bytes.putFloat((float) v);
        }
        return b.setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    private ValueInfoProto valueInfo(String name, boolean batched, List<Integer> dims) {
        var shape = TensorShapeProto.newBuilder();
        if (batched) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (int d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem).setShape(shape)))
                .build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto ints(String name, List<Long> v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(v).build();
    }

    private static AttributeProto stringAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }
}
