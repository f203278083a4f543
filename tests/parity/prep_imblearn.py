#!/usr/bin/python3
"""Runs imbalanced-learn resamplers for fitcheck's resampling parity test.

usage: prep_imblearn.py spec.json out.json
spec: {"cases": [{"id", "kind": "smote"|"over"|"under", "x": path (float32 raw), "y": path (int64 raw),
                  "rows", "cols", "seed", "k", "strategy"}]}
Writes <x>.res (float32 raw) per case and out.json {id: {"rows", "y": [...], "indices": [...] | null}}.
Exit status 3 when imbalanced-learn is missing.
"""
import json
import sys

try:
    import numpy as np
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler
except ImportError as e:
    print(f"missing python module: {e}", file=sys.stderr)
    sys.exit(3)

spec = json.load(open(sys.argv[1]))
out = {}
for case in spec["cases"]:
    x = np.fromfile(case["x"], dtype=np.float32).reshape(case["rows"], case["cols"])
    y = np.fromfile(case["y"], dtype=np.int64)
    strategy = case.get("strategy", "auto")
    if isinstance(strategy, dict):
        strategy = {int(k): v for k, v in strategy.items()}
    if case["kind"] == "smote":
        est = SMOTE(k_neighbors=case["k"], random_state=case["seed"], sampling_strategy=strategy)
    elif case["kind"] == "over":
        est = RandomOverSampler(random_state=case["seed"], sampling_strategy=strategy)
    else:
        est = RandomUnderSampler(random_state=case["seed"], sampling_strategy=strategy)
    xr, yr = est.fit_resample(x, y)
    np.ascontiguousarray(xr, dtype=np.float32).tofile(case["x"] + ".res")
    indices = getattr(est, "sample_indices_", None)
    out[case["id"]] = {"rows": int(xr.shape[0]), "y": yr.tolist(),
                       "indices": None if indices is None else indices.tolist()}
json.dump(out, open(sys.argv[2], "w"))
