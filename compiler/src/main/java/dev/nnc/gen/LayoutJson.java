package dev.nnc.gen;

import dev.nnc.check.ParamInit;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.checkpoint.Json;
import dev.nnc.schedule.LoopProgram;
import java.util.List;
import java.util.stream.Collectors;

/** The layout a generated network carries for the runtime ({@code dev.nnc.runtime.compiled.Layout}), as JSON: in a JVM class, and in a CUDA plan. */
public final class LayoutJson {
    private LayoutJson() {}

    public static String write(LoopProgram p, DType precision) {
        Graph g = p.graph();
        var b = new StringBuilder("{");
        b.append("\"network\":").append(Json.quote(g.name()));
        b.append(",\"precision\":\"").append(precision).append('"');
        b.append(",\"loss\":").append(Json.quote(g.loss().name));
        b.append(",\"work\":").append(p.work());
        b.append(",\"slots\":[").append(p.slots().stream().map(s -> "{\"kind\":\"" + s.kind() + "\",\"tensor\":"
                + Json.quote(s.tensor().name) + ",\"size\":" + s.size() + "}").collect(Collectors.joining(","))).append(']');
        b.append(",\"inputs\":").append(tensors(p, g.inputs()));
        b.append(",\"targets\":").append(tensors(p, g.targets()));
        // wherever an output lives, prediction and evaluation deliver it in a workspace slot (SCHEDULE's decision)
        b.append(",\"outputs\":[").append(g.outputs().stream().map(o -> info(o) + ",\"slot\":"
                + p.predict().outputs().get(o).slot() + "}").collect(Collectors.joining(","))).append(']');
        b.append(",\"params\":[").append(g.params().stream().map(t -> info(t) + ",\"offset\":" + p.offsets().get(t)
                + ",\"init\":" + init(g.inits().get(t)) + "}").collect(Collectors.joining(","))).append(']');
        // the gradient sums the train method leaves to the rows method: where each starts, its rows and their length
        b.append(",\"rows\":[").append(p.train().rows().stream().map(r -> "{\"offset\":" + p.train().storage().get(r.c().t()).offset()
                + ",\"rows\":" + r.m() + ",\"width\":" + r.n() + "}").collect(Collectors.joining(","))).append(']');
        OptimizerIr o = p.optimizer();
        if (o != null) {
            b.append(",\"optimizer\":{\"description\":").append(Json.quote(o.describe()));
            b.append(",\"rate\":").append(o.rate() == null ? 0 : o.baseRate());
            b.append(",\"states\":[").append(o.states().stream().map(s -> Json.quote(s.name)).collect(Collectors.joining(","))).append(']');
            b.append(",\"initial\":[").append(o.states().stream().map(s -> String.valueOf(o.initial().get(s))).collect(Collectors.joining(","))).append("]}");
        }
        return b.append('}').toString();
    }

    private static int slot(LoopProgram p, Tensor t) {
        for (int k = 0; k < p.slots().size(); k++) if (p.slots().get(k).tensor() == t) return k;
        throw new IllegalStateException("internal: no slot for " + t);
    }

    private static String tensors(LoopProgram p, List<Tensor> ts) {
        return ts.stream().map(t -> info(t) + ",\"slot\":" + slot(p, t) + "}").collect(Collectors.joining(",", "[", "]"));
    }

    private static String info(Tensor t) {
        return "{\"name\":" + Json.quote(t.name) + ",\"shape\":" + t.shape.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    private static String init(ParamInit init) {
        var r = init.runtime();
        return "{\"kind\":" + Json.quote(r.kind()) + ",\"args\":" + r.args().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")) + "}";
    }
}
