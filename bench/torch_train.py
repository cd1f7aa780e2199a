#!/usr/bin/python3
"""PyTorch's side of bench/e2e.sh: a training run written as a PyTorch user would write it, equivalent to
`nnc train` on the same data files, for the same epochs, batch and optimizer.

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/torch_train.py --case mlp --threads 1:2 --epochs 5 --batch 64 \\
        --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz,/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz \\
        --test /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz,/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz

The networks are those of bench/torch_throughput.py, initialised as nnc initialises them:
- mlp (samples/mlp.nn): 784-256-128-10, ReLU, He-normal W1 and W2, Xavier-uniform W3, zero biases; softmax
  cross-entropy (F.cross_entropy on class indices, the same loss as nnc's one-hot -Σ y log p); Adam(α = 0.001,
  β = (0.9, 0.999), ε = 1e-8) with foreach, its fastest form here (bench/torch_throughput.py measured it).
- seed (samples/seed.nn, the notes' network): 3 → 4 σ → 2 σ → 1 σ, weights normal(0, 0.5), zero biases, binary
  cross-entropy; SGD(α = 0.5). n1 sees only x₁ and x₂ there; a dense Linear(3, 4) gives PyTorch one extra
  multiply-add per sample, which is negligible. (F.binary_cross_entropy_with_logits, the last σ folded into the
  loss, measured no faster here.)

Data: IDX files (inputs, then labels; byte pixels divided by 255, nnc's default normalisation of byte images)
or one CSV file with a header (the last column is the target), read into float32 tensors before the clock.
Each epoch: a `randperm` shuffle, then mini-batches in that order (index_select a batch: faster here than one
gather of the whole shuffled set an epoch), the last one short when the batch does not divide the data (as
nnc's); the epoch's training loss is the mean of the batches' losses weighted by their sizes, gathered on the
way. At the end: loss and accuracy on the test files.

--threads picks the thread setting before torch is imported (OpenBLAS reads its variables when it loads):
`default` sets nothing (and clears OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and OMP_WAIT_POLICY), N gives
PyTorch's intra-op pool and OpenBLAS N threads each, T:B gives PyTorch T and OpenBLAS B.

Output, one JSON object a line: {"event": "start", ...} (the setting, threads, BLAS) when the data is read, then
{"event": "epoch", ...} per epoch, then {"event": "test", ...}.
"""
import time

STARTED = time.perf_counter()  # before the imports: "since_start" then covers all but the interpreter's own start

import argparse
import gzip
import json
import os
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--case", choices=["mlp", "seed"], required=True)
    p.add_argument("--data", required=True, help="training data: IDX inputs,labels (.gz or not) or one CSV file")
    p.add_argument("--test", required=True, help="test data, the same forms as --data")
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--threads", default="default", help="default, N, or T:B (see above)")
    p.add_argument("--seed", type=int, default=1, help="torch.manual_seed: initialisation and shuffles")
    return p.parse_args(argv)


def set_threads(spec):
    """Environment for the thread setting, set before torch loads; returns PyTorch's intra-op thread count, or None
    for PyTorch's own choice."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY"):
        os.environ.pop(name, None)
    if spec == "default":
        return None
    torch_threads, _, blas_threads = spec.partition(":")
    blas_threads = blas_threads or torch_threads
    os.environ["OMP_NUM_THREADS"] = torch_threads
    os.environ["OPENBLAS_NUM_THREADS"] = blas_threads
    if int(torch_threads) > 1 and int(blas_threads) > 1:
        # OpenMP's spinning workers and OpenBLAS's threads otherwise fight over the same cores
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    return int(torch_threads)


def main(argv):
    args = parse_args(argv)
    threads = set_threads(args.threads)

    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch_throughput import loaded_blas  # beside this file

    if threads is not None:
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)

    def read(spec):
        """(inputs float32 [n, features], targets): class indices (int64) for IDX, the last column for CSV."""
        files = spec.split(",")
        if len(files) == 2:
            images, labels = (read_idx(f, np) for f in files)
            x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255)
            return x, torch.from_numpy(labels.astype(np.int64))
        if len(files) == 1:
            table = np.loadtxt(files[0], delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
            return torch.from_numpy(np.ascontiguousarray(table[:, :-1])), torch.from_numpy(table[:, -1:].copy())
        raise SystemExit(f"torch_train: {spec}: one CSV file, or IDX inputs,labels")

    x, y = read(args.data)
    x_test, y_test = read(args.test)

    if args.case == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        with torch.no_grad():
            nn.init.kaiming_normal_(model[0].weight, nonlinearity="relu")
            nn.init.kaiming_normal_(model[2].weight, nonlinearity="relu")
            nn.init.xavier_uniform_(model[4].weight)
            for layer in (model[0], model[2], model[4]):
                layer.bias.zero_()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=True)
        loss_fn = F.cross_entropy
        predict = lambda z: z.argmax(dim=1)
    else:
        model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
        with torch.no_grad():
            for layer in (model[0], model[2], model[4]):
                layer.weight.normal_(0, 0.5)
                layer.bias.zero_()
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        loss_fn = F.binary_cross_entropy
        predict = lambda p: (p > 0.5).float()

    n, b = len(x), args.batch
    emit({"event": "start", "tool": "pytorch", "case": args.case, "samples": n, "batch": b, "epochs": args.epochs,
          "setting": args.threads, "threads": torch.get_num_threads(), "torch": torch.__version__,
          "blas": loaded_blas(torch), "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
          "since_start": round(time.perf_counter() - STARTED, 3)})
    training = 0.0
    for epoch in range(1, args.epochs + 1):
        t = time.perf_counter()
        order = torch.randperm(n)
        losses = []
        for i in range(0, n, b):
            rows = order[i:i + b]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x.index_select(0, rows)), y.index_select(0, rows))
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        sizes = torch.full((len(losses),), float(b))
        sizes[-1] = n - b * (len(losses) - 1)
        train_loss = float(torch.stack(losses) @ sizes) / n
        seconds = time.perf_counter() - t
        training += seconds
        emit({"event": "epoch", "epoch": epoch, "seconds": round(seconds, 4), "loss": round(train_loss, 6)})

    with torch.inference_mode():
        z = model(x_test)
        test_loss = float(loss_fn(z, y_test))
        truth = y_test if args.case == "mlp" else (y_test > 0.5).float()
        accuracy = float((predict(z) == truth).float().mean())
    emit({"event": "test", "loss": round(test_loss, 6), "accuracy": round(accuracy, 6), "samples": len(x_test),
          "training_seconds": round(training, 4), "since_start": round(time.perf_counter() - STARTED, 3)})
    return 0


def read_idx(path, np):
    """An IDX file (http://yann.lecun.com/exdb/mnist/): two zero bytes, a type code, the number of dimensions, each
    dimension as a big-endian int32, then the values. Gzipped when its name ends in .gz."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    types = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if raw[0] != 0 or raw[1] != 0 or raw[2] not in types:
        raise SystemExit(f"torch_train: {path} is not an IDX file")
    dims = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(raw[3])]
    return np.frombuffer(raw, dtype=types[raw[2]], offset=4 + 4 * len(dims)).reshape(dims)


def emit(record):
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
