#!/usr/bin/python3
"""Writes the Keras model files of tests/io/keras_file_test.cpp with h5py and zipfile (Keras is
not installed): the same layout Keras writes, per /work/shared/reference/keras.md section 2 —
legacy .h5 (Keras 2 model.save) and .keras (Keras 3) — plus expected.json with every weight.

dense_bn.h5 and dense_bn.keras use h5py's default file format, as Keras does; the others use
libver="latest" only to keep them small.

Run: /usr/bin/python3 tests/data/keras/make_fixtures.py
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")


def f32(values, shape):
    return np.asarray(values, dtype="<f4").reshape(shape)


# Sequential: Input(4) -> Dense(3, relu) -> BatchNormalization -> Dropout(0.5) -> Dense(2, softmax)
DENSE_BN_WEIGHTS = [
    ("dense", "kernel", f32(np.arange(12) * 0.1 - 0.5, (4, 3))),
    ("dense", "bias", f32([0.1, 0.2, 0.3], (3,))),
    ("batch_normalization", "gamma", f32([1.0, 1.5, 2.0], (3,))),
    ("batch_normalization", "beta", f32([0.0, 0.1, -0.1], (3,))),
    ("batch_normalization", "moving_mean", f32([0.5, 0.25, 0.0], (3,))),
    ("batch_normalization", "moving_variance", f32([1.0, 2.0, 4.0], (3,))),
    ("dense_1", "kernel", f32(np.arange(6) * -0.2, (3, 2))),
    ("dense_1", "bias", f32([0.05, -0.05], (2,))),
]
LAYER_ORDER = ["dense", "batch_normalization", "dropout", "dense_1"]

GLOROT_K2 = {"class_name": "GlorotUniform", "config": {"seed": None}}
ZEROS_K2 = {"class_name": "Zeros", "config": {}}


def dense_k2(name, units, activation, input_shape=None):
    cfg = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
           "use_bias": True, "kernel_initializer": GLOROT_K2, "bias_initializer": ZEROS_K2,
           "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
           "kernel_constraint": None, "bias_constraint": None}
    if input_shape:
        cfg["batch_input_shape"] = [None] + input_shape
    return {"class_name": "Dense", "config": cfg}


def model_config_k2():
    bn = {"class_name": "BatchNormalization", "config": {
        "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.99,
        "epsilon": 0.001, "center": True, "scale": True, "beta_initializer": ZEROS_K2,
        "gamma_initializer": {"class_name": "Ones", "config": {}},
        "moving_mean_initializer": ZEROS_K2, "moving_variance_initializer": {"class_name": "Ones", "config": {}},
        "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}}
    dropout = {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32",
                                                   "rate": 0.5, "noise_shape": None, "seed": None}}
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "dense_input"}},
        dense_k2("dense", 3, "relu", [4]), bn, dropout, dense_k2("dense_1", 2, "softmax")]},
        "keras_version": "2.15.0", "backend": "tensorflow"}


TRAINING_CONFIG_K2 = {
    "loss": "categorical_crossentropy",
    "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32",
                                                               "fn": "categorical_accuracy"}}]],
    "weighted_metrics": None, "loss_weights": None,
    "optimizer_config": {"class_name": "Adam", "config": {
        "name": "Adam", "learning_rate": 0.0010000000474974513, "decay": 0.0, "beta_1": 0.8999999761581421,
        "beta_2": 0.9990000128746033, "epsilon": 1e-07, "amsgrad": False}}}


def names_attr(names):
    """Keras writes name lists as numpy arrays of bytes (fixed-length strings)."""
    return np.asarray([n.encode("utf8") for n in names]) if names else np.asarray([])


def write_legacy_h5(path, layer_weights, layer_order, model_config, training_config=None,
                    split_layer_names=False, drop=None, with_model_config=True, raw_model_config=None,
                    libver="latest"):
    with h5py.File(path, "w", libver=libver) as f:
        if with_model_config:
            text = raw_model_config if raw_model_config is not None else json.dumps(model_config)
            f.attrs["model_config"] = text.encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        root = f.create_group("model_weights") if with_model_config else f
        if split_layer_names:
            half = len(layer_order) // 2
            root.attrs["layer_names0"] = names_attr(layer_order[:half])
            root.attrs["layer_names1"] = names_attr(layer_order[half:])
        else:
            root.attrs["layer_names"] = names_attr(layer_order)
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.15.0"
        for layer in layer_order:
            g = root.create_group(layer)
            names = []
            for lname, wname, value in layer_weights:
                if lname != layer:
                    continue
                full = f"{layer}/{wname}:0"
                names.append(full)
                if drop != full:
                    g.create_dataset(full, data=value)
            g.attrs["weight_names"] = names_attr(names)
        if with_model_config:
            root.create_group("top_level_model_weights").attrs["weight_names"] = names_attr([])


def write_dense_h5():
    """dense.h5: Input(4) -> Dense(3, relu) -> Dense(2, softmax), compiled (Keras 2 training_config):
    a whole legacy model the engine reads, for `fitcheck export` / `summary` of an .h5
    (tests/run/export_cli_test.cpp)."""
    weights = [w for w in DENSE_BN_WEIGHTS if w[0] in ("dense", "dense_1")]
    config = model_config_k2()
    config["config"]["layers"] = [l for l in config["config"]["layers"]
                                  if l["class_name"] not in ("BatchNormalization", "Dropout")]
    write_legacy_h5(os.path.join(FIX, "dense.h5"), weights, ["dense", "dense_1"], config, TRAINING_CONFIG_K2,
                    libver="earliest")


def dtype_policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def k3(cls, config, build_shape=None, module="keras.layers"):
    entry = {"module": module, "class_name": cls, "config": config, "registered_name": None}
    if build_shape is not None:
        entry["build_config"] = {"input_shape": build_shape}
    return entry


def init_k3(cls, config=None):
    return {"module": "keras.initializers", "class_name": cls, "config": config or {}, "registered_name": None}


def dense_k3(name, units, activation, in_dim):
    return k3("Dense", {"name": name, "trainable": True, "dtype": dtype_policy(), "units": units,
                        "activation": activation, "use_bias": True,
                        "kernel_initializer": init_k3("GlorotUniform", {"seed": None}),
                        "bias_initializer": init_k3("Zeros"), "kernel_regularizer": None,
                        "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
              [None, in_dim])


def sequential_k3(layers, input_shape, compile_config=None):
    cfg = {"module": "keras", "class_name": "Sequential", "config": {
        "name": "sequential", "trainable": True, "dtype": dtype_policy(),
        "layers": [k3("InputLayer", {"batch_shape": [None] + input_shape, "dtype": "float32", "sparse": False,
                                     "ragged": False, "name": "input_layer"})] + layers,
        "build_input_shape": [None] + input_shape},
        "registered_name": None, "build_config": {"input_shape": [None] + input_shape}}
    if compile_config is not None:
        cfg["compile_config"] = compile_config
    return cfg


COMPILE_CONFIG_K3 = {
    "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {
        "name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": None, "clipnorm": None,
        "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
        "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None,
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}, "registered_name": None},
    "loss": "categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
    "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


def weights_h5_bytes(groups, old_style_empty_groups=False, optimizer=False, libver="latest"):
    """model.weights.h5: groups maps 'layers/dense' etc. to the list of variables (vars/0, 1, ...)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w", libver=libver) as f:
        if old_style_empty_groups:
            f.create_group("vars")  # Keras 3.0-3.15 wrote empty groups for objects without variables
        for path, values in groups:
            g = f.create_group(path + "/vars") if values or old_style_empty_groups else None
            for i, v in enumerate(values):
                g.create_dataset(str(i), data=v)
        if optimizer:
            o = f.create_group("optimizer/vars")
            o.create_dataset("0", data=np.asarray(10, dtype="<i8"))
            o.create_dataset("1", data=np.asarray(0.001, dtype="<f4"))
    return buf.getvalue()


