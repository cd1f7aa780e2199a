package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/** Top-level declarations of a file. */
public sealed interface Decl {
    Span span();

    /** {@code import "path.nn"} */
    record Import(String path, Span pathSpan, Span span) implements Decl {}

    /** {@code alias sigmoid = σ} */
    record Alias(Ident name, Ident target, Span span) implements Decl {}

    /**
     * {@code fn name(params)[resultIndices] = body where ∂name/∂p = …}. A non-empty result index list makes
     * the function vector-valued: {@code fn softmax(z)[i] = …}.
     */
    record Fn(Ident name, List<Param> params, List<Ident> resultIndices, Expr body,
              List<StatedDerivative> derivatives, Span span) implements Decl {
        public Fn {
            params = List.copyOf(params);
            resultIndices = List.copyOf(resultIndices);
            derivatives = List.copyOf(derivatives);
        }
    }

    /** {@code neuron perceptron(x) = σ(Σᵢ wᵢxᵢ + b)}: free names in the body are the neuron's parameters. */
    record Neuron(Ident name, List<Param> params, Expr body, Span span) implements Decl {
        public Neuron { params = List.copyOf(params); }
    }

    /** {@code optimizer adam(α = 0.001, …) { state m = 0 … θ ← … }} */
    record Optimizer(Ident name, List<Param> hyperparameters, List<OptimizerStatement> body, Span span) implements Decl {
        public Optimizer {
            hyperparameters = List.copyOf(hyperparameters);
            body = List.copyOf(body);
        }
    }

    /** {@code network Name { members }} */
    record Network(Ident name, List<Member> members, Span span) implements Decl {
        public Network { members = List.copyOf(members); }
    }

    /** {@code train Name { settings }} */
    record Train(Ident network, List<Setting> settings, Span span) implements Decl {
        public Train { settings = List.copyOf(settings); }
    }

    /** A function, neuron or optimizer parameter, with an optional default. */
    record Param(Ident name, Expr defaultValue) {}

    /** {@code ∂σ/∂z = σ(z)(1 - σ(z))} after {@code where}. */
    record StatedDerivative(Ident of, Ident wrt, Expr body, Span span) {}
}
