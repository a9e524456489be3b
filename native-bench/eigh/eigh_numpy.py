#!/usr/bin/python3
"""NumPy's side of `widenet theory`: H∞ of n points on the unit sphere of R^d, its full symmetric eigen-decomposition
(LAPACK dsyevd over OpenBLAS, `numpy.linalg.eigh`), λ_min, λ_max, the label projections (vᵢᵀy)² and the measure
sqrt(2yᵀ(H∞)⁻¹y/n) — what `widenet theory --n N --d D --json` computes and writes.

Run as a whole process and timed from outside (run.sh), so interpreter start, data, H∞ and eigh all count, as they
do for `widenet theory`. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS must be set by the caller before NumPy is
imported (OpenBLAS reads them when it loads); this script refuses to run without them.

Usage: OPENBLAS_NUM_THREADS=2 /usr/bin/python3 eigh_numpy.py [n [d [mode]]]   mode: vectors (default) | values
"""
import os
import sys
import time

if "OPENBLAS_NUM_THREADS" not in os.environ:
    sys.exit("eigh_numpy.py: set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) first")

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
d = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
mode = sys.argv[3] if len(sys.argv) > 3 else "vectors"

t0 = time.perf_counter()
rng = np.random.default_rng(0)
x = rng.standard_normal((n, d)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
y = rng.standard_normal(n)
g = (x @ x.T).astype(np.float64)          # float GEMM, as widenet's kernel API does, then double
np.clip(g, -1.0, 1.0, out=g)
h = g * (np.pi - np.arccos(g)) / (2 * np.pi)
h = 0.5 * (h + h.T)
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
