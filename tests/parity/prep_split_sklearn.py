#!/usr/bin/python3
"""scikit-learn's train_test_split indices for fitcheck's split parity test.

usage: prep_split_sklearn.py spec.json out.json
spec: {"cases": [{"id", "n", "test_size", "seed", "stratify": [labels] | null}]}
out:  {id: {"train": [...], "test": [...]}}. Exit status 3 when scikit-learn is missing.
"""
import json
import sys

try:
    import numpy as np
    from sklearn.model_selection import train_test_split
except ImportError as e:
    print(f"missing python module: {e}", file=sys.stderr)
    sys.exit(3)

spec = json.load(open(sys.argv[1]))
out = {}
for case in spec["cases"]:
    idx = np.arange(case["n"])
    strat = None if case["stratify"] is None else np.asarray(case["stratify"])
    train, test = train_test_split(idx, test_size=case["test_size"], random_state=case["seed"], stratify=strat)
    out[case["id"]] = {"train": train.tolist(), "test": test.tolist()}
json.dump(out, open(sys.argv[2], "w"))
