#!/usr/bin/env bash
# The full-batch GD step of widenet, C + OpenBLAS and PyTorch, interleaved round by round in one sitting, so that
# on a shared, loaded machine all three see the same background load on average: prints each round's medians, the
# median of the per-round ratios, and widenet's per-phase breakdown beside OpenBLAS's GEMMs (GdStepPhases) and the
# C program's phases (gd_step's "# phases_ms" line).
#
# Usage: native-bench/gd_step_interleaved.sh [--rounds R] [--threads "1 2"] [n d m]
#   defaults: 3 rounds, threads "1 2", n d m = 1000 1000 4000. Needs native-bench/setup.sh's build and
#   modules/bench/target/benchmarks.jar (./mvnw -q -B -pl modules/bench -am package -DskipTests).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
python=/usr/bin/python3
rounds=3
threads_list="1 2"
size=(1000 1000 4000)
given=()
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --threads) threads_list=$2; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "gd_step_interleaved.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) given+=("$1") ;;
  esac
  shift
done
if ((${#given[@]})); then
  ((${#given[@]} == 3)) || { echo "gd_step_interleaved.sh: give all three sizes n d m, or none" >&2; exit 2; }
  size=("${given[@]}")
fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "gd_step_interleaved.sh: --rounds must be a positive integer, got '$rounds'" >&2; exit 2; }
jar="$root/modules/bench/target/benchmarks.jar"
[ -f "$jar" ] || { echo "gd_step_interleaved.sh: $jar is missing; build it first" >&2; exit 2; }
[ -x "$here/build/gd_step" ] || "$here/setup.sh"
java="$("$root/bin/find-jdk" 25)/bin/java"
n=${size[0]} d=${size[1]} m=${size[2]}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "GD step n=$n d=$d m=$m, $rounds interleaved rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for t in $threads_list; do
  export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t
  for ((r = 1; r <= rounds; r++)); do
    c=$("$here/build/gd_step" --warmup 1 --steps 3 --time 2 "$n" "$d" "$m")
    torch=$("$python" "$here/gd_step_torch.py" --threads "$t" --warmup 1 --steps 3 --time 2 "$n" "$d" "$m")
    "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms1g -cp "$jar" \
      widenet.bench.GdStepPhases --threads "$t" --rounds 3 "$n" "$d" "$m" 2>/dev/null >"$out/java-$t-$r.txt"
    wide=$(awk '/^  Trainer.step\(\)/ { print $2 }' "$out/java-$t-$r.txt")
    c_ms=$(echo "$c" | awk -F, '/^gdstep,c-openblas/ { print $7 }')
    torch_ms=$(echo "$torch" | awk -F, '/^gdstep,torch-manual/ { print $7 }')
    autograd_ms=$(echo "$torch" | awk -F, '/^gdstep,torch-autograd/ { print $7 }')
    echo "$t $r $wide $c_ms $torch_ms $autograd_ms" >>"$out/rounds.txt"
    echo "$c" | grep '^# phases_ms' | sed "s/^# /c-openblas $t $r /" >>"$out/c-phases.txt"
    printf '  threads %s round %s: widenet %s ms, C + OpenBLAS %s ms, PyTorch manual %s ms, autograd %s ms (load %s)\n' \
      "$t" "$r" "$wide" "$c_ms" "$torch_ms" "$autograd_ms" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  awk -v t="$t" '$1 == t { w[NR] = $3; c[NR] = $3 / $4; p[NR] = $3 / $5; a[NR] = $3 / $6; k++ }
    function med(v,   i, j, x, n, s) { n = 0; for (i in v) s[++n] = v[i];
      for (i = 2; i <= n; i++) { x = s[i]; for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]; s[j + 1] = x }
      return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
    END { printf "threads %s: median of %d rounds: widenet/C+OpenBLAS %.2f, widenet/PyTorch manual %.2f, widenet/PyTorch autograd %.2f (time ratios, < 1: widenet faster)\n", t, k, med(c), med(p), med(a) }' \
    "$out/rounds.txt"
  echo "  widenet phases (last round):"
  sed -n '/^median over/,/^heap allocation/p' "$out/java-$t-$rounds.txt" | sed 's/^/    /'
  echo "  C + OpenBLAS phases, ms (each round):"
  awk -v t="$t" '$2 == t { $1 = ""; $2 = ""; $4 = ""; print "   " $0 }' "$out/c-phases.txt"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
