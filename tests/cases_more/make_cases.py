#!/usr/bin/python3
"""Writes the evaluation cases of tests/cases_more/: one folder per case with run.json, its data
(CSV / .npy / .npz), the model (inline, model.to_json() file, .keras or .h5) and expect.json in
design.md's format ({"categories": [...], "must_not": [...], "healthy": bool}).

Each case is a realistic way to get the problem its expect.json names (the seeds' stories), in
the file styles and Keras dialects users have; healthy cases are the same kinds of runs done
right. Data come from scikit-learn's bundled data sets (breast cancer, digits, wine, diabetes,
iris) or from small seeded simulations; everything is deterministic.

Run: /usr/bin/python3 tests/cases_more/make_cases.py   (rewrites every case folder)
Judge: scripts/eval_cases.py build/release/fitcheck tests/cases_more
"""
import csv
import json
import os
import shutil
import sys

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_writer as kw  # noqa: E402
from keras_writer import K2, K3, Model  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("CASES_OUT", HERE)  # another folder for experiments
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# ----------------------------------------------------------------------------------------------
# data helpers

def standardize(x, ref=None):
    ref = x if ref is None else ref
    mu, sd = ref.mean(axis=0), ref.std(axis=0)
    sd[sd == 0] = 1.0
    return (x - mu) / sd


def split_idx(n, test_frac, rng):
    idx = rng.permutation(n)
    k = int(round(n * test_frac))
    return idx[k:], idx[:k]


def breast_cancer():
    d = load_breast_cancer()
    names = [n.replace(" ", "_") for n in d.feature_names]
    return d.data, d.target.astype(np.int64), names


def digits_images(n=None, size=28, rng=None):
    """8x8 digits as 28x28 uint8 pictures (each pixel a 3x3 block, 2-pixel border), the way
    MNIST-style arrays look: 0..255, mostly zeros."""
    d = load_digits()
    x, y = d.images, d.target
    if n is not None:
        idx = (rng or np.random.default_rng(0)).permutation(len(x))[:n]
        x, y = x[idx], y[idx]
    big = np.kron(x, np.ones((1, 3, 3)))
    pad = (size - 24) // 2
    big = np.pad(big, ((0, 0), (pad, size - 24 - pad), (pad, size - 24 - pad)))
    return np.clip(big * 16, 0, 255).astype(np.uint8), y.astype(np.int64)


def write_csv(path, header, rows, delimiter=",", quote_all=False, write_header=True, fmt_float="{:.6g}"):
    def cell(v):
        if v is None:
            return ""
        if isinstance(v, (float, np.floating)):
            if np.isnan(v):
                return ""
            if np.isinf(v):
                return "inf" if v > 0 else "-inf"
            return fmt_float.format(float(v))
        return str(v)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                       lineterminator="\n")
        if write_header:
            w.writerow(header)
        for r in rows:
            w.writerow([cell(v) for v in r])


class Case:
    def __init__(self, name, description, out=None):
        self.name = name
        self.dir = os.path.join(out or OUT, name)
        if os.path.isdir(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        self.run = {"description": description}

    def path(self, name):
        return os.path.join(self.dir, name)

    def npy(self, name, arr, fortran=False):
        arr = np.asfortranarray(arr) if fortran else np.ascontiguousarray(arr)
        np.save(self.path(name), arr)
        return name

    def npz(self, name, compressed=True, **arrays):
        (np.savez_compressed if compressed else np.savez)(self.path(name), **arrays)
        return name

    def model_file(self, name, config):
        with open(self.path(name), "w") as f:
            json.dump(config, f)
        return name

    def finish(self, data, model, compile_, fit, expect, preprocess=None):
        self.run["data"] = data
        if preprocess is not None:
            self.run["preprocess"] = preprocess
        self.run["model"] = model
        if compile_ is not None:
            self.run["compile"] = compile_
        self.run["fit"] = fit
        with open(self.path("run.json"), "w") as f:
            json.dump(self.run, f, indent=2)
            f.write("\n")
        e = {"categories": expect.get("categories", []), "must_not": expect.get("must_not", []),
             "healthy": bool(expect.get("healthy", False))}
        with open(self.path("expect.json"), "w") as f:
            json.dump(e, f, indent=2)
            f.write("\n")


def expect(*categories, must_not=(), healthy=False):
    return {"categories": list(categories), "must_not": list(must_not), "healthy": healthy}


HEALTHY = {"healthy": True}


# ----------------------------------------------------------------------------------------------
# data.* cases

def sine_windows(n, steps, rng, noise=0.1):
    t0 = rng.uniform(0, 2 * np.pi, n)
    freq = rng.uniform(0.15, 0.35, n)
    t = t0[:, None] + freq[:, None] * np.arange(steps + 1)[None, :]
    s = np.sin(t) + noise * rng.standard_normal(t.shape)
    return s[:, :steps].astype(np.float32), s[:, steps].astype(np.float32)


@case
def shape_sequence_without_feature_axis():
    c = Case("shape_sequence_without_feature_axis",
             "Sliding windows of a univariate signal saved as (N, 30) go to a tf.keras LSTM declared with "
             "batch_input_shape (None, 30, 1): the feature axis is missing.")
    rng = np.random.default_rng(2)
    x, y = sine_windows(700, 30, rng)
    m = Model([("LSTM", dict(units=16)), ("Dense", dict(units=1))], [30, 1])
    c.finish({"train": {"x": c.npy("windows.npy", x), "y": c.npy("next_value.npy", y)}},
             c.model_file("lstm.json", m.sequential(K2)),
             {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}}, "loss": "mse"},
             {"epochs": 5, "batch_size": 32, "seed": 3},
             expect("data.shape_mismatch"))


@case
def shape_csv_column_dropped_functional():
    c = Case("shape_csv_column_dropped_functional",
             "A ;-separated wine table exported without its proline column (12 features) feeds a tf.keras "
             "Functional model built for all 13 wine features.")
    d = load_wine()
    names = [n.replace("/", "_") for n in d.feature_names]
    x = standardize(d.data)
    keep = [i for i, n in enumerate(names) if n != "proline"]
    rows = [[*x[i, keep], int(d.target[i])] for i in range(len(x))]
    write_csv(c.path("wine.csv"), [names[i] for i in keep] + ["cultivar"], rows, delimiter=";")
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13])
    c.finish({"train": {"csv": "wine.csv", "target": "cultivar"}}, m.functional(K2),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 16, "seed": 4},
             expect("data.shape_mismatch"))


@case
def dtype_uint8_images_cnn_keras_file():
    c = Case("dtype_uint8_images_cnn_keras_file",
             "MNIST-style uint8 images (N, 28, 28, 1), 0..255, go as they are to a CNN saved as a Keras 3 "
             ".keras file (seed 004, example 2).")
    x, y = digits_images(600)
    x = x[..., None]
    m = Model([("Conv2D", dict(filters=8, kernel_size=3, activation="relu")), ("MaxPooling2D", dict(pool_size=2)),
               ("Flatten", {}), ("Dense", dict(units=10, activation="softmax"))], [28, 28, 1], style="input_layer")
    kw.write_keras(c.path("cnn.keras"), m, m.init_weights(np.random.default_rng(6)),
                   kw.compile_config_k3("sparse_categorical_crossentropy"))
    c.finish({"train": {"npz": c.npz("digits28.npz", x_train=x, y_train=y), "x": "x_train", "y": "y_train"}},
             "cnn.keras",
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 2, "batch_size": 64, "seed": 6},
             expect("data.dtype", "data.unnormalized_images"))


