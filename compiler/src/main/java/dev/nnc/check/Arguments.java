package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Suggest;
import dev.nnc.source.Span;
import java.util.List;

/** Matches a call's arguments to parameters: positional first, then by name, then defaults. */
final class Arguments {
    private Arguments() {}

    /**
     * @param required  for each parameter, whether the call must give it (it has no default)
     * @return one expression per parameter (null where the default applies), or null after an error
     */
    static Expr[] bind(List<Arg> args, List<String> params, List<Boolean> required, Span call, String callee,
                       Reporter reporter) {
        Expr[] bound = new Expr[params.size()];
        Span[] where = new Span[params.size()];
        boolean ok = true;
        boolean named = false;
        int position = 0;
        for (Arg a : args) {
            if (a.name() == null) {
                if (named) {
                    reporter.error(Key.ARGUMENT_ORDER, a.value().span(), "a positional argument follows a named one",
                            "put positional arguments first");
                    ok = false;
                    continue;
                }
                if (position >= params.size()) {
                    reporter.error(Key.ARITY, a.value().span(), params.isEmpty() ? callee + " takes no arguments"
                            : callee + " takes " + count(params.size()) + " but is given " + args.size(),
                            params.isEmpty() ? "write " + callee + " alone" : "its parameters are " + list(params));
                    return null;
                }
                bound[position] = a.value();
                where[position] = a.value().span();
                position++;
                continue;
            }
            named = true;
            Ident name = a.name();
            int i = params.indexOf(name.name());
            if (i < 0) {
                String guess = Suggest.closest(name.name(), params);
                reporter.error(Key.UNKNOWN_ARGUMENT, name.span(), callee + " has no parameter named " + name.name(),
                        guess != null ? "did you mean " + guess + "?" : "its parameters are " + list(params));
                ok = false;
                continue;
            }
            if (bound[i] != null) {
                reporter.error(Key.DUPLICATE_ARGUMENT, name.span(), name.name() + " is given twice", null,
                        where[i], "first given here");
                ok = false;
                continue;
            }
            bound[i] = a.value();
            where[i] = name.span();
        }
        for (int i = 0; i < params.size() && ok; i++) {
            if (bound[i] == null && required.get(i)) {
                reporter.error(Key.ARITY, call, callee + " needs its argument " + params.get(i)
                        + " (it takes " + list(params) + ")", null);
                ok = false;
            }
        }
        return ok ? bound : null;
    }

    private static String count(int n) { return n == 1 ? "1 argument" : n + " arguments"; }

    private static String list(List<String> params) { return params.isEmpty() ? "none" : "(" + String.join(", ", params) + ")"; }
}
