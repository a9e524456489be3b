#!/usr/bin/python3
"""NumPy's side of `widenet theory`: H∞ of n points on the unit sphere of R^d, its symmetric eigen-decomposition
(LAPACK over OpenBLAS), λ_min, λ_max, the label projections (vᵢᵀy)² and the measure sqrt(2yᵀ(H∞)⁻¹y/n) — what
`widenet theory --x X --y Y --json` computes and writes.

Modes:
  vectors  numpy.linalg.eigh (dsyevd, eigenvectors): the cheapest NumPy way to the projections (vᵢᵀy)² and the
           measure, i.e. to everything `widenet theory` prints and writes.
  values   numpy.linalg.eigvalsh (dsyevd without vectors: dsytrd + dsterf): the spectrum only — less than
           `widenet theory` computes (no projections, no measure), the stricter comparison.

Run as a whole process and timed from outside (compare.sh), so interpreter start, reading the data, H∞ and the
decomposition all count, as they do for `widenet theory`. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS must be
set by the caller before NumPy is imported (OpenBLAS reads them when it loads); this script refuses to run without.

Usage: OPENBLAS_NUM_THREADS=2 /usr/bin/python3 eigh_numpy.py MODE X.npy Y.npy      (the data compare.sh writes)
       OPENBLAS_NUM_THREADS=2 /usr/bin/python3 eigh_numpy.py MODE --random N D       (own data, same distribution)
       /usr/bin/python3 eigh_numpy.py --write-data N D X.npy Y.npy                   (what compare.sh feeds both)
"""
import os
import sys
import time


def usage():
    sys.exit(__doc__.split("Usage: ")[1])


if len(sys.argv) == 6 and sys.argv[1] == "--write-data":
    import numpy as np
    n, d = int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    np.save(sys.argv[4], x)
    np.save(sys.argv[5], rng.standard_normal(n).astype(np.float32))
    sys.exit(0)

random_data = len(sys.argv) == 5 and sys.argv[2] == "--random"
if not (len(sys.argv) == 4 or random_data) or sys.argv[1] not in ("vectors", "values"):
    usage()
if "OPENBLAS_NUM_THREADS" not in os.environ:
    sys.exit("eigh_numpy.py: set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) first")

import numpy as np

mode = sys.argv[1]
t0 = time.perf_counter()
if random_data:
    n, d = int(sys.argv[3]), int(sys.argv[4])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = rng.standard_normal(n)
else:
    x = np.load(sys.argv[2])
    y = np.load(sys.argv[3]).astype(np.float64).reshape(-1)
n, d = x.shape
g = (x @ x.T).astype(np.float64)          # float GEMM, as widenet's kernel API does, then double
g = 0.5 * (g + g.T)
norms = np.sqrt(np.diag(g))
c = np.clip(g / np.outer(norms, norms), -1.0, 1.0)
h = g * (np.pi - np.arccos(c)) / (2 * np.pi)
t1 = time.perf_counter()
if mode == "vectors":
    lam, v = np.linalg.eigh(h)
    proj = (v.T @ y) ** 2
    measure = np.sqrt(2 * np.sum(proj / lam) / n)
else:
    lam = np.linalg.eigvalsh(h)
    measure = float("nan")
t2 = time.perf_counter()
print(f"n={n} d={d} mode={mode} threads={os.environ['OPENBLAS_NUM_THREADS']} "
      f"lambda_min={lam[0]:.6g} lambda_max={lam[-1]:.6g} measure={measure:.6g} "
      f"gram_s={t1 - t0:.3f} eigh_s={t2 - t1:.3f}")