@case
def missing_values_semicolon_na():
    c = Case("missing_values_semicolon_na",
             "A ;-separated export of ten breast-cancer measurements in which two instruments wrote NA for "
             "about 6% of the patients; nothing imputes them (seeds 000/001, example 3).")
    x, y, names = breast_cancer()
    x = standardize(x[:, :10])
    rng = np.random.default_rng(7)
    rows = []
    for i in range(len(x)):
        r = [float(v) for v in x[i]]
        for j in (1, 4):
            if rng.random() < 0.06:
                r[j] = "NA"
        rows.append(r + [int(y[i])])
    write_csv(c.path("cells.csv"), names[:10] + ["benign"], rows, delimiter=";")
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [10])
    c.finish({"train": {"csv": "cells.csv", "target": "benign"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 15, "batch_size": 32, "validation_split": 0.2, "seed": 7},
             expect("data.missing_values"))


@case
def non_finite_ratio_division_by_zero():
    c = Case("non_finite_ratio_division_by_zero",
             "A debt_to_income feature computed as debt / income is inf for applicants who reported no "
             "income; the CSV keeps the inf.")
    rng = np.random.default_rng(9)
    n = 1200
    z = rng.standard_normal((n, 6))
    income = np.exp(rng.normal(0.0, 0.5, n))
    income[rng.random(n) < 0.02] = 0.0
    debt = np.exp(rng.normal(-0.7, 0.4, n))
    with np.errstate(divide="ignore"):
        ratio = debt / income
    logit = 1.2 * z[:, 0] - 0.8 * z[:, 1] + 0.5 * z[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    header = [f"f{i}" for i in range(6)] + ["debt_to_income", "defaulted"]
    write_csv(c.path("loans.csv"), header, [[*z[i], ratio[i], y[i]] for i in range(n)])
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [7])
    c.finish({"train": {"csv": "loans.csv", "target": "defaulted"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 9},
             expect("data.non_finite"))


@case
def missing_labels_csv_empty_target():
    c = Case("missing_labels_csv_empty_target",
             "A fully quoted customer CSV where the churn label is empty for customers whose contract has "
             "not ended yet; they were not filtered out.")
    rng = np.random.default_rng(11)
    n = 1200
    z = rng.standard_normal((n, 5))
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * z[:, 0] - z[:, 3])))).astype(int)
    header = ["tenure_z", "monthly_charges_z", "support_calls_z", "discount_z", "usage_trend_z", "churned"]
    rows = [[*z[i], "" if rng.random() < 0.05 else y[i]] for i in range(n)]
    write_csv(c.path("customers.csv"), header, rows, quote_all=True)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [5],
              style="input_layer")
    c.finish({"train": {"csv": "customers.csv", "target": "churned"}}, m.sequential(K3),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 11},
             expect("data.missing_labels", must_not=["train.divergence"]))


@case
def unscaled_target_house_prices():
    c = Case("unscaled_target_house_prices",
             "Standardized features but the target is the sale price in dollars (1e5..1e6) under MSE: "
             "Adam's ~1e-3 steps need ages to reach that scale.")
    rng = np.random.default_rng(15)
    n = 1000
    x = rng.standard_normal((n, 8)).astype(np.float32)
    price = 320_000 + 90_000 * x[:, 0] + 40_000 * x[:, 1] - 25_000 * x[:, 2] + 15_000 * rng.standard_normal(n)
    y = np.maximum(price, 60_000).astype(np.float32)
    m = Model([("Dense", dict(units=64, activation="relu")), ("Dense", dict(units=32, activation="relu")),
               ("Dense", dict(units=1))], [8])
    c.finish({"train": {"x": c.npy("features.npy", x), "y": c.npy("price_usd.npy", y)}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 15},
             expect("data.unscaled_features", must_not=["train.exploding_gradient"]))


@case
def unnormalized_float_images():
    c = Case("unnormalized_float_images",
             "The images were converted with x.astype('float32') but never divided by 255 (seed 004: the "
             "dtype is right, the scale is not).")
    x, y = digits_images(700, rng=np.random.default_rng(16))
    x = x.astype(np.float32)
    m = Model([("Flatten", {}), ("Dense", dict(units=64, activation="relu")),
               ("Dense", dict(units=10, activation="softmax"))], [28, 28])
    c.finish({"train": {"npz": c.npz("images.npz", images=x, labels=y), "x": "images", "y": "labels"}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 3, "batch_size": 32, "seed": 16},
             expect("data.unnormalized_images", must_not=["data.dtype"]))


CITIES = ["Portland, OR", "Austin, TX", "Columbus, OH", "Denver, CO", "Raleigh, NC", "Madison, WI"]


@case
def categorical_quoted_city_column():
    c = Case("categorical_quoted_city_column",
             "A customer table whose city column holds quoted text with commas (\"Portland, OR\") and a plan "
             "column with text levels; the DataFrame goes to the network as it is (seed 000, example 2).")
    rng = np.random.default_rng(17)
    n = 900
    city = rng.integers(0, len(CITIES), n)
    plan = rng.choice(["basic", "plus", "pro"], n)
    z = rng.standard_normal((n, 3))
    logit = 1.0 * z[:, 0] - 0.7 * z[:, 1] + (plan == "pro") * 1.0 - (city == 2) * 0.8
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    rows = [[CITIES[city[i]], plan[i], *z[i], y[i]] for i in range(n)]
    write_csv(c.path("customers.csv"), ["city", "plan", "tenure_z", "charges_z", "calls_z", "churn"], rows)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [5])
    c.finish({"train": {"csv": "customers.csv", "target": "churn"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 17},
             expect("data.categorical_unencoded"))


@case
def high_cardinality_sku_auto():
    c = Case("high_cardinality_sku_auto",
             "preprocess auto one-hot encodes a product_sku column with ~400 levels over 1500 rows "
             "(about 4 rows per level).")
    rng = np.random.default_rng(19)
    n = 1500
    sku = rng.integers(0, 400, n)
    z = rng.standard_normal((n, 4))
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.2 * z[:, 0] - 0.6 * z[:, 2])))).astype(int)
    rows = [[f"SKU-{4000 + sku[i] * 7:05d}", *z[i], y[i]] for i in range(n)]
    write_csv(c.path("orders.csv"), ["product_sku", "price_z", "discount_z", "rating_z", "shipping_days_z",
                                     "returned"], rows)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], None,
              style="none")
    c.finish({"train": {"csv": "orders.csv", "target": "returned"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 19},
             expect("data.high_cardinality"), preprocess="auto")


@case
def constant_feature_dead_sensor():
    c = Case("constant_feature_dead_sensor",
             "One of eight vibration sensors was disconnected for the whole recording: its column is 0.0 "
             "everywhere (a tab-separated logger export).")
    rng = np.random.default_rng(20)
    n = 1000
    z = rng.standard_normal((n, 8))
    z[:, 5] = 0.0
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * z[:, 0] + z[:, 1] - z[:, 6])))).astype(int)
    header = [f"sensor_{i}" for i in range(8)] + ["fault"]
    write_csv(c.path("vibration.tsv"), header, [[*z[i], y[i]] for i in range(n)], delimiter="\t")
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [8])
    c.finish({"train": {"csv": "vibration.tsv", "target": "fault"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 20},
             expect("data.constant_feature"))


@case
def duplicate_rows_concatenated_export():
    c = Case("duplicate_rows_concatenated_export",
             "Two overlapping monthly exports were concatenated: 30% of the training rows are exact copies.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    rng = np.random.default_rng(21)
    dup = rng.choice(len(x), 170, replace=False)
    x2, y2 = np.concatenate([x, x[dup]]), np.concatenate([y, y[dup]])
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30],
              style="input_layer")
    c.finish({"train": {"npz": c.npz("exports.npz", x_train=x2, y_train=y2), "x": "x_train", "y": "y_train"}},
             c.model_file("model.json", m.sequential(K3)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 21},
             expect("data.duplicate_rows"))


