package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Member;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/** The outline of a file: its networks with their inputs, parameters, layers, values and loss; functions, neurons, optimizers, train blocks. */
final class Symbols {
    private Symbols() {}

    static List<DocumentSymbol> of(Analysis a) {
        List<DocumentSymbol> out = new ArrayList<>();
        for (Decl d : a.result.main().decls()) {
            switch (d) {
                case Decl.Network n -> {
                    var s = symbol(n.name(), n.span(), SymbolKind.Class, "network");
                    List<DocumentSymbol> members = new ArrayList<>();
                    for (Member m : n.members()) members.addAll(members(m));
                    s.setChildren(members);
                    out.add(s);
                }
                case Decl.Fn f -> out.add(symbol(f.name(), f.span(), SymbolKind.Function, "function"));
                case Decl.Neuron ne -> out.add(symbol(ne.name(), ne.span(), SymbolKind.Function, "neuron"));
                case Decl.Optimizer o -> out.add(symbol(o.name(), o.span(), SymbolKind.Method, "optimizer"));
                case Decl.Train t -> out.add(new DocumentSymbol("train " + t.network().name(), SymbolKind.Event, Positions.range(t.span()),
                        Positions.range(t.network().span()), "training settings"));
                case Decl.Alias al -> out.add(symbol(al.name(), al.span(), SymbolKind.Constant, "alias of " + al.target().name()));
                case Decl.Import i -> out.add(new DocumentSymbol(i.path(), SymbolKind.File, Positions.range(i.span()), Positions.range(i.pathSpan()), "import"));
            }
        }
        return out;
    }

    private static List<DocumentSymbol> members(Member m) {
        List<DocumentSymbol> out = new ArrayList<>();
        switch (m) {
            case Member.Input in -> in.tensors().forEach(t -> out.add(symbol(t.name(), m.span(), SymbolKind.Variable, "input")));
            case Member.Target tg -> tg.tensors().forEach(t -> out.add(symbol(t.name(), m.span(), SymbolKind.Variable, "target")));
            case Member.Params ps -> ps.params().forEach(p -> out.add(symbol(p.name(), m.span(), SymbolKind.Field, "parameter")));
            case Member.Layer l -> out.add(symbol(l.name(), l.span(), SymbolKind.Module, "layer of " + l.neuron().name()));
            case Member.Equation e -> out.add(symbol(e.name(), e.span(), SymbolKind.Variable, "value"));
            case Member.Loss l -> out.add(symbol(l.name(), l.span(), SymbolKind.Event, "loss"));
            case Member.Output o -> o.names().forEach(n -> out.add(symbol(n, m.span(), SymbolKind.Property, "output")));
        }
        return out;
    }

    private static DocumentSymbol symbol(Ident name, Span whole, SymbolKind kind, String detail) {
        // the selection must lie within the range: a name listed apart from its member (output p) takes its own span
        Span range = whole.start() <= name.span().start() && name.span().end() <= whole.end() ? whole : name.span();
        return new DocumentSymbol(name.name(), kind, Positions.range(range), Positions.range(name.span()), detail);
    }
}
