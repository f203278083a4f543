#!/usr/bin/python3
"""ONNX side of tests/parity/onnx_export_parity_test.cpp.

For each case in DIR/manifest.json, loads DIR/<case>.onnx (written by run::save_onnx) with
Debian's python3-onnx, runs onnx.checker.check_model(full_check=True) and strict shape
inference, checks the declared interface (opset 17, "input"/"output", a symbolic batch axis),
then runs the graph on DIR/<case>__x.npy through the NumPy interpreter below and writes the
result as DIR/<case>__onnx.npy for the C++ side to compare with fitcheck's predictions.

onnx 1.12 has no reference evaluator and onnxruntime is not in Debian, so the interpreter is
written here from the ONNX operator specification (onnx.defs' documentation of each op), in
float64, independently of fitcheck's C++ code. It knows only the operators and attribute values
the exporter emits and refuses anything else. Exit 3 when onnx is missing."""
import itertools
import json
import math
import os
import sys

import numpy as np

try:
    import onnx
    from onnx import numpy_helper
except ImportError:
    print("onnx is not installed for /usr/bin/python3 (apt-get install python3-onnx)")
    sys.exit(3)

try:
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - scipy comes with python3-sklearn
    _erf = np.vectorize(math.erf)

OPSET = 17


class Unknown(Exception):
    pass


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def s(v):
    return v.decode() if isinstance(v, bytes) else v


# ---- element-wise ----

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def elementwise(op, x, a):
    if op == "Relu":
        return np.maximum(x, 0.0)
    if op == "Sigmoid":
        return sigmoid(x)
    if op == "Tanh":
        return np.tanh(x)
    if op == "Erf":
        return _erf(x)
    if op == "Softplus":  # ln(exp(x) + 1)
        return np.logaddexp(0.0, x)
    if op == "Softsign":  # x / (1 + |x|)
        return x / (1.0 + np.abs(x))
    if op == "LeakyRelu":  # x for x >= 0, alpha·x below
        return np.where(x >= 0, x, a.get("alpha", 0.01) * x)
    if op == "Elu":  # x for x >= 0, alpha·(exp(x) − 1) below
        return np.where(x >= 0, x, a.get("alpha", 1.0) * np.expm1(np.minimum(x, 0.0)))
    if op == "Selu":  # gamma·x for x > 0, gamma·(alpha·exp(x) − alpha) otherwise
        alpha, gamma = a.get("alpha", 1.67326319217681884765625), a.get("gamma", 1.05070102214813232421875)
        return np.where(x > 0, gamma * x, gamma * (alpha * np.exp(np.minimum(x, 0.0)) - alpha))
    if op == "HardSigmoid":  # max(0, min(1, alpha·x + beta))
        return np.clip(a.get("alpha", 0.2) * x + a.get("beta", 0.5), 0.0, 1.0)
    raise Unknown(op)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# ---- windows ----

def explicit_pads(a, spatial_in, kernel, strides, dilations):
    """pads [begins..., ends...] from the attributes; auto_pad SAME_UPPER: output ceil(in / stride),
    the odd padding at the end."""
    n = len(spatial_in)
    auto = s(a.get("auto_pad", "NOTSET"))
    if auto in ("NOTSET", ""):
        return list(a.get("pads", [0] * (2 * n)))
    if auto != "SAME_UPPER":
        raise Unknown("auto_pad " + auto)
    begins, ends = [], []
    for i in range(n):
        out = -(-spatial_in[i] // strides[i])
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - spatial_in[i], 0)
        begins.append(total // 2)
        ends.append(total - total // 2)
    return begins + ends


def windows(xp, kernel, strides, dilations, out):
    """For each kernel tap, the strided view of the padded input (N, C, *out) it meets."""
    for tap in itertools.product(*[range(k) for k in kernel]):
        idx = tuple(slice(t * d, t * d + (o - 1) * st + 1, st)
                    for t, d, o, st in zip(tap, dilations, out, strides))
        yield tap, xp[(slice(None), slice(None)) + idx]


def out_len(size, pb, pe, k, st, d):
    return (size + pb + pe - ((k - 1) * d + 1)) // st + 1


def conv(x, w, b, a):
    n_sp = x.ndim - 2
    kernel = list(a.get("kernel_shape", w.shape[2:]))
    strides = list(a.get("strides", [1] * n_sp))
    dil = list(a.get("dilations", [1] * n_sp))
    group = a.get("group", 1)
    pads = explicit_pads(a, x.shape[2:], kernel, strides, dil)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + n_sp]) for i in range(n_sp)])
    out = [out_len(x.shape[2 + i], pads[i], pads[i + n_sp], kernel[i], strides[i], dil[i]) for i in range(n_sp)]
    m, cg = w.shape[0], w.shape[1]  # (M, C / group, k...)
    y = np.zeros((x.shape[0], m) + tuple(out))
    mg = m // group
    for tap, view in windows(xp, kernel, strides, dil, out):
        for g in range(group):
            xs = view[:, g * cg:(g + 1) * cg]
            ws = w[(slice(g * mg, (g + 1) * mg), slice(None)) + tap]  # (mg, cg)
            y[:, g * mg:(g + 1) * mg] += np.einsum("nc...,mc->nm...", xs, ws)
    if b is not None:
        y += b.reshape((1, m) + (1,) * n_sp)
    return y


