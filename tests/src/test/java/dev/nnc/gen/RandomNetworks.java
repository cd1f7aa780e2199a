package dev.nnc.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A seeded generator of small, random, valid {@code .nn} programs: the family the gradient checks run on.
 *
 * <p>Each seed picks one network: 1–5 inputs, 1–3 hidden layers of 1–6 neurons, a hidden activation per layer
 * from the standard library, and an output with its loss (σ + bce, logits + bce_logits, linear + mse / huber /
 * mae, softmax + cross_entropy or the written-out −Σ y log p, logits + cross_entropy_logits, log_softmax + nll).
 * The network is written in one of three wiring styles:
 *
 * <ul>
 *   <li>{@code index}: matrices and index equations, {@code h1[j] = tanh(Σᵢ W1[j,i] x[i] + b1[j])};
 *   <li>{@code layers}: neurons and layers, {@code neuron tanh_unit(x) = tanh(Σᵢ wᵢxᵢ + b)},
 *       {@code layer h1[4] = tanh_unit(x)};
 *   <li>{@code scalar}: one equation per neuron with scalar parameters and sparse connections, as in
 *       samples/seed.nn: {@code n1 = σ(w11·x₁ + w21·x₂ + b1)}.
 * </ul>
 *
 * <p>Unicode and ASCII spellings are mixed at random (a program is all-Unicode, all-ASCII or mixed). Every
 * declared input, target and parameter is used and every equation feeds the output or the loss, so a
 * generated program checks without any diagnostic. There is no {@code train} block: it would need a data file.
 *
 * <p>The same seed always gives the same text ({@link Random} is specified to the bit).
 */
public final class RandomNetworks {
    private RandomNetworks() {}

    /** One random program: its source text and a short description (for test names), e.g. "index 3-5-2 tanh/mse". */
    public record Generated(String name, String source) {}

    /** The wiring styles, as they are named in {@link Generated#name()}. */
    public static final List<String> STYLES = List.of("index", "layers", "scalar");

