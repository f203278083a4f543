#!/usr/bin/python3
"""fitcheck vs PyTorch: one epoch of the MLP 30-128-64-1 (relu, sigmoid + binary cross-entropy,
Adam 1e-3) at batch 32 and 256, in the same run on the same kind of data.

PyTorch (Debian's python3-torch) is timed with torch.set_num_threads(1) and (2), each in its own
process so that peak memory is its own, and the faster is taken, as a user tuning their loop
would (shared/bench/README.md). Its loop is the usual one: contiguous slices, no shuffling,
BCEWithLogitsLoss on a linear last layer (the fastest PyTorch form of sigmoid + BCE). fitcheck
runs Keras' fit(): shuffled every epoch, sigmoid output + binary_crossentropy.

Usage: bench/nn_mlp_vs_torch.py [--rows 200000] [--bin build/bench/bench/fitcheck_bench_nn_mlp]
Prints samples/s, peak RSS and the ratio fitcheck/PyTorch per batch size.
"""
import argparse, os, subprocess, sys

TORCH_CHILD = r"""
import resource, sys, time, torch
rows, bs, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
X = torch.randn(rows, 30)
w = torch.tensor([1.0 if j % 3 == 0 else -0.5 for j in range(30)])
Y = ((X @ w) > 0).float().unsqueeze(1)
m = torch.nn.Sequential(torch.nn.Linear(30, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(),
                        torch.nn.Linear(64, 1))
opt = torch.optim.Adam(m.parameters(), 1e-3)
lf = torch.nn.BCEWithLogitsLoss()
t0 = time.perf_counter()
for i in range(0, rows, bs):
    opt.zero_grad()
    loss = lf(m(X[i:i + bs]), Y[i:i + bs])
    loss.backward()
    opt.step()
dt = time.perf_counter() - t0
print(f"{dt:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def torch_epoch(rows, bs, threads):
    out = subprocess.run(["/usr/bin/python3", "-c", TORCH_CHILD, str(rows), str(bs), str(threads)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200000)
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "bench", "bench", "fitcheck_bench_nn_mlp"))
    ap.add_argument("--batches", default="32,256")
    args = ap.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("PyTorch is missing: apt-get install python3-torch (run with /usr/bin/python3)")
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: configure with -DFITCHECK_BUILD_BENCH=ON and build fitcheck_bench_nn_mlp")

    fc = {}
    out = subprocess.run([args.bin, str(args.rows)] + [str(b) for b in batches], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        f = dict(kv.split("=") for kv in line.split()[1:])
        fc[int(f["batch"])] = (float(f["seconds"]), float(f["peak_rss_mb"]))

    print(f"MLP 30-128-64-1, Adam 1e-3, one epoch of {args.rows} rows")
    print(f"{'batch':>5} {'peer':<22} {'peer samples/s':>15} {'peer MB':>8} {'fitcheck samples/s':>19} {'fc MB':>7} {'ratio':>6}")
    for bs in batches:
        runs = {t: torch_epoch(args.rows, bs, t) for t in (1, 2)}
        best_t = min(runs, key=lambda t: runs[t][0])
        t_sec, t_mb = runs[best_t]
        f_sec, f_mb = fc[bs]
        peer = f"torch {best_t} thread{'s' if best_t > 1 else ''}"
        print(f"{bs:>5} {peer:<22} {args.rows / t_sec:>15,.0f} {t_mb:>8.0f} {args.rows / f_sec:>19,.0f} {f_mb:>7.0f} "
              f"{t_sec / f_sec:>5.2f}x")
        others = ", ".join(f"{t} thread(s): {args.rows / runs[t][0]:,.0f}/s" for t in sorted(runs))
        print(f"      (torch {others})")


if __name__ == "__main__":
    main()
