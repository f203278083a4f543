#!/usr/bin/env python3
"""Writes a generated CSV and what numpy/pandas say about it, for profile_parity_test.cpp.

usage: pandas_profile.py ROWS OUT.csv OUT.json
Exit status 77 when numpy or pandas is missing (the test then skips, saying so)."""
import json, sys
try:
    import numpy as np
    import pandas as pd
except ImportError as e:
    print(f"missing python module: {e.name}", file=sys.stderr)
    sys.exit(77)

rows, out_csv, out_json = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(12345)
df = pd.DataFrame({
    "wide": rng.normal(0, 1, rows) * 1e6 + 3e6,
    "tiny": rng.lognormal(-8, 1.5, rows),
    "counts": rng.poisson(3, rows),
    "pixels": rng.integers(0, 256, rows),
    "city": np.array(["oslo", "lima", "pune", "kyiv", "baku"])[rng.integers(0, 5, rows)],
    "label": (rng.uniform(0, 1, rows) < 0.1).astype(int),
})
df.loc[rng.uniform(0, 1, rows) < 0.05, "wide"] = np.nan
df.loc[rng.uniform(0, 1, rows) < 0.03, "city"] = np.nan
# Some exact duplicate rows.
dup_rows = df.iloc[: max(1, rows // 100)].copy()
df = pd.concat([df, dup_rows], ignore_index=True)
df.to_csv(out_csv, index=False)

# round_trip: the correctly rounded parse (pandas' default parser can be 1 ulp off; fitcheck uses
# fast_float, which is exact), so that min and max can be compared exactly.
back = pd.read_csv(out_csv, float_precision="round_trip")
out = {"rows": len(back), "duplicates": int(back.duplicated().sum()), "columns": {}}
for c in back.columns:
    s = back[c]
    col = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
    vc = s.value_counts()
    top_count = int(vc.iloc[0])
    col["top_count"] = top_count
    col["top_values"] = sorted(str(v) for v, n in vc.items() if n == top_count)
    if s.dtype != object:
        d = s.describe(percentiles=[0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
        col.update({"mean": float(d["mean"]), "std": float(d["std"]), "min": float(d["min"]),
                    "max": float(d["max"]), "zeros": int((s == 0).sum()),
                    "quantiles": [float(d[k]) for k in ["1%", "5%", "25%", "50%", "75%", "95%", "99%"]]})
    out["columns"][c] = col
json.dump(out, open(out_json, "w"), indent=1)
