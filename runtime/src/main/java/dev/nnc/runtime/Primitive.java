package dev.nnc.runtime;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * The scalar functions every other function is written in: one row each, with everything the compiler and its
 * backends know about it but its derivative (the compiler's {@code grad.Rules}) and its algebra
 * ({@code opt.Simplify}). A row says how the language spells it and with how many arguments; its value in double,
 * which is also how constants fold, and what a constant that is not finite is told; the static method the JVM
 * backend's code calls in float32 and float64; the CUDA C function (overloaded for float and double); and how
 * {@code nnc emit ir} and {@code nnc explain} print it.
 *
 * <p>It lives in the runtime because generated classes run in model jars that hold the runtime alone: what a row's
 * JVM spelling calls is {@code java.lang.Math} or a static method of this class, next to its row.
 */
public enum Primitive {
    EXP("exp", Math::exp, Jvm.viaDouble(Math.class, "exp"), "exp",
            "exp(%s)", "e^{%s}",
            a -> "overflows: exp is finite only up to exp(709.78)",
            "use a smaller exponent; the largest double is about 1.8e308 = exp(709.78)"),
    LOG("log", Math::log, Jvm.viaDouble(Math.class, "log"), "log",
            "log(%s)", "\\log\\left(%s\\right)",
            a -> a == 0 ? "is −∞" : "is the logarithm of a negative number, which is undefined",
            "log needs a positive argument"),
    SQRT("sqrt", Math::sqrt, Jvm.viaDouble(Math.class, "sqrt"), "sqrt",
            "√%s", "\\sqrt{%s}",
            a -> "is the square root of a negative number, which is undefined",
            "sqrt needs an argument of 0 or more"),
    ABS("abs", Math::abs, Jvm.ofEachType(Math.class, "abs"), "fabs",
            "abs(%s)", "\\left|%s\\right|",
            null, null),
    MAX("max", Math::max, Jvm.ofEachType(Math.class, "max"), "nnc_max",
            "max(%s)", "\\max\\left(%s\\right)",
            null, null),
    MIN("min", Math::min, Jvm.ofEachType(Math.class, "min"), "nnc_min",
            "min(%s)", "\\min\\left(%s\\right)",
            null, null),
    /** The error function, 2/√π ∫₀ˣ e^(−t²) dt: the exact GELU is ½x(1 + erf(x/√2)). */
    ERF("erf", Primitive::erf, Jvm.viaDouble(Primitive.class, "erf"), "erf",
            "erf(%s)", "\\operatorname{erf}\\left(%s\\right)",
            null, null);

    /** The name a program calls it by; also how ASCII IR prints it, {@code name(arguments)}. */
    public final String spelling;
    public final int arity;
    private final DoubleUnaryOperator unary;
    private final DoubleBinaryOperator binary;
    /** The static method generated JVM code calls. */
    public final Jvm jvm;
    /** The CUDA C function, called with the arguments in parentheses; CUDA overloads it for float and double. */
    public final String c;
    /**
     * How the IR prints in Unicode and LaTeX: {@code %s} stands for the arguments. Where nothing follows it (√x) an
     * argument that is not an atom is parenthesised.
     */
    public final String unicode, latex;
    /** Why a result from finite arguments is not finite, and what to do; null where that cannot happen. */
    private final DoubleFunction<String> notFinite;
    public final String hint;

    Primitive(String spelling, DoubleUnaryOperator f, Jvm jvm, String c, String unicode, String latex,
              DoubleFunction<String> notFinite, String hint) {
        this(spelling, 1, f, null, jvm, c, unicode, latex, notFinite, hint);
    }

    Primitive(String spelling, DoubleBinaryOperator f, Jvm jvm, String c, String unicode, String latex,
              DoubleFunction<String> notFinite, String hint) {
        this(spelling, 2, null, f, jvm, c, unicode, latex, notFinite, hint);
    }

    Primitive(String spelling, int arity, DoubleUnaryOperator unary, DoubleBinaryOperator binary, Jvm jvm, String c,
              String unicode, String latex, DoubleFunction<String> notFinite, String hint) {
        this.spelling = spelling;
        this.arity = arity;
        this.unary = unary;
        this.binary = binary;
        this.jvm = jvm;
        this.c = c;
        this.unicode = unicode;
        this.latex = latex;
        this.notFinite = notFinite;
        this.hint = hint;
    }

    /** The value of a one-argument primitive, in double. */
    public DoubleUnaryOperator unary() {
        if (unary == null) throw new IllegalStateException("internal: " + spelling + " takes " + arity + " arguments");
        return unary;
    }

    /** The value of a two-argument primitive, in double. */
    public DoubleBinaryOperator binary() {
        if (binary == null) throw new IllegalStateException("internal: " + spelling + " takes " + arity + " argument");
        return binary;
    }

    /** The value at these arguments (as many as the arity), in double: how a constant folds. */
    public double apply(double... args) {
        if (args.length != arity) throw new IllegalStateException("internal: " + spelling + " applied to " + args.length + " arguments");
        return arity == 1 ? unary.applyAsDouble(args[0]) : binary.applyAsDouble(args[0], args[1]);
    }

    /** Why the value at a first argument {@code a} is not finite although the arguments are: for a diagnostic. */
    public String notFinite(double a) { return notFinite == null ? "is not a number" : notFinite.apply(a); }

    /**
     * The error function to within a few units in the last place (4 at most, tested against 40-digit values): W. J.
     * Cody's rational Chebyshev approximations (Math. Comp. 23, 1969), of erf near 0 and of erfc(|x|)·e^(x²) beyond,
     * as in his SPECFUN routine CALERF. Java has no erf of its own.
     */
    public static double erf(double x) {
        double y = Math.abs(x);
        if (y <= 0.46875) {
            double z = y * y;
            double p = (((0.185777706184603153 * z + 3.16112374387056560) * z + 113.864154151050156) * z
                    + 377.485237685302021) * z + 3209.37758913846947;
            double q = (((z + 23.6012909523441209) * z + 244.024637934444173) * z + 1282.61652607737228) * z
                    + 2844.23683343917062;
            return x * p / q;
        }
        double erfc; // of y
        if (y <= 4) {
            double p = (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y + 8.88314979438837594) * y
                    + 66.1191906371416295) * y + 298.635138197400131) * y + 881.952221241769090) * y
                    + 1712.04761263407058) * y + 2051.07837782607147) * y + 1230.33935479799725;
            double q = (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y
                    + 1621.38957456669019) * y + 3290.79923573345963) * y + 4362.61909014324716) * y
                    + 3439.36767414372164) * y + 1230.33935480374942;
            erfc = expMinusSquare(y) * p / q;
        } else if (y < 6) {
            double z = 1 / (y * y);
            double p = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z
                    + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
            double q = ((((z + 2.56852019228982242) * z + 1.87295284992346047) * z + 0.527905102951428412) * z
                    + 0.0605183413124413191) * z + 0.00233520497626869185;
            erfc = expMinusSquare(y) * (0.56418958354775628695 - z * p / q) / y; // 1/√π
        } else if (y >= 6) {
            erfc = 0; // below 2.2e-17: 1 − erfc rounds to 1
        } else {
            return x; // NaN
        }
        double r = (0.5 - erfc) + 0.5;
        return x < 0 ? -r : r;
    }

    /** e^(−y²) for y > 0, y² taken apart as s² + (y − s)(y + s) with s a whole number of sixteenths, s² exact. */
    private static double expMinusSquare(double y) {
        double s = Math.floor(y * 16) / 16;
        return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s));
    }

    /**
     * A static method of doubles generated code calls: {@code owner.name(D…)D}, the arguments of a float32 network
     * widened and the result narrowed; or, where {@code ofEachType}, the owner's overload for the network's own type.
     *
     * @param owner the class's internal name ({@code java/lang/Math})
     */
    public record Jvm(String owner, String name, boolean ofEachType) {
        static Jvm viaDouble(Class<?> owner, String name) { return new Jvm(internal(owner), name, false); }

        static Jvm ofEachType(Class<?> owner, String name) { return new Jvm(internal(owner), name, true); }

        private static String internal(Class<?> c) { return c.getName().replace('.', '/'); }
    }
}
