#!/usr/bin/python3
"""compare.sh's runs.tsv → a Markdown table: medians per tool and thread count, ratios widenet / NumPy, the machine.

Usage: table.py RUNS.tsv RAW_DIR N D   (standard library only)
"""
import csv
import os
import platform
import statistics
import subprocess
import sys

runs_file, raw, n, d = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(runs_file), delimiter="\t"))


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e:  # the description is best effort
        return f"? ({e})"


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


isa = sh("grep -o 'avx512[a-z]*\\|avx2\\|fma' /proc/cpuinfo | sort -u | tr '\\n' ' '")
corename = sh("/usr/bin/python3 -c \"import ctypes; l=ctypes.CDLL('libopenblas.so.0'); "
              "l.openblas_get_config.restype=ctypes.c_char_p; print(l.openblas_get_config().decode())\"")
numpy_version = sh("/usr/bin/python3 -c 'import numpy; print(numpy.__version__)'")
jdk = sh(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bin", "find-jdk") + " 25")
java_version = sh(f"'{jdk}/bin/java' -version 2>&1 | head -n 1")
lapack = sh("readlink -f /etc/alternatives/liblapack.so.3-x86_64-linux-gnu")

tools = ["widenet", "eigh", "eigvalsh"]
threads = sorted({int(r["threads"]) for r in rows})
med = {}
for t in threads:
    for tool in tools:
        rs = [r for r in rows if r["tool"] == tool and int(r["threads"]) == t]
        if rs:
            med[tool, t] = {k: statistics.median(float(r[k]) for r in rs) for k in ("wall_s", "cpu_s", "rss_kb")}
            med[tool, t]["runs"] = len(rs)
            med[tool, t]["walls"] = sorted(float(r["wall_s"]) for r in rs)

print(f"# `widenet theory` beside NumPy: H∞ and its spectrum, n = {n}, d = {d} (whole processes)\n")
print(f"Run {os.path.basename(raw).replace('raw-eigh-', '')} UTC by `native-bench/eigh/compare.sh`; raw runs in "
      f"`{os.path.relpath(raw, os.path.join(os.path.dirname(runs_file), '..'))}` (not committed).\n")
print(f"- CPU: {cpu_model()}, {os.cpu_count()} cores visible; ISA: {isa}")
print(f"- OpenBLAS: {corename}; LAPACK: {lapack}; NumPy {numpy_version}")
print(f"- JDK: {java_version}")
print(f"- load (uptime) before: `{open(os.path.join(raw, 'uptime-before.txt')).read().strip()}`")
print(f"- load (uptime) after: `{open(os.path.join(raw, 'uptime-after.txt')).read().strip()}`\n")
print("Same input files for all (X: n×d float32 unit rows, y: n float32, written by NumPy). `widenet` = "
      "`bin/widenet theory --x X --y Y --threads T --json F` (λ₀, λ_max, the full spectrum, the projections "
      "(vᵢᵀy)², the measure; no eigenvector matrix); `eigh` = `numpy.linalg.eigh` + projections + measure (the same "
      "outputs); `eigvalsh` = `numpy.linalg.eigvalsh` (the spectrum only: less work than widenet does). NumPy threads "
      "by OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = T. Medians of the rounds; rounds alternate the order.\n")
print("| threads | tool | runs | wall s (median) | wall s (all) | CPU s (median) | peak RSS MB | widenet / this (wall) |")
print("|---|---|---|---|---|---|---|---|")
for t in threads:
    for tool in tools:
        m = med.get((tool, t))
        if not m:
            continue
        ratio = med[("widenet", t)]["wall_s"] / m["wall_s"] if ("widenet", t) in med else float("nan")
        walls = ", ".join(f"{w:.1f}" for w in m["walls"])
        print(f"| {t} | {tool} | {m['runs']} | {m['wall_s']:.2f} | {walls} | {m['cpu_s']:.2f} | "
              f"{m['rss_kb'] / 1024:.0f} | {ratio:.2f} |")
print("\nAnswers (first round of each; λ₀ and λ_max must agree to the float rounding of H∞'s entries):\n")
print("| tool | threads | λ₀ | λ_max | measure |")
print("|---|---|---|---|---|")
for t in threads:
    for tool in tools:
        rs = [r for r in rows if r["tool"] == tool and int(r["threads"]) == t]
        if rs:
            print(f"| {tool} | {t} | {rs[0]['lambda_min']} | {rs[0]['lambda_max']} | {rs[0]['measure']} |")