@case
def leakage_overlap_test_copies_npz():
    c = Case("leakage_overlap_test_copies_npz",
             "The test set was drawn from the data before duplicates were removed: a third of its rows are "
             "also in the training set (seed 001: data leakage).")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    rng = np.random.default_rng(23)
    tr, te = split_idx(len(x), 0.2, rng)
    te = np.concatenate([te[:76], rng.choice(tr, 38, replace=False)])
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.npz("data.npz", x_train=x[tr], y_train=y[tr], x_test=x[te], y_test=y[te])
    c.finish({"train": {"npz": "data.npz", "x": "x_train", "y": "y_train"},
              "test": {"npz": "data.npz", "x": "x_test", "y": "y_test"}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 23},
             expect("data.leakage_overlap"))


@case
def leakage_target_cancellation_flag():
    c = Case("leakage_target_cancellation_flag",
             "A churn table keeps account_closed_flag, set by the same process that records churn: it "
             "equals the label except for a few late updates.")
    rng = np.random.default_rng(24)
    n = 1500
    z = rng.standard_normal((n, 6))
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.9 * z[:, 0] - 0.6 * z[:, 1] - 0.8)))).astype(int)
    flag = y.copy()
    late = rng.random(n) < 0.003
    flag[late] = 1 - flag[late]
    header = [f"usage_{i}" for i in range(6)] + ["account_closed_flag", "churned"]
    write_csv(c.path("churn.csv"), header, [[*z[i], flag[i], y[i]] for i in range(n)])
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [7])
    c.finish({"train": {"csv": "churn.csv", "target": "churned"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "validation_split": 0.2, "seed": 24},
             expect("data.leakage_target"))


@case
def leakage_preprocessing_scaled_before_split():
    c = Case("leakage_preprocessing_scaled_before_split",
             "StandardScaler().fit_transform(X) on the whole data set, then train_test_split: the test "
             "rows' statistics are in the training features (seed 000's note on scaling after the split).")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    rng = np.random.default_rng(26)
    tr, te = split_idx(len(x), 0.25, rng)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13])
    c.finish({"train": {"x": c.npy("x_train.npy", x[tr]), "y": c.npy("y_train.npy", d.target[tr])},
              "test": {"x": c.npy("x_test.npy", x[te]), "y": c.npy("y_test.npy", d.target[te])}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 26},
             expect("data.leakage_preprocessing"))


@case
def too_few_samples_pilot_study():
    c = Case("too_few_samples_pilot_study",
             "A pilot study of 24 patients trained with batch_size 64 and validation_split 0.25: fewer "
             "training rows than one batch (seed 004: insufficient data).")
    x, y, _ = breast_cancer()
    rng = np.random.default_rng(27)
    idx = rng.choice(len(x), 24, replace=False)
    x = standardize(x[idx][:, :8]).astype(np.float32)
    m = Model([("Dense", dict(units=8, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [8])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y[idx])}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 30, "batch_size": 64, "validation_split": 0.25, "seed": 27},
             expect(["data.too_few_samples", "config.batch_size"]))


@case
def outliers_regression_label_glitch():
    c = Case("outliers_regression_label_glitch",
             "A standardized sensor target where two readings are logger glitches ~60 standard deviations "
             "out; under MSE those two rows dominate the loss.")
    rng = np.random.default_rng(29)
    n = 2000
    x = rng.standard_normal((n, 6)).astype(np.float32)
    y = (0.8 * x[:, 0] + 0.5 * np.tanh(x[:, 1] * x[:, 2]) + 0.3 * rng.standard_normal(n)).astype(np.float32)
    y[[321, 1444]] = [61.0, 58.5]
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=1))], [6])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "mse"}, {"epochs": 10, "batch_size": 32, "seed": 29},
             expect("data.outliers", must_not=["train.divergence"]))


@case
def label_loss_sparse_ids_categorical_ce():
    c = Case("label_loss_sparse_ids_categorical_ce",
             "Iris class ids 0/1/2 with loss categorical_crossentropy (which needs one-hot rows); "
             "sparse_categorical_crossentropy was meant.")
    d = load_iris()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [4],
              style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}}, m.sequential(K3),
             {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 30},
             expect("data.label_loss_mismatch"))


@case
def label_loss_stored_compile_h5():
    c = Case("label_loss_stored_compile_h5",
             "A colleague's compiled tf.keras .h5 model (training_config: categorical_crossentropy) reused with "
             "integer class ids and no compile section in the run file, as fit() after load_model: the stored "
             "loss needs one-hot rows.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13])
    kw.write_h5(c.path("wine_model.h5"), m, m.init_weights(np.random.default_rng(35)),
                kw.training_config_k2("categorical_crossentropy", metric_fn="categorical_accuracy"))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("cultivar.npy", d.target.astype(np.int64))}},
             "wine_model.h5", None, {"epochs": 20, "batch_size": 16, "seed": 35},
             expect("data.label_loss_mismatch"))


@case
def label_output_classes_one_to_ten():
    c = Case("label_output_classes_one_to_ten",
             "Digit labels shifted to 1..10 (from a MATLAB export) with a 10-unit softmax: class id 10 has "
             "no output (dlib #672, tiny-dnn's 'dim(network output) must be greater than max class id').")
    d = load_digits()
    x = (d.data[:1000] / 16.0).astype(np.float32)
    y = (d.target[:1000] + 1).astype(np.int64)
    m = Model([("Dense", dict(units=64, activation="relu")), ("Dense", dict(units=10, activation="softmax"))], [64])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 5, "batch_size": 32, "seed": 33},
             expect("data.label_output_mismatch"))


@case
def label_output_three_cultivars_two_units():
    c = Case("label_output_three_cultivars_two_units",
             "Wine has three cultivars, one-hot encoded (width 3), but the softmax output was copied from a "
             "binary example with 2 units.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[d.target]
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=2, activation="softmax"))], [13],
              style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y_onehot.npy", y)}}, m.functional(K3),
             {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 34},
             expect("data.label_output_mismatch"))


