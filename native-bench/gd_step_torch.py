#!/usr/bin/python3
"""One full-batch GD step of the two-layer ReLU network in PyTorch (float32, CPU), timed: with the gradient
written out by hand (the same formulas as gd_step.c) and with autograd. Run with Debian's /usr/bin/python3,
which has python3-torch.

Usage: gd_step_torch.py [--threads T] [--steps S] [--time SECONDS] [--warmup W] [--variant manual|autograd|all] [n d m]
"""
import gd_common

args = gd_common.parse_args(__doc__.splitlines()[0], variants=["manual", "autograd"])
gd_common.pin_threads(args.threads)

import torch  # noqa: E402  (after pin_threads, on purpose)

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)


def make_problem(n, d, m):
    """Du et al. 2019 §5: x_i uniform on the unit sphere, y_i ~ N(0, 1), w_r ~ N(0, I), a_r uniform ±1."""
    g = torch.Generator().manual_seed(20190101)
    x = torch.randn(n, d, generator=g)
    x /= x.norm(dim=1, keepdim=True)
    y = torch.randn(n, generator=g)
    w = torch.randn(m, d, generator=g)
    a = torch.randint(0, 2, (m,), generator=g).float() * 2 - 1
    return x, y, w, a


def manual_step(x, y, w, a, eta):
    s = gd_common.inv_sqrt(w.shape[0])

    def step():
        with torch.no_grad():
            z = x @ w.T                          # n×m, sgemm NT
            u = torch.relu(z) @ a * s            # (1/√m) H a
            r = u - y
            g = (z >= 0).float()                 # mask S, ReLU′(0) = 1
            g *= r[:, None] * (a * s)[None, :]   # G_ir = r_i a_r S_ir / √m
            w.sub_(g.T @ x, alpha=eta)           # ∇W = Gᵀ X (sgemm TN); W −= η ∇W
            return 0.5 * float(r @ r)
    return step


def autograd_step(x, y, w, a, eta):
    s = gd_common.inv_sqrt(w.shape[0])
    w.requires_grad_(True)

    def step():
        u = torch.relu(x @ w.T) @ a * s
        loss = 0.5 * ((u - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w.sub_(w.grad, alpha=eta)
        w.grad = None
        return float(loss)
    return step


variants = ["manual", "autograd"] if args.variant == "all" else [args.variant]
for variant in variants:
    x, y, w, a = make_problem(args.n, args.d, args.m)
    make = manual_step if variant == "manual" else autograd_step
    gd_common.run(f"torch-{variant}", args, make(x, y, w, a, args.eta))
