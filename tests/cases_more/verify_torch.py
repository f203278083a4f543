#!/usr/bin/python3
"""Re-runs each training case of this folder in PyTorch, independently of fitcheck, with Keras'
defaults (Glorot-uniform kernels, zero biases, Adam eps 1e-7, Keras' momentum SGD, validation_split
taking the last rows, reshuffled batches), over several seeds, and prints the measurement that
makes the case's expected category true: NaN, gradient growth, dead or saturated units, the loss
against the constant-prediction baseline, the share of the majority class in the predictions, the
validation loss against its minimum, weights that never moved.

Run: /usr/bin/python3 tests/cases_more/verify_torch.py [CASE ...]   (a few seconds per case)
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(2)


def load(case):
    d = os.path.join(HERE, case)
    run = json.load(open(os.path.join(d, "run.json")))

    def split(s):
        if "npz" in s:
            z = np.load(os.path.join(d, s["npz"]))
            return z[s["x"]], z[s["y"]]
        if "csv" in s:
            import csv
            with open(os.path.join(d, s["csv"])) as f:
                rows = list(csv.reader(f, delimiter="\t" if s["csv"].endswith(".tsv") else ","))
            head = rows[0]
            t = head.index(s["target"])
            a = np.array([[float(v) for v in r] for r in rows[1:]])
            return np.delete(a, t, axis=1), a[:, t]
        return np.load(os.path.join(d, s["x"])), np.load(os.path.join(d, s["y"]))

    x, y = split(run["data"]["train"])
    test = split(run["data"]["test"]) if "test" in run["data"] else None
    return run, x.astype(np.float32), y, test


def init_kernel(spec, fan_in, fan_out, g):
    if spec == "zeros":
        return torch.zeros(fan_in, fan_out)
    if spec == "he_normal":  # truncated normal, sqrt(2 / fan_in)
        sd = np.sqrt(2.0 / fan_in) / 0.87962566103423978
        w = torch.randn(fan_in, fan_out, generator=g) * sd
        return torch.clamp(w, -2 * sd, 2 * sd)
    if isinstance(spec, dict) and spec.get("class_name") == "RandomNormal":
        return torch.randn(fan_in, fan_out, generator=g) * spec["config"]["stddev"] + spec["config"]["mean"]
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(fan_in, fan_out, generator=g) * 2 - 1) * lim


ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda z: z,
       "softmax": lambda z: z}  # the output's softmax/sigmoid live in the loss (logits)


def build(run, n_in, seed):
    """The Dense stack of a case's model.json (Keras 2 or 3 form) as torch parameters."""
    model = run["model"]
    if isinstance(model, str):
        model = json.load(open(os.path.join(HERE, CURRENT, model)))
    g = torch.Generator().manual_seed(seed)
    layers, fan = [], n_in
    for entry in model["config"]["layers"]:
        if entry["class_name"] != "Dense":
            continue
        c = entry["config"]
        ki = c["kernel_initializer"]
        spec = ki if ki.get("class_name") == "RandomNormal" else {"Zeros": "zeros", "HeNormal": "he_normal"}.get(
            ki.get("class_name"), "glorot")
        W = init_kernel(spec, fan, c["units"], g).requires_grad_()
        b = torch.zeros(c["units"], requires_grad=True)
        layers.append((W, b, c["activation"]))
        fan = c["units"]
    return layers


def forward(layers, x, keep=None):
    for i, (W, b, act) in enumerate(layers):
        z = x @ W + b
        if keep is not None:
            keep.append(z)
        x = ACT[act](z)
    return z


def loss_of(name, z, y):
    if name == "binary_crossentropy":
        return torch.nn.functional.binary_cross_entropy_with_logits(z[:, 0], y)
    if name == "sparse_categorical_crossentropy":
        return torch.nn.functional.cross_entropy(z, y.long())
    return ((z[:, 0] - y) ** 2).mean()


def optimizer(spec, params):
    if isinstance(spec, str):
        spec = {"class_name": spec.capitalize() if spec != "sgd" else "SGD", "config": {}}
    cfg = spec.get("config", {})
    if spec["class_name"] == "SGD":
        lr, mu = cfg.get("learning_rate", cfg.get("lr", 0.01)), cfg.get("momentum", 0.0)
        vel = [torch.zeros_like(p) for p in params]

        def step():
            with torch.no_grad():
                for p, v in zip(params, vel):
                    v.mul_(mu).sub_(lr * p.grad)
                    p.add_(v)
        return step
    return torch.optim.Adam(params, lr=cfg.get("learning_rate", 1e-3), eps=1e-7).step


