#!/usr/bin/env python3
"""fitcheck profile vs pandas, side by side in one run, on the 1,000,000 x 30 mixed CSV of
../shared/bench (bench/gen_table.py).

usage: /usr/bin/python3 bench/profile_vs_pandas.py [--fitcheck build/release/fitcheck]
           [--rows 1000000] [--csv /tmp/fitcheck_bench_1000000.csv] [--cap-fraction 4.5]

Times, each in its own process so that peak memory is per tool (GNU time's maximum RSS):
  fitcheck: `fitcheck profile CSV --format json` (wall time of the process);
  pandas:   read_csv + describe + isna().sum() + value_counts of the string columns (timed inside
            the process, so the ~0.5 s of `import pandas` is not charged to pandas).
Then the streaming run: the same file profiled with --max-memory set to file size / cap-fraction
(the file is >= 4x the cap), and its peak RSS checked against the cap.
Each tool runs once untimed (warm-up), then --repeat times (default 3), and is reported by its
median run (the range is printed too): on a shared or virtual machine one run of either can be
off by 10-20 %. The tools are not alternated: on this VM any run that follows pandas' (which
allocates and frees ~0.9 GB) is slowed by 10-50 % while the machine takes that memory back
(measured with fitcheck: 0.66-0.95 s right after pandas, 0.61-0.62 s on the next run), so each
tool is measured in the steady state of its own runs, as hyperfine's --warmup does.
Prints both times, the ratio of the medians, each one's peak RSS and peak RSS / file size."""
import argparse, json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))

PANDAS_PROFILE = r"""
import sys, time
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t_read = time.perf_counter() - t
df.describe(); df.isna().sum()
for c in df.select_dtypes("object"):
    df[c].value_counts()
print(f"{t_read:.4f} {time.perf_counter() - t:.4f}")
"""


def run_measured(cmd):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS bytes, CPU seconds, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", tf.name] + cmd,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        rss_kb, user, system = tf.read().strip().splitlines()[-1].split()
    return wall, int(rss_kb) * 1024, float(user) + float(system), proc.stdout


def mb(n):
    return n / (1 << 20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fitcheck", default=os.path.join(HERE, "..", "build", "release", "fitcheck"))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--cap-fraction", type=float, default=4.5,
                    help="streaming run: --max-memory = file size / this (>= 4)")
    ap.add_argument("--skip-streaming", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each tool (alternating); medians are compared")
    args = ap.parse_args()
    fitcheck = os.path.abspath(args.fitcheck)
    if not os.access(fitcheck, os.X_OK):
        sys.exit(f"no fitcheck binary at {fitcheck}; build it (make build) or pass --fitcheck")
    csv = args.csv or f"/tmp/fitcheck_bench_{args.rows}.csv"
    if not os.path.exists(csv):
        print(f"generating {csv} ({args.rows} rows) ...", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_table.py"), str(args.rows), csv, "0"], check=True)
    size = os.path.getsize(csv)

    # Both tools read from the page cache: read the file once first.
    with open(csv, "rb") as f:
        while f.read(1 << 24):
            pass
    print(f"table: {csv}, {mb(size):.0f} MB, {args.rows} rows x 30 columns; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")

    def fitcheck_run():
        wall, rss, cpu, out = run_measured([fitcheck, "profile", csv, "--format", "json"])
        doc = json.loads(out)
        assert doc["rows"] == args.rows, f"fitcheck counted {doc['rows']} rows"
        return (wall, rss, cpu), doc

    def pandas_run():
        wall, rss, cpu, out = run_measured([sys.executable, "-c", PANDAS_PROFILE, csv])
        read, total = (float(x) for x in out.split())
        return (total, rss, cpu, read, wall)

    fitcheck_run()  # warm-up
    fc_runs = []
    for _ in range(max(1, args.repeat)):
        run, doc = fitcheck_run()
        fc_runs.append(run)
    pandas_run()  # warm-up
    pd_runs = [pandas_run() for _ in range(max(1, args.repeat))]

    def median_run(runs):
        return sorted(runs)[(len(runs) - 1) // 2]  # by time; the lower middle for an even count

    fc_wall, _, fc_cpu = median_run(fc_runs)
    pd_total, _, pd_cpu, pd_read, pd_wall = median_run(pd_runs)
    fc_rss = max(r[1] for r in fc_runs)
    pd_rss = max(r[1] for r in pd_runs)

    def spread(times):
        return f"{min(times):.3f}-{max(times):.3f}" if len(times) > 1 else ""

    print(f"{len(fc_runs)} runs each after a warm-up run; the median run of each is shown (range in brackets)")
    print(f"{'':34} {'seconds':>9} {'CPU s':>7} {'peak RSS':>10} {'RSS/file':>9}")
    print(f"{'fitcheck profile --format json':34} {fc_wall:9.3f} {fc_cpu:7.2f} {mb(fc_rss):8.0f}MB {fc_rss / size:9.2f}"
          f"   [{spread([r[0] for r in fc_runs])}]")
    print(f"{'pandas read+describe+isna+vc':34} {pd_total:9.3f} {pd_cpu:7.2f} {mb(pd_rss):8.0f}MB {pd_rss / size:9.2f}"
          f"   [{spread([r[0] for r in pd_runs])}] (read_csv {pd_read:.3f} s; process {pd_wall:.3f} s with import; "
          f"CPU includes the import)")
    print(f"speed-up: {pd_total / fc_wall:.2f}x in wall time (target >= 10x), {pd_cpu / fc_cpu:.2f}x in CPU time; fitcheck peak memory {fc_rss / size:.2f}x the file "
          f"(target <= 1.5x)")
    if len(fc_runs) > 1:
        worst = max(r[0] for r in pd_runs) / max(r[0] for r in fc_runs)
        best = min(r[0] for r in pd_runs) / min(r[0] for r in fc_runs)
        print(f"slowest run against slowest run: {worst:.2f}x; fastest against fastest: {best:.2f}x")

    if not args.skip_streaming:
        cap = int(size / args.cap_fraction)
        cap_arg = f"{cap >> 20}M"
        st_wall, st_rss, _, st_out = run_measured([fitcheck, "profile", csv, "--format", "json", "--max-memory", cap_arg])
        st_doc = json.loads(st_out)
        ok = st_rss <= (cap >> 20) << 20 and st_doc["rows"] == args.rows
        print(f"streaming: --max-memory {cap_arg} on a {mb(size):.0f} MB file ({size / ((cap >> 20) << 20):.1f}x the cap): "
              f"{st_wall:.3f} s, peak RSS {mb(st_rss):.0f} MB -> {'within' if ok else 'OVER'} the cap")
        # The capped run must see the same table.
        for a, b in zip(doc["columns"], st_doc["columns"]):
            assert a["count"] == b["count"] and a["missing"] == b["missing"], a["name"]


if __name__ == "__main__":
    main()
