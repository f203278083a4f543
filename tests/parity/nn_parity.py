#!/usr/bin/python3
"""PyTorch side of tests/parity/nn_parity_test.cpp.

Reads DIR/manifest.json and the .npy inputs the C++ test wrote, computes the same forward outputs,
gradients and training steps with torch (Keras layouts transposed where torch differs), and writes
DIR/<case>__<tensor>.npy for the C++ side to compare. Exit 3 when torch is missing."""
import json, math, os, sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch is not installed for /usr/bin/python3 (apt-get install python3-torch)")
    sys.exit(3)

torch.set_num_threads(1)
EPS = 1e-7
D = sys.argv[1]


def load(name):
    return torch.from_numpy(np.load(os.path.join(D, name + ".npy")).astype(np.float32))


def save(case, tensor_name, t):
    np.save(os.path.join(D, f"{case}__{tensor_name}.npy"), t.detach().numpy().astype(np.float32))


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,  # exact erf form, Keras' default approximate=False
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": F.hardsigmoid,  # relu6(x + 3) / 6, the Keras 3 definition
    "tanh": torch.tanh,
    "softmax": lambda x: torch.softmax(x, -1),
    "softplus": F.softplus,
    "softsign": F.softsign,
    "swish": F.silu,
}


def loss_fn(name, y, p):
    if name == "mse":
        return F.mse_loss(p, y)
    if name == "mae":
        return F.l1_loss(p, y)
    if name == "huber":
        return F.huber_loss(p, y, delta=1.0)
    if name == "bce":
        return F.binary_cross_entropy(p.clamp(EPS, 1 - EPS), y)
    if name == "bce_logits":
        return F.binary_cross_entropy_with_logits(p, y)
    if name == "cce":
        q = (p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)
        return -(y * q.log()).sum(-1).mean()
    if name == "cce_logits":
        return F.cross_entropy(p, y)  # soft/one-hot targets
    if name == "scce":
        return F.cross_entropy(p.clamp(EPS, 1 - EPS).log(), y.long().reshape(-1))
    if name == "scce_logits":
        return F.cross_entropy(p, y.long().reshape(-1))
    if name == "kld":
        yc, pc = y.clamp(EPS, 1), p.clamp(EPS, 1)
        return (yc * (yc.log() - pc.log())).sum(-1).mean()
    raise ValueError(name)


def hinge_labels(y):
    """Keras converts 0/1 labels to -1/1 only when every label of the batch is 0 or 1."""
    return 2 * y - 1 if bool(((y == 0) | (y == 1)).all()) else y


def l2_normalize(x):
    """Keras 3's normalize: x * min(rsqrt(sum x^2), 1/eps)."""
    return x * torch.rsqrt((x * x).sum(-1, keepdim=True)).clamp(max=1 / EPS)


def keras_per_sample(name, y, p, cfg):
    """Keras 3's per-sample loss values (keras/src/losses/losses.py), written from its formulas:
    shape (N,) for a loss over the last axis, (N,) over every axis of a sample, () for the batch."""
    if name == "hinge":
        return (1 - hinge_labels(y) * p).clamp(min=0).mean(-1)
    if name == "squared_hinge":
        return ((1 - hinge_labels(y) * p).clamp(min=0) ** 2).mean(-1)
    if name == "categorical_hinge":
        pos = (y * p).sum(-1)
        neg = ((1 - y) * p).max(-1).values
        return (neg - pos + 1).clamp(min=0)
    if name == "log_cosh":
        x = p - y
        return (x + F.softplus(-2 * x) - math.log(2.0)).mean(-1)
    if name == "poisson":
        return (p - y * torch.log(p + EPS)).mean(-1)
    if name == "mape":
        return 100 * ((y - p) / y.abs().clamp(min=EPS)).abs().mean(-1)
    if name == "msle":
        return ((torch.log(p.clamp(min=EPS) + 1) - torch.log(y.clamp(min=EPS) + 1)) ** 2).mean(-1)
    if name == "cosine_similarity":
        return -(l2_normalize(y) * l2_normalize(p)).sum(-1)
    if name == "bfce":
        s, gamma, alpha = cfg.get("label_smoothing", 0.0), cfg.get("gamma", 2.0), cfg.get("alpha", 0.25)
        y = y * (1 - s) + 0.5 * s
        if cfg.get("from_logits", False):
            prob = torch.sigmoid(p)  # Keras' TF backend then takes the exact logit form of the cross-entropy
            bce = F.binary_cross_entropy_with_logits(p, y, reduction="none")
        else:
            prob = p
            q = p.clamp(EPS, 1 - EPS)
            bce = -(y * q.log() + (1 - y) * (1 - q).log())
        p_t = y * prob + (1 - y) * (1 - prob)
        focal = (1 - p_t) ** gamma * bce
        if cfg.get("apply_class_balancing", False):
            focal = (y * alpha + (1 - y) * (1 - alpha)) * focal
        return focal.mean(-1)
    if name == "cfce":
        s, gamma = cfg.get("label_smoothing", 0.0), cfg.get("gamma", 2.0)
        alpha = torch.tensor(cfg.get("alpha", 0.25), dtype=torch.float32)
        y = y * (1 - s) + s / y.shape[-1]
        if cfg.get("from_logits", False):
            p = torch.softmax(p, -1)
        o = (p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)
        return (alpha * (1 - o) ** gamma * (-y * o.log())).sum(-1)
    if name == "gce":
        q = cfg.get("q", 0.5)
        p_y = (p * F.one_hot(y.long().reshape(-1), p.shape[-1])).sum(-1)
        return (1 - p_y ** q) / q
    if name in ("dice", "tversky"):
        axis = cfg.get("axis")
        dims = tuple(range(p.dim())) if axis is None else tuple(a % p.dim() for a in axis)
        inter = (y * p).sum(dims)
        if name == "dice":
            return 1 - 2 * inter / (y.sum(dims) + p.sum(dims) + EPS)
        missed, extra = ((1 - p) * y).sum(dims), (p * (1 - y)).sum(dims)
        return 1 - inter / (inter + cfg.get("alpha", 0.5) * missed + cfg.get("beta", 0.5) * extra + EPS)
    return None


