package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/** What a network body holds. */
public sealed interface Member {
    Span span();

    record Input(List<TensorDecl> tensors, Span span) implements Member {
        public Input { tensors = List.copyOf(tensors); }
    }

    record Target(List<TensorDecl> tensors, Span span) implements Member {
        public Target { tensors = List.copyOf(tensors); }
    }

    /** {@code param w11, w21 ~ normal(0, 0.5), b = 0}: an item without an initializer takes the next one's. */
    record Params(List<ParamDecl> params, Span span) implements Member {
        public Params { params = List.copyOf(params); }
    }

    /** {@code layer h1[4] = perceptron(x) with w ~ he, b = 0.1} */
    record Layer(Ident name, List<Dim> dims, Ident neuron, List<Arg> args, List<LayerInit> inits, Span span)
            implements Member {
        public Layer {
            dims = List.copyOf(dims);
            args = List.copyOf(args);
            inits = List.copyOf(inits);
        }
    }

    record Output(List<Ident> names, Span span) implements Member {
        public Output { names = List.copyOf(names); }
    }

    record Loss(Ident name, Expr value, Span span) implements Member {}

    /** {@code h[j] = …} or {@code n1 = …}; the indices are the free indices of the right side. */
    record Equation(Ident name, List<Ident> indices, Expr value, Span span) implements Member {
        public Equation { indices = List.copyOf(indices); }
    }

    record TensorDecl(Ident name, List<Dim> dims) {
        public TensorDecl { dims = List.copyOf(dims); }
    }

    record ParamDecl(Ident name, List<Dim> dims, Init init) {
        public ParamDecl { dims = List.copyOf(dims); }
    }

    record LayerInit(Ident name, Init init) {}

    /** One declared size, {@code 784} in {@code x[784]}. */
    record Dim(int size, Span span) {}
}
