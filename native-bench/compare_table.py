#!/usr/bin/python3
"""Turns the raw results of one compare.sh run into the Markdown comparison table (on stdout).

Usage: compare_table.py RAW_DIR

RAW_DIR holds machine.txt (key=value lines), providers.tsv, jmh-*.csv (JMH -rf csv, ms/op, optionally with
-prof gc rows), native-sgemm.csv (sgemm_bench lines) and native-gdstep.csv (gd_step*, lines). Standard library
only, so Debian's python3 runs it without extra packages.

GEMM: GFLOP/s = 2·M·N·K / time, M, N, K read from the shape <opA><opB>:<M>x<N>x<K>. JMH's error (99.9 % confidence
half-width of the mean time) is carried over to first order: ΔG = G·Δt/t.
"""
import csv
import glob
import math
import os
import re
import sys

SHAPE = re.compile(r"([NT])([NT]):(\d+)x(\d+)x(\d+)$", re.I)
GD_SIZE = re.compile(r"n(\d+)_d(\d+)_m(\d+)$")

# What the shapes mean for the two-layer network f(x) = (1/√m) Σ a_r relu(w_rᵀx); unknown shapes get no note.
SHAPE_NOTES = {
    "NT:1000x4000x1000": "forward X·Wᵀ, n=d=1000, m=4000",
    "TN:4000x1000x1000": "backward Gᵀ·X, n=d=1000, m=4000",
    "NN:4096x256x64": "narrow output",
    "NT:4096x256x64": "narrow; forward, n=4096 d=64 m=256",
    "TN:4096x256x64": "narrow output",
    "TN:256x64x4096": "backward, n=4096 d=64 m=256",
}

GD_IMPLS = [("c-openblas", "C + OpenBLAS"), ("torch-manual", "PyTorch manual"),
            ("torch-autograd", "PyTorch autograd"), ("numpy", "NumPy")]