# ----------------------------------------------------------------------------------------------
# model.* cases

def digits_8x8(n=1000, channels=True):
    d = load_digits()
    x = (d.images[:n] / 16.0).astype(np.float32)
    return (x[..., None] if channels else x), d.target[:n].astype(np.int64)


@case
def incompatible_flatten_into_lstm_functional():
    c = Case("incompatible_flatten_into_lstm_functional",
             "A tf.keras Functional chain Conv1D -> Flatten -> LSTM: the flattened (batch, features) tensor "
             "has no time axis for the LSTM (seed 003, example 2, in 1D).")
    rng = np.random.default_rng(36)
    n = 600
    t = np.arange(40)
    y = rng.integers(0, 2, n)
    f = np.where(y == 1, 0.35, 0.2)[:, None]
    x = (np.sin(f * t[None, :] + rng.uniform(0, 6.3, (n, 1))) + 0.3 * rng.standard_normal((n, 40)))[..., None]
    m = Model([("Conv1D", dict(filters=16, kernel_size=5, activation="relu")), ("Flatten", {}),
               ("LSTM", dict(units=16)), ("Dense", dict(units=1, activation="sigmoid"))], [40, 1])
    c.finish({"train": {"x": c.npy("x.npy", x.astype(np.float32)), "y": c.npy("y.npy", y.astype(np.int64))}},
             c.model_file("model.json", m.functional(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 3, "batch_size": 32, "seed": 36},
             expect("model.incompatible_layers"))


@case
def output_softmax_single_unit_bce():
    c = Case("output_softmax_single_unit_bce",
             "Binary breast-cancer labels with Dense(1, activation='softmax') and binary_crossentropy: a "
             "softmax over one unit is always 1.0.")
    x, y, names = breast_cancer()
    x = standardize(x)
    write_csv(c.path("wdbc_scaled.csv"), names + ["benign"], [[*x[i], y[i]] for i in range(len(x))])
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="softmax"))], [30])
    c.finish({"train": {"csv": "wdbc_scaled.csv", "target": "benign"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 37},
             expect("model.output_activation_loss"))


@case
def output_logits_without_from_logits():
    c = Case("output_logits_without_from_logits",
             "A Keras 3 .keras model ends in Dense(10) with no activation (logits, as in the TF tutorials) "
             "but the loss string sparse_categorical_crossentropy assumes probabilities.")
    x, y = digits_8x8(1000, channels=False)
    x = x.reshape(len(x), 64)
    m = Model([("Dense", dict(units=64, activation="relu")), ("Dropout", dict(rate=0.2)), ("Dense", dict(units=10))],
              [64], style="input_layer")
    kw.write_keras(c.path("digits.keras"), m, m.init_weights(np.random.default_rng(39)))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, "digits.keras",
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 5, "batch_size": 32, "seed": 39},
             expect("model.output_activation_loss"))


@case
def output_softmax_with_from_logits_true():
    c = Case("output_softmax_with_from_logits_true",
             "A serialised SparseCategoricalCrossentropy(from_logits=True) on a model whose last layer is "
             "already a softmax: the loss applies a second softmax.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13])
    loss = {"class_name": "SparseCategoricalCrossentropy",
            "config": {"reduction": "auto", "name": "sparse_categorical_crossentropy", "from_logits": True,
                       "ignore_class": None}}
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": loss, "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 40},
             expect("model.output_activation_loss"))


@case
def missing_activation_dense_stack_h5():
    c = Case("missing_activation_dense_stack_h5",
             "A legacy .h5 model whose hidden Dense(128) and Dense(64) were written without activation=, "
             "so the three layers collapse into one linear map before the softmax.")
    x, y = digits_8x8(700, channels=False)
    x = x.reshape(len(x), 64)
    m = Model([("Dense", dict(units=128)), ("Dense", dict(units=64)), ("Dense", dict(units=10, activation="softmax"))],
              [64])
    kw.write_h5(c.path("model.h5"), m, m.init_weights(np.random.default_rng(41)),
                kw.training_config_k2("sparse_categorical_crossentropy", metric_fn="sparse_categorical_accuracy"))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, "model.h5",
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 5, "batch_size": 32, "seed": 41},
             expect("model.missing_activation"))


@case
def vanishing_prone_deep_sigmoid_mlp():
    c = Case("vanishing_prone_deep_sigmoid_mlp",
             "A textbook-style MLP with seven sigmoid hidden layers and no normalisation: the gradient "
             "reaching the first layers shrinks by at least 4x per layer.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    layers = [("Dense", dict(units=32, activation="sigmoid")) for _ in range(7)]
    m = Model(layers + [("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "sgd", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 42},
             expect("model.vanishing_prone"))


@case
def memory_hashed_embedding_table():
    c = Case("memory_hashed_embedding_table",
             "Token ids hashed into 2**27 buckets with Embedding(input_dim=2**27, output_dim=64): 8.6e9 "
             "parameters, ~137 GB for weights, gradients and Adam's slots.")
    rng = np.random.default_rng(43)
    n = 800
    ids = rng.integers(0, 2 ** 27, (n, 20)).astype(np.int64)
    y = rng.integers(0, 2, n).astype(np.int64)
    m = Model([("Embedding", dict(input_dim=2 ** 27, output_dim=64)), ("GlobalAveragePooling1D", {}),
               ("Dense", dict(units=1, activation="sigmoid"))], [20], style="input_layer")
    c.finish({"train": {"x": c.npy("token_ids.npy", ids), "y": c.npy("y.npy", y)}}, m.sequential(K3),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 2, "batch_size": 32, "seed": 43},
             expect("model.memory"))


@case
def invalid_embedding_input_dim_off_by_one():
    c = Case("invalid_embedding_input_dim_off_by_one",
             "Embedding(input_dim=len(tokenizer.word_index)): the Keras Tokenizer numbers words from 1 (0 is "
             "padding), so the most frequent ids fit but the last word's id equals input_dim and has no row.")
    rng = np.random.default_rng(44)
    n, vocab = 1000, 400  # word_index holds 400 words, ids 1..400
    y = rng.integers(0, 2, n)
    freq = 1.0 / np.arange(1, vocab + 1)
    ids = rng.choice(np.arange(1, vocab + 1), size=(n, 25), p=freq / freq.sum())
    for i in range(n):
        k = rng.integers(1, 4)
        ids[i, rng.choice(25, k, replace=False)] = rng.choice(np.arange(20, 40) if y[i] else np.arange(40, 60), k)
        ids[i, rng.integers(15, 26):] = 0
    m = Model([("Embedding", dict(input_dim=vocab, output_dim=16, mask_zero=False)), ("GlobalAveragePooling1D", {}),
               ("Dense", dict(units=1, activation="sigmoid"))], [25], style="input_layer")
    c.finish({"train": {"x": c.npy("sequences.npy", ids.astype(np.int32)), "y": c.npy("labels.npy", y.astype(np.int64))}},
             m.sequential(K3), {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 5, "batch_size": 32, "validation_split": 0.2, "seed": 44},
             expect("model.invalid_config", must_not=["data.dtype", "data.unscaled_features"]))


@case
def capacity_million_params_eighty_rows():
    c = Case("capacity_million_params_eighty_rows",
             "Eighty lab samples and an MLP with two 1024-unit hidden layers (~1.1M parameters, ~17k per "
             "training row).")
    x, y, _ = breast_cancer()
    rng = np.random.default_rng(44)
    idx = rng.choice(len(x), 80, replace=False)
    x = standardize(x[idx]).astype(np.float32)
    m = Model([("Dense", dict(units=1024, activation="relu")), ("Dense", dict(units=1024, activation="relu")),
               ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y[idx])}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "validation_split": 0.2, "seed": 44},
             expect(["model.capacity", "data.too_few_samples"]))


