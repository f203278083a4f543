#!/usr/bin/python3
"""fitcheck vs PyTorch: one epoch of LSTM(64) → Dense(1) (sigmoid + binary cross-entropy, Adam
1e-3) on sequences of 50 steps × 8 features, batch 64, in the same run on the same kind of data.

PyTorch (Debian's python3-torch) runs torch.nn.LSTM(batch_first=True) and a Linear on the last
output with BCEWithLogitsLoss, with torch.set_num_threads(2) — the issue's reference — and (1), each
in its own process; the ratio is given against both. fitcheck runs Keras' fit() (shuffled,
sigmoid output + binary_crossentropy). Each side takes the best of --repeat epochs.

Usage: bench/nn_lstm_vs_torch.py [--rows 10000] [--repeat 3] [--bin build/bench/bench/fitcheck_bench_nn_lstm]
"""
import argparse, os, subprocess, sys

TORCH_CHILD = r"""
import resource, sys, time, torch
rows, threads, repeat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
X = torch.randn(rows, 50, 8)
Y = (X[:, :, 0].sum(1) > 0).float().unsqueeze(1)
best = 1e30
for _ in range(repeat):
    lstm, head = torch.nn.LSTM(8, 64, batch_first=True), torch.nn.Linear(64, 1)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), 1e-3)
    lf = torch.nn.BCEWithLogitsLoss()
    t0 = time.perf_counter()
    for i in range(0, rows, 64):
        opt.zero_grad()
        out, _ = lstm(X[i:i + 64])
        loss = lf(head(out[:, -1]), Y[i:i + 64])
        loss.backward()
        opt.step()
    best = min(best, time.perf_counter() - t0)
print(f"{best:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def torch_epoch(rows, threads, repeat):
    out = subprocess.run(["/usr/bin/python3", "-c", TORCH_CHILD, str(rows), str(threads), str(repeat)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "bench", "bench", "fitcheck_bench_nn_lstm"))
    args = ap.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("PyTorch is missing: apt-get install python3-torch (run with /usr/bin/python3)")
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: configure with -DFITCHECK_BUILD_BENCH=ON and build fitcheck_bench_nn_lstm")

    out = subprocess.run([args.bin, str(args.rows), "--repeat", str(args.repeat)], check=True, capture_output=True,
                         text=True).stdout
    f = dict(kv.split("=") for kv in out.split()[1:])
    f_sec, f_mb = float(f["seconds"]), float(f["peak_rss_mb"])
    runs = {t: torch_epoch(args.rows, t, args.repeat) for t in (2, 1)}

    print(f"LSTM(64) → Dense(1), 50 steps × 8 features, batch 64, Adam 1e-3, one epoch of {args.rows} sequences")
    print(f"{'':<18} {'samples/s':>10} {'peak MB':>8} {'fitcheck/peer':>14}")
    print(f"{'fitcheck':<18} {args.rows / f_sec:>10,.0f} {f_mb:>8.0f}")
    for t in (2, 1):
        t_sec, t_mb = runs[t]
        print(f"{'torch ' + str(t) + ' thread' + ('s' if t > 1 else ''):<18} {args.rows / t_sec:>10,.0f} {t_mb:>8.0f} "
              f"{t_sec / f_sec:>13.2f}x")


if __name__ == "__main__":
    main()
