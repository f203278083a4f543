#!/usr/bin/python3
"""PyTorch side of tests/parity/nn_rnn_parity_test.cpp (recurrent layers).

Reads DIR/manifest.json and the .npy inputs and Keras-layout weights the C++ test wrote, loads the
weights into torch.nn.LSTM / GRU / RNN (transposed; GRU gate blocks reordered from Keras' z, r, h to
torch's r, z, n), and writes the outputs, the input gradient and the weight gradients (back in
Keras' layout) as DIR/<case>__<tensor>.npy. Exit 3 when torch is missing."""
import json, os, sys

import numpy as np

try:
    import torch
except ImportError:
    print("torch is not installed for /usr/bin/python3 (apt-get install python3-torch)")
    sys.exit(3)

torch.set_num_threads(1)
D = sys.argv[1]


def load(name):
    return torch.from_numpy(np.load(os.path.join(D, name + ".npy")).astype(np.float32))


def save(case, tensor_name, t):
    np.save(os.path.join(D, f"{case}__{tensor_name}.npy"), t.detach().numpy().astype(np.float32))


def blocks(t, u, order):
    """Reorders the gate blocks of the last axis (each u wide) into `order`."""
    return torch.cat([t[..., k * u:(k + 1) * u] for k in order], dim=-1)


