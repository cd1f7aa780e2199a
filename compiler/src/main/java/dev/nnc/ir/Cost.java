package dev.nnc.ir;

/** Operations to compute one element of a def, roughly: how much work it is, for threading and unrolling decisions. */
public final class Cost {
    private Cost() {}

    /** A Σ or max costs its range times its body; a call, its arguments and ten; anything else one and its children. */
    public static long of(Ex e) {
        return switch (e) {
            case Ex.Sum s -> s.i().range() * of(s.body());
            case Ex.Max m -> m.i().range() * of(m.body());
            case Ex.ArgMax m -> m.size() * of(m.body());
            case Ex.Apply a -> 10 + a.args().stream().mapToLong(Cost::of).sum();
            case Ex.Fused f -> of(f.value());
            default -> {
                long[] c = {1};
                Exprs.mapChildren(e, x -> {
                    c[0] += of(x);
                    return x;
                });
                yield c[0];
            }
        };
    }
}
