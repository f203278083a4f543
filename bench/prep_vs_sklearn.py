#!/usr/bin/python3
"""fitcheck prep vs scikit-learn / imbalanced-learn, side by side in one run; prints the ratios.

usage: /usr/bin/python3 bench/prep_vs_sklearn.py BUILD_DIR [ROWS]   (default 200000 rows)
Needs BUILD_DIR/tests/prep/fitcheck_bench_prep (cmake --build BUILD_DIR --target fitcheck_bench_prep).
1. The /work/shared/bench/gen_table.py table: median impute + standardize the 25 numeric columns,
   most_frequent impute + one-hot (ignore unknown) the 4 categorical ones, dense output.
   scikit-learn: ColumnTransformer.fit_transform on the DataFrame (CSV read not timed);
   fitcheck: Pipeline.fit + transform on the Table (CSV read not timed). Best of 3 each.
2. SMOTE(k=5, random_state=0) on 100,000 x 20 float32 rows with 5 % minority. Two untimed warm-up
   calls on each side, then best of 5 (each side's first call is printed too).
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

GEN = "/work/shared/bench/gen_table.py"


def best_of(n, fn):
    """(best wall seconds, best CPU seconds of this process); on a loaded shared machine the CPU
    time is the steadier measure, so both ratios are printed."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best, best_cpu


def fitcheck_seconds(binary, args, label):
    """(wall, cpu) seconds from the '<label>' and '<label> cpu' lines of fitcheck_bench_prep."""
    out = subprocess.run([binary] + args, check=True, capture_output=True, text=True).stdout
    wall = cpu = None
    for line in out.splitlines():
        print("  " + line)
        words = line.split()
        if label in words and words[-2:] == ["first", "call"]:
            continue  # printed above, not timed
        if label in words and words[-1] == "cpu":
            cpu = float(words[0])
        elif label in words:
            wall = float(words[0])
    if wall is None or cpu is None:
        raise SystemExit(f"no '{label}' lines in: {out}")
    return wall, cpu


def main():
    build = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    binary = os.path.join(build, "tests", "prep", "fitcheck_bench_prep")
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "table.csv")
        subprocess.run(["/usr/bin/python3", GEN, str(rows), csv], check=True)
        df = pd.read_csv(csv).drop(columns=["label"])
        num = [c for c in df.columns if df[c].dtype != object]
        cat = [c for c in df.columns if df[c].dtype == object]
        ct = ColumnTransformer(
            [("num", Pipeline([("i", SimpleImputer(strategy="median")), ("s", StandardScaler())]), num),
             ("cat", Pipeline([("i", SimpleImputer(strategy="most_frequent")),
                               ("o", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), cat)])
        width = []
        sk, sk_cpu = best_of(3, lambda: width.append(ct.fit_transform(df).shape[1]))
        print(f"table {rows} rows: scikit-learn ColumnTransformer fit_transform {sk:.3f} s, cpu {sk_cpu:.3f} s "
              f"({width[-1]} features)")
        fc, fc_cpu = fitcheck_seconds(binary, ["table", csv, "3"], "pipeline")
        print(f"  ratio scikit-learn / fitcheck: wall {sk / fc:.1f}x, cpu {sk_cpu / fc_cpu:.1f}x")

        r = np.random.default_rng(0)
        x = r.normal(0, 1, (100000, 20)).astype(np.float32)
        y = (r.uniform(0, 1, 100000) < 0.05).astype(np.int64)
        xp, yp = os.path.join(tmp, "x.f32"), os.path.join(tmp, "y.i64")
        x.tofile(xp)
        y.tofile(yp)
        smote = lambda: SMOTE(random_state=0, k_neighbors=5).fit_resample(x, y)
        t = time.perf_counter()
        smote()
        first = time.perf_counter() - t
        smote()  # two warm-up calls on each side, then best of 5
        im, im_cpu = best_of(5, smote)
        print(f"SMOTE 100000 x 20, 5% minority: imbalanced-learn {im:.4f} s, cpu {im_cpu:.4f} s "
              f"(first call {first:.4f} s)")
        fs, fs_cpu = fitcheck_seconds(binary, ["smote", xp, yp, "100000", "20", "5"], "SMOTE")
        print(f"  ratio imbalanced-learn / fitcheck: wall {im / fs:.1f}x, cpu {im_cpu / fs_cpu:.1f}x")


if __name__ == "__main__":
    main()
