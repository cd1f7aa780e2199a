"""Independent oracle for nnc's gradients: the loss and gradients of samples/seed.nn, samples/mlp.nn and
samples/lenet.nn,
written directly in PyTorch and differentiated with torch.autograd.

nnc derives its gradients symbolically; a Java test compares them with these. The formulas below are
deliberately written the plain way (sigmoid/softmax followed by log, no fused or "stable" library losses) so
that they share nothing with nnc but the mathematics.

Usage:  /usr/bin/python3 torch_reference.py < request.json > response.json
Request:  {"network": "seed" | "mlp" | "lenet", "params": {name: [flat row-major values]},
           "inputs": {"x": [[sample values], ...]}, "targets": {"y": [[sample values], ...]}}
Response: {"loss": mean loss over the batch, "grads": {name: [flat row-major gradient of the mean loss]}}
"""
import json
import sys

import torch

torch.set_num_threads(1)  # deterministic reductions
DTYPE = torch.float64

SEED_PARAMS = ["w11", "w21", "w12", "w22", "w32", "w13", "w23", "w33", "w14", "w24", "w34",
               "w15", "w25", "w35", "w45", "w16", "w26", "w36", "w46", "w57", "w67",
               "b1", "b2", "b3", "b4", "b5", "b6", "b7"]
MLP_SHAPES = {"W1": (256, 784), "b1": (256,), "W2": (128, 256), "b2": (128,), "W3": (10, 128), "b3": (10,)}


def seed_loss(p, x, y):
    """samples/seed.nn: x is [batch, 3], y is [batch, 1]; every parameter is a scalar."""
    s = {k: v[0] for k, v in p.items()}
    x1, x2, x3 = x[:, 0], x[:, 1], x[:, 2]
    n1 = torch.sigmoid(s["w11"] * x1 + s["w21"] * x2 + s["b1"])  # neuron 1 sees only x1 and x2
    n2 = torch.sigmoid(s["w12"] * x1 + s["w22"] * x2 + s["w32"] * x3 + s["b2"])
    n3 = torch.sigmoid(s["w13"] * x1 + s["w23"] * x2 + s["w33"] * x3 + s["b3"])
    n4 = torch.sigmoid(s["w14"] * x1 + s["w24"] * x2 + s["w34"] * x3 + s["b4"])
    n5 = torch.sigmoid(s["w15"] * n1 + s["w25"] * n2 + s["w35"] * n3 + s["w45"] * n4 + s["b5"])
    n6 = torch.sigmoid(s["w16"] * n1 + s["w26"] * n2 + s["w36"] * n3 + s["w46"] * n4 + s["b6"])
    n7 = torch.sigmoid(s["w57"] * n5 + s["w67"] * n6 + s["b7"])
    t = y[:, 0]
    bce = -(t * torch.log(n7) + (1 - t) * torch.log(1 - n7))
    return bce.mean()


def mlp_loss(p, x, y):
    """samples/mlp.nn: x is [batch, 784], y is [batch, 10] one-hot."""
    h1 = torch.relu(x @ p["W1"].T + p["b1"])
    h2 = torch.relu(h1 @ p["W2"].T + p["b2"])
    z = h2 @ p["W3"].T + p["b3"]
    prob = torch.softmax(z, dim=1)
    ce = -(y * torch.log(prob)).sum(dim=1)
    return ce.mean()


LENET_SHAPES = {"K1": (6, 1, 5, 5), "b1": (6,), "K2": (16, 6, 5, 5), "b2": (16,), "W3": (120, 16, 5, 5), "b3": (120,),
                "W4": (84, 120), "b4": (84,), "W5": (10, 84), "b5": (10,)}


def lenet_loss(p, x, y):
    """samples/lenet.nn: x is [batch, 784] (one 28x28 channel), y is [batch, 10] one-hot. PyTorch's own
    convolution ("same" padding of 2) and max pooling, whose gradient goes to each window's first maximum."""
    F = torch.nn.functional
    a1 = torch.relu(F.conv2d(x.reshape(-1, 1, 28, 28), p["K1"], p["b1"], padding=2))
    m1 = F.max_pool2d(a1, 2)
    a2 = torch.relu(F.conv2d(m1, p["K2"], p["b2"]))
    m2 = F.max_pool2d(a2, 2)
    h3 = torch.relu(m2.reshape(-1, 400) @ p["W3"].reshape(120, 400).T + p["b3"])
    h4 = torch.relu(h3 @ p["W4"].T + p["b4"])
    z = h4 @ p["W5"].T + p["b5"]
    prob = torch.softmax(z, dim=1)
    ce = -(y * torch.log(prob)).sum(dim=1)
    return ce.mean()


NETWORKS = {
    "seed": (seed_loss, {name: (1,) for name in SEED_PARAMS}, 3, 1),
    "mlp": (mlp_loss, MLP_SHAPES, 784, 10),
    "lenet": (lenet_loss, LENET_SHAPES, 784, 10),
}


def fail(message):
    print(f"torch_reference.py: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    req = json.load(sys.stdin)
    name = req.get("network")
    if name not in NETWORKS:
        fail(f"unknown network {name!r}; expected one of {sorted(NETWORKS)}")
    loss_fn, shapes, n_in, n_out = NETWORKS[name]

    params = {}
    for pname, shape in shapes.items():
        values = req["params"].get(pname)
        if values is None:
            fail(f"network {name!r}: missing param {pname!r}")
        t = torch.tensor(values, dtype=DTYPE)
        if t.numel() != torch.Size(shape).numel():
            fail(f"param {pname!r}: expected {torch.Size(shape).numel()} values, got {t.numel()}")
        params[pname] = t.reshape(shape).requires_grad_(True)

    x = torch.tensor(req["inputs"]["x"], dtype=DTYPE).reshape(-1, n_in)
    y = torch.tensor(req["targets"]["y"], dtype=DTYPE).reshape(-1, n_out)
    if x.shape[0] != y.shape[0]:
        fail(f"batch sizes differ: {x.shape[0]} inputs, {y.shape[0]} targets")

    loss = loss_fn(params, x, y)
    loss.backward()
    grads = {pname: t.grad.reshape(-1).tolist() for pname, t in params.items()}
    json.dump({"loss": loss.item(), "grads": grads}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except (json.JSONDecodeError, KeyError) as e:  # a malformed request: one line for the Java test to show
        fail(f"malformed request: {type(e).__name__}: {e}")
