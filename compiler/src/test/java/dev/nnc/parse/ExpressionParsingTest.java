package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.AstEquality;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Member;
import dev.nnc.diag.Diagnostics;
import dev.nnc.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How expressions group and how their spellings meet: precedence, Σ, juxtaposition, scripts, ASCII. */
class ExpressionParsingTest {

    /** Parses the right side of {@code a = …} in a network. */
    static Expr parse(String expr) {
        var diagnostics = new Diagnostics();
        var program = NnParsing.parse(new SourceFile("t.nn", "network N {\n  a = " + expr + "\n}\n"), diagnostics);
        assertFalse(diagnostics.hasErrors(), () -> diagnostics.sorted().get(0).headline());
        var network = (Decl.Network) program.decls().get(0);
        return ((Member.Equation) network.members().get(0)).value();
    }

    /** A fully parenthesised ASCII print, to state the expected grouping. */
    static String grouping(Expr e) {
        return switch (e) {
            case Expr.Num n -> AstPrinter.print(n, true);
            case Expr.Ref r -> r.name().name() + (r.indices().isEmpty() ? "" : AstPrinter.print(
                    new Expr.Ref(new Ident("", r.span()), r.indices(), r.span()), true));
            case Expr.Call c -> c.callee().name() + "(" + String.join(", ", c.args().stream().map(a -> grouping(a.value())).toList()) + ")";
            case Expr.Neg n -> "(-" + grouping(n.operand()) + ")";
            case Expr.Binary b -> "(" + grouping(b.left()) + " " + switch (b.op()) {
                case ADD -> "+";
                case SUB -> "-";
                case MUL -> "*";
                case DIV -> "/";
                case POW -> "^";
            } + " " + grouping(b.right()) + ")";
            case Expr.Sum s -> "(sum_" + s.index().name() + " " + grouping(s.body()) + ")";
            case Expr.Derivative d -> "dJ/dθ";
            case Expr.Iverson i -> "[" + grouping(i.left()) + " " + i.op().ascii + " " + grouping(i.right()) + "]";
        };
    }

    @ParameterizedTest(name = "{0}  ⇒  {1}")
    @CsvSource(delimiter = '|', value = {
        "Σᵢ wᵢxᵢ + b                      | ((sum_i (w[i] * x[i])) + b)",
        "Σⱼ W[k,j]·h[j] + b[k]            | ((sum_j (W[k,j] * h[j])) + b[k])",
        "-Σₖ y[k] log(p[k])               | (-(sum_k (y[k] * log(p[k]))))",
        "exp(z[i]) / Σⱼ exp(z[j])         | (exp(z[i]) / (sum_j exp(z[j])))",
        "λ Σᵢ w[i]²                       | (λ * (sum_i (w[i] ^ 2)))",
        "2 z + 1                          | ((2 * z) + 1)",
        "β v + ∂J/∂θ                      | ((β * v) + dJ/dθ)",
        "σ(z)(1 - σ(z))                   | (σ(z) * (1 - σ(z)))",
        "a - b - c                        | ((a - b) - c)",
        "a / b / c                        | ((a / b) / c)",
        "a / 2 b                          | (a / (2 * b))",
        "-x²                              | (-(x ^ 2))",
        "x^-1                             | (x ^ (-1))",
        "x⁻¹                              | (x ^ (-1))",
        "2^3^2                            | (2 ^ (3 ^ 2))",
        "β1^t                             | (β1 ^ t)",
        "β1ᵗ                              | (β1 ^ t)",
        "√v + ε                           | (sqrt(v) + ε)",
        "√(v / 2)                         | sqrt((v / 2))",
        "x·[x > 0]                        | (x * [x > 0])",
        "(1 - y) log(1 - a)               | ((1 - y) * log((1 - a)))",
    })
    void groupsLikeOnPaper(String source, String expected) {
        assertEquals(expected.strip(), grouping(parse(source.strip())));
    }

    @ParameterizedTest(name = "{0}  ≡  {1}")
    @CsvSource(delimiter = '|', value = {
        "Σᵢ wᵢxᵢ                      | sum_i w[i]*x[i]",
        "Σ_i w[i] x[i]                | sum_i w[i] * x[i]",
        "Σ_{i=1}^{3} x[i]             | sum_{i=1}^{3} x[i]",
        "σ(z)·τ                       | sigma(z) * tau",
        "x₁ + x₁₂                     | x[1] + x[12]",
        "Wⱼᵢ                          | W[j,i]",
        "a × b ÷ c − d                | a * b / c - d",
        "[a ≤ b] + [a ≠ b]            | [a <= b] + [a != b]",
        "α ∂J/∂θ                      | alpha partial J / partial theta",
        "x²                           | x^2",
        "√x                           | sqrt(x)",
    })
    void unicodeAndAsciiSpellingsMeanTheSame(String unicode, String ascii) {
        Expr u = parse(unicode.strip());
        Expr a = parse(ascii.strip());
        assertTrue(AstEquality.equal(u, a), grouping(u) + " vs " + grouping(a));
    }

    @Test
    void aLineEndsAStatementOnlyWhereItCan() {
        var diagnostics = new Diagnostics();
        var program = NnParsing.parse(new SourceFile("t.nn", """
                network N {
                  a = σ(w·x
                        + b)
                  c = a
                    + 1
                  d = 2 *
                      c
                }
                """), diagnostics);
        assertFalse(diagnostics.hasErrors(), () -> diagnostics.sorted().get(0).headline());
        var members = ((Decl.Network) program.decls().get(0)).members();
        assertEquals(3, members.size());
        assertEquals("(a + 1)", grouping(((Member.Equation) members.get(1)).value()));
        assertEquals("(2 * c)", grouping(((Member.Equation) members.get(2)).value()));
    }

    @Test
    void greekNamesHaveAsciiSpellings() {
        assertTrue(AstEquality.equal(parse("alpha + beta1 + theta_hat + Delta"), parse("α + β1 + θ_hat + Δ")));
        assertEquals("alphabet", ((Expr.Ref) parse("alphabet")).name().name());
    }
}
