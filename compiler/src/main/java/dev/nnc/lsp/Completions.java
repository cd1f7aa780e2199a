package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.grammar.NnLexer;
import dev.nnc.resolve.Builtins;
import dev.nnc.resolve.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Completion: after a backslash, the math symbols by their TeX names ({@code \sigma} → σ, {@code \sum} → Σ,
 * {@code \_i} → ᵢ, {@code \<-} → ←); elsewhere the keywords, the builtins, the standard library's and the user's
 * functions, neurons, optimizers and networks, and the values of the network the cursor is in.
 */
final class Completions {
    private Completions() {}

    /** The grammar's keywords: its tokens spelt by one word ({@code 'network'}; not {@code '∂' | 'partial'}). */
    static final List<String> KEYWORDS = keywords();

    private static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (int t = 1; t <= NnLexer.VOCABULARY.getMaxTokenType(); t++) {
            String literal = NnLexer.VOCABULARY.getLiteralName(t);
            if (literal != null && literal.matches("'[a-z]+'")) out.add(literal.substring(1, literal.length() - 1));
        }
        return List.copyOf(out);
    }

    /** Symbols by TeX-like name; the ASCII spellings of the language are given beside them where it has one. */
    static final Map<String, String> SYMBOLS = symbols();

    private static Map<String, String> symbols() {
        Map<String, String> m = new LinkedHashMap<>();
        String[][] pairs = {
            {"sigma", "σ"}, {"sum", "Σ"}, {"Sigma", "Σ"}, {"partial", "∂"}, {"<-", "←"}, {"leftarrow", "←"}, {"gets", "←"},
            {"cdot", "·"}, {"times", "×"}, {"sqrt", "√"}, {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"},
            {"epsilon", "ε"}, {"eta", "η"}, {"theta", "θ"}, {"lambda", "λ"}, {"mu", "μ"}, {"rho", "ρ"}, {"tau", "τ"}, {"phi", "φ"},
            {"le", "≤"}, {"ge", "≥"}, {"ne", "≠"},
        };
        for (String[] p : pairs) m.put(p[0], p[1]);
        String sub = "₀₁₂₃₄₅₆₇₈₉", sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        for (int d = 0; d < 10; d++) {
            m.put("_" + d, String.valueOf(sub.charAt(d)));
            m.put("^" + d, String.valueOf(sup.charAt(d)));
        }
        String[][] letters = {{"i", "ᵢ"}, {"j", "ⱼ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"}, {"n", "ₙ"}, {"p", "ₚ"}, {"t", "ₜ"}};
        for (String[] l : letters) m.put("_" + l[0], l[1]);
        return m;
    }

    static List<CompletionItem> at(Analysis a, int offset, Position position) {
        String line = a.file.line(a.file.lineOf(offset));
        int column = a.file.columnOf(offset) - 1; // code points before the cursor on its line
        int[] points = line.codePoints().toArray();
        String before = new String(points, 0, Math.min(column, points.length));
        int slash = before.lastIndexOf('\\');
        if (slash >= 0 && before.substring(slash + 1).chars().noneMatch(Character::isWhitespace)) return symbols(before, slash, position);
        List<CompletionItem> out = new ArrayList<>();
        for (String k : KEYWORDS) out.add(item(k, CompletionItemKind.Keyword, "keyword"));
        for (var b : Builtins.FUNCTIONS.values()) out.add(item(b.name(), CompletionItemKind.Function, "built in"));
        out.add(item(Builtins.PAD.name(), CompletionItemKind.Function, "built in"));
        var scope = a.result.checked().scope();
        for (var programs : List.of(scope.preludeSymbols(), scope.userSymbols())) {
            for (Symbol s : programs) out.add(item(s.name(), kind(s), (scope.isPrelude(s) ? "standard library " : "") + describe(s)));
        }
        for (Decl d : a.result.main().decls()) {
            if (d instanceof Decl.Network net && net.span().start() <= offset && offset <= net.span().end()) {
                CheckedNetwork n = a.network(net);
                if (n != null) for (var v : n.values().values()) out.add(item(v.name(), CompletionItemKind.Variable, v.kind().description + ", " + v.shape().describe()));
            }
        }
        return out;
    }

    /** The symbols whose names start with what follows the backslash, each replacing the backslash and the name. */
    private static List<CompletionItem> symbols(String before, int slash, Position position) {
        String typed = before.substring(slash + 1);
        int units = before.length() - slash; // UTF-16 units from the backslash to the cursor (all of it ASCII or one unit each)
        var range = new Range(new Position(position.getLine(), position.getCharacter() - units), position);
        List<CompletionItem> out = new ArrayList<>();
        for (var e : SYMBOLS.entrySet()) {
            if (!e.getKey().startsWith(typed)) continue;
            var item = new CompletionItem("\\" + e.getKey());
            item.setKind(CompletionItemKind.Text);
            item.setDetail(e.getValue());
            item.setFilterText("\\" + e.getKey());
            item.setTextEdit(Either.forLeft(new TextEdit(range, e.getValue())));
            out.add(item);
        }
        return out;
    }

    private static CompletionItem item(String label, CompletionItemKind kind, String detail) {
        var item = new CompletionItem(label);
        item.setKind(kind);
        item.setDetail(detail);
        return item;
    }

    private static CompletionItemKind kind(Symbol s) {
        return switch (s) {
            case Symbol.Fn f -> CompletionItemKind.Function;
            case Symbol.Neuron n -> CompletionItemKind.Class;
            case Symbol.Optimizer o -> CompletionItemKind.Module;
            case Symbol.Network n -> CompletionItemKind.Struct;
            case Symbol.Alias al -> CompletionItemKind.Reference;
            case Symbol.Builtin b -> CompletionItemKind.Function;
            case Symbol.Pad p -> CompletionItemKind.Function;
        };
    }

    private static String describe(Symbol s) {
        return switch (s) {
            case Symbol.Fn f -> "function";
            case Symbol.Neuron n -> "neuron";
            case Symbol.Optimizer o -> "optimizer";
            case Symbol.Network n -> "network";
            case Symbol.Alias al -> "alias";
            case Symbol.Builtin b -> "built in";
            case Symbol.Pad p -> "built in";
        };
    }
}