def conv_transpose(x, w, b, a):
    """y[o] += x[i]·W[k] for o = i·stride + k·dilation − pad_begin; the output length is
    stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pad_begin − pad_end."""
    n_sp = x.ndim - 2
    kernel = list(a.get("kernel_shape", w.shape[2:]))
    strides = list(a.get("strides", [1] * n_sp))
    dil = list(a.get("dilations", [1] * n_sp))
    pads = list(a.get("pads", [0] * (2 * n_sp)))
    opad = list(a.get("output_padding", [0] * n_sp))
    if a.get("group", 1) != 1 or "output_shape" in a or s(a.get("auto_pad", "NOTSET")) not in ("NOTSET", ""):
        raise Unknown("ConvTranspose form")
    ins = x.shape[2:]
    full = [strides[i] * (ins[i] - 1) + (kernel[i] - 1) * dil[i] + 1 + opad[i] for i in range(n_sp)]
    m = w.shape[1]
    y = np.zeros((x.shape[0], m) + tuple(full))
    for tap in itertools.product(*[range(k) for k in kernel]):
        idx = tuple(slice(t * d, t * d + (n - 1) * st + 1, st) for t, d, n, st in zip(tap, dil, ins, strides))
        y[(slice(None), slice(None)) + idx] += np.einsum("nc...,cm->nm...", x, w[(slice(None), slice(None)) + tap])
    y = y[(slice(None), slice(None)) + tuple(slice(pads[i], full[i] - pads[i + n_sp]) for i in range(n_sp))]
    if b is not None:
        y += b.reshape((1, m) + (1,) * n_sp)
    return y


def pool(x, a, kind):
    n_sp = x.ndim - 2
    kernel = list(a["kernel_shape"])
    strides = list(a.get("strides", [1] * n_sp))
    dil = [1] * n_sp
    if a.get("ceil_mode", 0) != 0 or "dilations" in a or a.get("count_include_pad", 0) != 0:
        raise Unknown("pooling form")
    pads = explicit_pads(a, x.shape[2:], kernel, strides, dil)
    padw = [(0, 0), (0, 0)] + [(pads[i], pads[i + n_sp]) for i in range(n_sp)]
    out = [out_len(x.shape[2 + i], pads[i], pads[i + n_sp], kernel[i], strides[i], 1) for i in range(n_sp)]
    if kind == "max":
        xp = np.pad(x, padw, constant_values=-np.inf)
        y = np.full((x.shape[0], x.shape[1]) + tuple(out), -np.inf)
        for _, view in windows(xp, kernel, strides, dil, out):
            y = np.maximum(y, view)
        return y
    # count_include_pad = 0: the mean of the elements inside the input
    xp = np.pad(x, padw)
    inside = np.pad(np.ones_like(x), padw)
    total = np.zeros((x.shape[0], x.shape[1]) + tuple(out))
    count = np.zeros_like(total)
    for (_, view), (_, mask) in zip(windows(xp, kernel, strides, dil, out), windows(inside, kernel, strides, dil, out)):
        total += view
        count += mask
    return total / count


# ---- shapes ----

def reshape(x, shape):
    shape = [int(v) for v in shape]
    shape = [x.shape[i] if v == 0 else v for i, v in enumerate(shape)]  # allowzero = 0
    return x.reshape(shape)


def slice_op(x, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(v) % x.ndim for v in axes]
    steps = [1] * len(starts) if steps is None else list(steps)
    idx = [slice(None)] * x.ndim
    for st, en, ax, step in zip(starts, ends, axes, steps):
        dim = x.shape[ax]
        st, en = int(st), int(en)
        st = st + dim if st < 0 else st
        en = en + dim if en < 0 else en
        if step > 0:
            st, en = min(max(st, 0), dim), min(max(en, 0), dim)
        else:
            st, en = min(max(st, 0), dim - 1), min(max(en, -1), dim - 1)
        idx[ax] = slice(st, None if en < 0 else en, int(step))
    return x[tuple(idx)]


