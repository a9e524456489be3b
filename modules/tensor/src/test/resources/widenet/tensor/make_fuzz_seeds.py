"""Writes the seed corpora of NpyFuzzTest and IdxFuzzTest (Jazzer's <Class>Inputs/<method>/ folders).
Run once by hand: python3 make_fuzz_seeds.py (needs the .npy fixtures of ../../npy, no NumPy)."""
import gzip
import os
import shutil
import struct

here = os.path.dirname(os.path.abspath(__file__))


def folder(*parts):
    d = os.path.join(here, *parts)
    os.makedirs(d, exist_ok=True)
    return d


def idx(dims, data, dtype=0x08):
    return struct.pack(">BBBB", 0, 0, dtype, len(dims)) + struct.pack(">%dI" % len(dims), *dims) + data


def put(d, name, content):
    with open(os.path.join(d, name), "wb") as f:
        f.write(content)


# .npy: every NumPy fixture (valid and rejected kinds) plus hand-made spellings NumPy does not write.
npy = folder("NpyFuzzTestInputs", "read")
fixtures = os.path.join(here, "..", "..", "npy")
for name in sorted(os.listdir(fixtures)):
    if name.endswith(".npy"):
        shutil.copy(os.path.join(fixtures, name), os.path.join(npy, name))


def npy_file(major, header, data):
    h = header.encode("utf-8" if major == 3 else "latin1")
    length = struct.pack("<H" if major == 1 else "<I", len(h))
    return b"\x93NUMPY" + bytes([major, 0]) + length + h + data


put(npy, "python2_long.npy", npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }\n", bytes(8)))
put(npy, "spacing.npy", npy_file(2, " {\"shape\" : ( 2 , ) ,\n'descr':'|f8','fortran_order':False}\t\n", bytes(16)))

images = idx([3, 4, 5], bytes((7 * k + 3) % 256 for k in range(60)))
labels = idx([6], bytes([0, 9, 1, 255, 5, 128]))
matrix = idx([2, 3], bytes(range(6)))
ints = idx([2], struct.pack(">2i", -1, 7), dtype=0x0C)

plain = folder("IdxFuzzTestInputs", "read")
for name, content in [("images", images), ("labels", labels), ("matrix", matrix), ("ints", ints)]:
    put(plain, name, content)
    put(plain, name + ".gz", gzip.compress(content, mtime=0))

gz = folder("IdxFuzzTestInputs", "readGzipped")
for name, content in [("images", images), ("labels", labels), ("matrix", matrix), ("ints", ints)]:
    put(gz, name, content)
