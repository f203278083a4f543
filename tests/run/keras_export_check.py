#!/usr/bin/python3
"""Checks .keras archives written by fitcheck (run::save_keras) against the Keras 3 format as
shared/reference/keras.md documents it (sections 1.4-1.6 and 2.1-2.5), with zipfile, json and h5py
only: Keras itself is not installed here, and fitcheck's own reader is not used, so that a mistake
shared by fitcheck's writer and reader still shows.

Usage: keras_export_check.py DIR NAME...
  DIR/NAME.keras  the archive to check
  DIR/NAME/       run::save_model of the same model: weights/000.npy, ... in get_weights() order

What Keras 3 writes, as this script expects it:
  - a zip whose members are metadata.json, config.json, model.weights.h5 in that order, stored
  - metadata.json {"keras_version": "3.x.y", "date_saved": "%Y-%m-%d@%H:%M:%S"}
  - config.json: {"module": "keras", "class_name": "Sequential", "config": {name, trainable, dtype,
    layers, build_input_shape}, "registered_name": None, "build_config": {"input_shape"}}; the first
    layer an InputLayer with batch_shape; every serialized object (layers, initializers, dtype
    policies, optimizer, ...) as {module, class_name, config, registered_name}; compile_config when
    compiled
  - model.weights.h5: "vars" for the model itself; each layer of model.layers (the InputLayer is
    not one) at layers/<to_snake_case(class)>, "_1", "_2", ... for repeats, with its own variables
    in vars/0, 1, ... — an RNN's in cell/vars, Bidirectional's in forward_layer/ and
    backward_layer/, TimeDistributed's in layer/ — in the order and shapes of section 2.5
"""
import datetime
import io
import json
import os
import re
import sys
import zipfile

import h5py
import numpy as np

failures = []


def fail(model, message):
    failures.append(f"{model}: {message}")


def to_snake_case(name):
    # keras.src.utils.naming.to_snake_case
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def as_tuple(value, rank):
    return tuple(value) if isinstance(value, list) else (value,) * rank


