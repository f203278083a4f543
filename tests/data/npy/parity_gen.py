#!/usr/bin/python3
"""Parity peer of tests/io/npy_parity_test.cpp (run at test time, never committed output).

  parity_gen.py write OUT_DIR SEED
      numpy writes random arrays (every dtype x byte order x C/Fortran, random ranks 0-4 including
      zero-size axes, format versions 1-3) as .npy, the same arrays into a stored and a deflated
      .npz, and for each array its elements in C order and native byte order as <name>.bin;
      manifest.txt lists "name dtype dims...".
  parity_gen.py check NPY RAW DIMS...
      loads a file fitcheck wrote and compares it to float32 values in RAW; exit 0 when equal.
"""
import os
import sys

import numpy as np

CODES = ["b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"]


def random_array(rng, code, order, shape):
    dt = np.dtype(code).newbyteorder(order) if np.dtype(code).itemsize > 1 else np.dtype(code)
    n = int(np.prod(shape)) if shape else 1
    if code == "b1":
        arr = rng.integers(0, 2, n).astype(bool)
    else:
        # Random bit patterns: every value of the type, NaN payloads, infinities and subnormals.
        arr = rng.integers(0, 256, n * dt.itemsize, dtype=np.uint8).view(dt)
    return arr.reshape(shape)


def write(out_dir, seed):
    rng = np.random.default_rng(seed)
    manifest = []
    arrays = {}
    for code in CODES:
        for order in ("<", ">", "="):
            for layout in ("C", "F"):
                rank = int(rng.integers(0, 5))
                shape = tuple(int(d) for d in rng.integers(0, 6, rank))
                if rng.random() < 0.8:
                    shape = tuple(max(d, 1) for d in shape)  # mostly non-empty
                arr = random_array(rng, code, order, shape)
                arr = np.asfortranarray(arr) if layout == "F" else np.ascontiguousarray(arr)
                name = f"{code}_{'le' if order == '<' else 'be' if order == '>' else 'ne'}_{layout}"
                version = [(1, 0), (2, 0), (3, 0)][int(rng.integers(0, 3))]
                with open(os.path.join(out_dir, name + ".npy"), "wb") as f:
                    np.lib.format.write_array(f, arr, version=version)
                native = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("="))
                native.tofile(os.path.join(out_dir, name + ".bin"))
                manifest.append(" ".join([name, arr.dtype.name] + [str(d) for d in arr.shape]))
                arrays[name] = arr
    np.savez(os.path.join(out_dir, "all_stored.npz"), **arrays)
    np.savez_compressed(os.path.join(out_dir, "all_deflated.npz"), **arrays)
    with open(os.path.join(out_dir, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")


def check(npy, raw, dims):
    got = np.load(npy, allow_pickle=False)
    want = np.fromfile(raw, dtype="<f4").reshape(tuple(dims))
    if got.dtype != np.float32 or got.shape != want.shape or not got.flags.c_contiguous:
        print(f"dtype/shape mismatch: {got.dtype} {got.shape} vs float32 {want.shape}")
        return 1
    if not np.array_equal(got, want, equal_nan=True):
        print("values differ at", np.argwhere(got != want)[:5].tolist())
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    sys.exit(check(sys.argv[2], sys.argv[3], [int(d) for d in sys.argv[4:]]))
