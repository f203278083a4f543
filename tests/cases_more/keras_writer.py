"""Writes Keras models the way Keras itself serialises them, without Keras: model.to_json() in the
tf.keras 2 and Keras 3 dialects (Sequential and Functional), .keras archives (Keras 3) and legacy
.h5 files (tf.keras 2 model.save), following /work/shared/reference/keras.md sections 1 and 2.

A model is described as a list of (class_name, args) pairs; args are the Keras constructor
arguments the user wrote (units=64, activation="relu", ...). Everything Keras adds on its own
(default arguments, names, dtype policies, build_config, initializer objects) is filled in here,
per dialect. Used by make_cases.py.
"""
import copy
import io
import json
import re
import zipfile

import h5py
import numpy as np

K2, K3 = "k2", "k3"


def snake(name):
    """Keras' to_snake_case (layer default names and .keras weight groups)."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def _policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def _obj(dialect, module, cls, config):
    if dialect == K2:
        return {"class_name": cls, "config": config}
    return {"module": module, "class_name": cls, "config": config, "registered_name": None}


INIT_NAMES = {"glorot_uniform": "GlorotUniform", "glorot_normal": "GlorotNormal", "he_normal": "HeNormal",
              "he_uniform": "HeUniform", "zeros": "Zeros", "ones": "Ones", "orthogonal": "Orthogonal",
              "lecun_normal": "LecunNormal"}


def initializer(dialect, spec):
    """'he_normal' | ('RandomNormal', {...}) | ('Constant', {'value': -1.0})"""
    if isinstance(spec, str):
        cls = INIT_NAMES[spec]
        cfg = {} if cls in ("Zeros", "Ones") else {"seed": None}
        if cls == "Orthogonal":
            cfg = {"gain": 1.0, "seed": None}
    else:
        cls, cfg = spec[0], dict(spec[1])
        if cls in ("RandomNormal", "RandomUniform", "TruncatedNormal"):
            cfg.setdefault("seed", None)
    return _obj(dialect, "keras.initializers", cls, cfg)


def regularizer(dialect, spec):
    if spec is None:
        return None
    cls, cfg = spec
    return _obj(dialect, "keras.regularizers", cls, cfg)


DENSE_LIKE = ("kernel_initializer", "bias_initializer")


def layer_config(cls, args, name, dialect):
    """The layer's get_config() in the dialect, defaults included."""
    a = dict(args)
    c = {"name": name, "trainable": a.pop("trainable", True), "dtype": "float32" if dialect == K2 else _policy()}
    if "input_shape" in a:
        a.pop("input_shape")  # handled by the caller (batch_input_shape / InputLayer)
    def init(key, default):
        return initializer(dialect, a.pop(key, default))
    if cls == "Dense":
        c.update(units=a.pop("units"), activation=a.pop("activation", "linear"), use_bias=a.pop("use_bias", True),
                 kernel_initializer=init("kernel_initializer", "glorot_uniform"),
                 bias_initializer=init("bias_initializer", "zeros"),
                 kernel_regularizer=regularizer(dialect, a.pop("kernel_regularizer", None)),
                 bias_regularizer=None)
        if dialect == K2:
            c["activity_regularizer"] = None
        c.update(kernel_constraint=None, bias_constraint=None)
    elif cls in ("Conv2D", "Conv1D"):
        rank = 2 if cls == "Conv2D" else 1
        def tup(v, d):
            v = a.pop(v, d)
            return list(v) if isinstance(v, (list, tuple)) else [v] * rank
        c.update(filters=a.pop("filters"), kernel_size=tup("kernel_size", 3), strides=tup("strides", 1),
                 padding=a.pop("padding", "valid"), data_format="channels_last", dilation_rate=tup("dilation_rate", 1),
                 groups=1, activation=a.pop("activation", "linear"), use_bias=True,
                 kernel_initializer=init("kernel_initializer", "glorot_uniform"),
                 bias_initializer=init("bias_initializer", "zeros"), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None)
    elif cls in ("MaxPooling2D", "MaxPooling1D", "AveragePooling2D"):
        rank = 1 if cls.endswith("1D") else 2
        p = a.pop("pool_size", 2)
        p = list(p) if isinstance(p, (list, tuple)) else [p] * rank
        c.update(pool_size=p, padding=a.pop("padding", "valid"), strides=a.pop("strides", p),
                 data_format="channels_last")
    elif cls == "Flatten":
        c.update(data_format="channels_last")
    elif cls in ("GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        c.update(data_format="channels_last", keepdims=False)
    elif cls == "Dropout":
        c.update(rate=a.pop("rate"), noise_shape=None, seed=None)
    elif cls == "Reshape":
        c.update(target_shape=list(a.pop("target_shape")))
    elif cls == "Activation":
        c.update(activation=a.pop("activation"))
    elif cls == "BatchNormalization":
        # tf.keras 2 writes the axis as a list of the resolved axis ([1] after a Dense, [3] after a
        # Conv2D); Keras 3 writes -1.
        axis = a.pop("axis", -1)
        c.update(axis=axis, momentum=0.99, epsilon=0.001, center=True, scale=True,
                 beta_initializer=initializer(dialect, "zeros"), gamma_initializer=initializer(dialect, "ones"),
                 moving_mean_initializer=initializer(dialect, "zeros"),
                 moving_variance_initializer=initializer(dialect, "ones"),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None)
        if dialect == K3:
            c.update(synchronized=False)
    elif cls == "Embedding":
        c.update(input_dim=a.pop("input_dim"), output_dim=a.pop("output_dim"),
                 embeddings_initializer=initializer(dialect, ("RandomUniform", {"minval": -0.05, "maxval": 0.05})),
                 embeddings_regularizer=None, activity_regularizer=None, embeddings_constraint=None,
                 mask_zero=a.pop("mask_zero", False))
        if dialect == K2:
            c["input_length"] = a.pop("input_length", None)
    elif cls in ("LSTM", "GRU", "SimpleRNN"):
        c.update(return_sequences=a.pop("return_sequences", False), return_state=False, go_backwards=False,
                 stateful=False, unroll=False)
        if dialect == K2:
            c["time_major"] = False
        else:
            c["zero_output_for_mask"] = False
        c.update(units=a.pop("units"), activation=a.pop("activation", "tanh"))
        if cls != "SimpleRNN":
            c["recurrent_activation"] = a.pop("recurrent_activation", "sigmoid")
        c.update(use_bias=True, kernel_initializer=init("kernel_initializer", "glorot_uniform"),
                 recurrent_initializer=init("recurrent_initializer", "orthogonal"),
                 bias_initializer=init("bias_initializer", "zeros"))
        if cls == "LSTM":
            c["unit_forget_bias"] = True
        c.update(kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=a.pop("dropout", 0.0), recurrent_dropout=0.0)
        if dialect == K2 and cls != "SimpleRNN":
            c["implementation"] = 2
        if cls == "GRU":
            c["reset_after"] = True
        if dialect == K3:
            c["seed"] = None
    else:
        raise ValueError("layer class not supported by the writer: " + cls)
    if a:
        raise ValueError(f"{cls}: unused arguments {sorted(a)}")
    return c


def _conv_len(n, k, s, padding, d=1):
    span = (k - 1) * d + 1
    if padding == "same":
        return -(-n // s)
    return (n - span) // s + 1


def output_shape(cls, args, shape):
    """Keras' compute_output_shape for the layers the writer knows (shape without the batch axis).
    Returns None where Keras would refuse (the case is then about that refusal)."""
    if shape is None:
        return None
    if cls == "Dense":
        return shape[:-1] + [args["units"]]
    if cls == "Conv2D":
        if len(shape) != 3:
            return None
        k = args.get("kernel_size", 3); k = k if isinstance(k, (list, tuple)) else (k, k)
        s = args.get("strides", 1); s = s if isinstance(s, (list, tuple)) else (s, s)
        p = args.get("padding", "valid")
        h, w = _conv_len(shape[0], k[0], s[0], p), _conv_len(shape[1], k[1], s[1], p)
        return None if h <= 0 or w <= 0 else [h, w, args["filters"]]
    if cls == "Conv1D":
        if len(shape) != 2:
            return None
        k = args.get("kernel_size", 3); k = k[0] if isinstance(k, (list, tuple)) else k
        n = _conv_len(shape[0], k, args.get("strides", 1), args.get("padding", "valid"))
        return None if n <= 0 else [n, args["filters"]]
    if cls in ("MaxPooling2D", "AveragePooling2D"):
        if len(shape) != 3:
            return None
        p = args.get("pool_size", 2); p = p if isinstance(p, (list, tuple)) else (p, p)
        return [shape[0] // p[0], shape[1] // p[1], shape[2]]
    if cls == "MaxPooling1D":
        return [shape[0] // args.get("pool_size", 2), shape[1]]
    if cls == "Flatten":
        return [int(np.prod(shape))]
    if cls in ("GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        return [shape[-1]]
    if cls in ("Dropout", "BatchNormalization", "Activation"):
        return shape
    if cls == "Reshape":
        return list(args["target_shape"])
    if cls == "Embedding":
        return shape + [args["output_dim"]]
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        if len(shape) != 2:
            return None
        return [shape[0], args["units"]] if args.get("return_sequences") else [args["units"]]
    raise ValueError(cls)


def weight_shapes(cls, args, in_shape):
    """Variables in Keras' storage order."""
    if cls == "Dense":
        return [("kernel", (in_shape[-1], args["units"])), ("bias", (args["units"],))]
    if cls == "Conv2D":
        k = args.get("kernel_size", 3); k = k if isinstance(k, (list, tuple)) else (k, k)
        return [("kernel", (k[0], k[1], in_shape[-1], args["filters"])), ("bias", (args["filters"],))]
    if cls == "BatchNormalization":
        c = in_shape[-1]
        return [("gamma", (c,)), ("beta", (c,)), ("moving_mean", (c,)), ("moving_variance", (c,))]
    if cls in ("MaxPooling2D", "Flatten", "Dropout", "GlobalAveragePooling1D", "Activation", "Reshape"):
        return []
    raise ValueError("weights for " + cls)


def glorot(rng, shape):
    fan_in = int(np.prod(shape[:-1]))
    fan_out = shape[-1] * (int(np.prod(shape[:-2])) if len(shape) > 2 else 1)
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, size=shape).astype("<f4")


def init_weights(cls, args, in_shape, rng):
    out = []
    for wname, shape in weight_shapes(cls, args, in_shape):
        if wname in ("kernel",):
            out.append((wname, glorot(rng, shape)))
        elif wname in ("gamma", "moving_variance"):
            out.append((wname, np.ones(shape, "<f4")))
        else:
            out.append((wname, np.zeros(shape, "<f4")))
    return out


class Model:
    """layers: [(class_name, args)], input_shape: per-sample shape; style:
    'input_layer' (an explicit InputLayer / keras.Input), 'first_layer' (input_shape= on the first layer),
    'none' (no input shape given: the model is built by fit on the data; input_shape may then be None)."""

    def __init__(self, layers, input_shape, style="first_layer", name=None):
        self.layers = [(c, dict(a)) for c, a in layers]
        self.input_shape = list(input_shape) if input_shape is not None else None
        self.style = style
        self.name = name
        counts = {}
        self.names = []
        for cls, a in self.layers:
            base = snake(cls)
            i = counts.get(base, 0)
            counts[base] = i + 1
            self.names.append(a.pop("name", base if i == 0 else f"{base}_{i}"))
        self.shapes = [self.input_shape]
        for cls, a in self.layers:
            self.shapes.append(output_shape(cls, a, self.shapes[-1]))

    def entries(self, dialect, functional=False):
        out = []
        for i, ((cls, a), name) in enumerate(zip(self.layers, self.names)):
            cfg = layer_config(cls, a, name, dialect)
            if i == 0 and self.style == "first_layer" and not functional:
                if dialect == K2:
                    # tf.keras puts batch_input_shape right after trainable/dtype in the config
                    cfg = {"name": cfg["name"], "trainable": cfg["trainable"],
                           "batch_input_shape": [None] + self.input_shape, **{k: v for k, v in cfg.items()
                                                                              if k not in ("name", "trainable")}}
            entry = _obj(dialect, "keras.layers", cls, cfg)
            if (dialect == K3 and self.style != "none" and self.shapes[i] is not None
                    and cls not in ("Flatten", "MaxPooling2D", "Dropout")):
                entry["build_config"] = {"input_shape": [None] + self.shapes[i]}
            out.append(entry)
        return out

    def input_layer(self, dialect, name):
        if dialect == K2:
            return {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + self.input_shape,
                                                           "dtype": "float32", "sparse": False, "ragged": False,
                                                           "name": name}}
        return {"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": [None] + self.input_shape, "dtype": "float32", "sparse": False,
                           "ragged": False, "name": name}, "registered_name": None}

    def sequential(self, dialect, keras_version=None):
        layers = self.entries(dialect)
        name = self.name or "sequential"
        if dialect == K2:
            if self.style == "input_layer":
                layers = [self.input_layer(K2, self.names[0] + "_input")] + layers
            return {"class_name": "Sequential", "config": {"name": name, "layers": layers},
                    "keras_version": keras_version or "2.12.0", "backend": "tensorflow"}
        if self.style == "input_layer":
            layers = [self.input_layer(K3, "input_layer")] + layers
        cfg = {"name": name, "trainable": True, "dtype": _policy(), "layers": layers}
        if self.style == "none":
            return {"module": "keras", "class_name": "Sequential", "config": cfg, "registered_name": None}
        cfg["build_input_shape"] = [None] + self.input_shape
        return {"module": "keras", "class_name": "Sequential", "config": cfg, "registered_name": None,
                "build_config": {"input_shape": [None] + self.input_shape}}

    def functional(self, dialect, keras_version=None, old_class_name=False):
        layers = self.entries(dialect, functional=True)
        if dialect == K2:
            in_name = "input_1"
            out = [dict(self.input_layer(K2, in_name), name=in_name, inbound_nodes=[])]
            prev = in_name
            for e, n in zip(layers, self.names):
                out.append(dict(e, name=n, inbound_nodes=[[[prev, 0, 0, {}]]]))
                prev = n
            return {"class_name": "Model" if old_class_name else "Functional",
                    "config": {"name": self.name or "model", "trainable": True, "layers": out,
                               "input_layers": [[in_name, 0, 0]], "output_layers": [[prev, 0, 0]]},
                    "keras_version": keras_version or "2.12.0", "backend": "tensorflow"}
        in_name = "input_layer"
        out = [dict(self.input_layer(K3, in_name), name=in_name, inbound_nodes=[])]
        prev = in_name
        for i, (e, n) in enumerate(zip(layers, self.names)):
            shape = self.shapes[i]
            kt = {"class_name": "__keras_tensor__",
                  "config": {"shape": [None] + (shape or []), "dtype": "float32", "keras_history": [prev, 0, 0]}}
            node = {"args": [kt], "kwargs": {}}
            if self.layers[i][0] == "Dropout":
                node["kwargs"] = {"training": False}
            out.append(dict(e, name=n, inbound_nodes=[node]))
            prev = n
        return {"module": "keras.src.models.functional", "class_name": "Functional",
                "config": {"name": self.name or "functional", "trainable": True, "layers": out,
                           "input_layers": [in_name, 0, 0], "output_layers": [prev, 0, 0]},
                "registered_name": "Functional", "build_config": {"input_shape": None}}

    def init_weights(self, rng, overrides=None):
        """{layer name: [(weight name, array)]}: Keras' initial values (Glorot, zeros, ones)."""
        out = {}
        for i, ((cls, a), name) in enumerate(zip(self.layers, self.names)):
            ws = init_weights(cls, a, self.shapes[i], rng)
            if overrides and name in overrides:
                ws = overrides[name]
            out[name] = ws
        return out


def _names_attr(names):
    return np.asarray([n.encode("utf8") for n in names]) if names else np.asarray([])


def write_h5(path, model, weights, training_config=None, functional=False, keras_version="2.12.0"):
    """tf.keras 2 model.save('m.h5'): model_config / training_config attributes and model_weights."""
    config = model.functional(K2, keras_version) if functional else model.sequential(K2, keras_version)
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = keras_version.encode()
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        g = f.create_group("model_weights")
        order = (["input_1"] if functional else []) + model.names
        g.attrs["layer_names"] = _names_attr(order)
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = keras_version.encode()
        for lname in order:
            lg = g.create_group(lname)
            names = []
            for wname, value in weights.get(lname, []):
                full = f"{lname}/{wname}:0"
                names.append(full)
                lg.create_dataset(full, data=value)
            lg.attrs["weight_names"] = _names_attr(names)
        g.create_group("top_level_model_weights").attrs["weight_names"] = _names_attr([])


def write_keras(path, model, weights, compile_config=None, keras_version="3.6.0", functional=False):
    """Keras 3 model.save('m.keras'): metadata.json, config.json, model.weights.h5."""
    config = model.functional(K3) if functional else model.sequential(K3)
    if compile_config is not None:
        config["compile_config"] = compile_config
    buf = io.BytesIO()
    counts = {}
    with h5py.File(buf, "w") as f:
        f.create_group("vars")  # Keras 3.0-3.15 wrote an empty top-level vars group
        for (cls, _), name in zip(model.layers, model.names):
            base = snake(cls)
            i = counts.get(base, 0)
            counts[base] = i + 1
            g = f.create_group(f"layers/{base if i == 0 else f'{base}_{i}'}/vars")
            for j, (_, value) in enumerate(weights.get(name, [])):
                g.create_dataset(str(j), data=value)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("metadata.json", json.dumps({"keras_version": keras_version,
                                                          "date_saved": "2025-01-30@14:03:11"})),
                           ("config.json", json.dumps(config)), ("model.weights.h5", buf.getvalue())):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 30, 14, 3, 11))  # reproducible archives
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def adam_k3(lr=0.001):
    return {"module": "keras.optimizers", "class_name": "Adam", "config": {
        "name": "adam", "learning_rate": float(np.float32(lr)), "weight_decay": None, "clipnorm": None,
        "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
        "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None,
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}, "registered_name": None}


def compile_config_k3(loss, metrics=("accuracy",), optimizer=None):
    return {"optimizer": optimizer or adam_k3(), "loss": loss, "loss_weights": None, "metrics": list(metrics),
            "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


def training_config_k2(loss, lr=0.001, metric_fn="binary_accuracy"):
    return {"loss": loss,
            "metrics": [[{"class_name": "MeanMetricWrapper",
                          "config": {"name": "accuracy", "dtype": "float32", "fn": metric_fn}}]],
            "weighted_metrics": None, "loss_weights": None,
            "optimizer_config": {"class_name": "Adam", "config": {
                "name": "Adam", "learning_rate": float(np.float32(lr)), "decay": 0.0,
                "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033, "epsilon": 1e-07, "amsgrad": False}}}
