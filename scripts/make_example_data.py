#!/usr/bin/python3
"""Writes examples/data/*.csv from the data sets Debian's scikit-learn ships."""
import csv
import pathlib

from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine

OUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data"


def write(name, data, target, features, target_name, integers=False):
    with open(OUT / name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([c.replace(" ", "_") for c in features] + [target_name])
        for row, t in zip(data, target):
            cells = [str(int(v)) if integers else repr(float(v)) for v in row]
            w.writerow(cells + [t])


if __name__ == "__main__":
    b = load_breast_cancer()
    write("breast_cancer.csv", b.data, b.target, list(b.feature_names), "benign")
    w = load_wine()
    write("wine.csv", w.data, w.target, list(w.feature_names), "cultivar")
    d = load_diabetes(scaled=False)
    write("diabetes.csv", d.data, d.target, list(d.feature_names), "progression")
    g = load_digits()
    write("digits.csv", g.data, g.target, [f"pixel_{i}" for i in range(64)], "digit", integers=True)
