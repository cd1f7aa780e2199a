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
