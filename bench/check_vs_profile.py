#!/usr/bin/env python3
"""fitcheck check vs fitcheck profile on the same 1,000,000 x 30 mixed CSV (bench/gen_table.py):
issue 7's target is check <= 1.5x profile. The run file trains an MLP on the CSV as it is
(preprocess "auto"), so check does its whole job: profile, label facts, leakage and duplicate
hashing, model shapes and memory.

usage: /usr/bin/python3 bench/check_vs_profile.py [--fitcheck build/release/fitcheck]
           [--rows 1000000] [--csv /tmp/fitcheck_bench_1000000.csv] [--repeat 3]
Prints the best wall time of each, the ratio, and each one's peak RSS."""
import argparse, json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_measured(cmd):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name] + cmd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if proc.returncode not in (0, 1):  # 1: the check found an error-level problem, a valid result
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        rss_kb = int(tf.read().strip().splitlines()[-1])
    return wall, rss_kb / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fitcheck", default=os.path.join(HERE, "..", "build", "release", "fitcheck"))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    fitcheck = os.path.abspath(args.fitcheck)
    csv = args.csv or f"/tmp/fitcheck_bench_{args.rows}.csv"
    if not os.path.exists(csv):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_table.py"), str(args.rows), csv], check=True)
    work = tempfile.mkdtemp(prefix="fitcheck_check_bench_")
    model = {"class_name": "Sequential", "config": {"name": "mlp", "layers": [
        {"class_name": "Dense", "config": {"name": "dense", "units": 64, "activation": "relu"}},
        {"class_name": "Dense", "config": {"name": "dense_1", "units": 1, "activation": "sigmoid"}}]}}
    run = {"data": {"train": {"csv": os.path.abspath(csv), "target": "label"}}, "preprocess": "auto",
           "model": model, "compile": {"optimizer": "adam", "loss": "binary_crossentropy"},
           "fit": {"epochs": 5, "batch_size": 256, "validation_split": 0.2, "seed": 1}}
    run_path = os.path.join(work, "run.json")
    with open(run_path, "w") as f:
        json.dump(run, f)
    best = {}
    for _ in range(args.repeat):  # interleaved, so that load changes hit both alike
        for name, cmd in [("profile", [fitcheck, "profile", csv, "--target", "label", "--format", "json"]),
                          ("check", [fitcheck, "check", run_path, "--format", "json"])]:
            wall, rss = run_measured(cmd)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, rss)
    for name, (wall, rss) in best.items():
        print(f"{name:8s} {wall:7.2f} s  peak RSS {rss:7.1f} MB")
    print(f"check / profile = {best['check'][0] / best['profile'][0]:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
