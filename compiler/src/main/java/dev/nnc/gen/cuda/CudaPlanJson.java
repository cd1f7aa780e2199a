package dev.nnc.gen.cuda;

import dev.nnc.gen.LayoutJson;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.checkpoint.Json;
import dev.nnc.runtime.cuda.CudaPlan.Gemm;
import dev.nnc.schedule.GpuSchedule;
import java.util.List;
import java.util.stream.Collectors;

/** The plan the CUDA runtime runs a network by ({@code dev.nnc.runtime.cuda.CudaPlan}), as JSON. */
public final class CudaPlanJson {
    private CudaPlanJson() {}

    public static String write(GpuSchedule.Plan plan, CudaGen.Cuda cuda, DType precision) {
        var b = new StringBuilder("{");
        b.append("\"layout\":").append(Json.quote(LayoutJson.write(plan.loops(), precision)));
        b.append(",\"threads\":").append(GpuSchedule.THREADS);
        b.append(",\"fusedStep\":").append(plan.fusedStep());
        b.append(",\"args\":").append(cuda.args().stream().map(a -> Json.quote(a.field())).collect(Collectors.joining(",", "[", "]")));
        b.append(",\"trainColumns\":").append(plan.train().partials().columns());
        b.append(",\"evaluateColumns\":").append(plan.evaluate().partials().columns());
        b.append(",\"lossColumn\":").append(plan.evaluate().partials().lossColumn());
        b.append(",\"train\":").append(launches(cuda.train()));
        b.append(",\"predict\":").append(launches(cuda.predict()));
        b.append(",\"evaluate\":").append(launches(cuda.evaluate()));
        b.append(",\"finish\":").append(launch(cuda.finish()));
        b.append(",\"step\":").append(launch(cuda.step()));
        return b.append('}').toString();
    }

    private static String launches(List<CudaGen.Launch> ls) {
        return ls.stream().map(CudaPlanJson::launch).collect(Collectors.joining(",", "[", "]"));
    }

    private static String launch(CudaGen.Launch l) {
        if (l == null) return "null";
        String gemm = l.gemm() == null ? "" : ",\"gemm\":" + gemm(l.gemm());
        return "{\"name\":" + Json.quote(l.name()) + ",\"x\":" + dim(l.x()) + ",\"y\":" + dim(l.y()) + ",\"threads\":" + l.threads()
                + (l.cublasOnly() ? ",\"cublasOnly\":true" : "") + gemm + "}";
    }

    private static String gemm(Gemm g) {
        return "{\"m\":" + g.m() + ",\"n\":" + g.n() + ",\"k\":" + g.k() + ",\"a\":" + operand(g.a()) + ",\"b\":" + operand(g.b())
                + ",\"c\":" + operand(g.c()) + ",\"accumulate\":" + g.accumulate() + "}";
    }

    private static String operand(Gemm.Operand o) {
        return "{\"field\":" + Json.quote(o.field().field()) + ",\"offset\":" + o.offset() + ",\"row\":" + o.row() + ",\"col\":" + o.col() + "}";
    }

    private static String dim(CudaGen.Dim d) { return "[" + d.samples() + "," + d.fixed() + "," + d.per() + "]"; }
}