@case
def invalid_dropout_keep_prob_port():
    c = Case("invalid_dropout_keep_prob_port",
             "Ported from TF1, where dropout took keep_prob=1.0 ('keep everything'); Keras' Dropout takes "
             "the rate to drop, and rate 1.0 is refused.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dropout", dict(rate=1.0)),
               ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 45},
             expect("model.invalid_config"))


# ----------------------------------------------------------------------------------------------
# config.* cases

@case
def learning_rate_sgd_lr_key_keras2():
    c = Case("learning_rate_sgd_lr_key_keras2",
             "An old script's SGD(lr=2.0, momentum=0.9) (the Keras 2 'lr' key), 200x SGD's default 0.01.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": {"class_name": "SGD", "config": {"lr": 2.0, "momentum": 0.9, "decay": 0.0,
                                                            "nesterov": False}},
              "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 47},
             expect("config.learning_rate"))


@case
def learning_rate_rmsprop_tiny():
    c = Case("learning_rate_rmsprop_tiny",
             "RMSprop(learning_rate=1e-7), a value copied from a fine-tuning recipe, on a model trained "
             "from scratch: 1/10000 of the default.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13],
              style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}}, m.sequential(K3),
             {"optimizer": {"module": "keras.optimizers", "class_name": "RMSprop",
                            "config": {"name": "rmsprop", "learning_rate": 1e-07, "rho": 0.9, "momentum": 0.0,
                                       "epsilon": 1e-07, "centered": False}, "registered_name": None},
              "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 48},
             expect("config.learning_rate"))


@case
def batch_size_one_with_batchnorm():
    c = Case("batch_size_one_with_batchnorm",
             "batch_size=1 ('pure SGD') on an MLP with BatchNormalization after its Dense layer: each batch's "
             "variance is 0, so BatchNormalization outputs only beta.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    m = Model([("Dense", dict(units=32)), ("BatchNormalization", dict(axis=[1])), ("Activation", dict(activation="relu")),
               ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 2, "batch_size": 1, "seed": 49},
             expect("config.batch_size"))


@case
def metric_accuracy_on_regression():
    c = Case("metric_accuracy_on_regression",
             "Diabetes progression regression (standardized target) compiled with metrics=['accuracy']: "
             "accuracy counts exact matches of continuous values.")
    d = load_diabetes()
    x = standardize(d.data).astype(np.float32)
    y = standardize(d.target[:, None])[:, 0].astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=1))], [10])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "mse", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 50},
             expect("config.metric_mismatch"))


# ----------------------------------------------------------------------------------------------
# train.* cases: runs whose data, model and settings pass the static checks, and that fail in
# training

@case
def dying_relu_sgd_momentum_raw_target():
    c = Case("dying_relu_sgd_momentum_raw_target",
             "load_diabetes() as it comes (features already scaled, target 25..346 in raw units) with "
             "SGD(momentum=0.9) at its default rate under MSE: the first errors of ~150 make steps that push "
             "every hidden ReLU below zero for all patients; the network then predicts a constant.")
    d = load_diabetes()
    x = d.data.astype(np.float32)
    y = d.target.astype(np.float32)
    m = Model([("Dense", dict(units=64, activation="relu")), ("Dense", dict(units=64, activation="relu")),
               ("Dense", dict(units=1))], [10])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}},
              "loss": "mse", "metrics": ["mae"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 71},
             expect("train.dying_relu"))


@case
def divergence_deep_he_relu_sgd():
    c = Case("divergence_deep_he_relu_sgd",
             "Six He-initialised ReLU layers, no normalisation, SGD(learning_rate=0.05) on a standardized "
             "regression: the first steps overshoot, the activations grow layer by layer and the loss is NaN "
             "within the first epoch (seed 003, example 3).")
    d = load_diabetes()
    x = standardize(d.data).astype(np.float32)
    y = standardize(d.target[:, None])[:, 0].astype(np.float32)
    layers = [("Dense", dict(units=64, activation="relu", kernel_initializer="he_normal")) for _ in range(6)]
    m = Model(layers + [("Dense", dict(units=1))], [10], style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K3)),
             {"optimizer": {"module": "keras.optimizers", "class_name": "SGD",
                            "config": {"name": "SGD", "learning_rate": 0.05, "momentum": 0.0, "nesterov": False},
                            "registered_name": None},
              "loss": "mean_squared_error"},
             {"epochs": 30, "batch_size": 32, "seed": 1},
             expect("train.divergence"))


def power_features(n, rng):
    t = rng.standard_normal(n)
    z = rng.standard_normal((n, 3))
    x = np.column_stack([t, t ** 2, t ** 3, z])
    y = np.sin(t) + 0.5 * z[:, 0] + 0.1 * rng.standard_normal(n)
    return x.astype(np.float32), ((y - y.mean()) / y.std()).astype(np.float32)


@case
def exploding_gradient_power_features_sgd():
    c = Case("exploding_gradient_power_features_sgd",
             "Polynomial features t, t^2, t^3 of a standardized variable in a linear model trained with "
             "SGD(momentum=0.9): the batches holding the largest |t| have a curvature far beyond the rest, "
             "and the gradient norm bursts by orders of magnitude.")
    x, y = power_features(1000, np.random.default_rng(0))
    m = Model([("Dense", dict(units=1))], [6])
    header = ["t", "t_squared", "t_cubed", "z0", "z1", "z2", "y"]
    write_csv(c.path("poly.csv"), header, [[*x[i], y[i]] for i in range(len(x))])
    c.finish({"train": {"csv": "poly.csv", "target": "y"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}}, "loss": "mse"},
             {"epochs": 20, "batch_size": 32, "seed": 1},
             expect("train.exploding_gradient"))


@case
def vanishing_gradient_tanh_small_init():
    c = Case("vanishing_gradient_tanh_small_init",
             "Six tanh layers initialised with RandomNormal(stddev=0.01) (the 'small random weights' of "
             "numpy tutorials): each layer shrinks the signal ~10x, so the first layers get almost no "
             "gradient.")
    x, y = digits_8x8(1000, channels=False)
    x = x.reshape(len(x), 64)
    small = ("RandomNormal", {"mean": 0.0, "stddev": 0.01})
    layers = [("Dense", dict(units=64, activation="tanh", kernel_initializer=small)) for _ in range(6)]
    m = Model(layers + [("Dense", dict(units=10, activation="softmax"))], [64])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 73},
             expect("train.vanishing_gradient", must_not=["model.vanishing_prone"]))


