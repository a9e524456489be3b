"""Writes the .npy fixtures read by NpyTest. Run once by hand (python3 make_fixtures.py, NumPy 2.x);
the outputs are committed so that the tests need no Python."""
import os

import numpy as np
from numpy.lib import format as npf

here = os.path.dirname(os.path.abspath(__file__))

# (i - 5.5) / 4 is exact in float32, so the Java side can compare exactly.
a34 = ((np.arange(12) - 5.5) / 4).reshape(3, 4)


def save(name, arr):
    np.save(os.path.join(here, name), arr)


def save_version(name, arr, version):
    with open(os.path.join(here, name), "wb") as f:
        npf.write_array(f, arr, version=version)


save("f4_3x4.npy", a34.astype("<f4"))
save("f8_3x4.npy", a34.astype("<f8"))
# 0.1 and 1e300 are not float32 values: the reader must round to nearest, and overflow to infinity.
save("f8_rounding.npy", np.array([0.1, -1e300, 1e300, np.nan, -0.0, 3.4028235677973366e38], dtype="<f8"))
save("f4_7.npy", np.arange(7, dtype="<f4"))
save("f4_5x1.npy", np.arange(5, dtype="<f4").reshape(5, 1))
save("f4_1x5.npy", np.arange(5, dtype="<f4").reshape(1, 5))
save("f4_0x5.npy", np.zeros((0, 5), dtype="<f4"))
save("f4_0.npy", np.zeros((0,), dtype="<f4"))
save_version("f4_3x4_v2.npy", a34.astype("<f4"), (2, 0))
save_version("f4_3x4_v3.npy", a34.astype("<f4"), (3, 0))
save("f8_scalar.npy", np.float64(2.5))  # shape (): written by Npy.write too, rejected by the reader
save("f8_2x3x4.npy", np.arange(24, dtype="<f8").reshape(2, 3, 4))
save("f4_fortran_3x4.npy", np.asfortranarray(a34.astype("<f4")))
save("f4_bigendian_3x4.npy", a34.astype(">f4"))
save("i8_5.npy", np.arange(5, dtype="<i8"))
save("object_2.npy", np.array([1, "a"], dtype=object))
np.savez(os.path.join(here, "archive.npz"), x=np.arange(3, dtype="<f4"))