def write_keras(path, config, weights_bytes, metadata=True, include_config=True, extra=None,
                compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as z:
        if metadata:
            z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-12-01@10:00:00"}))
        if include_config:
            z.writestr("config.json", json.dumps(config))
        if weights_bytes is not None:
            z.writestr("model.weights.h5", weights_bytes)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def expected_entry(weights, names):
    return [{"layer": layer, "name": name, "shape": list(v.shape),
             "values": [float(x) for x in v.ravel(order="C")]} for (layer, _, v), name in zip(weights, names)]


def main():
    os.makedirs(FIX, exist_ok=True)
    for name in os.listdir(FIX):
        os.remove(os.path.join(FIX, name))
    expected = {}

    # --- legacy .h5 ---
    write_legacy_h5(os.path.join(FIX, "dense_bn.h5"), DENSE_BN_WEIGHTS, LAYER_ORDER, model_config_k2(),
                    TRAINING_CONFIG_K2, libver="earliest")
    expected["dense_bn.h5"] = expected_entry(DENSE_BN_WEIGHTS, [f"{l}/{w}:0" for l, w, _ in DENSE_BN_WEIGHTS])
    write_legacy_h5(os.path.join(FIX, "split_names.h5"), DENSE_BN_WEIGHTS, LAYER_ORDER, model_config_k2(),
                    split_layer_names=True)
    expected["split_names.h5"] = expected["dense_bn.h5"]
    write_dense_h5()

    # --- .keras ---
    by_layer = {}
    for layer, _, v in DENSE_BN_WEIGHTS:
        by_layer.setdefault(layer, []).append(v)
    k3_layers = [dense_k3("dense", 3, "relu", 4),
                 k3("BatchNormalization", {"name": "batch_normalization", "trainable": True, "dtype": dtype_policy(),
                                           "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True,
                                           "scale": True, "synchronized": False}, [None, 3]),
                 k3("Dropout", {"name": "dropout", "trainable": True, "dtype": dtype_policy(), "rate": 0.5,
                                "seed": None, "noise_shape": None}),
                 dense_k3("dense_1", 2, "softmax", 3)]
    config = sequential_k3(k3_layers, [4], COMPILE_CONFIG_K3)
    groups = [("layers/dense", by_layer["dense"]), ("layers/batch_normalization", by_layer["batch_normalization"]),
              ("layers/dropout", []), ("layers/dense_1", by_layer["dense_1"])]
    write_keras(os.path.join(FIX, "dense_bn.keras"), config,
                weights_h5_bytes(groups, old_style_empty_groups=True, optimizer=True, libver="earliest"))
    counters = {}
    names = []
    for layer, _, _ in DENSE_BN_WEIGHTS:
        names.append(f"vars/{counters.get(layer, 0)}")
        counters[layer] = counters.get(layer, 0) + 1
    expected["dense_bn.keras"] = expected_entry(DENSE_BN_WEIGHTS, names)

    # Twelve Dense layers with custom names: groups are named after the class (dense, dense_1, ...
    # dense_11), so dense_10 must come after dense_9, not after dense_1.
    deep_weights, deep_layers, deep_groups = [], [], []
    for i in range(12):
        k = f32([i + 0.5], (1, 1))
        b = f32([-i], (1,))
        deep_layers.append(dense_k3(f"fc{i}", 1, "relu", 1))
        deep_groups.append(("layers/dense" + ("" if i == 0 else f"_{i}"), [k, b]))
        deep_weights += [(f"fc{i}", "kernel", k), (f"fc{i}", "bias", b)]
    write_keras(os.path.join(FIX, "deep.keras"), sequential_k3(deep_layers, [1]), weights_h5_bytes(deep_groups),
                compression=zipfile.ZIP_DEFLATED)
    expected["deep.keras"] = expected_entry(deep_weights, ["vars/0", "vars/1"] * 12)

    # Bidirectional(LSTM(2)) then LSTM(1): nested cell groups, forward before backward.
    rng = np.random.default_rng(3)
    def w(shape):
        return rng.standard_normal(shape).astype("<f4")
    fwd = [w((3, 8)), w((2, 8)), w((8,))]
    bwd = [w((3, 8)), w((2, 8)), w((8,))]
    lstm = [w((4, 4)), w((1, 4)), w((4,))]
    lstm_cfg = lambda name, units, seq: {"name": name, "trainable": True, "dtype": dtype_policy(), "units": units,
                                         "return_sequences": seq, "activation": "tanh",
                                         "recurrent_activation": "sigmoid"}
    rnn_layers = [k3("Bidirectional", {"name": "bidirectional", "trainable": True, "dtype": dtype_policy(),
                                       "merge_mode": "concat", "layer": k3("LSTM", lstm_cfg("lstm", 2, True)),
                                       "backward_layer": k3("LSTM", lstm_cfg("backward_lstm", 2, True))}, [None, 5, 3]),
                  k3("LSTM", lstm_cfg("lstm_1", 1, False), [None, 5, 4])]
    buf = io.BytesIO()
    with h5py.File(buf, "w", libver="latest") as f:
        # Created backward first, as Keras' sorted attribute walk does; the reader must still put forward first.
        for part, values in (("backward_layer", bwd), ("forward_layer", fwd)):
            g = f.create_group(f"layers/bidirectional/{part}/cell/vars")
            for i, v in enumerate(values):
                g.create_dataset(str(i), data=v)
        g = f.create_group("layers/lstm/cell/vars")
        for i, v in enumerate(lstm):
            g.create_dataset(str(i), data=v)
    write_keras(os.path.join(FIX, "rnn.keras"), sequential_k3(rnn_layers, [5, 3]), buf.getvalue())
    rnn_weights = [("bidirectional", "", v) for v in fwd + bwd] + [("lstm_1", "", v) for v in lstm]
    rnn_names = [f"forward_layer/cell/vars/{i}" for i in range(3)] + [f"backward_layer/cell/vars/{i}" for i in range(3)] + \
                [f"cell/vars/{i}" for i in range(3)]
    expected["rnn.keras"] = expected_entry(rnn_weights, rnn_names)

    # CNN: Conv2D(3, 3x3, same, relu) -> MaxPooling2D -> Conv2D(2, 2x2, valid) -> Flatten -> Dense(2),
    # on 5x5x2 images; "cnn.keras:predict" holds an input and the output computed here in numpy
    # (Keras' layouts and padding written out by hand), for the engine to reproduce.
    rng = np.random.default_rng(5)
    cnn_w = [w((3, 3, 2, 3)), w((3,)), w((2, 2, 3, 2)), w((2,)), w((2, 2)), w((2,))]
    conv_cfg = lambda name, filters, k, padding, act: {
        "name": name, "trainable": True, "dtype": dtype_policy(), "filters": filters, "kernel_size": [k, k],
        "strides": [1, 1], "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
        "activation": act, "use_bias": True, "kernel_initializer": init_k3("GlorotUniform", {"seed": None}),
        "bias_initializer": init_k3("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    cnn_layers = [k3("Conv2D", conv_cfg("conv2d", 3, 3, "same", "relu"), [None, 5, 5, 2]),
                  k3("MaxPooling2D", {"name": "max_pooling2d", "trainable": True, "dtype": dtype_policy(),
                                      "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                      "data_format": "channels_last"}),
                  k3("Conv2D", conv_cfg("conv2d_1", 2, 2, "valid", "linear"), [None, 2, 2, 3]),
                  k3("Flatten", {"name": "flatten", "trainable": True, "dtype": dtype_policy(),
                                 "data_format": "channels_last"}),
                  dense_k3("dense", 2, "linear", 2)]
    cnn_groups = [("layers/conv2d", cnn_w[:2]), ("layers/conv2d_1", cnn_w[2:4]), ("layers/dense", cnn_w[4:])]
    write_keras(os.path.join(FIX, "cnn.keras"), sequential_k3(cnn_layers, [5, 5, 2]), weights_h5_bytes(cnn_groups))
    expected["cnn.keras"] = expected_entry([(g.split("/")[1], "", v) for g, vs in cnn_groups for v in vs],
                                           ["vars/0", "vars/1"] * 3)

    def conv_nhwc(x, k, b, pad_before, pad_after):
        x = np.pad(x, ((0, 0), pad_before and (pad_before[0], pad_after[0]) or (0, 0),
                       pad_before and (pad_before[1], pad_after[1]) or (0, 0), (0, 0)))
        kh, kw, _, f = k.shape
        oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
        y = np.zeros((x.shape[0], oh, ow, f), dtype=np.float64)
        for i in range(oh):
            for j in range(ow):
                y[:, i, j, :] = np.tensordot(x[:, i:i + kh, j:j + kw, :], k, axes=([1, 2, 3], [0, 1, 2]))
        return y + b

    cnn_x = rng.standard_normal((3, 5, 5, 2)).astype("<f4")
    h = np.maximum(conv_nhwc(cnn_x.astype(np.float64), cnn_w[0], cnn_w[1], (1, 1), (1, 1)), 0)  # same, 3x3
    h = h[:, :4, :4, :].reshape(3, 2, 2, 2, 2, 3).max(axis=(2, 4))  # 2x2 max pool, valid: 5 -> 2
    h = conv_nhwc(h, cnn_w[2], cnn_w[3], None, None)  # (3, 1, 1, 2)
    cnn_y = h.reshape(3, -1) @ cnn_w[4] + cnn_w[5]
    expected["cnn.keras:predict"] = {"x": [float(v) for v in cnn_x.ravel()], "x_shape": list(cnn_x.shape),
                                     "y": [float(v) for v in cnn_y.ravel()], "y_shape": list(cnn_y.shape)}

    # --- the HDF5 layer on its own: every dataset type and attribute form it reads ---
    datasets = {
        "f4_le": np.asarray([[1.5, -2.0], [0.25, 3.0e38]], dtype="<f4"),
        "f4_be": np.asarray([1.5, -2.0, 1e-3], dtype=">f4"),
        "f8": np.asarray([np.pi, -1e300], dtype="<f8"),
        "f2_be": np.asarray([1.0, -0.5, 65504.0, 2.0 ** -24], dtype=">f2"),
        "i1": np.asarray([-128, 127, 0], dtype="i1"),
        "u2_be": np.asarray([0, 65535, 258], dtype=">u2"),
        "i8": np.asarray([-(2 ** 63), 2 ** 63 - 1], dtype="<i8"),
        "u8": np.asarray([2 ** 64 - 1], dtype="<u8"),
        "bool": np.asarray([True, False, True]),
        "scalar": np.asarray(7.25, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "gzip": np.arange(100, dtype="<f4").reshape(10, 10),
    }
    with h5py.File(os.path.join(FIX, "datasets.h5"), "w", libver="latest") as f:
        for name, arr in datasets.items():
            if name == "gzip":
                f.create_dataset(name, data=arr, compression="gzip", chunks=(5, 5))
            else:
                f.create_dataset(name, data=arr)
        f.create_dataset("text", data=np.asarray([b"a", b"b"]))
        f.attrs["vlen"] = "variable length text"  # h5py writes str as variable-length UTF-8
        f.attrs["fixed"] = np.bytes_(b"fixed length text")
        f.attrs["list_vlen"] = ["x", "yy", "zzz"]
        f.attrs["list_fixed"] = np.asarray([b"x", b"yy", b"zzz"])
        f.attrs["empty_list"] = np.asarray([])
        f.attrs["number"] = 3
    expected["datasets.h5"] = {name: {"dtype": arr.dtype.name, "shape": list(arr.shape),
                                      "values": [v if isinstance(v, (bool, int)) else float(v)
                                                 for v in arr.ravel().tolist()]}
                               for name, arr in datasets.items()}

    # --- files that must be refused ---
    write_legacy_h5(os.path.join(FIX, "weights_only.h5"), DENSE_BN_WEIGHTS, LAYER_ORDER, None, with_model_config=False)
    write_legacy_h5(os.path.join(FIX, "missing_weight.h5"), DENSE_BN_WEIGHTS, LAYER_ORDER, model_config_k2(),
                    drop="dense_1/bias:0")
    write_legacy_h5(os.path.join(FIX, "bad_config.h5"), DENSE_BN_WEIGHTS, LAYER_ORDER, None,
                    raw_model_config='{"class_name": "Sequential", "config": {')
    with open(os.path.join(FIX, "not_hdf5.h5"), "wb") as f:
        f.write(b"this is not an HDF5 file\n")
    write_keras(os.path.join(FIX, "no_config.keras"), config, weights_h5_bytes(groups), include_config=False)
    write_keras(os.path.join(FIX, "no_weights.keras"), config, None)
    write_keras(os.path.join(FIX, "stray_group.keras"), config,
                weights_h5_bytes(groups + [("layers/conv2d", [f32([1.0], (1,))])]))
    write_keras(os.path.join(FIX, "bad_json.keras"), None, weights_h5_bytes(groups), include_config=False,
                extra={"config.json": '{"class_name": "Sequential",\n "config": [}'})

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        f.write("{\n")
        f.write(",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in expected.items()))
        f.write("\n}\n")


if __name__ == "__main__":
    main()