@case
def saturated_tanh_unit_normal_init():
    c = Case("saturated_tanh_unit_normal_init",
             "kernel_initializer=RandomNormal(stddev=1.0) on a tanh layer over 300 [0, 1] features: the "
             "pre-activations are tens of units wide and the tanh units sit at +-1.")
    rng = np.random.default_rng(75)
    n = 600
    y = rng.integers(0, 2, n)
    base = rng.uniform(0.5, 0.9, 300)
    x = np.clip(base + 0.1 * rng.standard_normal((n, 300)) + 0.08 * (y[:, None] * 2 - 1) * (np.arange(300) < 20),
                0, 1).round(2).astype(np.float32)  # shares in percent, as exported
    big = ("RandomNormal", {"mean": 0.0, "stddev": 1.0})
    m = Model([("Dense", dict(units=32, activation="tanh", kernel_initializer=big)),
               ("Dense", dict(units=1, activation="sigmoid"))], [300])
    c.finish({"train": {"npz": c.npz("shares.npz", x=x, y=y.astype(np.int64)), "x": "x", "y": "y"}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 75},
             expect("train.saturated_activation"))


@case
def plateau_labels_shuffled_separately():
    c = Case("plateau_labels_shuffled_separately",
             "np.random.shuffle(X) and np.random.shuffle(y) called separately: the labels no longer belong "
             "to their rows, and the loss stays at the constant-prediction level.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    rng = np.random.default_rng(76)
    x = x[rng.permutation(len(x))]
    y = y[rng.permutation(len(y))]
    m = Model([("Dense", dict(units=8, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 76},
             expect("train.loss_plateau"))


@case
def plateau_sgd_rate_too_small():
    c = Case("plateau_sgd_rate_too_small",
             "SGD(learning_rate=1e-4), a rate from an Adam fine-tuning recipe, on a model trained from "
             "scratch: after the probe the loss has barely moved.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13],
              style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}}, m.sequential(K3),
             {"optimizer": {"module": "keras.optimizers", "class_name": "SGD",
                            "config": {"name": "SGD", "learning_rate": 0.0001, "momentum": 0.0, "nesterov": False},
                            "registered_name": None},
              "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 77},
             expect(["train.loss_plateau", "config.learning_rate"]))


@case
def oscillation_sgd_momentum_tanh_small_batch():
    c = Case("oscillation_sgd_momentum_tanh_small_batch",
             "SGD(learning_rate=0.5, momentum=0.9) with batch_size 8 (a rate from a no-momentum tutorial, "
             "momentum added on top) on a tanh digit classifier: the loss jumps up and down epoch after "
             "epoch without any trend.")
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    m = Model([("Dense", dict(units=64, activation="tanh")), ("Dense", dict(units=10, activation="softmax"))], [64])
    c.finish({"train": {"npz": c.npz("digits.npz", x=x, y=d.target.astype(np.int64)), "x": "x", "y": "y"}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}},
              "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 8, "seed": 1},
             expect("train.loss_oscillation"))


@case
def majority_collapse_rare_fraud():
    c = Case("majority_collapse_rare_fraud",
             "2% fraud with a weak signal and no class weights: the network predicts 'legitimate' for "
             "everything and reports 98% accuracy (seed 001, example 3).")
    rng = np.random.default_rng(79)
    n = 2500
    y = (rng.random(n) < 0.02).astype(np.int64)
    x = rng.standard_normal((n, 10))
    x[:, :3] += 0.8 * y[:, None]
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [10])
    c.finish({"train": {"x": c.npy("x.npy", x.astype(np.float32)), "y": c.npy("y.npy", y)}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "seed": 79},
             expect("data.class_imbalance", "train.majority_collapse"))


@case
def overfitting_noisy_labels_wide_mlp():
    c = Case("overfitting_noisy_labels_wide_mlp",
             "200 patients with 15% mislabelled diagnoses, a 256x256 MLP and 150 epochs: the training loss "
             "keeps falling while the validation loss turns up.")
    x, y, _ = breast_cancer()
    rng = np.random.default_rng(80)
    idx = rng.choice(len(x), 200, replace=False)
    x, y = standardize(x[idx]).astype(np.float32), y[idx].copy()
    flip = rng.random(200) < 0.15
    y[flip] = 1 - y[flip]
    m = Model([("Dense", dict(units=256, activation="relu")), ("Dense", dict(units=256, activation="relu")),
               ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 150, "batch_size": 16, "validation_split": 0.25, "seed": 80},
             expect("train.overfitting"))


@case
def overfitting_digits_small_train_test_split():
    c = Case("overfitting_digits_small_train_test_split",
             "150 training digits, a fifth of them mislabelled by a careless annotator, a 512-unit MLP for "
             "100 epochs, judged on an explicit test split: once the network starts memorising the wrong "
             "labels the test loss climbs.")
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    rng = np.random.default_rng(81)
    p = rng.permutation(len(x))
    tr, te = p[:150], p[150:550]
    y = y.copy()
    wrong = tr[rng.random(len(tr)) < 0.2]
    y[wrong] = (y[wrong] + rng.integers(1, 10, len(wrong))) % 10
    m = Model([("Dense", dict(units=512, activation="relu")), ("Dense", dict(units=10, activation="softmax"))], [64],
              style="input_layer")
    c.npz("digits.npz", x_train=x[tr], y_train=y[tr], x_test=x[te], y_test=y[te])
    c.finish({"train": {"npz": "digits.npz", "x": "x_train", "y": "y_train"},
              "test": {"npz": "digits.npz", "x": "x_test", "y": "y_test"}},
             m.sequential(K3), {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 100, "batch_size": 16, "seed": 81},
             expect("train.overfitting"))


@case
def unchanged_weights_zeros_initializer():
    c = Case("unchanged_weights_zeros_initializer",
             "kernel_initializer='zeros' on every layer of a tanh MLP ('deterministic start'): every hidden "
             "output is 0, so no kernel ever receives a gradient; only the output bias learns.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="tanh", kernel_initializer="zeros")),
               ("Dense", dict(units=16, activation="tanh", kernel_initializer="zeros")),
               ("Dense", dict(units=3, activation="softmax", kernel_initializer="zeros"))], [13], style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}},
             c.model_file("model.json", m.functional(K3)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 16, "seed": 82},
             expect("train.unchanged_weights"))

# ----------------------------------------------------------------------------------------------
# healthy cases: the same kinds of runs, done right

