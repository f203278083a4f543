#!/usr/bin/python3
"""fitcheck vs PyTorch: one epoch of the CNN Conv2D(32, 3x3, relu) -> MaxPool(2) -> Flatten ->
Dense(10) with softmax cross-entropy and Adam 1e-3, on 20,000 random 28x28x1 images, batch 64, in
the same run.

PyTorch (Debian's python3-torch) runs with torch.set_num_threads(2) (the machine's cores) in its
own process, in its native NCHW layout, with the usual loop: contiguous slices, CrossEntropyLoss on
the logits. fitcheck runs Keras' fit(): NHWC, shuffled, softmax output + sparse categorical
cross-entropy. The fitcheck binary is timed first, then torch; --repeat takes the best of N runs of
each.

Usage: bench/nn_cnn_vs_torch.py [--rows 20000] [--batch 64] [--repeat 1]
                                [--bin build/bench/bench/fitcheck_bench_nn_cnn]
"""
import argparse, os, subprocess, sys

TORCH_CHILD = r"""
import resource, sys, time, torch
rows, bs, threads, repeat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
X = torch.rand(rows, 1, 28, 28)
Y = torch.randint(0, 10, (rows,))
best = 1e30
for _ in range(repeat):
    m = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                            torch.nn.Linear(32 * 13 * 13, 10))
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    lf = torch.nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    for i in range(0, rows, bs):
        opt.zero_grad()
        loss = lf(m(X[i:i + bs]), Y[i:i + bs])
        loss.backward()
        opt.step()
    best = min(best, time.perf_counter() - t0)
print(f"{best:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "bench", "bench", "fitcheck_bench_nn_cnn"))
    args = ap.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("PyTorch is missing: apt-get install python3-torch (run with /usr/bin/python3)")
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: configure with -DFITCHECK_BUILD_BENCH=ON and build fitcheck_bench_nn_cnn")
    out = subprocess.run([args.bin, str(args.rows), str(args.batch), "--repeat", str(args.repeat)], check=True,
                         capture_output=True, text=True).stdout
    f = dict(kv.split("=") for kv in out.split()[1:])
    f_sec, f_mb = float(f["seconds"]), float(f["peak_rss_mb"])
    t = subprocess.run(["/usr/bin/python3", "-c", TORCH_CHILD, str(args.rows), str(args.batch), str(args.threads),
                        str(args.repeat)], check=True, capture_output=True, text=True).stdout.split()
    t_sec, t_mb = float(t[0]), float(t[1])
    print(f"CNN Conv2D(32,3x3,relu)-MaxPool(2)-Flatten-Dense(10), Adam 1e-3, one epoch of {args.rows} images "
          f"28x28x1, batch {args.batch}")
    print(f"{'':<22} {'samples/s':>10} {'seconds':>8} {'peak MB':>8}")
    print(f"{'torch ' + str(args.threads) + ' threads':<22} {args.rows / t_sec:>10,.0f} {t_sec:>8.2f} {t_mb:>8.0f}")
    print(f"{'fitcheck':<22} {args.rows / f_sec:>10,.0f} {f_sec:>8.2f} {f_mb:>8.0f}")
    print(f"ratio fitcheck/torch (samples/s): {t_sec / f_sec:.2f}x")


if __name__ == "__main__":
    main()