def keras_reduce(values, sw):
    """sum_over_batch_size: sum(values * sw) / number of values; a scalar is broadcast over sw."""
    if sw is None:
        return values.mean() if values.dim() > 0 else values
    if values.dim() == 0:
        return (values * sw).mean()
    return (values * sw.reshape([-1] + [1] * (values.dim() - 1))).sum() / values.numel()


def keras_pads(lengths, window, strides, dilation, padding):
    """Per spatial axis (before, after) as Keras/TF pad: same puts the odd pixel after the data,
    causal puts everything before it."""
    pads = []
    for n, k, s, d in zip(lengths, window, strides, dilation):
        span = (k - 1) * d + 1
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "causal":
            pads.append((span - 1, 0))
        else:
            out = -(-n // s)
            total = max((out - 1) * s + span - n, 0)
            pads.append((total // 2, total - total // 2))
    return pads


def torch_pad_arg(pads):
    # F.pad takes the last axis first.
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return flat


def keras_conv(x, W, b, case):
    """Channels-last x and a Keras kernel (..., in, out), computed with torch's channels-first conv."""
    k, s, d = case["kernel_size"], case["strides"], case["dilation_rate"]
    if len(k) == 2:
        xc = x.permute(0, 3, 1, 2)
        pads = keras_pads(xc.shape[2:], k, s, d, case["padding"])
        out = F.conv2d(F.pad(xc, torch_pad_arg(pads)), W.permute(3, 2, 0, 1), b, stride=s, dilation=d)
        return out.permute(0, 2, 3, 1)
    xc = x.permute(0, 2, 1)
    pads = keras_pads(xc.shape[2:], k, s, d, case["padding"])
    out = F.conv1d(F.pad(xc, torch_pad_arg(pads)), W.permute(2, 1, 0), b, stride=s, dilation=d)
    return out.permute(0, 2, 1)


def keras_depthwise(x, W, b, case):
    """Keras' DepthwiseConv2D: kernel (kh, kw, in, m); torch's grouped conv with groups = in gives
    output channel c·m + j from group c, the order Keras/TF produce."""
    kh, kw, c, m = W.shape
    xc = x.permute(0, 3, 1, 2)
    pads = keras_pads(xc.shape[2:], case["kernel_size"], case["strides"], case["dilation_rate"], case["padding"])
    w = W.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
    out = F.conv2d(F.pad(xc, torch_pad_arg(pads)), w, b, stride=case["strides"], dilation=case["dilation_rate"],
                   groups=c)
    return out.permute(0, 2, 3, 1)


def deconv_output_length(n, k, s, padding, output_padding):
    """Keras' output length of a transposed convolution; k is the dilated kernel span."""
    if output_padding is None:
        return n * s + max(k - s, 0) if padding == "valid" else n * s
    pad = k // 2 if padding == "same" else 0
    return (n - 1) * s + k - 2 * pad + output_padding


def keras_conv_transpose(x, W, b, case):
    """Keras' Conv2DTranspose, kernel (kh, kw, filters, in): torch's unpadded conv_transpose2d
    (weight (in, filters, kh, kw)), then the window TF's conv2d_transpose keeps: it is the input
    gradient of a conv over the output size, which pads that input as Keras' conv does."""
    s, d = case["strides"], case["dilation_rate"]
    k = [(kk - 1) * dd + 1 for kk, dd in zip(case["kernel_size"], d)]  # the dilated span
    op = case["output_padding"] or [None, None]
    xc = x.permute(0, 3, 1, 2)
    full = F.conv_transpose2d(xc, W.permute(3, 2, 0, 1), None, stride=s, dilation=d)
    for axis in range(2):
        n = xc.shape[2 + axis]
        length = deconv_output_length(n, k[axis], s[axis], case["padding"], op[axis])
        before = 0
        if case["padding"] == "same":
            before = max((n - 1) * s[axis] + k[axis] - length, 0) // 2
        dim = 2 + axis
        extra = before + length - full.shape[dim]
        if extra > 0:
            pad = [0, 0, 0, 0]
            pad[(1 - axis) * 2 + 1] = extra  # F.pad: last axis first
            full = F.pad(full, pad)
        full = full.narrow(dim, before, length)
    out = full.permute(0, 2, 3, 1)
    return out if b is None else out + b


def keras_pool(x, case):
    k, s = case["pool_size"], case["strides"]
    two = len(k) == 2
    xc = x.permute(0, 3, 1, 2) if two else x.permute(0, 2, 1)
    pads = torch_pad_arg(keras_pads(xc.shape[2:], k, s, [1] * len(k), case["padding"]))
    if case["op"] == "max":
        pool = F.max_pool2d if two else F.max_pool1d
        out = pool(F.pad(xc, pads, value=-math.inf), k, s)
    else:
        pool = F.avg_pool2d if two else F.avg_pool1d
        # Keras averages over the elements inside the input: window sums / window counts.
        counts = pool(F.pad(torch.ones_like(xc), pads), k, s)
        out = pool(F.pad(xc, pads), k, s) / counts
    return out.permute(0, 2, 3, 1) if two else out.permute(0, 2, 1)


def run_layer(case):
    name, kind = case["name"], case["kind"]
    x = load(name + "__x").requires_grad_(True)
    r = load(name + "__r")
    params = {}
    if kind == "dense":
        W = load(name + "__kernel").requires_grad_(True)
        b = load(name + "__bias").requires_grad_(True)
        # Keras kernel is (in, out): y = x @ W + b; torch's Linear would hold W.T.
        y = ACTIVATIONS[case["activation"]](F.linear(x, W.t(), b))
        params = {"kernel": W, "bias": b}
    elif kind == "activation":
        y = ACTIVATIONS[case["activation"]](x)
    elif kind == "batch_normalization":
        g = load(name + "__gamma").requires_grad_(True)
        b = load(name + "__beta").requires_grad_(True)
        rm, rv = torch.zeros(x.shape[-1]), torch.ones(x.shape[-1])
        # torch momentum = 1 - Keras momentum; torch keeps the unbiased variance, Keras the biased one.
        y = F.batch_norm(x, rm, rv, g, b, training=True, momentum=0.01, eps=1e-3)
        params = {"gamma": g, "beta": b}
        n = x.shape[0]
        var_biased = x.detach().var(0, unbiased=False)
        save(name, "moving_mean", rm)
        save(name, "moving_variance", 0.99 * torch.ones_like(var_biased) + 0.01 * var_biased)
        _ = n
    elif kind == "layer_normalization":
        g = load(name + "__gamma").requires_grad_(True)
        b = load(name + "__beta").requires_grad_(True)
        y = F.layer_norm(x, (x.shape[-1],), g, b, eps=1e-3)
        params = {"gamma": g, "beta": b}
    elif kind in ("conv2d", "conv1d"):
        W = load(name + "__kernel").requires_grad_(True)
        params = {"kernel": W}
        b = None
        if case["use_bias"]:
            b = load(name + "__bias").requires_grad_(True)
            params["bias"] = b
        y = ACTIVATIONS[case["activation"]](keras_conv(x, W, b, case))
    elif kind in ("depthwise2d", "separable2d", "conv2d_transpose"):
        main = "depthwise_kernel" if kind == "separable2d" else "kernel"  # Keras 3 weight names
        W = load(name + "__" + main).requires_grad_(True)
        params = {main: W}
        b = None
        if case["use_bias"]:
            b = load(name + "__bias").requires_grad_(True)
            params["bias"] = b
        if kind == "depthwise2d":
            z = keras_depthwise(x, W, b, case)
        elif kind == "separable2d":
            P = load(name + "__pointwise_kernel").requires_grad_(True)
            params["pointwise_kernel"] = P
            # No bias between the depthwise and the pointwise step, as Keras.
            mid = keras_depthwise(x, W, None, case)
            z = keras_conv(mid, P, b, {"kernel_size": [1, 1], "strides": [1, 1], "dilation_rate": [1, 1],
                                       "padding": "valid"})
        else:
            z = keras_conv_transpose(x, W, b, case)
        y = ACTIVATIONS[case["activation"]](z)
    elif kind in ("pool1d", "pool2d"):
        y = keras_pool(x, case)
    elif kind == "global":
        axes = tuple(range(1, x.dim() - 1))
        y = x.amax(dim=axes) if case["op"] == "max" else x.mean(dim=axes)
    elif kind == "zero_padding2d":
        t, b, l, rr = case["sides"]
        y = F.pad(x, (0, 0, l, rr, t, b))  # channels_last: (C, W, H) pairs, last axis first
    elif kind == "cropping2d":
        t, b, l, rr = case["sides"]
        y = x[:, t:x.shape[1] - b, l:x.shape[2] - rr, :]
    elif kind == "up_sampling2d":
        sh, sw = case["size"]
        y = x.repeat_interleave(sh, dim=1).repeat_interleave(sw, dim=2)
    else:
        raise ValueError(kind)
    (y * r).sum().backward()
    save(name, "y", y)
    save(name, "dx", x.grad)
    for k, v in params.items():
        save(name, "d" + k, v.grad)


def run_loss(case):
    name = case["name"]
    y = load(name + "__y_true")
    p = load(name + "__y_pred").requires_grad_(True)
    sw = load(name + "__sw") if case.get("weighted") else None
    per_sample = keras_per_sample(case["loss"], y, p, case.get("config", {}))
    value = keras_reduce(per_sample, sw) if per_sample is not None else loss_fn(case["loss"], y, p)
    value.backward()
    save(name, "value", value.reshape(1))
    save(name, "grad", p.grad)


def run_training(case):
    name = case["name"]
    x, y = load(name + "__x"), load(name + "__y")
    units = case["units"]
    layers, params = [], []
    for i in range(len(units) - 1):
        lin = torch.nn.Linear(units[i], units[i + 1])
        with torch.no_grad():
            lin.weight.copy_(load(f"{name}__kernel{i}").t())
            lin.bias.copy_(load(f"{name}__bias{i}"))
        layers.append(lin)
        if i < len(units) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    lr, bs = case["learning_rate"], case["batch_size"]
    if case["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=EPS)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=case["momentum"])
    lf = torch.nn.BCEWithLogitsLoss()  # Keras uses the logits of a sigmoid output for BCE
    step = 0
    for i in range(0, x.shape[0], bs):
        step += 1
        if case["optimizer"] == "adam":
            # Keras adds ε to sqrt(v) before bias correction: torch's eps = ε / sqrt(1 − β2^t).
            opt.param_groups[0]["eps"] = EPS / math.sqrt(1 - 0.999 ** step)
        opt.zero_grad()
        loss = lf(model(x[i:i + bs]), y[i:i + bs])
        loss.backward()
        opt.step()
    for i, lin in enumerate(l for l in layers if isinstance(l, torch.nn.Linear)):
        save(name, f"kernel{i}", lin.weight.t().contiguous())
        save(name, f"bias{i}", lin.bias)


def run_cnn_training(case):
    """The CNN of OneEpochOfACnnGivesTheSameWeights; weights w0.. in Keras layouts."""
    name = case["name"]
    x, y = load(name + "__x"), load(name + "__y")
    w = [load(f"{name}__w{i}").requires_grad_(True) for i in range(6)]

    def model(xb):
        h = F.relu(keras_conv(xb, w[0], w[1], {"kernel_size": [3, 3], "strides": [1, 1], "dilation_rate": [1, 1],
                                               "padding": "same"}))
        h = keras_pool(h, {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid", "op": "max"})
        h = torch.tanh(keras_conv(h, w[2], w[3], {"kernel_size": [2, 2], "strides": [2, 2], "dilation_rate": [1, 1],
                                                  "padding": "valid"}))
        return h.reshape(h.shape[0], -1) @ w[4] + w[5]  # channels_last flatten; logits

    lr, bs = case["learning_rate"], case["batch_size"]
    opt = torch.optim.Adam(w, lr=lr, betas=(0.9, 0.999), eps=EPS)
    lf = torch.nn.BCEWithLogitsLoss()
    step = 0
    for i in range(0, x.shape[0], bs):
        step += 1
        opt.param_groups[0]["eps"] = EPS / math.sqrt(1 - 0.999 ** step)  # as in run_training
        opt.zero_grad()
        lf(model(x[i:i + bs]), y[i:i + bs]).backward()
        opt.step()
    for i, t in enumerate(w):
        save(name, f"w{i}", t)


manifest = json.load(open(os.path.join(D, "manifest.json")))
for c in manifest["cases"]:
    {"loss": run_loss, "training": run_training, "cnn_training": run_cnn_training}.get(c["kind"], run_layer)(c)
print("ok", len(manifest["cases"]))