@case
def healthy_wine_raw_semicolon_auto():
    c = Case("healthy_wine_raw_semicolon_auto",
             "The raw ;-separated wine table with preprocess auto: fitcheck standardizes the columns itself.")
    d = load_wine()
    names = [n.replace("/", "_") for n in d.feature_names]
    write_csv(c.path("wine.csv"), names + ["cultivar"], [[*d.data[i], int(d.target[i])] for i in range(len(d.data))],
              delimiter=";")
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13])
    c.finish({"train": {"csv": "wine.csv", "target": "cultivar"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 30, "batch_size": 16, "seed": 53},
             HEALTHY, preprocess="auto")


@case
def healthy_digits_cnn_keras_file():
    c = Case("healthy_digits_cnn_keras_file",
             "8x8 digits scaled to [0, 1] as (N, 8, 8, 1) float32 with one-hot labels, a small CNN saved as "
             ".keras, recompiled in the run file with a serialised Keras 3 CategoricalCrossentropy.")
    x, y = digits_8x8(1000)
    m = Model([("Conv2D", dict(filters=16, kernel_size=3, activation="relu", padding="same")),
               ("MaxPooling2D", dict(pool_size=2)), ("Flatten", {}), ("Dense", dict(units=32, activation="relu")),
               ("Dense", dict(units=10, activation="softmax"))], [8, 8, 1], style="input_layer")
    kw.write_keras(c.path("cnn.keras"), m, m.init_weights(np.random.default_rng(55)),
                   kw.compile_config_k3("categorical_crossentropy"))
    onehot = np.eye(10, dtype=np.float32)[y]
    loss = {"module": "keras.losses", "class_name": "CategoricalCrossentropy",
            "config": {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
                       "label_smoothing": 0.0, "axis": -1}, "registered_name": None}
    c.finish({"train": {"npz": c.npz("digits.npz", x=x, y=onehot), "x": "x", "y": "y"}}, "cnn.keras",
             {"optimizer": "adam", "loss": loss, "metrics": ["accuracy"]},
             {"epochs": 5, "batch_size": 32, "validation_split": 0.1, "seed": 55},
             HEALTHY)


@case
def healthy_keras_file_compile_config_only():
    c = Case("healthy_keras_file_compile_config_only",
             "A compiled Keras 3 model saved with model.save('model.keras'): the loss, optimizer and metrics "
             "come from the file's compile_config; the run file has no compile section.")
    d = load_wine()
    x = standardize(d.data).astype(np.float32)
    m = Model([("Dense", dict(units=32, activation="relu")), ("Dense", dict(units=3, activation="softmax"))], [13],
              style="input_layer")
    kw.write_keras(c.path("model.keras"), m, m.init_weights(np.random.default_rng(56)),
                   kw.compile_config_k3("sparse_categorical_crossentropy"))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", d.target.astype(np.int64))}}, "model.keras",
             None, {"epochs": 30, "batch_size": 16, "seed": 56},
             HEALTHY)


@case
def healthy_digits_float64_fortran_npy():
    c = Case("healthy_digits_float64_fortran_npy",
             "Digits as float64 (N, 64) in [0, 1], saved in Fortran order (a transposed array), to a Dense "
             "classifier: float64 is only a note.")
    d = load_digits()
    x = d.data[:450] / 16.0
    m = Model([("Dense", dict(units=64, activation="relu")), ("Dense", dict(units=10, activation="softmax"))], [64])
    c.finish({"train": {"x": c.npy("x.npy", x, fortran=True), "y": c.npy("y.npy", d.target[:450].astype(np.int32))}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "validation_split": 0.2, "seed": 57},
             expect(healthy=True, must_not=["data.dtype"]))


@case
def healthy_regression_h5_with_batchnorm():
    c = Case("healthy_regression_h5_with_batchnorm",
             "Diabetes progression with standardized features and target, a tf.keras .h5 model with "
             "BatchNormalization (axis written as [1]) and Dropout, batch 32.")
    d = load_diabetes()
    x = standardize(d.data).astype(np.float32)
    y = standardize(d.target[:, None])[:, 0].astype(np.float32)
    m = Model([("Dense", dict(units=32)), ("BatchNormalization", dict(axis=[1])), ("Activation", dict(activation="relu")),
               ("Dropout", dict(rate=0.1)), ("Dense", dict(units=1))], [10])
    kw.write_h5(c.path("model.h5"), m, m.init_weights(np.random.default_rng(58)), kw.training_config_k2("mse"))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, "model.h5",
             {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 58},
             expect(healthy=True, must_not=["config.batch_size"]))


def waves(n, steps, rng):
    y = rng.integers(0, 2, n)
    t = np.arange(steps)[None, :]
    ph = rng.uniform(0, 2 * np.pi, (n, 1))
    f = rng.uniform(0.15, 0.3, (n, 1))
    s = np.sin(f * t + ph)
    x = np.where(y[:, None] == 1, np.sign(s), s) + 0.2 * rng.standard_normal((n, steps))
    return x[..., None].astype(np.float32), y.astype(np.int64)


@case
def healthy_gru_sine_vs_square_keras2():
    c = Case("healthy_gru_sine_vs_square_keras2",
             "Sequences (N, 40, 1): sine vs square waves, a tf.keras GRU (reset_after) with batch_input_shape.")
    x, y = waves(600, 40, np.random.default_rng(59))
    m = Model([("GRU", dict(units=16)), ("Dense", dict(units=1, activation="sigmoid"))], [40, 1])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 30, "batch_size": 32, "validation_split": 0.2, "seed": 59},
             HEALTHY)


@case
def healthy_conv1d_functional_keras3():
    c = Case("healthy_conv1d_functional_keras3",
             "Conv1D + GlobalMaxPooling1D over (N, 40, 1) waves, a Keras 3 Functional chain.")
    x, y = waves(600, 40, np.random.default_rng(61))
    m = Model([("Conv1D", dict(filters=16, kernel_size=5, activation="relu")), ("GlobalMaxPooling1D", {}),
               ("Dense", dict(units=1, activation="sigmoid"))], [40, 1], style="input_layer")
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, c.model_file("model.json", m.functional(K3)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 8, "batch_size": 32, "validation_split": 0.2, "seed": 61},
             HEALTHY)


@case
def healthy_functional_keras2_test_split():
    c = Case("healthy_functional_keras2_test_split",
             "A tf.keras Functional MLP (class_name 'Functional', inbound_nodes) on breast cancer, scaled with "
             "the training split's statistics, with an explicit test split.")
    x, y, _ = breast_cancer()
    rng = np.random.default_rng(62)
    tr, te = split_idx(len(x), 0.2, rng)
    xs = standardize(x, x[tr]).astype(np.float32)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=8, activation="relu")),
               ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"x": c.npy("x_train.npy", xs[tr]), "y": c.npy("y_train.npy", y[tr])},
              "test": {"x": c.npy("x_test.npy", xs[te]), "y": c.npy("y_test.npy", y[te])}},
             c.model_file("model.json", m.functional(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 32, "seed": 62},
             HEALTHY)


