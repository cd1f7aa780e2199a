package dev.nnc.parse;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Index;
import dev.nnc.ast.Init;
import dev.nnc.ast.Member;
import dev.nnc.ast.Names;
import dev.nnc.ast.OptimizerStatement;
import dev.nnc.ast.Program;
import dev.nnc.ast.Setting;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser.*;
import dev.nnc.runtime.Primitive;
import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The one walk from parse tree to AST. Spellings end here: juxtaposition and · become one product,
 * √ a call of sqrt, superscripts powers, subscripts indices, and Greek names their canonical form.
 * After a syntax error the tree may have holes; those parts are skipped, since the error is already reported.
 */
public final class AstBuilder {
    private final SourceFile source;
    private final Diagnostics diagnostics;

    public AstBuilder(SourceFile source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    public Program program(ProgramContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (var d : ctx.declaration()) {
            Decl decl = declaration(d);
            if (decl != null) decls.add(decl);
        }
        return new Program(source, decls);
    }

    private Decl declaration(DeclarationContext ctx) {
        try {
            return switch (ctx) {
                case ImportDeclContext c -> new Decl.Import(string(need(c.STRING()).getSymbol()), span(c.STRING()), span(c));
                case AliasDeclContext c -> new Decl.Alias(ident(c.aliasName), ident(c.aliasTarget), span(c));
                case FnDeclContext c -> new Decl.Fn(ident(c.declName), params(c.params()),
                        c.indexNames() == null ? List.of() : idents(c.indexNames().ID()),
                        expr(c.expression()), c.statedDerivative().stream().map(this::statedDerivative).toList(), span(c));
                case NeuronDeclContext c -> new Decl.Neuron(ident(c.declName), params(c.params()), expr(c.expression()), span(c));
                case OptimizerDeclContext c -> new Decl.Optimizer(ident(c.declName),
                        c.params() == null ? List.of() : params(c.params()),
                        c.optimizerStatement().stream().map(this::optimizerStatement).toList(), span(c));
                case NetworkDeclContext c -> new Decl.Network(ident(c.declName), members(c.member()), span(c));
                case TrainDeclContext c -> new Decl.Train(ident(c.declName),
                        c.setting().stream().map(this::setting).toList(), span(c));
                default -> null;
            };
        } catch (Incomplete e) {
            return hole(e); // a syntax error left a hole in this declaration; it has been reported
        }
    }

    /**
     * Error recovery leaves holes (missing children) in the parse tree. Walking into one means the
     * construct is incomplete and already reported — unless no syntax error was reported, which makes
     * it a bug in this builder. Every child recovery may leave out is read through {@link #need}, so a
     * hole is always {@link Incomplete}; a NullPointerException here is a bug and is not caught.
     */
    private <T> T hole(Incomplete e) {
        if (!diagnostics.hasErrors()) throw new IllegalStateException("internal: incomplete parse tree without a syntax error", e);
        return null;
    }

    /** Thrown when a parse tree left incomplete by error recovery is walked. */
    private static final class Incomplete extends RuntimeException {
        Incomplete() { super(null, null, false, false); }
    }

    private static <T> T need(T node) {
        if (node == null) throw new Incomplete();
        return node;
    }

    private List<Decl.Param> params(ParamsContext ctx) {
        return need(ctx).param().stream()
                .map(p -> new Decl.Param(ident(p.ID()), p.expression() == null ? null : expr(p.expression())))
                .toList();
    }

    private Decl.StatedDerivative statedDerivative(StatedDerivativeContext c) {
        return new Decl.StatedDerivative(ident(c.of), ident(c.wrt), expr(c.expression()), span(c));
    }

    private OptimizerStatement optimizerStatement(OptimizerStatementContext ctx) {
        return switch (ctx) {
            case StateDeclContext c -> new OptimizerStatement.State(c.stateVar().stream()
                    .map(v -> new OptimizerStatement.StateVar(ident(v.ID()), expr(v.expression()))).toList(), span(c));
            case UpdateContext c -> new OptimizerStatement.Update(ident(c.ID()), expr(c.expression()), span(c));
            default -> throw new Incomplete();
        };
    }

    // ─── Members ──────────────────────────────────────────────────────────────────────────────────

    /** The members that parsed; one broken line loses only itself. */
    private List<Member> members(List<MemberContext> contexts) {
        List<Member> out = new ArrayList<>();
        for (var m : contexts) {
            try {
                out.add(member(m));
            } catch (Incomplete e) {
                hole(e);
            }
        }
        return out;
    }

    private Member member(MemberContext ctx) {
        return switch (ctx) {
            case InputMemberContext c -> new Member.Input(c.tensorDecl().stream().map(this::tensorDecl).toList(), span(c));
            case TargetMemberContext c -> new Member.Target(c.tensorDecl().stream().map(this::tensorDecl).toList(), span(c));
            case ParamMemberContext c -> new Member.Params(c.paramDecl().stream()
                    .map(p -> new Member.ParamDecl(ident(p.ID()), dims(p.dims()),
                            p.initializer() == null ? null : init(p.initializer()))).toList(), span(c));
            case LayerMemberContext c -> new Member.Layer(ident(c.declName), dims(c.dims()), ident(c.neuron),
                    c.arguments() == null ? List.of() : args(c.arguments()),
                    c.layerInit().stream().map(i -> new Member.LayerInit(ident(i.ID()), init(i.initializer()))).toList(),
                    span(c));
            case OutputMemberContext c -> new Member.Output(idents(c.ID()), span(c));
            case LossMemberContext c -> new Member.Loss(ident(c.ID()), expr(c.expression()), span(c));
            case EquationMemberContext c -> new Member.Equation(ident(c.ID()), equationIndices(c), expr(c.expression()), span(c));
            default -> throw new Incomplete();
        };
    }

    private List<Ident> equationIndices(EquationMemberContext c) {
        if (c.indexNames() != null) return idents(c.indexNames().ID());
        if (c.SUB() == null) return List.of();
        List<Ident> names = new ArrayList<>();
        for (Index index : subscripts(c.SUB().getSymbol())) {
            switch (index) {
                case Index.Var v -> names.add(v.name());
                case Index.Const k -> diagnostics.error(Key.SYNTAX, k.span(),
                        "the left side of an equation names its indices; it cannot define one element",
                        "write " + c.ID().getText() + "[i] = … for all elements, with i ranging over the right side");
                case Index.Affine a -> throw new IllegalStateException("internal: a subscript character made " + a);
                case Index.Broken b -> throw new IllegalStateException("internal: a subscript character made " + b);
            }
        }
        return names;
    }

    private Member.TensorDecl tensorDecl(TensorDeclContext c) {
        return new Member.TensorDecl(ident(c.ID()), dims(c.dims()));
    }

    private List<Member.Dim> dims(DimsContext ctx) {
        if (ctx == null) return List.of();
        return ctx.INT().stream().map(t -> new Member.Dim(integer(t.getSymbol()), span(t))).toList();
    }

    private Init init(InitializerContext ctx) {
        return switch (need(ctx)) {
            case RandomInitContext c -> new Init.Random(ident(c.ID()),
                    c.arguments() == null ? List.of() : args(c.arguments()), span(c));
            case ValueInitContext c -> new Init.Value(expr(c.expression()), span(c));
            case ArrayInitContext c -> new Init.Values(array(c.arrayLiteral()), span(c));
            default -> throw new Incomplete();
        };
    }

    private Init.Array array(ArrayLiteralContext ctx) {
        List<Init.Element> elements = new ArrayList<>();
        for (var e : need(ctx).arrayElement()) {
            elements.add(switch (e) {
                case NestedElementContext n -> array(n.arrayLiteral());
                case ScalarElementContext s -> new Init.Scalar(expr(s.expression()));
                default -> throw new Incomplete();
            });
        }
        return new Init.Array(elements, span(ctx));
    }

    private Setting setting(SettingContext c) {
        var keyToken = need(c.key).getStart();
        var key = new Ident(keyToken.getText(), span(keyToken));
        List<Setting.Value> values = new ArrayList<>();
        for (var v : c.settingValue()) {
            switch (v) {
                case StringSettingContext s -> values.add(new Setting.Text(string(need(s.STRING()).getSymbol()), span(s)));
                case ExpressionSettingContext e -> values.add(new Setting.Number(expr(e.expression()), span(e)));
                default -> throw new Incomplete();
            }
        }
        return new Setting(key, values, span(c));
    }

    // ─── Expressions ──────────────────────────────────────────────────────────────────────────────

    public Expr expr(ExpressionContext ctx) {
        return chain(ctx, MultiplicativeContext.class, this::multiplicative,
                c -> c instanceof AddOpContext a ? a.PLUS() != null ? Expr.Op.ADD : Expr.Op.SUB : null);
    }

    private Expr multiplicative(MultiplicativeContext ctx) {
        return chain(ctx, UnaryContext.class, this::unary,
                c -> c instanceof MulOpContext m ? m.MUL() != null ? Expr.Op.MUL : Expr.Op.DIV : null);
    }

    /**
     * A left-deep chain a + b - c … from a rule's children, operands and the operators between them, read in one
     * pass: asking the rule for its i-th operand searches its children from the start each time, which made a
     * 50,000-term sum take minutes.
     */
    private <O> Expr chain(ParserRuleContext ctx, Class<O> operand, Function<O, Expr> build,
                           Function<ParseTree, Expr.Op> operator) {
        if (need(ctx).children == null) throw new Incomplete();
        Expr result = null;
        Expr.Op op = null;
        for (var child : ctx.children) {
            Expr.Op o = operator.apply(child);
            if (o != null) {
                op = o;
            } else if (operand.isInstance(child)) {
                Expr right = build.apply(operand.cast(child));
                result = result == null ? right : new Expr.Binary(op, result, right, result.span().to(right.span()));
            }
        }
        if (result == null) throw new Incomplete();
        return result;
    }

    private Expr unary(UnaryContext ctx) {
        return switch (need(ctx)) {
            case NegateContext c -> new Expr.Neg(unary(c.unary()), span(c));
            case UnaryPlusContext c -> unary(c.unary());
            case SumContext c -> sum(c.sumHead(), c.multiplicative(), span(c));
            case ProductContext c -> {
                Expr factor = product(c.power());
                if (c.sumHead() == null) yield factor;
                // λ Σᵢ w[i]²: a factor before a sum multiplies the whole sum.
                Expr sum = sum(c.sumHead(), c.multiplicative(), span(c.sumHead().getStart(), c.getStop()));
                yield new Expr.Binary(Expr.Op.MUL, factor, sum, span(c));
            }
            default -> throw new Incomplete();
        };
    }

    /** Juxtaposition: wᵢxᵢ, 2 z, σ(z)(1 - σ(z)). */
    private Expr product(List<PowerContext> factors) {
        if (factors.isEmpty()) throw new Incomplete();
        Expr result = power(factors.get(0));
        for (int i = 1; i < factors.size(); i++) {
            Expr right = power(factors.get(i));
            result = new Expr.Binary(Expr.Op.MUL, result, right, result.span().to(right.span()));
        }
        return result;
    }

    private Expr sum(SumHeadContext head, MultiplicativeContext bodyContext, Span whole) {
        Expr body = multiplicative(bodyContext);
        return switch (need(head)) {
            case SumSubscriptContext h -> {
                Token t = h.SUM_SUB().getSymbol();
                int letter = t.getText().codePointAt(1);
                var index = new Ident(String.valueOf(Names.subscriptLetter(letter)), span(t.getStartIndex() + 1, t.getStartIndex() + 2));
                yield new Expr.Sum(Expr.Reduction.SUM, index, null, null, body, whole);
            }
            case SumUnderscoreContext h -> {
                Token t = h.SUM_UNDERSCORE().getSymbol();
                String text = t.getText();
                int underscore = text.indexOf('_');
                int offset = text.codePointCount(0, underscore + 1);
                var index = new Ident(Names.canonical(text.substring(underscore + 1)),
                        span(t.getStartIndex() + offset, t.getStopIndex() + 1));
                yield new Expr.Sum(Expr.Reduction.SUM, index, null, null, body, whole);
            }
            case SumBoundedContext h -> new Expr.Sum(Expr.Reduction.SUM, ident(h.indexName),
                    h.lower == null ? null : integer(h.lower), upper(h.sumUpper()), body, whole);
            case MaxBoundedContext h -> new Expr.Sum(Expr.Reduction.MAX, ident(h.indexName),
                    h.lower == null ? null : integer(h.lower), upper(h.sumUpper()), body, whole);
            default -> throw new Incomplete();
        };
    }

    private Expr.Bound upper(SumUpperContext ctx) {
        if (ctx == null) return null;
        Token b = switch (ctx) {
            case BracedUpperContext u -> u.bound;
            case PlainUpperContext u -> u.bound;
            default -> throw new Incomplete();
        };
        return need(b).getType() == NnLexer.INT
                ? new Expr.NumberBound(integer(b), span(b))
                : new Expr.NameBound(new Ident(Names.canonical(b.getText()), span(b)), span(b));
    }

    private Expr power(PowerContext ctx) {
        Expr base = atom(need(ctx).atom());
        if (ctx.exponent() != null) return new Expr.Binary(Expr.Op.POW, base, exponent(ctx.exponent()), span(ctx));
        if (ctx.SUPER() != null) return new Expr.Binary(Expr.Op.POW, base, superscript(ctx.SUPER().getSymbol()), span(ctx));
        if (ctx.CARET() != null) throw new Incomplete();
        return base;
    }

    private Expr exponent(ExponentContext ctx) {
        return switch (need(ctx)) {
            case NegativeExponentContext c -> new Expr.Neg(exponent(c.exponent()), span(c));
            case PositiveExponentContext c -> power(c.power());
            default -> throw new Incomplete();
        };
    }

    private Expr atom(AtomContext ctx) {
        return switch (need(ctx)) {
            case NumberAtomContext c -> new Expr.Num(number(c.number), span(c));
            case CallAtomContext c -> new Expr.Call(name(c.name()),
                    c.arguments() == null ? List.of() : args(c.arguments()),
                    c.indices() == null ? List.of() : indices(c.indices()), span(c));
            case IndexedAtomContext c -> new Expr.Ref(name(c.name()), indices(c.indices()), span(c));
            case SubscriptAtomContext c -> new Expr.Ref(name(c.name()), subscripts(c.SUB().getSymbol()), span(c));
            case NameAtomContext c -> new Expr.Ref(name(c.name()), List.of(), span(c));
            case ParenAtomContext c -> expr(c.expression());
            case SqrtAtomContext c -> {
                Expr arg = atom(c.atom());
                Token root = c.SQRT().getSymbol();
                yield new Expr.Call(new Ident(Primitive.SQRT.spelling, span(root)), List.of(new Arg(null, arg)), List.of(), span(c));
            }
            case DerivativeAtomContext c -> new Expr.Derivative(ident(c.of), ident(c.wrt), span(c));
            case IversonAtomContext c -> new Expr.Iverson(expr(c.left), compare(c.compareOp()), expr(c.right), span(c));
            default -> throw new Incomplete();
        };
    }

    private static Expr.Compare compare(CompareOpContext c) {
        need(c);
        if (c.LT() != null) return Expr.Compare.LT;
        if (c.LE() != null) return Expr.Compare.LE;
        if (c.GT() != null) return Expr.Compare.GT;
        if (c.GE() != null) return Expr.Compare.GE;
        if (c.EQ() != null) return Expr.Compare.EQ;
        return Expr.Compare.NE;
    }

    private Ident name(NameContext c) {
        need(c);
        var parts = c.ID().stream().map(t -> Names.canonical(t.getText())).toList();
        return new Ident(String.join(".", parts), span(c));
    }

    private List<Arg> args(ArgumentsContext ctx) {
        return ctx.argument().stream()
                .map(a -> new Arg(a.ID() == null ? null : ident(a.ID()), expr(a.expression())))
                .toList();
    }

    private List<Index> indices(IndicesContext ctx) {
        List<Index> out = new ArrayList<>();
        for (var e : need(ctx).expression()) {
            out.add(Subscripts.of(expr(e), diagnostics));
        }
        return out;
    }

    /** ᵢⱼ is two indices i, j; ₁₂ is the one number 12. */
    private List<Index> subscripts(Token t) {
        List<Index> out = new ArrayList<>();
        int[] cps = t.getText().codePoints().toArray();
        int start = t.getStartIndex();
        for (int i = 0; i < cps.length; i++) {
            char letter = Names.subscriptLetter(cps[i]);
            if (letter != 0) {
                out.add(new Index.Var(new Ident(String.valueOf(letter), span(start + i, start + i + 1))));
                continue;
            }
            int j = i;
            long value = 0;
            while (j < cps.length && Names.subscriptDigit(cps[j]) >= 0) {
                value = Math.min(Integer.MAX_VALUE, value * 10 + Names.subscriptDigit(cps[j]));
                j++;
            }
            out.add(new Index.Const((int) value, span(start + i, start + j)));
            i = j - 1;
        }
        return out;
    }

    /** ² is 2, ⁻¹ is -1, ᵗ is the name t. */
    private Expr superscript(Token t) {
        Span where = span(t);
        int[] cps = t.getText().codePoints().toArray();
        boolean negative = cps[0] == '⁻';
        var letters = new StringBuilder();
        long value = 0;
        int digits = 0;
        for (int i = negative ? 1 : 0; i < cps.length; i++) {
            int d = Names.superscriptDigit(cps[i]);
            char l = Names.superscriptLetter(cps[i]);
            if (d >= 0) {
                value = Math.min(Integer.MAX_VALUE, value * 10 + d);
                digits++;
            } else if (l != 0) {
                letters.append(l);
            } else {
                digits = -1000; // a second ⁻
            }
        }
        Expr base;
        if (digits > 0 && letters.isEmpty()) {
            base = new Expr.Num(value, where);
        } else if (digits == 0 && letters.length() == 1) {
            base = new Expr.Ref(new Ident(letters.toString(), where), List.of(), where);
        } else {
            diagnostics.error(Key.BAD_EXPONENT, where, "cannot read the exponent '" + t.getText() + "'",
                    "a superscript is a number (x², x⁻¹) or one letter (βᵗ); write anything else as x^(…)");
            base = new Expr.Num(1, where);
        }
        return negative ? new Expr.Neg(base, where) : base;
    }

    // ─── Tokens ───────────────────────────────────────────────────────────────────────────────────

    private Ident ident(Token t) {
        need(t);
        if (t.getStartIndex() < 0 || t.getText() == null || t.getText().startsWith("<missing")) throw new Incomplete();
        return new Ident(Names.canonical(t.getText()), span(t));
    }

    private Ident ident(TerminalNode n) { return ident(need(n).getSymbol()); }

    private List<Ident> idents(List<TerminalNode> nodes) { return nodes.stream().map(this::ident).toList(); }

    private int integer(Token t) {
        need(t);
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            diagnostics.error(Key.BAD_NUMBER, span(t), "the integer " + t.getText() + " is too large",
                    "sizes and indices go up to " + Integer.MAX_VALUE);
            return 1;
        }
    }

    private double number(Token t) {
        need(t);
        double v = Double.parseDouble(t.getText());
        if (Double.isInfinite(v)) {
            diagnostics.error(Key.BAD_NUMBER, span(t), "the number " + t.getText() + " is too large for a double",
                    "the largest is about 1.8e308");
            return 0;
        }
        return v;
    }

    private static String string(Token t) {
        String text = need(t).getText();
        String body = text.length() >= 2 ? text.substring(1, text.length() - 1) : "";
        var out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ─── Spans ────────────────────────────────────────────────────────────────────────────────────

    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int from = Math.max(0, start.getStartIndex());
        int to = stop == null || stop.getStopIndex() < from ? from + 1 : stop.getStopIndex() + 1;
        return span(from, to);
    }

    private Span span(TerminalNode n) { return span(need(n).getSymbol()); }

    private Span span(Token from, Token to) { return span(Math.max(0, from.getStartIndex()), to.getStopIndex() + 1); }

    private Span span(Token t) { return span(Math.max(0, t.getStartIndex()), t.getStopIndex() + 1); }

    private Span span(int start, int end) {
        int s = Math.min(start, source.length());
        return source.span(s, Math.max(s, Math.min(end, source.length())));
    }
}
