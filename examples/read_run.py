"""Read a widenet run folder from Python: settings (run.json), the metrics (metrics.csv) and the weights (.npy).

    python3 examples/read_run.py runs/<run>

Needs NumPy for the weights; the rest is the standard library. The format is described in docs/output-format.md.
"""
import csv
import json
import os
import sys

import numpy as np

run = sys.argv[1]
info = json.load(open(os.path.join(run, "run.json")))
s = info["settings"]
print("model", s["model"], "status", info.get("status"), "n", s["n"], "d", s["d"])

with open(os.path.join(run, "metrics.csv")) as f:
    rows = list(csv.DictReader(f))
first, last = float(rows[0]["loss"]), float(rows[-1]["loss"])
print("steps", rows[-1]["step"], "loss %.6g -> %.6g (ratio %.3g)" % (first, last, last / first))

for name in sorted(os.listdir(os.path.join(run, "final"))):
    w = np.load(os.path.join(run, "final", name))
    w0 = np.load(os.path.join(run, "init", name))
    print("%s shape %s, moved ||final - init||_F = %.4g" % (name, w.shape, np.linalg.norm(w - w0)))
