#!/usr/bin/python3
"""Runs scikit-learn transformers on CSV files for fitcheck's prep parity test.

usage: prep_sklearn.py spec.json out.json
spec: {"cases": [{"id", "class", "params", "fit", "apply", "columns": [[name, "float64"|"int64"|"object"], ...]}]}
out:  {id: {"names": [...], "values": [[row], ...]}} or {id: {"error": "..."}}; NaN is written as null.
Exit status 3 when scikit-learn is missing, so the C++ side can skip with a clear message.
"""
import json
import math
import sys

try:
    import numpy as np
    import pandas as pd
    import sklearn.impute
    import sklearn.preprocessing
except ImportError as e:  # the caller turns this into GTEST_SKIP
    print(f"missing python module: {e}", file=sys.stderr)
    sys.exit(3)


def load(path, columns):
    dtypes = dict(columns)
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])[[name for name, _ in columns]]


def make(cls, params):
    for module in (sklearn.preprocessing, sklearn.impute):
        if hasattr(module, cls):
            p = dict(params)
            if "feature_range" in p or "quantile_range" in p:
                p = {k: tuple(v) if isinstance(v, list) else v for k, v in p.items()}
            if p.get("unknown_value") == "NaN":
                p["unknown_value"] = np.nan
            return getattr(module, cls)(**p)
    raise SystemExit(f"unknown class {cls}")


def plain(v):
    if isinstance(v, str):  # object output (imputed strings)
        return v
    v = float(v)
    return None if math.isnan(v) else v


def main():
    spec = json.load(open(sys.argv[1]))
    out = {}
    for case in spec["cases"]:
        try:
            fit_df = load(case["fit"], case["columns"])
            apply_df = load(case["apply"], case["columns"])
            est = make(case["class"], case["params"]).fit(fit_df)
            y = est.transform(apply_df)
            y = np.asarray(y)
            out[case["id"]] = {"names": [str(n) for n in est.get_feature_names_out()],
                               "values": [[plain(v) for v in row] for row in y]}
        except Exception as e:  # reported per case; the C++ side decides whether an error was expected
            out[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
