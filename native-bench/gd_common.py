"""Command line, thread pinning, timing and output shared by gd_step_torch.py and gd_step_numpy.py.

Both scripts time the same full-batch GD step as gd_step.c (see there for the formulas) and print lines
  gdstep,<impl>,n,d,m,threads,median_ms,min_ms,max_ms,steps,loss_first,loss_last
that compare.sh reads.
"""
import argparse
import math
import os
import statistics
import time


def parse_args(description, variants=None):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=1, help="threads for BLAS and the framework (default 1)")
    p.add_argument("--steps", type=int, default=5, help="at least this many timed steps (default 5)")
    p.add_argument("--time", type=float, default=3.0, help="and at least this many seconds of them (default 3)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    p.add_argument("--eta", type=float, default=0.1, help="step size (default 0.1)")
    if variants:
        p.add_argument("--variant", choices=variants + ["all"], default="all", help="which gradient (default all)")
    p.add_argument("sizes", type=int, nargs="*", metavar="n d m", help="samples, input dimension, width (default 1000 1000 4000)")
    args = p.parse_args()
    if len(args.sizes) not in (0, 3):
        p.error("give all three sizes n d m, or none for 1000 1000 4000")
    args.n, args.d, args.m = args.sizes or (1000, 1000, 4000)
    if min(args.n, args.d, args.m, args.threads, args.steps) < 1 or args.warmup < 0 or not args.time >= 0:
        p.error("sizes, --threads and --steps must be positive, --warmup and --time non-negative")
    return args


def pin_threads(threads):
    """Must run before numpy or torch is imported: OpenBLAS reads these once, when it is loaded. Without
    OPENBLAS_NUM_THREADS, PyTorch on one thread still lets OpenBLAS use every core."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


def run(impl, args, step):
    """Times step() (which returns the loss before the update) and prints one result line."""
    losses = [step() for _ in range(args.warmup)]
    times_ms = []
    start = time.perf_counter()
    while len(times_ms) < args.steps or time.perf_counter() - start < args.time:
        t0 = time.perf_counter()
        loss = step()
        times_ms.append(1e3 * (time.perf_counter() - t0))
        losses.append(loss)
    print(f"gdstep,{impl},{args.n},{args.d},{args.m},{args.threads},{statistics.median(times_ms):.3f},"
          f"{min(times_ms):.3f},{max(times_ms):.3f},{len(times_ms)},{losses[0]:.6g},{losses[-1]:.6g}", flush=True)


def inv_sqrt(m):
    return 1.0 / math.sqrt(m)
