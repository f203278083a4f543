#!/usr/bin/env python3
# Copied unchanged (apart from this comment) from ../shared/bench/gen_table.py, the shared peer-benchmark
# generator, so that bench/ runs on its own. Keep it in step with that file.
"""Mixed tabular CSV for bars: N rows x 30 columns (20 float of wild scales, 5 int, 4 categorical, label),
2% missing in 8 columns. usage: gen_table.py N OUT.csv [seed]"""
import sys
import numpy as np
import pandas as pd
n = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
rng = np.random.default_rng(seed)
cols = {}
scales = np.logspace(-3, 6, 20)
for i in range(20):
    cols[f"f{i}"] = rng.normal(0, 1, n) * scales[i] + scales[i]
for i in range(5):
    cols[f"i{i}"] = rng.integers(0, 10 ** (i + 1), n)
for i, card in enumerate([3, 12, 50, 1000]):
    vocab = np.array([f"c{i}_{k}" for k in range(card)])
    cols[f"cat{i}"] = vocab[rng.integers(0, card, n)]
z = cols["f0"] / scales[0] - cols["f1"] / scales[1]
cols["label"] = (z > np.quantile(z, 0.95)).astype(int)
df = pd.DataFrame(cols)
for c in ["f2", "f5", "f9", "f13", "i1", "i3", "cat1", "cat3"]:
    df.loc[rng.uniform(0, 1, n) < 0.02, c] = np.nan
df.to_csv(out, index=False)
