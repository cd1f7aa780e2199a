package dev.nnc.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of small, random, valid convolutional {@code .nn} programs: the family the index-arithmetic
 * gradient checks and backend comparisons run on.
 *
 * <p>Each seed picks one network over a 1-D or 2-D input of 1–2 channels: a convolution (1–3 maps, a kernel of
 * 1–4 or as wide as the padded input, stride 1 or 2, "valid" or zero-padded by 1–2 with {@code pad}), a hidden
 * activation, then at random a max or average pooling (window 1–3, stride 1–2), at random a second convolution,
 * and a dense output with mse or softmax cross-entropy. Subscripts are written as on paper,
 * {@code x[k, 2i+p-2]}; every range but the kernels' and the windows' is inferred. The same seed gives the same
 * text.
 */
public final class RandomConvNetworks {
    private RandomConvNetworks() {}

    /** The program and a short description for test names, e.g. "2-D 1×6×6 conv3 s2 pad1 tanh max2 mse". */
    public record Generated(String name, String source) {}

    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "softplus", "elu", "leaky_relu");

    public static Generated generate(long seed) {
        var r = new Random(seed * 7919 + 17);
        boolean two = r.nextBoolean();
        int channels = 1 + r.nextInt(2), n = 3 + r.nextInt(5);
        boolean ascii = r.nextInt(4) == 0;
        String sum = ascii ? "sum_" : "Σ_";
        var src = new StringBuilder();
        var name = new StringBuilder(two ? "2-D " : "1-D ").append(channels).append('×').append(n);
        if (two) name.append('×').append(n);
        src.append("network Conv {\n");
        src.append("  input x[").append(channels).append(',').append(n).append(two ? "," + n : "").append("]\n");
        int outputs = 1 + r.nextInt(3);
        boolean softmax = outputs > 1 && r.nextBoolean();
        src.append("  target y[").append(outputs).append("]\n");

        // the first convolution
        int maps = 1 + r.nextInt(3), pad = r.nextInt(3) == 0 ? 0 : r.nextInt(3), stride = 1 + r.nextInt(2);
        int padded = n + 2 * pad;
        int kernel = r.nextInt(6) == 0 ? padded : 1 + r.nextInt(Math.min(4, padded));
        int size = (padded - kernel) / stride + 1;
        String act = ACTIVATIONS.get(r.nextInt(ACTIVATIONS.size()));
        name.append(" conv").append(kernel).append(" s").append(stride).append(pad > 0 ? " pad" + pad : "").append(' ').append(act);
        src.append("  param K1[").append(maps).append(',').append(channels).append(',').append(kernel)
                .append(two ? "," + kernel : "").append("] ~ normal(0, 0.5)\n");
        src.append("  param b1[").append(maps).append("] ~ normal(0, 0.1)\n");
        String input = pad == 0 ? "x" : "pad(x, " + pad + (two ? ", " + pad : "") + ")";
        src.append("  a[c,i").append(two ? ",j" : "").append("] = ").append(act).append('(').append(sum).append("k ")
                .append(sum).append("p ").append(two ? sum + "q " : "").append("K1[c,k,p").append(two ? ",q" : "").append("] ")
                .append(input).append("[k, ").append(affine(stride, "i", "p")).append(two ? ", " + affine(stride, "j", "q") : "")
                .append("] + b1[c])\n");
        String last = "a";
        int lastMaps = maps;

        // pooling
        int pool = r.nextInt(3); // 0 none, 1 max, 2 average
        if (pool > 0 && size >= 1) {
            int window = 1 + r.nextInt(Math.min(3, size)), step = 1 + r.nextInt(2);
            int pooled = (size - window) / step + 1;
            String head = pool == 1 ? "max_{p=1}^{" + window + "} " : sum + "{p=1}^{" + window + "} ";
            String head2 = !two ? "" : pool == 1 ? "max_{q=1}^{" + window + "} " : sum + "{q=1}^{" + window + "} ";
            String read = last + "[c, " + affine(step, "i", "p") + (two ? ", " + affine(step, "j", "q") : "") + "]";
            src.append("  m[c,i").append(two ? ",j" : "").append("] = ").append(head).append(head2).append(read)
                    .append(pool == 2 ? " / " + (two ? window * window : window) : "").append('\n');
            name.append(pool == 1 ? " max" : " avg").append(window).append(step > 1 ? "s" + step : "");
            last = "m";
            size = pooled;
        }

        // a second convolution, stride 1, valid
        if (size >= 2 && r.nextBoolean()) {
            int maps2 = 1 + r.nextInt(2), k2 = 1 + r.nextInt(Math.min(3, size));
            src.append("  param K2[").append(maps2).append(',').append(lastMaps).append(',').append(k2)
                    .append(two ? "," + k2 : "").append("] ~ normal(0, 0.5)\n");
            src.append("  h[c,i").append(two ? ",j" : "").append("] = tanh(").append(sum).append("k ").append(sum).append("p ")
                    .append(two ? sum + "q " : "").append("K2[c,k,p").append(two ? ",q" : "").append("] ").append(last)
                    .append("[k, i+p-1").append(two ? ", j+q-1" : "").append("])\n");
            name.append(" conv").append(k2);
            last = "h";
            lastMaps = maps2;
            size = size - k2 + 1;
        }

        // the dense output
        src.append("  param V[").append(outputs).append(',').append(lastMaps).append(',').append(size).append(two ? "," + size : "")
                .append("] ~ normal(0, 0.5)\n");
        src.append("  param bo[").append(outputs).append("]\n");
        src.append("  z[o] = ").append(sum).append("c ").append(sum).append("i ").append(two ? sum + "j " : "")
                .append("V[o,c,i").append(two ? ",j" : "").append("] ").append(last).append("[c,i").append(two ? ",j" : "")
                .append("] + bo[o]\n");
        if (softmax) {
            src.append("  prob = softmax(z)\n  output prob\n  loss J = cross_entropy(prob, y)\n");
            name.append(" ce");
        } else {
            src.append("  output z\n  loss J = ").append(sum).append("o (z[o] - y[o])²\n");
            name.append(" mse");
        }
        src.append("}\n");
        String text = src.toString();
        if (ascii) text = text.replace("²", "^2");
        return new Generated(name.toString(), text);
    }

    /** The position of window element p of output i at this stride: s·(i−1) + p, written s·i + p − s. */
    private static String affine(int stride, String i, String p) {
        return stride == 1 ? i + "+" + p + "-1" : stride + i + "+" + p + "-" + stride;
    }

    /** Every program of seeds 0 … count − 1. */
    public static List<Generated> family(int count) {
        List<Generated> out = new ArrayList<>();
        for (long s = 0; s < count; s++) out.add(generate(s));
        return out;
    }
}