def read_key_values(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    out[key] = value
    return out


def provider_status(raw, name):
    path = os.path.join(raw, "providers.tsv")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if fields and fields[0] == name:
                    return "available" if len(fields) > 1 and fields[1] == "available" else "unavailable"
    return "not built"


def shape_flops(shape):
    m = SHAPE.match(shape)
    if not m:
        raise ValueError(f"GEMM shape {shape!r} is not <opA><opB>:<M>x<N>x<K>")
    return 2.0 * int(m.group(3)) * int(m.group(4)) * int(m.group(5))


def canonical_shape(shape):
    m = SHAPE.match(shape)
    return f"{m.group(1).upper()}{m.group(2).upper()}:{m.group(3)}x{m.group(4)}x{m.group(5)}" if m else shape


def read_jmh(raw):
    """Returns (timings, allocations): timings[(benchmark, provider, key, threads)] = (ms, error_ms) where key is
    the GEMM shape or the GD size; allocations is a list of (benchmark, provider, key, threads, bytes_per_op)."""
    timings, allocations = {}, []
    for path in sorted(glob.glob(os.path.join(raw, "jmh-*.csv"))):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                name = row["Benchmark"]
                bench, _, secondary = name.partition(":")
                bench = bench.rsplit(".", 2)[-2]          # widenet.bench.GemmBenchmark.gemm -> GemmBenchmark
                kind = {"GdStepBenchmark": "gd", "DeepStepBenchmark": "deep", "GemmBenchmark": "gemm",
                        "ScalarGemmBenchmark": "gemm"}.get(bench)
                if kind is None:
                    continue   # a benchmark this table has no place for
                key = (row.get("Param: size") if kind == "gd" else row.get("Param: widths") if kind == "deep"
                       else canonical_shape(row.get("Param: shape", "")))
                if kind == "deep" and row.get("Param: biases", "false") != "false":
                    continue
                provider = row.get("Param: provider", "?")
                threads = int(row.get("Param: threads", "1"))
                if kind == "gemm" and row.get("Param: epilogue", "none") != "none":
                    continue
                score = float(row["Score"])
                if not secondary:
                    if row["Unit"] != "ms/op":
                        raise ValueError(f"{path}: expected ms/op, got {row['Unit']!r} for {name}")
                    timings[(kind, provider, key, threads)] = (score, float(row["Score Error (99.9%)"]))
                elif secondary == "gc.alloc.rate.norm":
                    allocations.append((bench, provider, key, threads, score))
    return timings, allocations


def read_native(path, tag):
    """Lines of `tag,...` from a native results file (comment lines start with '#')."""
    rows, comments = [], []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("#"):
                    comments.append(line[1:].strip())
                elif line.startswith(tag + ","):
                    rows.append(line.split(","))
    return rows, comments


def fmt(x, digits=1):
    return "–" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def ratio(x):
    return "–" if x is None or math.isnan(x) else f"{x:.2f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: compare_table.py RAW_DIR (a folder written by compare.sh)")
    raw = sys.argv[1]
    machine = read_key_values(os.path.join(raw, "machine.txt"))
    timings, allocations = read_jmh(raw)
    sgemm_rows, sgemm_comments = read_native(os.path.join(raw, "native-sgemm.csv"), "sgemm")
    gd_rows, _ = read_native(os.path.join(raw, "native-gdstep.csv"), "gdstep")
    deep_rows, _ = read_native(os.path.join(raw, "native-deepstep.csv"), "deepstep")
    simd_status = provider_status(raw, "simd")
    missing_simd = "not built" if simd_status == "not built" else ("unavailable" if simd_status != "available" else "–")

    out = []
    out.append(f"# widenet vs native baselines, {machine.get('date', '?')} ({machine.get('mode', '?')} run)")
    out.append("")
    openblas_config = next((c for c in sgemm_comments if c.startswith("openblas")), "")
    openblas_config = re.sub(r";\s*threads \d+$", "", openblas_config)
    for label, value in [
        ("CPU", f"{machine.get('cpu', '?')}, {machine.get('cpus', '?')}, {machine.get('cpu_flags', '').strip()}"),
        ("CPU ISA", f"{machine.get('cpu_model', '?')}: {machine.get('cpu_isa', '?').strip()}"),
        ("OpenBLAS core", machine.get("openblas_core", "?") or "?"),
        ("widenet kernels", machine.get("widenet_kernels", "?") or "?"),
        ("OS", machine.get("kernel", "?")),
        ("JDK", machine.get("jdk", "?")),
        ("OpenBLAS", f"{machine.get('openblas_package', '?')} ({openblas_config})" if openblas_config
                     else machine.get("openblas_package", "?")),
        ("PyTorch / NumPy", f"{machine.get('torch', '?')} / {machine.get('numpy', '?')} (Debian packages, "
                            "BLAS through the OpenBLAS above)"),
        ("widenet providers", f"simd {simd_status}; scalar {provider_status(raw, 'scalar')}"),
        ("load average", f"{machine.get('load_before', '?')} before, {machine.get('load_after', '?')} after"),
    ]:
        out.append(f"- **{label}**: {value}")
    out.append("")
    out.append("Thread counts are pinned (widenet's `threads` parameter; OPENBLAS_NUM_THREADS / OMP_NUM_THREADS; "
               "`torch.set_num_threads`). Shared machines are noisy: compare ratios within one run, not absolute "
               "numbers across runs.")
    if machine.get("mode") == "quick":
        out.append("")
        out.append("**Quick run** (1 fork, 2 two-second warm-ups + 3 one-second iterations, short native runs): a plumbing check. JMH's "
                   "99.9 % errors from 3 samples are wide; do not quote these numbers.")
    if simd_status != "available":
        out.append("")
        out.append(f"**simd provider {simd_status}**: widenet-simd columns are empty; build "
                   "`modules/kernel-simd` (merge main) and run again.")

    targets_at = len(out)   # the targets summary goes here, once every number is known

    # ---- GEMM ----
    threads = sorted({int(r[5]) for r in sgemm_rows} | {k[3] for k in timings if k[0] == "gemm"})
    shapes = []
    for r in sgemm_rows:
        s = f"{r[1]}:{r[2]}x{r[3]}x{r[4]}"
        if s not in shapes:
            shapes.append(s)
    for k in timings:
        if k[0] == "gemm" and k[2] not in shapes:
            shapes.append(k[2])
    openblas = {(f"{r[1]}:{r[2]}x{r[3]}x{r[4]}", int(r[5])): float(r[6]) for r in sgemm_rows}
    rows = []
    for shape in shapes:
        flops = shape_flops(shape)
        for t in threads:
            simd = timings.get(("gemm", "simd", shape, t))
            scalar = timings.get(("gemm", "scalar", shape, t))
            blas_ms = openblas.get((shape, t))
            if simd is None and scalar is None and blas_ms is None:
                continue
            blas_g = flops / (blas_ms * 1e6) if blas_ms else None
            if simd:
                simd_g = flops / (simd[0] * 1e6)
                simd_cell = fmt(simd_g) + ("" if math.isnan(simd[1]) else f" ± {simd_g * simd[1] / simd[0]:.1f}")
            else:
                simd_g, simd_cell = None, missing_simd
            scalar_cell = fmt(flops / (scalar[0] * 1e6), 2) if scalar else "–"
            rows.append([f"`{shape}`", SHAPE_NOTES.get(shape, "square" if len(set(shape[3:].split("x"))) == 1 else ""),
                         str(t), simd_cell, scalar_cell, fmt(blas_g),
                         ratio(simd_g / blas_g) if simd_g and blas_g else "–"])
    out.append("")
    out.append("## GEMM, GFLOP/s (higher is better)")
    out.append("")
    out.append("C = op(A)·op(B), shape `<opA><opB>:<M>x<N>x<K>`, GFLOP/s = 2·M·N·K / time. widenet: JMH mean ± "
               "99.9 % error; OpenBLAS: `cblas_sgemm`, median of the repetitions. Ratio > 1: widenet faster.")
    out.append("")
    out.append(table(["shape", "what", "threads", "widenet-simd", "widenet-scalar", "OpenBLAS", "simd / OpenBLAS"],
                     rows) if rows else "(no GEMM results)")

    # ---- GD step ----
    native_gd = {(r[1], f"n{r[2]}_d{r[3]}_m{r[4]}", int(r[5])): float(r[6]) for r in gd_rows}
    sizes = []
    for r in gd_rows:
        s = f"n{r[2]}_d{r[3]}_m{r[4]}"
        if s not in sizes:
            sizes.append(s)
    for k in timings:
        if k[0] == "gd" and k[2] not in sizes:
            sizes.append(k[2])
    gd_threads = sorted({k[2] for k in native_gd} | {k[3] for k in timings if k[0] == "gd"})
    rows = []
    for size in sizes:
        n, d, m = GD_SIZE.match(size).groups()
        for t in gd_threads:
            simd = timings.get(("gd", "simd", size, t))
            scalar = timings.get(("gd", "scalar", size, t))
            base = [native_gd.get((impl, size, t)) for impl, _ in GD_IMPLS]
            if simd is None and scalar is None and all(b is None for b in base):
                continue
            simd_cell = (fmt(simd[0]) + ("" if math.isnan(simd[1]) else f" ± {simd[1]:.1f}")) if simd else missing_simd
            cells = []
            for b in base:
                if b is None:
                    cells.append("–")
                elif simd:
                    cells.append(f"{fmt(b)} ({ratio(b / simd[0])})")
                else:
                    cells.append(fmt(b))
            rows.append([f"{n}, {d}, {m}", str(t), simd_cell, fmt(scalar[0]) if scalar else "–"] + cells)
    out.append("")
    out.append("## One full-batch GD step of the two-layer ReLU network, ms (lower is better)")
    out.append("")
    out.append("Forward Z = X·Wᵀ, ReLU + mask, u = Ha/√m, backward G = (r aᵀ ⊙ S)/√m, ∇W = Gᵀ·X, W −= η∇W "
               "(η = 0.1, square loss). widenet: `Trainer.step()`, JMH mean ± 99.9 % error; baselines: median step. "
               "In brackets: baseline time / widenet time (> 1: widenet faster).")
    out.append("")
    out.append(table(["n, d, m", "threads", "widenet-simd", "widenet-scalar"] + [label for _, label in GD_IMPLS],
                     rows) if rows else "(no GD-step results)")

    # ---- deep step ----
    native_deep = {(r[2], int(r[4])): float(r[5]) for r in deep_rows}
    deep_widths = sorted({k[2] for k in timings if k[0] == "deep"} | {w for w, _ in native_deep})
    rows = []
    for widths in deep_widths:
        for t in sorted({k[3] for k in timings if k[0] == "deep"} | {t for _, t in native_deep}):
            simd = timings.get(("deep", "simd", widths, t))
            torch_ms = native_deep.get((widths, t))
            if simd is None and torch_ms is None:
                continue
            rows.append([f"`{widths}`", str(t), (fmt(simd[0]) + ("" if math.isnan(simd[1]) else f" ± {simd[1]:.1f}"))
                         if simd else missing_simd, fmt(torch_ms),
                         ratio(torch_ms / simd[0]) if simd and torch_ms else "–"])
    if rows:
        out.append("")
        out.append("## One GD step of a deep ReLU MLP, batch 1000, no biases, ms (lower is better)")
        out.append("")
        out.append("widenet: `DeepStepBenchmark` (`Trainer.step()` on a `DeepNetwork`), JMH mean ± 99.9 % error; "
                   "PyTorch: `deep_step_torch.py` (autograd, same widths, He init, square loss), median step.")
        out.append("")
        out.append(table(["widths", "threads", "widenet-simd", "PyTorch autograd", "PyTorch / widenet"], rows))

    # ---- scaling ----
    rows = []
    for shape in shapes:
        s1, s2 = timings.get(("gemm", "simd", shape, 1)), timings.get(("gemm", "simd", shape, 2))
        b1, b2 = openblas.get((shape, 1)), openblas.get((shape, 2))
        if (s1 and s2) or (b1 and b2):
            rows.append([f"`{shape}`", ratio(s1[0] / s2[0]) if s1 and s2 else "–", ratio(b1 / b2) if b1 and b2 else "–"])
    if rows:
        out.append("")
        out.append("## GEMM, 2 threads against 1 (time at 1 thread / time at 2 threads)")
        out.append("")
        out.append(table(["shape", "widenet-simd", "OpenBLAS"], rows))

    # ---- targets (issue 13) ----
    def gemm_ratio(shape, t):
        simd = timings.get(("gemm", "simd", shape, t))
        blas_ms = openblas.get((shape, t))
        return blas_ms / simd[0] if simd and blas_ms else None

    def gd_ratio(impl, t, size="n1000_d1000_m4000"):
        simd = timings.get(("gd", "simd", size, t))
        base = native_gd.get((impl, size, t))
        return simd[0] / base if simd and base else None

    quick = machine.get("mode") == "quick"

    def verdict(value, goal, at_least):
        if value is None:
            return "not measured"
        if quick:
            return "(quick run: not a measurement)"
        return "met" if (value >= goal if at_least else value <= goal) else "missed"

    target_rows = []
    for label, shapes_of, goal in [("GEMM square ≥ 1024, simd / OpenBLAS GFLOP/s", ["NN:1024x1024x1024", "NN:2048x2048x2048"], 0.95),
                                   ("GEMM NT/TN of the network, simd / OpenBLAS", ["NT:1000x4000x1000", "TN:4000x1000x1000"], 0.95),
                                   ("GEMM narrow outputs, simd / OpenBLAS", ["NN:4096x256x64", "NT:4096x256x64",
                                                                           "TN:4096x256x64", "TN:256x64x4096"], 1.0)]:
        for shape in shapes_of:
            for t in threads:
                v = gemm_ratio(shape, t)
                if v is not None or shape in shapes:
                    target_rows.append([label, f"`{shape}`", str(t), ratio(v), f"≥ {goal:.2f}×", verdict(v, goal, True)])
    for shape in ["NN:1024x1024x1024", "NT:1000x4000x1000", "TN:4000x1000x1000", "TN:256x64x4096"]:
        s1 = timings.get(("gemm", "simd", shape, 1))
        s2 = timings.get(("gemm", "simd", shape, 2))
        v = s1[0] / s2[0] if s1 and s2 else None
        if v is not None or shape in shapes:
            target_rows.append(["2 threads / 1 thread, simd", f"`{shape}`", "2 vs 1", ratio(v), "≥ 1.90×",
                                verdict(v, 1.9, True)])
    for t in gd_threads:
        v = gd_ratio("c-openblas", t)
        target_rows.append(["GD step time, widenet / C + OpenBLAS", "n = d = 1000, m = 4000", str(t), ratio(v), "≤ 1.00×",
                            verdict(v, 1.0, False)])
        for impl, name in [("torch-manual", "PyTorch manual"), ("torch-autograd", "PyTorch autograd")]:
            v = gd_ratio(impl, t)
            target_rows.append([f"GD step time, widenet / {name}", "n = d = 1000, m = 4000", str(t), ratio(v),
                                "≤ 0.90×", verdict(v, 0.9, False)])
    for bench, provider, key, t, b in allocations:
        if bench in ("GdStepBenchmark", "DeepStepBenchmark") and provider == "simd":
            target_rows.append([f"allocation, {bench}", f"`{key}`", str(t), f"{fmt(b)} B/op", "≈ 0 (JMH noise)", "see note"])
    summary = ["", "## Targets of issue 13", "",
               "Ratios from this run (GEMM: widenet GFLOP/s / OpenBLAS GFLOP/s; GD step: widenet time / baseline "
               "time). JMH's `-prof gc` B/op of a step that takes hundreds of ms is JMH's own per-iteration "
               "allocation (≈ 5–7 KB) divided by the few steps of an iteration; `GdStepPhases` counts a step's "
               "allocation exactly (0 bytes).", "",
               table(["target", "shape", "threads", "measured", "goal", ""], target_rows)]
    out[targets_at:targets_at] = summary

    # ---- allocation ----
    if allocations:
        out.append("")
        out.append("## Allocation per operation (JMH `-prof gc`, `gc.alloc.rate.norm`)")
        out.append("")
        out.append("After warm-up the kernels and the trainer should allocate nothing: ≈ 0 B/op, up to JMH's own "
                   "per-iteration bookkeeping divided by the (few) operations of an iteration for slow operations.")
        out.append("")
        arows = [[bench, provider, f"`{key}`", str(t), fmt(b)] for bench, provider, key, t, b in allocations]
        out.append(table(["benchmark", "provider", "shape / size", "threads", "B/op"], arows))
    out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