def gru_reset_before(case):
    """torch has no GRU with the reset gate applied before the matmul (Keras' reset_after=False):
    its cell written out with torch operations, differentiated by autograd."""
    name, u = case["name"], case["units"]
    x = load(name + "__x").requires_grad_(True)
    r = load(name + "__r")
    W = load(name + "__kernel").requires_grad_(True)
    U = load(name + "__recurrent_kernel").requires_grad_(True)
    has_bias = case.get("use_bias", True)
    b = load(name + "__bias").requires_grad_(True) if has_bias else torch.zeros(3 * u)
    seq = torch.flip(x, [1]) if case.get("go_backwards", False) else x
    h = torch.zeros(x.shape[0], u)
    outs = []
    for t in range(seq.shape[1]):
        xw = seq[:, t] @ W + b
        z = torch.sigmoid(xw[:, :u] + h @ U[:, :u])
        rg = torch.sigmoid(xw[:, u:2 * u] + h @ U[:, u:2 * u])
        hh = torch.tanh(xw[:, 2 * u:] + (rg * h) @ U[:, 2 * u:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    y = torch.stack(outs, 1) if case.get("return_sequences", False) else h
    (y * r).sum().backward()
    save(name, "y", y)
    save(name, "dx", x.grad)
    save(name, "dkernel", W.grad)
    save(name, "drecurrent_kernel", U.grad)
    if has_bias:
        save(name, "dbias", b.grad)


def run_recurrent(case):
    if case["kind"] == "gru" and not case.get("reset_after", True):
        return gru_reset_before(case)
    name, kind, u = case["name"], case["kind"], case["units"]
    x = load(name + "__x")
    r = load(name + "__r")
    bi = case.get("bidirectional", False)
    # Keras variable prefixes: one layer, or Bidirectional's forward_<n> then backward_<n>.
    prefixes = [p + "." for p in case["sublayers"]] if bi else [""]
    suffixes = ["_l0", "_l0_reverse"] if bi else ["_l0"]
    has_bias = case.get("use_bias", True)
    features = x.shape[-1]
    # Keras' gate blocks → torch's: LSTM i, f, c, o is torch's i, f, g, o; GRU z, r, h → r, z, n.
    order = [1, 0, 2] if kind == "gru" else list(range(4 if kind == "lstm" else 1))
    args = dict(batch_first=True, bias=has_bias, bidirectional=bi)
    if kind == "lstm":
        m = torch.nn.LSTM(features, u, **args)
    elif kind == "gru":
        m = torch.nn.GRU(features, u, **args)
    else:
        m = torch.nn.RNN(features, u, nonlinearity="tanh", **args)
    P = lambda n: getattr(m, n)
    with torch.no_grad():
        for pre, suf in zip(prefixes, suffixes):
            P("weight_ih" + suf).copy_(blocks(load(name + "__" + pre + "kernel"), u, order).t())
            P("weight_hh" + suf).copy_(blocks(load(name + "__" + pre + "recurrent_kernel"), u, order).t())
            if has_bias:
                bias = load(name + "__" + pre + "bias")
                if kind == "gru":  # reset_after: row 0 the input bias, row 1 the recurrent bias
                    P("bias_ih" + suf).copy_(blocks(bias[0], u, order))
                    P("bias_hh" + suf).copy_(blocks(bias[1], u, order))
                else:  # Keras has one bias; torch's second one stays zero
                    P("bias_ih" + suf).copy_(blocks(bias, u, order))
                    P("bias_hh" + suf).zero_()
    xin = x.clone().requires_grad_(True)
    seq = torch.flip(xin, [1]) if case.get("go_backwards", False) else xin
    out, _ = m(seq)  # processing order, as Keras returns it with go_backwards
    if bi and not case.get("return_sequences", False):
        # the backward direction's final state is at time 0
        y = torch.cat([out[:, -1, :u], out[:, 0, u:]], -1)
    else:
        y = out if case.get("return_sequences", False) else out[:, -1, :]
    (y * r).sum().backward()
    save(name, "y", y)
    save(name, "dx", xin.grad)
    for pre, suf in zip(prefixes, suffixes):
        save(name, "d" + pre + "kernel", blocks(P("weight_ih" + suf).grad.t(), u, order))
        save(name, "d" + pre + "recurrent_kernel", blocks(P("weight_hh" + suf).grad.t(), u, order))
        if has_bias:
            gi, gh = P("bias_ih" + suf).grad, P("bias_hh" + suf).grad
            if kind == "gru":
                save(name, "d" + pre + "bias", torch.stack([blocks(gi, u, order), blocks(gh, u, order)]))
            else:
                save(name, "d" + pre + "bias", blocks(gi, u, order))


def run_training(case):
    """One epoch of Adam on recurrent → Linear(1) with BCE on the logits (Keras' sigmoid +
    binary_crossentropy), batches in order; writes the final weights in Keras' layout."""
    name, kind, u = case["name"], case["kind"], case["units"]
    x, y = load(name + "__x"), load(name + "__y")
    order = [1, 0, 2] if kind == "gru" else [0, 1, 2, 3]
    rnn = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(x.shape[-1], u, batch_first=True)
    head = torch.nn.Linear(u, 1)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(blocks(load(name + "__w0"), u, order).t())
        rnn.weight_hh_l0.copy_(blocks(load(name + "__w1"), u, order).t())
        bias = load(name + "__w2")
        if kind == "gru":
            rnn.bias_ih_l0.copy_(blocks(bias[0], u, order))
            rnn.bias_hh_l0.copy_(blocks(bias[1], u, order))
        else:
            rnn.bias_ih_l0.copy_(blocks(bias, u, order))
            rnn.bias_hh_l0.zero_()
            rnn.bias_hh_l0.requires_grad_(False)  # Keras' LSTM has one bias
        head.weight.copy_(load(name + "__w3").t())
        head.bias.copy_(load(name + "__w4"))
    params = [p for p in list(rnn.parameters()) + list(head.parameters()) if p.requires_grad]
    EPS = 1e-7
    opt = torch.optim.Adam(params, lr=case["learning_rate"], betas=(0.9, 0.999), eps=EPS)
    lf = torch.nn.BCEWithLogitsLoss()
    bs = case["batch_size"]
    step = 0
    for i in range(0, x.shape[0], bs):
        step += 1
        # Keras adds ε to sqrt(v) before bias correction: torch's eps = ε / sqrt(1 − β2^t).
        opt.param_groups[0]["eps"] = EPS / (1 - 0.999 ** step) ** 0.5
        opt.zero_grad()
        out, _ = rnn(x[i:i + bs])
        loss = lf(head(out[:, -1]), y[i:i + bs])
        loss.backward()
        opt.step()
    save(name, "final_w0", blocks(rnn.weight_ih_l0.t(), u, order))
    save(name, "final_w1", blocks(rnn.weight_hh_l0.t(), u, order))
    if kind == "gru":
        save(name, "final_w2", torch.stack([blocks(rnn.bias_ih_l0, u, order), blocks(rnn.bias_hh_l0, u, order)]))
    else:
        save(name, "final_w2", blocks(rnn.bias_ih_l0, u, order))
    save(name, "final_w3", head.weight.t())
    save(name, "final_w4", head.bias)


manifest = json.load(open(os.path.join(D, "manifest.json")))
for c in manifest["cases"]:
    (run_training if c.get("training") else run_recurrent)(c)
print("ok", len(manifest["cases"]))
