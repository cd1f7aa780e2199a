package dev.nnc.gen.cuda;

import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.cuda.CudaModel;
import dev.nnc.runtime.cuda.CudaPlan;
import dev.nnc.runtime.cuda.Driver;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.Schedule;

/**
 * The CUDA backend: the GPU schedule of a network, its CUDA C, the kernels compiled for this machine's GPU
 * (cached), run by the runtime's {@link CudaModel}.
 */
public final class CudaBackend {
    private CudaBackend() {}

    /** A network's CUDA C and the plan the runtime runs it by. */
    public record Generated(GpuSchedule.Plan plan, CudaGen.Cuda cuda, String planJson) {}

    /**
     * The GPU schedule and its CUDA C. The system property {@code nnc.cuda.chains=false} leaves mid-width layers
     * unfused (to measure what fusing them gives).
     */
    public static Generated generate(Graph g, OptimizerIr o, DType precision) {
        boolean chains = !"false".equals(System.getProperty("nnc.cuda.chains"));
        var plan = GpuSchedule.of(g, o, Schedule.Options.GPU, chains);
        var cuda = CudaGen.generate(plan, precision);
        return new Generated(plan, cuda, CudaPlanJson.write(plan, cuda, precision));
    }

    /**
     * A model of the network on this machine's GPU. When a value turns out not to be finite, the reference
     * interpreter, given the same parameters, says where it first arises.
     *
     * @throws dev.nnc.runtime.cuda.CudaUnavailable when there is no GPU, driver or compiler to use
     */
    public static CudaModel model(Graph g, OptimizerIr o, DType precision) {
        var device = Driver.device();
        var generated = generate(g, o, precision);
        byte[] image = Toolchain.forDevice(generated.cuda().source(), device.arch());
        return model(g, o, generated, image);
    }

    /** A model of generated kernels compiled elsewhere ({@code image}: what the driver loads). */
    public static CudaModel model(Graph g, OptimizerIr o, Generated generated, byte[] image) {
        return new CudaModel(CudaPlan.parse(generated.planJson()), image).withDiagnosis(InterpreterModel.diagnosis(g, o));
    }
}
