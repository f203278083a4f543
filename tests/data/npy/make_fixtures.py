#!/usr/bin/python3
"""Writes the .npy/.npz fixtures of tests/io/npy_*_test.cpp with numpy, and expected.json with
every element of every array in C order, so the C++ tests check numpy's files without Python.

Run from anywhere: /usr/bin/python3 tests/data/npy/make_fixtures.py
Floats that JSON cannot hold are written as the strings "nan", "inf", "-inf".
"""
import io
import json
import math
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")

CODES = ["b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"]
NAMES = {"b1": "bool", "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64", "u1": "uint8",
         "u2": "uint16", "u4": "uint32", "u8": "uint64", "f2": "float16", "f4": "float32",
         "f8": "float64"}


def twelve_values(code):
    """Twelve values per dtype that exercise its extremes (the C++ side checks each)."""
    kind, size = code[0], int(code[1])
    if kind == "b":
        return [True, False, False, True, True, True, False, False, True, False, True, False]
    if kind in "iu":
        info = np.iinfo(np.dtype(f"{kind}{size}"))
        base = [int(info.min), int(info.max), 0, 1, int(info.max) - 1, 7, 100 % (int(info.max) + 1),
                int(info.min) + 1, 42, 3, int(info.max) // 2, 5]
        if kind == "i":
            base[3] = -1
        return base
    finfo = np.finfo(np.dtype(f"f{size}"))
    return [math.nan, math.inf, -math.inf, -0.0, float(finfo.max), float(finfo.tiny),
            float(finfo.tiny) / 4, 1.5, -2.25, 0.1, 1e3 if size > 2 else 1000.0, -float(finfo.max)]


def to_json_value(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def describe(arr):
    return {"dtype": arr.dtype.name, "shape": list(arr.shape),
            "values": [to_json_value(v) for v in np.ascontiguousarray(arr).ravel(order="C").tolist()]}


def patch_descr(raw, old, new):
    """Rewrites the descr in a saved header (same length, so padding and offsets stay valid)."""
    assert len(old) == len(new)
    needle = f"'descr': '{old}'".encode()
    assert raw.count(needle) == 1, (old, raw[:128])
    return raw.replace(needle, f"'descr': '{new}'".encode())


def save_bytes(arr, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version, allow_pickle=False)
    return buf.getvalue()


def main():
    os.makedirs(FIX, exist_ok=True)
    for name in os.listdir(FIX):
        os.remove(os.path.join(FIX, name))
    expected = []

    def emit(filename, raw, arr, **extra):
        with open(os.path.join(FIX, filename), "wb") as f:
            f.write(raw)
        entry = {"file": filename}
        entry.update(describe(arr))
        entry.update(extra)
        # The file must load in numpy as the array we describe (the crafted '=' ones included).
        back = np.load(os.path.join(FIX, filename), allow_pickle=False)
        assert back.shape == arr.shape and back.dtype == arr.dtype
        assert np.array_equal(back, arr, equal_nan=arr.dtype.kind == "f"), filename
        expected.append(entry)

    # The dtype x byte order x memory order matrix, shape (3, 4).
    for code in CODES:
        size = int(code[1])
        orders = ["|", "="] if size == 1 else ["<", ">", "="]
        for order in orders:
            stored = "<" if order == "=" else order  # '=' is crafted from a little-endian file
            dt = np.dtype(code).newbyteorder(stored) if size > 1 else np.dtype(code)
            base = np.array(twelve_values(code), dtype=np.dtype(code).newbyteorder("=")).reshape(3, 4)
            for layout in ("C", "F"):
                arr = base.astype(dt)
                arr = np.asfortranarray(arr) if layout == "F" else np.ascontiguousarray(arr)
                raw = save_bytes(arr)
                written_descr = np.lib.format.dtype_to_descr(arr.dtype)
                if order == "=":
                    raw = patch_descr(raw, written_descr, "=" + code)
                label = {"|": "pipe", "<": "le", ">": "be", "=": "native"}[order]
                emit(f"{code}_{label}_{layout}.npy", raw, arr, byte_order=order,
                     fortran_order=layout == "F")

    # Format versions 2.0 and 3.0 (1.0 is the matrix above).
    v = np.arange(6, dtype="<f8").reshape(2, 3) / 4
    emit("version2.npy", save_bytes(v, (2, 0)), v, version=2)
    emit("version3.npy", save_bytes(v.astype(">i4"), (3, 0)), v.astype(">i4"), version=3)

    # Ranks: 0-d, 1-d, Fortran 3-d and 4-d, zero-size.
    emit("scalar.npy", save_bytes(np.array(3.5, dtype="<f4")), np.array(3.5, dtype="<f4"))
    emit("vector.npy", save_bytes(np.arange(5, dtype="<i2")), np.arange(5, dtype="<i2"))
    a3 = np.asfortranarray(np.arange(24, dtype=">f4").reshape(2, 3, 4) - 7)
    emit("rank3_fortran.npy", save_bytes(a3), a3, fortran_order=True)
    a4 = np.asfortranarray((np.arange(12, dtype="<i2") * 3 - 10).reshape(2, 1, 3, 2))
    emit("rank4_fortran.npy", save_bytes(a4), a4, fortran_order=True)
    emit("empty_rows.npy", save_bytes(np.zeros((0, 3), dtype="<f4")), np.zeros((0, 3), dtype="<f4"))
    e3 = np.zeros((2, 0, 4), dtype="<u2")
    emit("empty_middle.npy", save_bytes(e3), e3)
    big = np.array([1, 2**63 - 1, 2**63, 2**64 - 1], dtype="<u8")
    emit("uint64_large.npy", save_bytes(big), big)

    # Python 2 headers spelled integers "3L".
    p2 = np.arange(6, dtype="<i4").reshape(2, 3)
    raw = save_bytes(p2)
    raw = raw.replace(b"(2, 3), }", b"(2L,3L),}")  # same length: offsets stay
    emit("python2_long.npy", raw, p2)

    # Archives: numpy.savez (stored) and numpy.savez_compressed (deflated).
    x = (np.arange(20, dtype="<f4").reshape(5, 4) - 3) / 2
    y = np.array([0, 1, 1, 0, 1], dtype="|u1")
    for name, saver in (("stored.npz", np.savez), ("deflated.npz", np.savez_compressed)):
        path = os.path.join(FIX, name)
        saver(path, x_train=x, y_train=y)
        with zipfile.ZipFile(path) as z:
            methods = {i.filename: i.compress_type for i in z.infolist()}
        want = zipfile.ZIP_STORED if name == "stored.npz" else zipfile.ZIP_DEFLATED
        assert all(m == want for m in methods.values()), methods
        for key, arr in (("x_train", x), ("y_train", y)):
            entry = {"file": name, "key": key}
            entry.update(describe(arr))
            expected.append(entry)

    # Files numpy writes that fitcheck refuses (the error tests name them).
    with open(os.path.join(FIX, "object.npy"), "wb") as f:
        np.save(f, np.array([1, "a", None], dtype=object), allow_pickle=True)
    with open(os.path.join(FIX, "structured.npy"), "wb") as f:
        np.save(f, np.zeros(3, dtype=[("a", "<f4"), ("b", "<i8")]))
    with open(os.path.join(FIX, "unicode.npy"), "wb") as f:
        np.save(f, np.array(["cat", "dog"]))
    with open(os.path.join(FIX, "complex.npy"), "wb") as f:
        np.save(f, np.array([1 + 2j]))

    with zipfile.ZipFile(os.path.join(FIX, "truncated_member.npz"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("good.npy", save_bytes(np.arange(3, dtype="<f4")))
        z.writestr("cut.npy", save_bytes(np.arange(100, dtype="<f8"))[:-10])
    with open(os.path.join(FIX, "not_a_zip.npz"), "wb") as f:
        f.write(b"x,y\n1,2\n")

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        # One array per line: readable, and diffs stay small when a fixture changes.
        f.write('{"numpy_version": %s, "arrays": [\n' % json.dumps(np.__version__))
        f.write(",\n".join(json.dumps(e) for e in expected))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
