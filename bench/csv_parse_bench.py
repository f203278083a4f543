#!/usr/bin/env python3
"""CSV parsing, fitcheck against pandas, in one run on one file.

Generates the mixed 30-column table of shared/bench (gen_table.py) with 200,000 rows, or
1,000,000 with --rows 1000000, unless it exists; times pandas.read_csv (Debian's python3-pandas,
run with /usr/bin/python3) and fitcheck's read_csv and read_csv_chunks (bench program
fitcheck_bench_csv_parse), best of --repeat runs each, and prints MB/s and the ratios.

usage: csv_parse_bench.py --bench BUILD/bench/fitcheck_bench_csv_parse [--rows N] [--dir DIR]
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PANDAS_TIMER = r"""
import sys, time
import pandas as pd
t0 = time.perf_counter()
c0 = time.process_time()
df = pd.read_csv(sys.argv[1])
print(time.perf_counter() - t0, len(df), time.process_time() - c0)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="path of the fitcheck_bench_csv_parse program")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--dir", default="/tmp/fitcheck_bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, f"table_{args.rows}.csv")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_table.py"), str(args.rows), path], check=True)
    mb = os.path.getsize(path) / 1e6

    best = {}
    cpu = {}
    for _ in range(args.repeat):
        # Alternate the peers so that load from other processes hits both alike.
        out = subprocess.run(["/usr/bin/python3", "-c", PANDAS_TIMER, path], check=True,
                             capture_output=True, text=True).stdout.split()
        best["pandas"] = min(best.get("pandas", float("inf")), float(out[0]))
        cpu["pandas"] = min(cpu.get("pandas", float("inf")), float(out[2]))
        out = subprocess.run([args.bench, path, str(4 << 20), str(args.threads)], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            mode, s, _, rows, c = line.split()
            best[mode] = min(best.get(mode, float("inf")), float(s))
            cpu[mode] = min(cpu.get(mode, float("inf")), float(c))
            if int(rows) != args.rows:
                sys.exit(f"{mode} read {rows} rows, expected {args.rows}")
    pandas_s = best.pop("pandas")
    pandas_cpu = cpu.pop("pandas")

    print(f"file: {path} ({mb:.1f} MB, {args.rows} rows x 30 columns), best of {args.repeat}")
    print(f"{'reader':<26}{'wall s':>8}{'MB/s':>8}{'vs pandas':>11}{'cpu s':>8}{'MB/cpu-s':>10}{'vs pandas':>11}")
    print(f"{'pandas.read_csv':<26}{pandas_s:>8.3f}{mb / pandas_s:>8.1f}{1.0:>10.1f}x"
          f"{pandas_cpu:>8.3f}{mb / pandas_cpu:>10.1f}{1.0:>10.1f}x")
    for mode, s in best.items():
        c = cpu[mode]
        print(f"{'fitcheck ' + mode:<26}{s:>8.3f}{mb / s:>8.1f}{pandas_s / s:>10.1f}x"
              f"{c:>8.3f}{mb / c:>10.1f}{pandas_cpu / c:>10.1f}x")
    print("wall: elapsed time (all workers); cpu: CPU seconds summed over threads (per-core speed).")


if __name__ == "__main__":
    main()