def train(case, seed):
    run, x, y, test = load(case)
    fit = run["fit"]
    n = len(x)
    ntr = int(np.ceil(n * (1 - fit.get("validation_split", 0.0))))
    X, Y = torch.tensor(x[:ntr]), torch.tensor(y[:ntr].astype(np.float32))
    if fit.get("validation_split"):
        V = (torch.tensor(x[ntr:]), torch.tensor(y[ntr:].astype(np.float32)))
    elif test is not None:
        V = (torch.tensor(test[0].astype(np.float32)), torch.tensor(test[1].astype(np.float32)))
    else:
        V = None
    layers = build(run, x.shape[1], seed)
    start = [W.detach().clone() for W, _, _ in layers]
    params = [p for W, b, _ in layers for p in (W, b)]
    step = optimizer(run["compile"]["optimizer"], params)
    loss_name = {"mean_squared_error": "mse"}.get(run["compile"]["loss"], run["compile"]["loss"])
    g = torch.Generator().manual_seed(seed)
    out = {"epoch_loss": [], "val_loss": [], "grad": []}
    bs = fit.get("batch_size", 32)
    for _ in range(fit["epochs"]):
        perm = torch.randperm(ntr, generator=g)
        ls = []
        for i in range(0, ntr, bs):
            idx = perm[i:i + bs]
            L = loss_of(loss_name, forward(layers, X[idx]), Y[idx])
            for p in params:
                p.grad = None
            L.backward()
            out["grad"].append([float(W.grad.norm() / np.sqrt(W.numel())) for W, _, _ in layers])  # RMS
            step()
            ls.append(float(L))
        out["epoch_loss"].append(float(np.mean(ls)))
        if V is not None:
            with torch.no_grad():
                out["val_loss"].append(float(loss_of(loss_name, forward(layers, V[0]), V[1])))
    with torch.no_grad():
        keep = []
        z = forward(layers, X, keep)
        out["dead"] = [float(((k > 0).sum(0) == 0).float().mean()) for k in keep[:-1]]
        out["saturated"] = [float(((k.abs() > 5).float().mean(0) >= 0.9).float().mean()) for k in keep[:-1]]
        pred = (z[:, 0] > 0).long() if loss_name == "binary_crossentropy" else z.argmax(1)
        out["majority_share"] = float(np.bincount(pred.numpy()).max() / len(pred)) if z.shape[1] > 1 or loss_name == "binary_crossentropy" else None
        out["moved"] = [bool((W.detach() != w0).any()) for (W, _, _), w0 in zip(layers, start)]
    ys = y[:ntr]
    if loss_name == "mse":
        out["baseline"] = float(np.var(ys))
    else:
        p = np.bincount(ys.astype(int)) / len(ys)
        p = p[p > 0]
        out["baseline"] = float(-(p * np.log(p)).sum())
    return out


CHECKS = {
    "divergence_deep_he_relu_sgd": lambda r: f"NaN loss: {not np.isfinite(r['epoch_loss'][-1])}",
    "exploding_gradient_power_features_sgd": lambda r: "gradient RMS max/first-steps median: "
        f"{np.nanmax([sum(v) for v in r['grad']]) / np.median([sum(v) for v in r['grad'][:10]]):.3g}",
    "vanishing_gradient_tanh_small_init": lambda r: "first/last layer gradient RMS (median): "
        f"{np.median([v[0] for v in r['grad']]) / np.median([v[-1] for v in r['grad']]):.2g}",
    "dying_relu_sgd_momentum_raw_target": lambda r: f"dead ReLU share per layer: {[round(d, 2) for d in r['dead']]}",
    "saturated_tanh_unit_normal_init": lambda r: f"saturated unit share: {[round(s, 2) for s in r['saturated']]}",
    "plateau_labels_shuffled_separately": lambda r: f"best epoch loss / baseline: {min(r['epoch_loss']) / r['baseline']:.3f}",
    "oscillation_sgd_momentum_tanh_small_batch": lambda r: "epoch losses: "
        f"{[round(v, 1) for v in r['epoch_loss']]}",
    "majority_collapse_rare_fraud": lambda r: f"majority class share of predictions: {r['majority_share']:.3f}",
    "overfitting_noisy_labels_wide_mlp": lambda r: "val loss end / min: "
        f"{r['val_loss'][-1] / min(r['val_loss']):.2f}, train loss end / start: {r['epoch_loss'][-1] / r['epoch_loss'][0]:.2f}",
    "overfitting_digits_small_train_test_split": lambda r: "test loss end / min: "
        f"{r['val_loss'][-1] / min(r['val_loss']):.2f}, train loss end / start: {r['epoch_loss'][-1] / r['epoch_loss'][0]:.2f}",
    "unchanged_weights_zeros_initializer": lambda r: f"kernels moved: {r['moved']}",
}

CURRENT = ""


def main():
    global CURRENT
    names = sys.argv[1:] or list(CHECKS)
    for name in names:
        CURRENT = name
        print(name)
        for seed in range(3):
            with np.errstate(all="ignore"):
                print(f"  seed {seed}: {CHECKS[name](train(name, seed))}")


if __name__ == "__main__":
    main()