    /** The hidden activations, by their canonical names (as in {@link Generated#name()}). */
    public static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu",
            "softsign", "gelu", "softplus", "swish", "identity");

    /** The output/loss combinations, as they are named in {@link Generated#name()} (after the '/'). */
    public static final List<String> LOSSES = List.of("bce", "bce_logits", "mse", "huber", "mae", "ce", "ce_sum",
            "ce_logits", "nll", "lse");

    /** Deterministic for a seed. */
    public static Generated generate(long seed) {
        return new Gen(seed).generated();
    }

    /**
     * The parts of a {@link Generated#name()}: style, layer widths ("3-5-2"), canonical hidden activations (one
     * per hidden layer), the loss and whether an L2 penalty on the first layer's weights is added.
     */
    public record Description(String style, String widths, List<String> activations, String loss, boolean l2) {
        public static Description parse(String name) {
            String[] parts = name.split(" ");
            if (parts.length != 3) throw new IllegalArgumentException("not a generated name: " + name);
            int slash = parts[2].indexOf('/');
            String loss = parts[2].substring(slash + 1);
            boolean l2 = loss.endsWith("+l2");
            if (l2) loss = loss.substring(0, loss.length() - 3);
            return new Description(parts[0], parts[1], List.of(parts[2].substring(0, slash).split(",")), loss, l2);
        }
    }

    // ─── The generator ───────────────────────────────────────────────────────────────────────────

    private enum Style { INDEX, LAYERS, SCALAR }

    private enum Spelling { UNICODE, ASCII, MIXED }

    private static final class Gen {
        private final long seed;
        private final Random r;
        private final Spelling spelling;
        private final Style style;

        private final int nIn;
        private final int[] hidden;
        private final List<Act> acts = new ArrayList<>();
        private final String loss;
        private final int k;             // output size; 1 means a scalar output and target
        private final boolean l2;

        Gen(long seed) {
            this.seed = seed;
            this.r = new Random(mix(seed));
            this.style = Style.values()[r.nextInt(3)];
            this.spelling = Spelling.values()[r.nextInt(3)];
            this.nIn = 1 + r.nextInt(5);
            this.hidden = new int[1 + r.nextInt(3)];
            for (int l = 0; l < hidden.length; l++) hidden[l] = 1 + r.nextInt(6);
            for (int l = 0; l < hidden.length; l++) acts.add(activation());
            this.loss = style == Style.SCALAR
                    ? pick("bce", "bce", "bce_logits", "mse", "mse", "huber", "mae", "lse")
                    : pick("bce", "bce", "bce_logits", "mse", "mse", "huber", "mae", "ce", "ce", "ce_sum", "ce_sum",
                            "ce_logits", "ce_logits", "nll");
            this.k = switch (loss) {
                case "ce", "ce_sum", "ce_logits", "nll" -> 2 + r.nextInt(3);
                case "lse" -> 2 + r.nextInt(2);
                default -> r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
            };
            this.l2 = style == Style.INDEX && r.nextInt(6) == 0;
        }

        Generated generated() {
            String body = switch (style) {
                case INDEX -> index();
                case LAYERS -> layers();
                case SCALAR -> scalar();
            };
            var widths = new StringBuilder().append(nIn);
            for (int h : hidden) widths.append('-').append(h);
            widths.append('-').append(k);
            String name = style.name().toLowerCase() + " " + widths + " "
                    + String.join(",", acts.stream().map(Act::canonical).toList()) + "/" + loss + (l2 ? "+l2" : "");
            String header = "// generated by RandomNetworks, seed " + seed + ": " + name + "\n";
            return new Generated(name, header + body);
        }

        // ─── Style (a): index equations ─────────────────────────────────────────────────────────

        private static final String[] LETTERS = {"i", "j", "k", "m", "n"};

        private String index() {
            var params = new ArrayList<String>();
            var laterParams = new ArrayList<String>();
            var eqs = new ArrayList<String>();
            int layers = hidden.length;
            for (int l = 1; l <= layers + 1; l++) {
                boolean out = l == layers + 1;
                int rows = out ? k : hidden[l - 1];
                int cols = l == 1 ? nIn : hidden[l - 2];
                String prev = l == 1 ? "x" : "h" + (l - 1);
                String pi = LETTERS[l - 1];
                String oi = LETTERS[l];
                boolean scalarOut = out && k == 1;
                String w = (scalarOut ? "w" : "W") + l;
                String b = "b" + l;
                boolean bias = out || r.nextInt(6) != 0;
                String wDecl = scalarOut ? w + "[" + cols + "]" : w + "[" + rows + "," + cols + "]";
                String bDecl = scalarOut ? b : b + "[" + rows + "]";
                switch (bias ? r.nextInt(5) : 0) {
                    case 0, 1 -> params.add("param  " + wDecl + " " + weightInit() + (bias ? ", " + bDecl + " " + biasInit() : ""));
                    case 2 -> {
                        params.add("param  " + wDecl + " " + weightInit());
                        laterParams.add(bDecl + " " + biasInit());
                    }
                    case 3 -> params.add("param  " + bDecl + " " + biasInit() + ", " + wDecl + " " + weightInit());
                    default -> params.add("param  " + wDecl + ", " + bDecl);   // defaults: xavier, and = 0 or xavier
                }
                String sum = sumHead(pi, cols) + (scalarOut ? at(w, pi) : at(w, oi, pi)) + mul() + at(prev, pi);
                String pre = sum + (bias ? " + " + (scalarOut ? b : at(b, oi)) : "");
                if (!out) {
                    eqs.add(lhs("h" + l, oi) + " = " + acts.get(l - 1).apply(pre));
                } else {
                    String lhs = scalarOut ? "" : oi;
                    eqs.addAll(outputEquations(lhs, pre));
                }
            }
            eqsHaveLp = eqs.contains("lp = log_softmax(z)");
            if (!laterParams.isEmpty()) params.add("param  " + String.join(", ", laterParams));
            var s = new StringBuilder();
            s.append("network ").append(netName()).append(" {\n");
            s.append("  input  x[").append(nIn).append("]\n");
            s.append("  target ").append(k == 1 ? "y" : "y[" + k + "]").append('\n');
            for (String p : params) s.append("  ").append(p).append('\n');
            for (String e : eqs) s.append("  ").append(e).append('\n');
            String penalty = l2 ? " + " + pick("0.01", "0.001") + mulOp() + sumHead("j", hidden[0]) + sumHead("i", nIn)
                    + at("W1", "j", "i") + square() : "";
            s.append("  output ").append(outputs(eqs)).append('\n');
            s.append("  loss ").append(lossName()).append(" = ").append(lossExpr()).append(penalty).append('\n');
            s.append("}\n");
            return s.toString();
        }

        /** The output equations of the index style; {@code idx} is the output index ("" for a scalar). */
        private List<String> outputEquations(String idx, String pre) {
            var eqs = new ArrayList<String>();
            boolean fuse = r.nextBoolean();
            switch (loss) {
                case "bce" -> {
                    if (fuse) eqs.add(lhs("a", idx) + " = " + sigmoid(pre));
                    else {
                        eqs.add(lhs("z", idx) + " = " + pre);
                        eqs.add("a = " + sigmoid("z"));
                    }
                }
                case "mse", "huber", "mae" -> {
                    switch (r.nextInt(3)) {
                        case 0 -> eqs.add(lhs("a", idx) + " = " + pre);
                        case 1 -> eqs.add(lhs("a", idx) + " = " + pick("identity", "linear") + "(" + pre + ")");
                        default -> {
                            eqs.add(lhs("z", idx) + " = " + pre);
                            eqs.add("a = " + pick("identity", "linear") + "(z)");
                        }
                    }
                }
                case "ce", "ce_sum" -> {
                    eqs.add(lhs("z", idx) + " = " + pre);
                    eqs.add("p = softmax(z)");
                }
                case "nll" -> {
                    eqs.add(lhs("z", idx) + " = " + pre);
                    if (fuse) eqs.add("lp = log_softmax(z)");
                }
                default -> {   // bce_logits, ce_logits
                    eqs.add(lhs("z", idx) + " = " + pre);
                    if (loss.equals("ce_logits") && fuse) eqs.add("p = softmax(z)");
                }
            }
            return eqs;
        }

        /** The output statement's names, for the index and layers styles. */
        private String outputs(List<String> eqs) {
            return switch (loss) {
                case "bce", "mse", "huber", "mae" -> "a";
                case "ce", "ce_sum" -> r.nextBoolean() ? "p" : "p, z";
                case "ce_logits" -> eqs.contains("p = softmax(z)") ? pick("p", "z, p") : "z";
                case "nll" -> eqsHaveLp ? pick("lp", "z") : "z";
                default -> "z";
            };
        }

        // ─── Style (b): neurons and layers ──────────────────────────────────────────────────────

        private String layers() {
            var neurons = new LinkedHashMap<String, String>();   // body → name
            var lines = new ArrayList<String>();
            String prev = "x";
            for (int l = 1; l <= hidden.length; l++) {
                Act act = acts.get(l - 1);
                boolean bias = r.nextInt(6) != 0;
                String unit = neuron(neurons, act.canonical() + "_unit", act, bias);
                lines.add("layer " + "h" + l + "[" + hidden[l - 1] + "] = " + unit + "(" + prev + ")" + with(bias));
                prev = "h" + l;
            }
            String size = k == 1 ? "" : "[" + k + "]";
            String lossLine;
            var eqs = new ArrayList<String>();
            String outputs;
            switch (loss) {
                case "bce" -> {
                    String unit = neuron(neurons, "sigmoid_unit", new Act("sigmoid", this::sigmoid), true);
                    lines.add("layer a" + size + " = " + unit + "(" + prev + ")" + with(true));
                    outputs = "a";
                }
                case "mse", "huber", "mae" -> {
                    String unit = r.nextBoolean()
                            ? neuron(neurons, "affine", new Act("identity", z -> z), true)
                            : neuron(neurons, "linear_unit", new Act("identity", z -> pick("linear", "identity") + "(" + z + ")"), true);
                    lines.add("layer a" + size + " = " + unit + "(" + prev + ")" + with(true));
                    outputs = "a";
                }
                default -> {   // logits: bce_logits, ce, ce_sum, ce_logits, nll
                    String unit = neuron(neurons, "affine", new Act("identity", z -> z), true);
                    lines.add("layer z" + size + " = " + unit + "(" + prev + ")" + with(true));
                    switch (loss) {
                        case "ce", "ce_sum" -> eqs.add("p = softmax(z)");
                        case "nll" -> { if (r.nextBoolean()) eqs.add("lp = log_softmax(z)"); }
                        case "ce_logits" -> { if (r.nextBoolean()) eqs.add("p = softmax(z)"); }
                        default -> { }
                    }
                    eqsHaveLp = eqs.contains("lp = log_softmax(z)");
                    outputs = outputs(eqs);
                }
            }
            lossLine = "loss " + lossName() + " = " + lossExpr();
            var s = new StringBuilder();
            for (var e : neurons.entrySet()) s.append("neuron ").append(e.getValue()).append(e.getKey()).append('\n');
            s.append('\n');
            s.append("network ").append(netName()).append(" {\n");
            s.append("  input  x[").append(nIn).append("]\n");
            s.append("  target ").append(k == 1 ? "y" : "y[" + k + "]").append('\n');
            for (String l : lines) s.append("  ").append(l).append('\n');
            for (String e : eqs) s.append("  ").append(e).append('\n');
            s.append("  output ").append(outputs).append('\n');
            s.append("  ").append(lossLine).append('\n');
            s.append("}\n");
            return s.toString();
        }

        /** Declares (once) a neuron with this activation; returns its name. */
        private String neuron(Map<String, String> neurons, String base, Act act, boolean bias) {
            String v = pick("x", "x", "u");
            String i = pick("i", "i", "j");
            String sum = switch (uni() ? r.nextInt(3) : 3) {
                case 0 -> "Σ" + sub(i) + " w" + sub(i) + v + sub(i);
                case 1 -> "Σ" + sub(i) + " w[" + i + "] " + v + "[" + i + "]";
                case 2 -> "Σ_" + i + " w[" + i + "]·" + v + "[" + i + "]";
                default -> "sum_" + i + " w[" + i + "]*" + v + "[" + i + "]";
            };
            String body = "(" + v + ") = " + act.apply(sum + (bias ? " + b" : ""));
            String existing = neurons.get(body);
            if (existing != null) return existing;
            String name = base;
            for (int n = 2; neurons.containsValue(name); n++) name = base + n;
            neurons.put(body, name);
            return name;
        }

        private String with(boolean bias) {
            return switch (r.nextInt(8)) {
                case 0 -> " with w " + pick("~ normal(0, 1)", "~ normal(0, 0.5)", "~ he", "~ uniform(-0.5, 0.5)");
                case 1 -> " with w ~ normal(0, 0.5)" + (bias ? ", b = " + pick("0.1", "0.05", "-0.1") : "");
                case 2 -> bias ? " with b = " + pick("0.1", "0.2") : "";
                case 3 -> bias ? " with b " + pick("= 0.1", "~ normal(0, 0.1)") + ", w ~ normal(0, 0.5)" : "";
                default -> "";
            };
        }

        // ─── Style (c): scalar neuron equations with sparse connections ─────────────────────────

        private String scalar() {
            int layers = hidden.length;
            int[] sizes = new int[layers + 2];
            sizes[0] = nIn;
            System.arraycopy(hidden, 0, sizes, 1, layers);
            sizes[layers + 1] = k;
            // Global neuron numbers, as in the notes: n1… for the first hidden layer, on to the output.
            int[][] number = new int[layers + 2][];
            int next = 1;
            for (int l = 1; l < sizes.length; l++) {
                number[l] = new int[sizes[l]];
                for (int u = 0; u < sizes[l]; u++) number[l][u] = next++;
            }
            boolean wide = next - 1 >= 10 || nIn >= 10;
            var weightStmts = new ArrayList<String>();
            var biasNames = new ArrayList<String>();
            var eqs = new ArrayList<String>();
            String[] outNames = new String[k];
            String outAct = switch (loss) {
                case "bce" -> "sigmoid";
                case "mse", "huber", "mae" -> pick("none", "none", "identity");
                default -> "none";
            };
            for (int l = 1; l < sizes.length; l++) {
                boolean out = l == sizes.length - 1;
                boolean[][] edge = connections(sizes[l - 1], sizes[l]);
                var weights = new ArrayList<String>();
                for (int u = 0; u < sizes[l]; u++) {
                    int dst = number[l][u];
                    var terms = new ArrayList<String>();
                    for (int s = 0; s < sizes[l - 1]; s++) {
                        if (!edge[s][u]) continue;
                        int src = l == 1 ? s + 1 : number[l - 1][s];
                        String w = "w" + src + (wide ? "_" : "") + dst;
                        weights.add(w);
                        String from = l == 1 ? constIndex("x", s + 1) : "n" + src;
                        terms.add(w + scalarMul() + from);
                    }
                    boolean bias = out || r.nextInt(5) != 0;
                    if (bias) {
                        biasNames.add("b" + dst);
                        terms.add("b" + dst);
                    }
                    String pre = String.join(" + ", terms);
                    String rhs;
                    if (!out) rhs = acts.get(l - 1).apply(pre);
                    else rhs = switch (outAct) {
                        case "sigmoid" -> sigmoid(pre);
                        case "identity" -> pick("identity", "linear") + "(" + pre + ")";
                        default -> pre;
                    };
                    eqs.add("n" + dst + " = " + rhs);
                    if (out) outNames[u] = "n" + dst;
                }
                weightStmts.add(paramStatement(weights, pick("~ normal(0, 0.5)", "~ normal(0, 0.5)", "~ normal(0, 1)",
                        "~ normal(mean = 0, std = 0.5)", "~ uniform(-1, 1)")));
            }
            var s = new StringBuilder();
            s.append("network ").append(netName()).append(" {\n");
            s.append("  input  x[").append(nIn).append("]\n");
            s.append("  target ").append(k == 1 ? "y" : "y[" + k + "]").append('\n');
            s.append('\n');
            for (String w : weightStmts) s.append("  ").append(w).append('\n');
            if (!biasNames.isEmpty()) {
                if (r.nextInt(3) == 0 && biasNames.size() > 1) {
                    // a first bias with its own value, the rest = 0 (by default after the last initializer)
                    s.append("  param ").append(biasNames.get(0)).append(" = 0.1, ")
                            .append(String.join(", ", biasNames.subList(1, biasNames.size()))).append('\n');
                } else {
                    s.append("  ").append(paramStatement(biasNames, pick("= 0", "= 0", "= 0.1", "~ normal(0, 0.1)"))).append('\n');
                }
            }
            s.append('\n');
            for (String e : eqs) s.append("  ").append(e).append('\n');
            s.append('\n');
            s.append("  output ").append(String.join(", ", outNames)).append('\n');
            s.append("  loss ").append(lossName()).append(" = ").append(scalarLoss(outNames)).append('\n');
            s.append("}\n");
            return s.toString();
        }

        /** A random bipartite wiring in which every source feeds some unit and every unit sees some source. */
        private boolean[][] connections(int sources, int units) {
            boolean[][] edge = new boolean[sources][units];
            double density = 0.4 + 0.6 * r.nextDouble();
            for (int u = 0; u < units; u++) {
                boolean any = false;
                for (int s = 0; s < sources; s++) {
                    edge[s][u] = r.nextDouble() < density;
                    any |= edge[s][u];
                }
                if (!any) edge[r.nextInt(sources)][u] = true;
            }
            for (int s = 0; s < sources; s++) {
                boolean any = false;
                for (int u = 0; u < units; u++) any |= edge[s][u];
                if (!any) edge[s][r.nextInt(units)] = true;
            }
            return edge;
        }

        /** A param statement for scalar names, broken after a comma when long. */
        private String paramStatement(List<String> names, String init) {
            var s = new StringBuilder("param ");
            int onLine = 0;
            for (int n = 0; n < names.size(); n++) {
                if (n > 0) {
                    s.append(',');
                    if (onLine == 10) {
                        s.append("\n        ");
                        onLine = 0;
                    } else {
                        s.append(' ');
                    }
                }
                s.append(names.get(n));
                onLine++;
            }
            return s.append(' ').append(init).toString();
        }

        private String scalarLoss(String[] out) {
            if (loss.equals("lse")) {
                // cross-entropy of the logits n…, written out: log Σ exp(z) − Σ y z
                var exps = new ArrayList<String>();
                var dots = new ArrayList<String>();
                for (int c = 0; c < k; c++) {
                    exps.add("exp(" + out[c] + ")");
                    dots.add(constIndex("y", c + 1) + scalarMul() + out[c]);
                }
                return "log(" + String.join(" + ", exps) + ") - (" + String.join(" + ", dots) + ")";
            }
            if (k == 1) return scalarLossCall(out[0], "y");
            var terms = new ArrayList<String>();
            for (int c = 0; c < k; c++) terms.add(scalarLossCall(out[c], constIndex("y", c + 1)));
            return String.join(" + ", terms);
        }

        // ─── Losses ─────────────────────────────────────────────────────────────────────────────

        private String lossName() { return pick("J", "J", "J", "L", "E"); }

        /** The loss of the index and layers styles: the prediction is a, p, lp or z, the target y. */
        private String lossExpr() {
            String c = pick("k", "c");
            return switch (loss) {
                case "bce", "mse", "huber", "mae", "bce_logits" -> {
                    String a = loss.equals("bce_logits") ? "z" : "a";
                    if (k == 1) yield scalarLossCall(a, "y");
                    yield sumHead(c, k) + scalarLossCall(at(a, c), at("y", c));
                }
                case "ce" -> "cross_entropy(p, y)";
                case "ce_sum" -> minus() + sumHead(c, k) + at("y", c) + mul() + "log(" + at("p", c) + ")";
                case "ce_logits" -> "cross_entropy_logits(z, y)";
                case "nll" -> "nll(" + (eqsHaveLp ? "lp" : "log_softmax(z)") + ", y)";
                default -> throw new IllegalStateException(loss);
            };
        }

        private boolean eqsHaveLp;

        private String scalarLossCall(String a, String y) {
            return switch (loss) {
                case "bce" -> "bce(" + a + ", " + y + ")";
                case "bce_logits" -> "bce_logits(" + a + ", " + y + ")";
                case "mse" -> "mse(" + a + ", " + y + ")";
                case "mae" -> "mae(" + a + ", " + y + ")";
                case "huber" -> switch (r.nextInt(3)) {
                    case 0 -> "huber(" + a + ", " + y + ", " + (uni() ? "δ" : "delta") + " = 0.5)";
                    case 1 -> "huber(" + a + ", " + y + ", 2)";
                    default -> "huber(" + a + ", " + y + ")";
                };
                default -> throw new IllegalStateException(loss);
            };
        }

        // ─── Activations ────────────────────────────────────────────────────────────────────────

        /** A hidden activation: its canonical name and how it is written around a pre-activation. */
        private record Act(String canonical, UnaryOperator<String> spell) {
            String apply(String z) { return spell.apply(z); }
        }

        private Act activation() {
            String name = ACTIVATIONS.get(r.nextInt(ACTIVATIONS.size()));
            // Arguments are drawn once per layer, so that all the layer's neurons share one activation.
            return switch (name) {
                case "sigmoid" -> {
                    String f = uni() ? pick("σ", "σ", "sigmoid") : pick("sigmoid", "sigma");
                    yield new Act(name, z -> f + "(" + z + ")");
                }
                case "leaky_relu" -> {
                    String extra = switch (r.nextInt(4)) {
                        case 0 -> "";
                        case 1 -> ", " + pick("0.1", "0.2");
                        default -> ", " + (uni() ? "α" : "alpha") + " = " + pick("0.1", "0.2", "0.05");
                    };
                    yield new Act(name, z -> "leaky_relu(" + z + extra + ")");
                }
                case "elu" -> {
                    String extra = r.nextBoolean() ? "" : ", " + (uni() ? "α" : "alpha") + " = " + pick("0.5", "1.5");
                    yield new Act(name, z -> "elu(" + z + extra + ")");
                }
                case "swish" -> {
                    String f = pick("swish", "swish", "silu");
                    String extra = f.equals("swish") && r.nextBoolean() ? ", " + (uni() ? "β" : "beta") + " = " + pick("2", "0.5") : "";
                    yield new Act(name, z -> f + "(" + z + extra + ")");
                }
                case "identity" -> {
                    String f = pick("identity", "linear");
                    yield new Act(name, z -> f + "(" + z + ")");
                }
                default -> new Act(name, z -> name + "(" + z + ")");
            };
        }

        private String sigmoid(String z) {
            return (uni() ? pick("σ", "σ", "sigmoid") : pick("sigmoid", "sigma")) + "(" + z + ")";
        }

        // ─── Spellings ──────────────────────────────────────────────────────────────────────────

        private boolean uni() {
            return switch (spelling) {
                case UNICODE -> true;
                case ASCII -> false;
                case MIXED -> r.nextBoolean();
            };
        }

        private static String sub(String letter) {
            return switch (letter) {
                case "i" -> "ᵢ";
                case "j" -> "ⱼ";
                case "k" -> "ₖ";
                case "m" -> "ₘ";
                case "n" -> "ₙ";
                default -> null;
            };
        }

        private static String subDigits(int n) {
            var s = new StringBuilder();
            for (char c : Integer.toString(n).toCharArray()) s.append((char) ('₀' + (c - '0')));
            return s.toString();
        }

        /** {@code Σᵢ }, {@code Σ_i }, {@code sum_i }, {@code Σ_{i=1}^{3} }…, ending with a space. */
        private String sumHead(String i, int size) {
            if (uni()) {
                return switch (r.nextInt(6)) {
                    case 0 -> "Σ_" + i + " ";
                    case 1 -> "Σ_{" + i + "=1}^{" + size + "} ";
                    case 2 -> "Σ_{" + i + "} ";
                    default -> sub(i) != null ? "Σ" + sub(i) + " " : "Σ_" + i + " ";
                };
            }
            return r.nextInt(4) == 0 ? "sum_{" + i + "=1}^{" + size + "} " : "sum_" + i + " ";
        }

        /** {@code name[i,j]} or {@code nameᵢⱼ}. */
        private String at(String name, String... idx) {
            boolean canSub = true;
            for (String i : idx) canSub &= sub(i) != null;
            if (canSub && uni() && r.nextInt(3) == 0) {
                var s = new StringBuilder(name);
                for (String i : idx) s.append(sub(i));
                return s.toString();
            }
            return name + "[" + String.join(",", idx) + "]";
        }

        /** The left-hand side of an equation: {@code h1[j]}, {@code h1ⱼ}, or {@code h1} for a scalar. */
        private String lhs(String name, String idx) {
            return idx.isEmpty() ? name : at(name, idx);
        }

        private String constIndex(String name, int i) {
            return uni() && r.nextBoolean() ? name + subDigits(i) : name + "[" + i + "]";
        }

        /** A product of two atoms: juxtaposition, {@code ·} or {@code *}. */
        private String mul() {
            return uni() ? pick(" ", " ", "·") : pick("*", "*", " ");
        }

        private String scalarMul() {
            return uni() ? pick("·", "·", " ") : pick("*", " * ", " ");
        }

        private String mulOp() { return uni() ? "·" : "*"; }

        private String square() { return uni() ? "²" : "^2"; }

        private String minus() { return uni() ? pick("-", "−") : "-"; }

        // ─── Initializers and names ─────────────────────────────────────────────────────────────

        private String weightInit() {
            return pick("~ normal(0, 0.5)", "~ normal(0, 0.5)", "~ normal(0, 0.5)", "~ normal(0, 1)",
                    "~ normal(mean = 0, std = 0.3)", "~ uniform(-0.5, 0.5)", "~ xavier", "~ he", "~ glorot");
        }

        private String biasInit() {
            return pick("= 0", "= 0", "= 0.1", "= 0.05", "~ zeros", "~ normal(0, 0.1)");
        }

        private String netName() { return "Net" + Long.toUnsignedString(seed, 36); }

        @SafeVarargs
        private <T> T pick(T... options) { return options[r.nextInt(options.length)]; }

        private static long mix(long z) {   // splitmix64's finaliser, so that neighbouring seeds differ at once
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