@case
def healthy_embedding_int32_token_ids():
    c = Case("healthy_embedding_int32_token_ids",
             "Padded int32 token ids (N, 20) into Embedding -> GlobalAveragePooling1D -> Dense: integer ids are "
             "what an Embedding takes.")
    rng = np.random.default_rng(63)
    n, vocab = 1200, 500
    y = rng.integers(0, 2, n)
    pos_words, neg_words = np.arange(10, 40), np.arange(40, 70)
    ids = rng.integers(70, vocab, (n, 20))
    for i in range(n):
        k = rng.integers(2, 6)
        slots = rng.choice(20, k, replace=False)
        ids[i, slots] = rng.choice(pos_words if y[i] else neg_words, k)
        ids[i, rng.integers(12, 21):] = 0  # padding
    m = Model([("Embedding", dict(input_dim=vocab, output_dim=16)), ("GlobalAveragePooling1D", {}),
               ("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [20],
              style="input_layer")
    c.finish({"train": {"x": c.npy("token_ids.npy", ids.astype(np.int32)), "y": c.npy("y.npy", y.astype(np.int64))}},
             c.model_file("model.json", m.sequential(K3)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "validation_split": 0.2, "seed": 63},
             expect(healthy=True, must_not=["data.dtype", "data.categorical_unencoded"]))


@case
def healthy_imbalanced_with_class_weight():
    c = Case("healthy_imbalanced_with_class_weight",
             "A 1:15 imbalance handled with class_weight='balanced' (seed 001's cost-sensitive learning); "
             "the minority class is well separated.")
    rng = np.random.default_rng(64)
    n0, n1 = 1500, 100
    x = np.concatenate([rng.standard_normal((n0, 6)), rng.standard_normal((n1, 6)) + [2.0, -1.5, 1.0, 0, 0, 0]])
    y = np.concatenate([np.zeros(n0), np.ones(n1)]).astype(np.int64)
    p = rng.permutation(len(y))
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [6])
    c.finish({"train": {"x": c.npy("x.npy", x[p].astype(np.float32)), "y": c.npy("y.npy", y[p])}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "class_weight": "balanced", "seed": 64},
             expect(healthy=True, must_not=["data.class_imbalance", "train.majority_collapse"]))


@case
def imbalanced_but_learned_no_collapse():
    c = Case("imbalanced_but_learned_no_collapse",
             "A 1:20 imbalance without any weighting, but the rare class is easy to separate: the imbalance "
             "is worth a warning, yet the model does not collapse to the majority.")
    rng = np.random.default_rng(65)
    n0, n1 = 1600, 80
    x = np.concatenate([rng.standard_normal((n0, 6)), rng.standard_normal((n1, 6)) + [3.0, -2.5, 2.0, 0, 0, 0]])
    y = np.concatenate([np.zeros(n0), np.ones(n1)]).astype(np.int64)
    p = rng.permutation(len(y))
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [6])
    c.finish({"train": {"x": c.npy("x.npy", x[p].astype(np.float32)), "y": c.npy("y.npy", y[p])}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 15, "batch_size": 32, "seed": 65},
             expect("data.class_imbalance", must_not=["train.majority_collapse"]))


@case
def healthy_frozen_pretrained_layer_h5():
    c = Case("healthy_frozen_pretrained_layer_h5",
             "Transfer learning: a .h5 model whose first Dense carries pretrained weights and is frozen "
             "(trainable false); only the head trains. Frozen weights are meant to stay unchanged.")
    x, y, _ = breast_cancer()
    x = standardize(x).astype(np.float32)
    rng = np.random.default_rng(66)
    # "pretrained" extractor: whitened projections on the top principal directions, both signs (so
    # that the ReLU keeps each direction), as a trained feature layer would carry them
    u, s, vt = np.linalg.svd(x - x.mean(0), full_matrices=False)
    v = vt[:8].T / s[:8] * np.sqrt(len(x))
    kernel = np.concatenate([v, -v], axis=1).astype(np.float32)
    m = Model([("Dense", dict(units=16, activation="relu", trainable=False, name="pretrained_features")),
               ("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30])
    w = m.init_weights(rng, {"pretrained_features": [("kernel", kernel), ("bias", np.zeros(16, np.float32))]})
    kw.write_h5(c.path("transfer.h5"), m, w, kw.training_config_k2("binary_crossentropy"))
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y)}}, "transfer.h5",
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 66},
             expect(healthy=True, must_not=["train.unchanged_weights"]))


@case
def healthy_bool_bag_of_words():
    c = Case("healthy_bool_bag_of_words",
             "A boolean bag-of-words matrix (N, 200) of dtype bool for spam filtering: booleans are fine 0/1 "
             "inputs.")
    rng = np.random.default_rng(67)
    n = 1200
    y = rng.integers(0, 2, n)
    p = np.full((2, 200), 0.04)
    p[1, :15] = 0.3
    p[0, 15:30] = 0.3
    x = rng.random((n, 200)) < p[y]
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [200])
    c.finish({"train": {"x": c.npy("x.npy", x), "y": c.npy("y.npy", y.astype(np.int64))}},
             c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 10, "batch_size": 32, "validation_split": 0.2, "seed": 67},
             expect(healthy=True, must_not=["data.dtype"]))


@case
def healthy_headerless_csv_last_column():
    c = Case("healthy_headerless_csv_last_column",
             "A header-less CSV (np.savetxt style): columns are named 0..30 as pandas' header=None names "
             "them, and the target is column \"30\".")
    x, y, _ = breast_cancer()
    x = standardize(x)
    write_csv(c.path("data.csv"), None, [[*x[i], y[i]] for i in range(len(x))], write_header=False)
    m = Model([("Dense", dict(units=16, activation="relu")), ("Dense", dict(units=1, activation="sigmoid"))], [30])
    c.finish({"train": {"csv": "data.csv", "target": "30"}}, c.model_file("model.json", m.sequential(K2)),
             {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
             {"epochs": 20, "batch_size": 32, "validation_split": 0.2, "seed": 68},
             HEALTHY)


README_HEAD = """# More evaluation cases

Written by `make_cases.py` (run it with `/usr/bin/python3`; it rewrites every folder and this file)
with `keras_writer.py`, which serialises models as tf.keras 2 and Keras 3 do (to_json, `.keras`,
legacy `.h5`). Each folder holds `run.json`, its data, the model when it is a file, and
`expect.json` in design.md's format; `ctest -R cases_more` (`cases_more.doctor`) judges them with
`scripts/eval_cases.py` exactly as the evaluation does.

Every problem case is a way users get there (the seeds' stories); every training case's symptom
was checked against the same run in PyTorch with Keras' initialisers and update rules, so the
expectation is what the run does, not what fitcheck says. Healthy cases are the same kinds of runs
done right, and their probe must run (a probe that is skipped reports nothing and passes
vacuously: check with `fitcheck doctor RUN` that it says "Training probe: ...").

| case | expected (warning or error) | must not | what it is |
|---|---|---|---|
"""




def write_readme(out):
    rows = []
    for fn in CASES:
        d = os.path.join(out, fn.__name__)
        if not os.path.isdir(d):
            continue
        with open(os.path.join(d, "expect.json")) as f:
            e = json.load(f)
        with open(os.path.join(d, "run.json")) as f:
            desc = json.load(f).get("description", "")
        cats = "healthy: nothing above info" if e["healthy"] else ", ".join(
            " or ".join(c) if isinstance(c, list) else c for c in e["categories"])
        rows.append(f"| `{fn.__name__}` | {cats} | {', '.join(e['must_not'])} | {desc} |")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(README_HEAD + "\n".join(rows) + "\n")


def main():
    names = sys.argv[1:]
    for fn in CASES:
        if not names or fn.__name__ in names:
            fn()
    if not names:
        write_readme(OUT)
    total = 0
    for fn in CASES:
        d = os.path.join(OUT, fn.__name__)
        if not os.path.isdir(d):
            continue
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        total += size
        if size > 300_000:
            print(f"warning: {fn.__name__} is {size / 1000:.0f} KB (limit 300 KB)")
    print(f"{len(CASES)} cases, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
