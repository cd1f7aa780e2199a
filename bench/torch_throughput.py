#!/usr/bin/python3
"""PyTorch's side of bench/compare.sh: training and inference throughput (samples/s) of the networks in
samples/seed.nn, samples/mlp.nn and samples/lenet.nn, the same timed loop as dev.nnc.bench.Throughput.

Each case is measured in several configurations and the best one is reported, so nnc is compared with PyTorch
at its fastest here. Thread settings must be in the environment before torch is imported (OpenBLAS reads
OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE at load time), so this script runs itself once per thread count
(the "child"); inside a child it sweeps the settings that can change at run time (Adam's foreach, the
inference context, a frozen TorchScript module). One JSON line per configuration, then one with "best": true.

The data is synthetic (inputs uniform in [0, 1], valid targets): throughput does not depend on the values.
Batches are made before the clock starts; a training step is zero_grad + forward + loss + backward + step.

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/torch_throughput.py --case mlp --batch 256 --mode train
    python3 bench/torch_throughput.py --device cuda --threads 1 --case seed --batch 1024 --mode train

On a GPU (--device cuda) the settings tried are the optimizer's implementations (for-loop, foreach, fused) and the
whole training step captured once as a CUDA graph and replayed (PyTorch's documented way to take the launch
overhead away).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

BATCHES = 16  # distinct pre-made batches, cycled through


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--case", choices=["seed", "mlp", "lenet"], required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--mode", choices=["train", "infer"], required=True)
    p.add_argument("--seconds", type=float, default=2.0, help="timed seconds per configuration (after warm-up)")
    p.add_argument("--repeats", type=int, default=5, help="timed repeats; the median is reported")
    p.add_argument("--threads", default="1,1:2,2:1,2",
                   help="thread settings to try, comma-separated: N (PyTorch's and OpenBLAS's), or T:B (PyTorch's "
                        "intra-op threads T, OpenBLAS's B); default 1,1:2,2:1,2")
    p.add_argument("--aten-cpu", default="default",
                   help="ATEN_CPU_CAPABILITY values to try, comma-separated: default, avx2, avx512 (default: default)")
    p.add_argument("--variants", default="all",
                   help="in-process settings to try: all, or a comma-separated subset of the names printed")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                   help="where PyTorch runs: cpu, or cuda (the first GPU; thread settings then do not matter)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.child:
        return child(args)
    results = []
    for cap in args.aten_cpu.split(","):
        for spec in args.threads.split(","):
            torch_threads, _, blas_threads = spec.partition(":")
            blas_threads = blas_threads or torch_threads
            env = dict(os.environ, OMP_NUM_THREADS=torch_threads, OPENBLAS_NUM_THREADS=blas_threads,
                       NNC_BENCH_THREADS=torch_threads)
            if int(torch_threads) > 1 and int(blas_threads) > 1 and "OMP_WAIT_POLICY" not in os.environ:
                # OpenMP's spinning workers and OpenBLAS's threads otherwise fight over the same cores
                env["OMP_WAIT_POLICY"] = "PASSIVE"
            env.pop("ATEN_CPU_CAPABILITY", None)
            if cap != "default":
                env["ATEN_CPU_CAPABILITY"] = cap
            cmd = [sys.executable, os.path.abspath(__file__), "--child"] + list(argv)
            proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                print(f"torch_throughput: the run with threads {spec} ({cap}) failed", file=sys.stderr)
                return proc.returncode
            for line in proc.stdout.splitlines():
                print(line, flush=True)
                results.append(json.loads(line))
    best = dict(max(results, key=lambda r: r["samples_per_s"]), best=True)
    print(json.dumps(best), flush=True)
    return 0


def child(args):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    threads = int(os.environ["NNC_BENCH_THREADS"])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    cuda = args.device == "cuda"
    device = torch.device(args.device)
    if cuda and not torch.cuda.is_available():
        print("torch_throughput: --device cuda, but PyTorch sees no GPU", file=sys.stderr)
        return 1
    blas_lib = "cuBLAS" if cuda else loaded_blas(torch)
    if not cuda and "openblas" not in blas_lib:
        print(f"torch_throughput: warning: PyTorch's matrix products run on {blas_lib}, not OpenBLAS; on Debian, "
              "apt-get install libopenblas0-pthread (else PyTorch is many times slower)", file=sys.stderr)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    b = args.batch

    if args.case == "seed":
        # samples/seed.nn: 3 → 4 σ → 2 σ → 1 σ, bce. n1 sees only x₁ and x₂ there; a dense Linear(3, 4) gives
        # PyTorch one extra multiply-add per sample, which is negligible.
        def make():
            return nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
        xs = [torch.rand(b, 3, generator=g).to(device) for _ in range(BATCHES)]
        ys = [torch.randint(0, 2, (b, 1), generator=g).float().to(device) for _ in range(BATCHES)]
        loss_fn = F.binary_cross_entropy
        optimizers = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.5),
                      "sgd-foreach": lambda ps: torch.optim.SGD(ps, lr=0.5, foreach=True)}
        if cuda:
            optimizers["sgd-fused"] = lambda ps: torch.optim.SGD(ps, lr=0.5, fused=True)
        post = None  # the output is n7 itself
    else:
        if args.case == "mlp":
            # samples/mlp.nn: 784-256-128-10, ReLU, softmax + cross-entropy; Adam α = 0.001, default β and ε.
            def make():
                return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
            xs = [torch.rand(b, 784, generator=g).to(device) for _ in range(BATCHES)]
        else:
            # samples/lenet.nn: conv 5x5 (6 maps, padding 2), ReLU, 2x2 max pool, conv 5x5 (16), ReLU, pool, 120, 84, 10
            def make():
                return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                                     nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                     nn.Linear(84, 10))
            xs = [torch.rand(b, 1, 28, 28, generator=g).to(device) for _ in range(BATCHES)]
        labels = [torch.randint(0, 10, (b,), generator=g).to(device) for _ in range(BATCHES)]
        ys = labels  # class indices: F.cross_entropy's fast path (log_softmax + nll), the same loss as one-hot
        loss_fn = F.cross_entropy
        optimizers = {"adam": lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=False),
                      "adam-foreach": lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=True)}
        if cuda:
            optimizers["adam-fused"] = lambda ps: torch.optim.Adam(ps, lr=1e-3, fused=True)
        post = lambda z: torch.softmax(z, dim=1)  # nnc's output is p = softmax(z)

    variants = {}
    if args.mode == "train":
        for name, make_opt in optimizers.items():
            def variant(make_opt=make_opt):
                model = make().to(device)
                opt = make_opt(model.parameters())

                def run(i):
                    opt.zero_grad(set_to_none=True)
                    loss = loss_fn(model(xs[i]), ys[i])
                    loss.backward()
                    opt.step()
                return run
            variants[name] = variant
        if cuda:
            # the whole step captured in a CUDA graph and replayed, as PyTorch's documentation shows: forward,
            # backward and the optimizer (capturable, so its step count stays on the GPU) in one launch
            def graphed():
                model = make().to(device)
                if args.case == "seed":
                    opt = torch.optim.SGD(model.parameters(), lr=0.5)
                else:
                    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=True, foreach=True)
                static_x, static_y = xs[0].clone(), ys[0].clone()
                side = torch.cuda.Stream()
                side.wait_stream(torch.cuda.current_stream())
                with torch.cuda.stream(side):
                    for _ in range(3):
                        opt.zero_grad(set_to_none=True)
                        loss_fn(model(static_x), static_y).backward()
                        opt.step()
                torch.cuda.current_stream().wait_stream(side)
                graph = torch.cuda.CUDAGraph()
                opt.zero_grad(set_to_none=True)
                with torch.cuda.graph(graph):
                    loss_fn(model(static_x), static_y).backward()
                    opt.step()

                def run(i):
                    static_x.copy_(xs[i])
                    static_y.copy_(ys[i])
                    graph.replay()
                return run
            variants["cuda-graph"] = graphed
    else:
        def eager(context):
            def variant():
                model = make().to(device).eval()

                def run(i):
                    with context():
                        z = model(xs[i])
                        return post(z) if post else z
                return run
            return variant
        variants["inference_mode"] = eager(torch.inference_mode)
        variants["no_grad"] = eager(torch.no_grad)

        def frozen():
            model = make().to(device).eval()
            full = nn.Sequential(model, nn.Softmax(dim=1)) if post else model
            with torch.no_grad():
                module = torch.jit.optimize_for_inference(torch.jit.script(full))

            def run(i):
                with torch.inference_mode():
                    return module(xs[i])
            return run
        variants["jit-frozen"] = frozen

    chosen = list(variants) if args.variants == "all" else args.variants.split(",")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    for name in chosen:
        if name not in variants:
            continue
        try:
            run = variants[name]()
            per_s = measure(run, b, args.seconds, args.repeats, sync)
        except Exception as e:  # a setting this PyTorch cannot do is left out, saying so
            print(f"torch_throughput: {name} failed ({type(e).__name__}: {e}); left out", file=sys.stderr)
            continue
        blas = int(os.environ.get("OPENBLAS_NUM_THREADS", threads))
        config = (f"cuda {name}" if cuda else f"threads={threads}" + (f" blas={blas}" if blas != threads else "") + f" {name}")
        if os.environ.get("OMP_WAIT_POLICY"):
            config += " omp=" + os.environ["OMP_WAIT_POLICY"].lower()
        if os.environ.get("ATEN_CPU_CAPABILITY"):
            config += " aten=" + os.environ["ATEN_CPU_CAPABILITY"]
        print(json.dumps({
            "tool": "pytorch", "case": args.case, "batch": b, "mode": args.mode, "threads": max(threads, blas),
            "config": config, "samples_per_s": round(statistics.median(per_s), 1),
            "repeats": [round(x, 1) for x in per_s], "torch": torch.__version__,
            "blas": blas_lib, "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""), "loadavg": round(os.getloadavg()[0], 2),
            "device": torch.cuda.get_device_name(0) if cuda else "cpu",
        }), flush=True)
    return 0


def loaded_blas(torch):
    """The BLAS library PyTorch's matrix products load (Debian's python3-torch takes whichever libblas.so.3 is
    installed: the slow reference BLAS unless OpenBLAS is)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    real = sorted(os.path.realpath(lib) for lib in libs)
    openblas = [lib for lib in real if "libopenblas" in os.path.basename(lib)]
    return os.path.basename((openblas or real or ["unknown"])[0])


WARMUP_SECONDS = 3.0


def measure(run, batch, seconds, repeats, sync=lambda: None):
    """Samples/s of each timed repeat, after a warm-up of at least 3 s and 20 steps (nnc's side warms up at least as
    long, and then until its JIT has compiled nothing for a second; eager PyTorch has nothing to compile and is steady
    after its first steps). On a GPU the clock is read only after the GPU has finished (sync): launches are
    asynchronous."""
    i = 0
    start = time.perf_counter()
    steps = 0
    while steps < 20 or time.perf_counter() - start < max(WARMUP_SECONDS, seconds / 5):
        run(i % BATCHES)
        i += 1
        steps += 1
    sync()
    per_step = (time.perf_counter() - start) / steps
    n = max(1, int(seconds / repeats / per_step))  # steps per repeat
    out = []
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        for _ in range(n):
            run(i % BATCHES)
            i += 1
        sync()
        out.append(n * batch / (time.perf_counter() - t))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