def resize(x, a, scales):
    if (s(a.get("mode")) != "nearest" or s(a.get("coordinate_transformation_mode")) != "asymmetric"
            or s(a.get("nearest_mode")) != "floor"):
        raise Unknown("Resize form")
    y = x
    for ax, sc in enumerate(scales):
        out = int(math.floor(x.shape[ax] * sc))
        src = np.floor(np.arange(out) / sc).astype(np.int64)  # asymmetric: x_original = x_resized / scale
        y = np.take(y, np.minimum(src, x.shape[ax] - 1), axis=ax)
    return y


# ---- recurrent ----

def cell_fn(name):
    name = s(name)
    table = {"Tanh": np.tanh, "Sigmoid": sigmoid, "Relu": lambda v: np.maximum(v, 0.0),
             "Softsign": lambda v: v / (1.0 + np.abs(v)), "Softplus": lambda v: np.logaddexp(0.0, v),
             "Elu": lambda v: np.where(v >= 0, v, np.expm1(np.minimum(v, 0.0)))}
    if name not in table:
        raise Unknown("cell activation " + name)
    return table[name]


def recurrent(op, inputs, a):
    """ONNX's RNN, GRU and LSTM, forward direction, layout 0: X (T, B, F) → Y (T, 1, B, H),
    Y_h (1, B, H). Gate order: LSTM i, o, f, c; GRU z, r, h."""
    x, w, r = inputs[0], inputs[1], inputs[2]
    b = inputs[3] if len(inputs) > 3 and inputs[3] is not None else None
    if any(v is not None for v in inputs[4:]) or s(a.get("direction", "forward")) != "forward" \
            or a.get("layout", 0) != 0 or "clip" in a or a.get("input_forget", 0) != 0 \
            or "activation_alpha" in a or "activation_beta" in a:
        raise Unknown(op + " form")
    h_size = a["hidden_size"]
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[op]
    w, r = w[0], r[0]
    wb, rb = (b[0, :gates * h_size], b[0, gates * h_size:]) if b is not None else (0.0, 0.0)
    default = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"], "LSTM": ["Sigmoid", "Tanh", "Tanh"]}[op]
    acts = [cell_fn(n) for n in a.get("activations", default)]
    steps, batch = x.shape[0], x.shape[1]
    h = np.zeros((batch, h_size))
    c = np.zeros((batch, h_size))
    ys = []

    def blk(m, k):
        return m[..., k * h_size:(k + 1) * h_size] if np.ndim(m) else m

    for t in range(steps):
        xw = x[t] @ w.T + wb  # (B, gates·H)
        if op == "RNN":
            h = acts[0](xw + h @ r.T + rb)
        elif op == "LSTM":
            f, g, hh = acts
            hr = h @ r.T + rb
            i_g = f(blk(xw, 0) + blk(hr, 0))
            o_g = f(blk(xw, 1) + blk(hr, 1))
            f_g = f(blk(xw, 2) + blk(hr, 2))
            c_t = g(blk(xw, 3) + blk(hr, 3))
            c = f_g * c + i_g * c_t
            h = o_g * hh(c)
        else:
            f, g = acts
            z = f(blk(xw, 0) + h @ blk(r.T, 0) + blk(rb, 0))
            rr = f(blk(xw, 1) + h @ blk(r.T, 1) + blk(rb, 1))
            if a.get("linear_before_reset", 0):
                ht = g(blk(xw, 2) + rr * (h @ blk(r.T, 2) + blk(rb, 2)))
            else:
                ht = g(blk(xw, 2) + (rr * h) @ blk(r.T, 2) + blk(rb, 2))
            h = (1.0 - z) * ht + z * h
        ys.append(h)
    y = np.stack(ys)[:, None] if ys else np.zeros((0, 1, batch, h_size))
    return [y, h[None]]


# ---- the graph ----

