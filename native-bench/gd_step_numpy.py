#!/usr/bin/python3
"""One full-batch GD step of the two-layer ReLU network in NumPy (float32; the GEMMs go to the OpenBLAS that
Debian's numpy links), timed. The same formulas as gd_step.c. Run with Debian's /usr/bin/python3.

Usage: gd_step_numpy.py [--threads T] [--steps S] [--time SECONDS] [--warmup W] [n d m]
"""
import gd_common

args = gd_common.parse_args(__doc__.splitlines()[0])
gd_common.pin_threads(args.threads)

import numpy as np  # noqa: E402  (after pin_threads, on purpose)


def make_problem(n, d, m):
    """Du et al. 2019 §5: x_i uniform on the unit sphere, y_i ~ N(0, 1), w_r ~ N(0, I), a_r uniform ±1."""
    rng = np.random.default_rng(20190101)
    x = rng.standard_normal((n, d), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = rng.standard_normal(n, dtype=np.float32)
    w = rng.standard_normal((m, d), dtype=np.float32)
    a = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=m)
    return x, y, w, a


def manual_step(x, y, w, a, eta):
    s = np.float32(gd_common.inv_sqrt(w.shape[0]))
    eta = np.float32(eta)

    def step():
        z = x @ w.T                               # n×m, sgemm NT
        u = np.maximum(z, 0) @ a * s              # (1/√m) H a
        r = u - y
        g = (z >= 0).astype(np.float32)           # mask S, ReLU′(0) = 1
        g *= r[:, None] * (a * s)[None, :]        # G_ir = r_i a_r S_ir / √m
        np.subtract(w, eta * (g.T @ x), out=w)    # ∇W = Gᵀ X (sgemm TN); W −= η ∇W
        return 0.5 * float(r @ r)
    return step


x, y, w, a = make_problem(args.n, args.d, args.m)
assert x.dtype == y.dtype == w.dtype == a.dtype == np.float32
gd_common.run("numpy", args, manual_step(x, y, w, a, args.eta))
