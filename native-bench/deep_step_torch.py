#!/usr/bin/python3
"""One full-batch GD step of a deep ReLU MLP in PyTorch (float32, CPU, autograd), timed: the baseline beside
widenet's DeepStepBenchmark (widths 784-1024-1024-1024-1, batch 1000, no biases, He initialisation, square loss as
a sum, plain GD). Run with Debian's /usr/bin/python3, which has python3-torch.

Usage: deep_step_torch.py [--threads T] [--steps S] [--time SECONDS] [--warmup W] [--widths 784-1024-1024-1024-1]
                          [--batch 1000]
Output: deepstep,torch-autograd,widths,batch,threads,median_ms,min_ms,max_ms,steps,loss_first,loss_last
"""
import argparse
import statistics
import time

import gd_common

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=5)
p.add_argument("--time", type=float, default=3.0)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--widths", default="784-1024-1024-1024-1")
p.add_argument("--batch", type=int, default=1000)
p.add_argument("--eta", type=float, default=1e-4)
args = p.parse_args()
try:
    widths = [int(w) for w in args.widths.split("-")]
except ValueError:
    p.error(f"--widths must be of the form d-n1-...-nL, got {args.widths!r}")
if len(widths) < 2 or min(widths + [args.batch, args.threads, args.steps]) < 1:
    p.error("widths, --batch, --threads and --steps must be positive, with at least two widths")
gd_common.pin_threads(args.threads)

import torch  # noqa: E402  (after pin_threads, on purpose)

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)
g = torch.Generator().manual_seed(20200101)
x = torch.randn(args.batch, widths[0], generator=g)
x /= x.norm(dim=1, keepdim=True)
y = torch.randn(args.batch, widths[-1], generator=g)
# He initialisation, W_l of shape n_{l-1} × n_l (x·W, as widenet stores it).
weights = [(torch.randn(widths[i], widths[i + 1], generator=g) * (2.0 / widths[i]) ** 0.5).requires_grad_(True)
           for i in range(len(widths) - 1)]


def step():
    h = x
    for i, w in enumerate(weights):
        h = h @ w
        if i + 1 < len(weights):
            h = torch.relu(h)
    loss = 0.5 * ((h - y) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        for w in weights:
            w.sub_(w.grad, alpha=args.eta)
            w.grad = None
    return float(loss)


losses = [step() for _ in range(args.warmup)]
times_ms = []
start = time.perf_counter()
while len(times_ms) < args.steps or time.perf_counter() - start < args.time:
    t0 = time.perf_counter()
    losses.append(step())
    times_ms.append(1e3 * (time.perf_counter() - t0))
print(f"deepstep,torch-autograd,{args.widths},{args.batch},{args.threads},{statistics.median(times_ms):.3f},"
      f"{min(times_ms):.3f},{max(times_ms):.3f},{len(times_ms)},{losses[0]:.6g},{losses[-1]:.6g}", flush=True)