def own_variables(cls, cfg, shape):
    """The shapes of a layer's own variables in storage order (reference section 2.5)."""
    c = shape[-1]
    bias = cfg.get("use_bias", True)
    if cls == "Dense":
        return [(c, cfg["units"])] + ([(cfg["units"],)] if bias else [])
    if cls in ("Conv1D", "Conv2D"):
        rank = 1 if cls == "Conv1D" else 2
        k = as_tuple(cfg["kernel_size"], rank)
        return [k + (c // cfg.get("groups", 1), cfg["filters"])] + ([(cfg["filters"],)] if bias else [])
    if cls == "Conv2DTranspose":
        k = as_tuple(cfg["kernel_size"], 2)
        return [k + (cfg["filters"], c)] + ([(cfg["filters"],)] if bias else [])
    if cls == "DepthwiseConv2D":
        k, m = as_tuple(cfg["kernel_size"], 2), cfg.get("depth_multiplier", 1)
        return [k + (c, m)] + ([(c * m,)] if bias else [])
    if cls == "SeparableConv2D":
        k, m = as_tuple(cfg["kernel_size"], 2), cfg.get("depth_multiplier", 1)
        return [k + (c, m), (1, 1, c * m, cfg["filters"])] + ([(cfg["filters"],)] if bias else [])
    if cls == "BatchNormalization":
        return ([(c,)] if cfg.get("scale", True) else []) + ([(c,)] if cfg.get("center", True) else []) + [(c,), (c,)]
    if cls == "LayerNormalization":
        return ([(c,)] if cfg.get("scale", True) else []) + ([(c,)] if cfg.get("center", True) else [])
    if cls == "Embedding":
        return [(cfg["input_dim"], cfg["output_dim"])]
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return []  # in the cell
    return []


def cell_variables(cls, cfg, shape):
    u, c = cfg["units"], shape[-1]
    gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[cls]
    out = [(c, gates * u), (u, gates * u)]
    if cfg.get("use_bias", True):
        if cls == "GRU" and cfg.get("reset_after", True):
            out.append((2, 3 * u))
        else:
            out.append((gates * u,))
    return out


def expected_tree(entry, shape, path, datasets, groups):
    """Fills `datasets` ([(path, shape)] in get_weights order) and `groups` for one layer."""
    cls, cfg = entry["class_name"], entry["config"]
    groups.append(path + "/vars")
    for i, s in enumerate(own_variables(cls, cfg, shape)):
        datasets.append((f"{path}/vars/{i}", s))
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        groups.append(path + "/cell/vars")
        for i, s in enumerate(cell_variables(cls, cfg, shape)):
            datasets.append((f"{path}/cell/vars/{i}", s))
    elif cls == "Bidirectional":
        expected_tree(cfg["layer"], shape, path + "/forward_layer", datasets, groups)
        expected_tree(cfg["backward_layer"], shape, path + "/backward_layer", datasets, groups)
    elif cls == "TimeDistributed":
        expected_tree(cfg["layer"], [shape[0]] + list(shape[2:]), path + "/layer", datasets, groups)


def check_serialized_objects(model, value, where):
    """Every serialized Keras object in Keras 3 form: module, class_name, config, registered_name."""
    if isinstance(value, dict):
        if "class_name" in value and "config" in value:
            for key in ("module", "registered_name"):
                if key not in value:
                    fail(model, f"{where}: serialized {value['class_name']} has no '{key}'")
            if not isinstance(value.get("module"), str) or not value["module"].startswith("keras"):
                fail(model, f"{where}: module {value.get('module')!r} is not a keras module")
        for k, v in value.items():
            check_serialized_objects(model, v, f"{where}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_serialized_objects(model, v, f"{where}/{i}")


def check_layer_entry(model, entry, where, nested):
    for key in ("module", "class_name", "config", "registered_name"):
        if key not in entry:
            fail(model, f"{where}: no '{key}'")
    if entry.get("module") != "keras.layers" or entry.get("registered_name") is not None:
        fail(model, f"{where}: module/registered_name {entry.get('module')!r}/{entry.get('registered_name')!r}")
    cfg = entry["config"]
    for key in ("batch_input_shape", "input_shape"):
        if key in cfg:
            fail(model, f"{where}: Keras 3 keeps the input shape in the InputLayer, not in '{key}'")
    if not isinstance(cfg.get("name"), str):
        fail(model, f"{where}: no name")
    dtype = cfg.get("dtype")
    if not (isinstance(dtype, dict) and dtype.get("class_name") == "DTypePolicy" and dtype["config"]["name"] == "float32"):
        fail(model, f"{where}: dtype {dtype!r} is not a float32 DTypePolicy")
    build = entry.get("build_config")
    if not nested and not (isinstance(build, dict) and isinstance(build.get("input_shape"), list) and build["input_shape"][0] is None):
        fail(model, f"{where}: build_config {build!r}")
    for key in ("layer", "backward_layer"):
        if key in cfg:
            check_layer_entry(model, cfg[key], f"{where}/config/{key}", True)


def check(directory, model):
    failed_before = len(failures)
    path = os.path.join(directory, model + ".keras")
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        names = [i.filename for i in infos]
        if names != ["metadata.json", "config.json", "model.weights.h5"]:
            fail(model, f"members {names}")
        for i in infos:
            if i.compress_type != zipfile.ZIP_STORED:
                fail(model, f"{i.filename} is compressed ({i.compress_type}); Keras stores its members")
        meta = json.loads(z.read("metadata.json"))
        config = json.loads(z.read("config.json"))
        weights = z.read("model.weights.h5")

    if set(meta) != {"keras_version", "date_saved"} or not re.fullmatch(r"3\.\d+\.\d+", meta.get("keras_version", "")):
        fail(model, f"metadata.json {meta}")
    datetime.datetime.strptime(meta["date_saved"], "%Y-%m-%d@%H:%M:%S")

    if (config.get("module"), config.get("class_name"), config.get("registered_name")) != ("keras", "Sequential", None):
        fail(model, "top level is not keras/Sequential/None")
    c = config["config"]
    for key in ("name", "trainable", "dtype", "layers", "build_input_shape"):
        if key not in c:
            fail(model, f"config has no '{key}'")
    if config.get("build_config") != {"input_shape": c["build_input_shape"]}:
        fail(model, f"build_config {config.get('build_config')} differs from build_input_shape {c['build_input_shape']}")
    check_serialized_objects(model, config, "config.json")
    layers = c["layers"]
    first = layers[0]
    if first["class_name"] != "InputLayer" or first["config"].get("batch_shape") != c["build_input_shape"]:
        fail(model, f"the first layer is not an InputLayer of batch_shape {c['build_input_shape']}: {first}")
    if first["config"].get("dtype") != "float32" or "build_config" in first:
        fail(model, f"InputLayer entry {first}")
    names = [l["config"]["name"] for l in layers]
    if len(set(names)) != len(names):
        fail(model, f"layer names repeat: {names}")
    for i, entry in enumerate(layers[1:], start=1):
        check_layer_entry(model, entry, f"layers[{i}] {entry.get('class_name')}", False)
    if "compile_config" in config:
        cc = config["compile_config"]
        for key in ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                    "steps_per_execution", "jit_compile"):
            if key not in cc:
                fail(model, f"compile_config has no '{key}'")
        if cc["optimizer"].get("module") != "keras.optimizers" or "learning_rate" not in cc["optimizer"]["config"]:
            fail(model, f"compile_config optimizer {cc['optimizer']}")

    # The weights file: expected from the config by Keras' rules, compared with what is there.
    datasets, groups, used = [], ["vars"], {}
    for entry in layers[1:]:
        name = to_snake_case(entry["class_name"])
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        expected_tree(entry, entry["build_config"]["input_shape"], "layers/" + name, datasets, groups)
    found = {}
    with h5py.File(io.BytesIO(weights), "r") as h5:
        h5.visititems(lambda n, o: found.__setitem__(n, o[()] if isinstance(o, h5py.Dataset) else None))
        for g in groups:
            if not isinstance(h5.get(g), h5py.Group):
                fail(model, f"no group {g}")
        if set(h5.keys()) - {"vars", "layers", "optimizer"}:
            fail(model, f"unexpected top-level objects {sorted(h5.keys())}")
        if set(h5["layers"].keys()) != set(used_names(layers[1:])):
            fail(model, f"layer groups {sorted(h5['layers'].keys())}, expected {sorted(used_names(layers[1:]))}")
        for n, o in found.items():
            if o is not None and h5[n].dtype != np.dtype("<f4"):
                fail(model, f"{n} has dtype {h5[n].dtype}, expected float32")
    stored = sorted(n for n, o in found.items() if o is not None)
    if stored != sorted(p for p, _ in datasets):
        fail(model, f"datasets {stored}, expected {sorted(p for p, _ in datasets)}")
        return
    for i, (p, shape) in enumerate(datasets):
        value = found[p]
        if value.shape != tuple(shape):
            fail(model, f"{p} has shape {value.shape}, expected {tuple(shape)}")
            continue
        engine = np.load(os.path.join(directory, model, "weights", f"{i:03d}.npy"))
        if engine.shape != value.shape or not np.array_equal(engine, value):
            fail(model, f"{p} is not the model's weight {i} (get_weights order)")
    if len(failures) == failed_before:
        print(f"ok {model}: {len(datasets)} datasets, {len(layers)} layers")


def used_names(entries):
    used, out = {}, []
    for entry in entries:
        name = to_snake_case(entry["class_name"])
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        out.append(name)
    return out


def main():
    directory, models = sys.argv[1], sys.argv[2:]
    for m in models:
        try:
            check(directory, m)
        except Exception as e:  # a malformed file: report it as a failure of that model
            fail(m, f"{type(e).__name__}: {e}")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
