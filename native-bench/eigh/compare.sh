#!/usr/bin/env bash
# `widenet theory` beside NumPy on the same data, as whole processes, side by side: H∞ of n unit-norm inputs and
# its spectrum. NumPy writes X (n×d float32) and y once; then, for each thread count and round, in alternating order,
#   widenet   bin/widenet theory --x X --y Y --threads T --json …   (λ₀, λ_max, the full spectrum, (vᵢᵀy)², measure)
#   eigh      eigh_numpy.py vectors X Y   (numpy.linalg.eigh: the cheapest NumPy route to the same outputs)
#   eigvalsh  eigh_numpy.py values X Y    (numpy.linalg.eigvalsh: the spectrum only — less than widenet computes)
# are timed from outside (/usr/bin/time: wall and CPU seconds, peak RSS). The table of medians, the ratios
# widenet / NumPy, the answers of each (λ₀, λ_max, measure: they must agree) and `uptime` before and after go to
# native-bench/results/eigh-<date>-<time>.md, the raw lines to results/raw-eigh-<date>-<time>/.
#
# Usage: native-bench/eigh/compare.sh [--n 6000] [--d 1000] [--threads "1 2"] [--rounds 3]
# Threads: widenet --threads T; NumPy OPENBLAS_NUM_THREADS=T OMP_NUM_THREADS=T.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=/usr/bin/python3   # Debian's, with python3-numpy (pyenv's python3 is first on PATH and has no numpy)
n=6000
d=1000
threads_list="1 2"
rounds=3
while (($#)); do
  case "$1" in
    --n) n=$2; shift ;;
    --d) d=$2; shift ;;
    --threads) threads_list=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in "$n" "$d" "$rounds"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: '$v' is not a positive integer" >&2; exit 2; }
done
read -r -a threads <<<"$threads_list"
stamp=$(date -u +%Y-%m-%d-%H%M)
raw="$root/native-bench/results/raw-eigh-$stamp"
mkdir -p "$raw"
x="$raw/x.npy"
y="$raw/y.npy"
"$python" "$here/eigh_numpy.py" --write-data "$n" "$d" "$x" "$y"
# Build once now (the launcher builds when sources changed), so no round pays for it.
"$root/bin/widenet" theory --help >/dev/null

uptime >"$raw/uptime-before.txt"
results="$raw/runs.tsv"
printf 'tool\tthreads\tround\twall_s\tcpu_s\trss_kb\tlambda_min\tlambda_max\tmeasure\n' >"$results"

run() {   # run TOOL THREADS ROUND
  local tool=$1 t=$2 r=$3 out="$raw/$1-t$2-r$3" answers
  case "$tool" in
    widenet)
      /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$root/bin/widenet" theory --x "$x" --y "$y" --threads "$t" \
        --json "$out.json" >"$out.log" 2>&1
      answers=$("$python" -c "import json,sys; j=json.load(open(sys.argv[1])); print('%.6g %.6g %.6g' % (j['lambda_0'], j['lambda_max'], j['generalisation_measure']))" "$out.json") ;;
    eigh|eigvalsh)
      local mode=vectors
      [ "$tool" = eigvalsh ] && mode=values
      OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/time -f '%e %U %S %M' -o "$out.time" \
        "$python" "$here/eigh_numpy.py" "$mode" "$x" "$y" >"$out.log" 2>&1
      answers=$(sed -n 's/.*lambda_min=\([^ ]*\) lambda_max=\([^ ]*\) measure=\([^ ]*\).*/\1 \2 \3/p' "$out.log") ;;
  esac
  local wall user sys rss cpu lmin lmax meas
  read -r wall user sys rss <"$out.time"
  read -r lmin lmax meas <<<"$answers"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$t" "$r" "$wall" "$cpu" "$rss" "$lmin" "$lmax" "$meas" >>"$results"
  echo "[eigh] $tool threads=$t round=$r wall=${wall}s cpu=${cpu}s load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

for t in "${threads[@]}"; do
  for ((r = 1; r <= rounds; r++)); do
    # Alternate the order so that a slow stretch of the shared machine does not always hit the same tool.
    if ((r % 2)); then order=(widenet eigh eigvalsh); else order=(eigvalsh eigh widenet); fi
    for tool in "${order[@]}"; do
      run "$tool" "$t" "$r"
    done
  done
done
uptime >"$raw/uptime-after.txt"

"$python" "$here/table.py" "$results" "$raw" "$n" "$d" >"$root/native-bench/results/eigh-$stamp.md"
cat "$root/native-bench/results/eigh-$stamp.md"
echo "wrote native-bench/results/eigh-$stamp.md" >&2