def run(model, x):
    g = model.graph
    env = {t.name: numpy_helper.to_array(t).astype(np.float64 if t.data_type == onnx.TensorProto.FLOAT else np.int64)
           for t in g.initializer}
    env[g.input[0].name] = x.astype(np.float64)
    for node in g.node:
        a = attrs(node)
        ins = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Identity":
            out = [ins[0]]
        elif op == "MatMul":
            out = [np.matmul(ins[0], ins[1])]
        elif op == "Add":
            out = [ins[0] + ins[1]]
        elif op == "Mul":
            out = [ins[0] * ins[1]]
        elif op == "Softmax":
            out = [softmax(ins[0], a.get("axis", -1))]
        elif op == "Transpose":
            out = [np.transpose(ins[0], a["perm"])]
        elif op == "Reshape":
            out = [reshape(ins[0], ins[1])]
        elif op == "Flatten":
            ax = a.get("axis", 1)
            out = [ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)]
        elif op == "Squeeze":
            out = [np.squeeze(ins[0], axis=tuple(int(v) for v in ins[1]))]
        elif op == "Concat":
            out = [np.concatenate(ins, axis=a["axis"])]
        elif op == "Shape":
            out = [np.array(ins[0].shape, dtype=np.int64)]
        elif op == "Slice":
            out = [slice_op(*ins)]
        elif op == "Cast":
            if a["to"] != onnx.TensorProto.INT64:
                raise Unknown("Cast to " + str(a["to"]))
            out = [ins[0].astype(np.int64)]  # float → int truncates toward zero
        elif op == "Gather":
            out = [np.take(ins[0], ins[1], axis=a.get("axis", 0))]
        elif op == "BatchNormalization":
            if a.get("training_mode", 0) != 0:
                raise Unknown("BatchNormalization in training mode")
            xx, scale, bias, mean, var = ins
            shp = (1, -1) + (1,) * (xx.ndim - 2)
            out = [(xx - mean.reshape(shp)) / np.sqrt(var.reshape(shp) + a.get("epsilon", 1e-5)) * scale.reshape(shp)
                   + bias.reshape(shp)]
        elif op == "LayerNormalization":
            xx, scale = ins[0], ins[1]
            axes = tuple(range(a.get("axis", -1) % xx.ndim, xx.ndim))
            mean = xx.mean(axis=axes, keepdims=True)
            var = ((xx - mean) ** 2).mean(axis=axes, keepdims=True)
            y = (xx - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) * scale
            out = [y + ins[2] if len(ins) > 2 and ins[2] is not None else y]
        elif op == "Conv":
            out = [conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)]
        elif op == "ConvTranspose":
            out = [conv_transpose(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)]
        elif op in ("MaxPool", "AveragePool"):
            if len(node.output) > 1:
                raise Unknown("MaxPool indices")
            out = [pool(ins[0], a, "max" if op == "MaxPool" else "avg")]
        elif op in ("ReduceMean", "ReduceMax"):
            axes = tuple(a["axes"])
            fn = np.mean if op == "ReduceMean" else np.max
            out = [fn(ins[0], axis=axes, keepdims=bool(a.get("keepdims", 1)))]
        elif op == "Pad":
            if s(a.get("mode", "constant")) != "constant":
                raise Unknown("Pad mode")
            p = [int(v) for v in ins[1]]
            value = ins[2] if len(ins) > 2 and ins[2] is not None else 0.0
            n = ins[0].ndim
            out = [np.pad(ins[0], [(p[i], p[i + n]) for i in range(n)], constant_values=value)]
        elif op == "Resize":
            out = [resize(ins[0], a, ins[2])]
        elif op in ("RNN", "GRU", "LSTM"):
            out = recurrent(op, ins, a)
        else:
            out = [elementwise(op, ins[0], a)]
        for name, value in zip(node.output, out):
            if name:
                env[name] = value
    return env[g.output[0].name]


def check_interface(model):
    assert model.ir_version == 8, model.ir_version
    assert [(o.domain, o.version) for o in model.opset_import] == [("", OPSET)], model.opset_import
    g = model.graph
    assert [i.name for i in g.input] == ["input"], [i.name for i in g.input]
    assert [o.name for o in g.output] == ["output"], [o.name for o in g.output]
    for v in (g.input[0], g.output[0]):
        t = v.type.tensor_type
        assert t.elem_type == onnx.TensorProto.FLOAT
        assert t.shape.dim[0].dim_param == "batch", t.shape.dim[0]
    for t in g.initializer:
        assert t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.INT64), (t.name, t.data_type)


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "manifest.json")) as f:
        cases = json.load(f)["cases"]
    for case in cases:
        path = os.path.join(d, case + ".onnx")
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        check_interface(model)
        out_dims = [dd.dim_value if dd.HasField("dim_value") else None
                    for dd in inferred.graph.output[0].type.tensor_type.shape.dim]
        x = np.load(os.path.join(d, case + "__x.npy"))
        y = run(model, x)
        # The declared output shape holds for the data.
        assert len(out_dims) == y.ndim and all(v is None or v == n for v, n in zip(out_dims, y.shape)), (out_dims, y.shape)
        np.save(os.path.join(d, case + "__onnx.npy"), y)
        ops = sorted({n.op_type for n in model.graph.node})
        print(f"{case}: checked, {len(model.graph.node)} nodes ({', '.join(ops)}), output {y.shape}")


if __name__ == "__main__":
    main()
