#!/usr/bin/env bash
# Runs widenet's JMH benchmarks and the native baselines (C + OpenBLAS, PyTorch, NumPy) back to back on this
# machine with pinned thread counts, and prints one comparison table: GEMM GFLOP/s per shape and thread count,
# and milliseconds per full-batch GD step of the two-layer network. The table, the machine description and the
# raw results go to native-bench/results/.
#
# Usage: native-bench/compare.sh [--threads "1 2"] [--quick] [--no-gc] [--no-build]
#   --threads LIST  thread counts to compare (default "1 2")
#   --quick         a few shapes, short iterations, one fork: checks the plumbing in a few minutes;
#                   its numbers are indicative only
#   --no-gc         leave out JMH's -prof gc (allocation per op)
#   --no-build      use the existing modules/bench/target/benchmarks.jar
#
# Thread pinning: widenet gets the JMH parameter threads=T; C and NumPy get OPENBLAS_NUM_THREADS=T and
# OMP_NUM_THREADS=T; PyTorch additionally torch.set_num_threads(T). Without OPENBLAS_NUM_THREADS OpenBLAS uses
# every core even when PyTorch is told to use one.
#
# The machines are shared and noisy: compare ratios taken within one run, not absolute numbers across runs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
python=/usr/bin/python3   # Debian's: it has python3-torch and python3-numpy (pyenv's python3 is first on PATH)

threads_list="1 2"
quick=0
gc_profile=1
build_jar=1
while (($#)); do
  case "$1" in
    --threads) [ $# -ge 2 ] || { echo "compare.sh: --threads needs a list, e.g. --threads \"1 2\"" >&2; exit 2; }
               threads_list=$2; shift ;;
    --threads=*) threads_list=${1#--threads=} ;;
    --quick) quick=1 ;;
    --no-gc) gc_profile=0 ;;
    --no-build) build_jar=0 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "compare.sh: $*" >&2; exit 1; }
say() { echo "[compare] $*" >&2; }

read -r -a threads <<<"$threads_list"
((${#threads[@]})) || die "--threads is empty"
for t in "${threads[@]}"; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "thread count '$t' is not a positive integer"
done
threads_csv=$(IFS=,; echo "${threads[*]}")

# ---- what to run ---------------------------------------------------------------------------------------------
# GEMM shapes as <opA><opB>:<M>x<N>x<K> (the JMH `shape` parameter and sgemm_bench's argument alike).
# GD-step sizes as n d m.
if ((quick)); then
  simd_shapes=(NN:512x512x512 NN:1024x1024x1024 NT:1000x4000x1000 TN:4000x1000x1000 NT:4096x256x64)
  scalar_shapes=(NN:256x256x256 NT:4096x256x64)
  gd_sizes=("1000 1000 4000" "4096 64 256")
  # Two 2-second warm-ups: with less, C2 may not have compiled the Vector API code yet on a loaded machine, and
  # interpreted vector code boxes (megabytes per op under -prof gc, a fraction of the speed).
  jmh_gemm_opts=(-f 1 -wi 2 -i 3 -w 2s -r 1s)
  jmh_gd_opts=(-f 1 -wi 2 -i 3 -w 2s -r 1s)
  sgemm_opts=(--warmup 0.3 --time 1 --min-reps 3)
  gd_opts=(--warmup 1 --steps 3 --time 1)
  jmh_deep_opts=(-f 1 -wi 2 -i 3 -w 2s -r 1s)
else
  simd_shapes=(NN:256x256x256 NN:512x512x512 NN:1024x1024x1024 NN:2048x2048x2048
               NT:1000x4000x1000 TN:4000x1000x1000
               NN:4096x256x64 NT:4096x256x64 TN:4096x256x64 TN:256x64x4096)
  scalar_shapes=(NN:256x256x256 NN:512x512x512 NN:4096x256x64 NT:4096x256x64 TN:4096x256x64)
  gd_sizes=("1000 1000 4000" "4096 64 256")
  jmh_gemm_opts=()   # the annotations' defaults: 2 forks, 3 + 5 one-second iterations
  jmh_gd_opts=()     # 2 forks, 3 + 5 two-second iterations
  sgemm_opts=(--warmup 1 --time 3 --min-reps 5)
  gd_opts=(--warmup 2 --steps 5 --time 4)
  jmh_deep_opts=(-f 1)   # 1 fork of 3 + 5 two-second iterations: ≈ 40 s per thread count
fi
# The deep MLP of DeepStepBenchmark, beside PyTorch autograd (native-bench/deep_step_torch.py).
deep_widths=784-1024-1024-1024-1
deep_batch=1000
# The scalar provider is ≈ 1 GFLOP/s: a GD step at n = d = 1000, m = 4000 would take ≈ 16 s, so it only runs the
# narrow network.
scalar_gd_size=n4096_d64_m256
gd_size_params=$(for s in "${gd_sizes[@]}"; do read -r n d m <<<"$s"; printf 'n%s_d%s_m%s,' "$n" "$d" "$m"; done)
gd_size_params=${gd_size_params%,}

stamp=$(date +%Y%m%d-%H%M%S)
raw="$here/results/raw-$stamp"
table="$here/results/compare-$stamp.md"
mkdir -p "$raw"

# ---- prerequisites -------------------------------------------------------------------------------------------
say "native baselines: setup (installs Debian packages only when missing)"
"$here/setup.sh"

jdk=$("$root/bin/find-jdk" 25) || die "no JDK 25 found (bin/find-jdk failed); set JAVA_HOME to one"
java="$jdk/bin/java"
jar="$root/modules/bench/target/benchmarks.jar"
if ((build_jar)); then
  say "building $jar"
  (cd "$root" && ./mvnw -q -B -pl modules/bench -am package -DskipTests) || die "building the benchmark jar failed"
fi
[ -f "$jar" ] || die "$jar does not exist (run without --no-build)"

# Which providers the jar has and can run here; a missing one is reported and skipped.
"$java" --add-modules=jdk.incubator.vector -cp "$jar" widenet.bench.ProviderCheck >"$raw/providers.tsv" 2>/dev/null \
  || die "could not list the kernel providers in $jar"
provider_ok() { awk -F'\t' -v p="$1" '$1 == p && $2 == "available" { found = 1 } END { exit !found }' "$raw/providers.tsv"; }
provider_status() {
  awk -F'\t' -v p="$1" '$1 == p { print ($2 == "available" ? "available" : "unavailable: " $3); found = 1 }
                        END { if (!found) print "not built" }' "$raw/providers.tsv"
}
say "providers: simd $(provider_status simd); scalar $(provider_status scalar)"

# ---- machine description (also records the load, the main source of noise here) --------------------------------
{
  echo "date=$(date -Is)"
  echo "mode=$( ((quick)) && echo quick || echo full)"
  echo "threads=$threads_list"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cpus=$(nproc) ($(lscpu | sed -n 's/^Core(s) per socket: *//p' | head -1) cores per socket, $(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1) thread(s) per core)"
  echo "cpu_flags=$(grep -m1 -o -w -E 'avx512f|avx2|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "cpu_isa=$(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'sse4_2|avx|avx2|fma|avx512[a-z0-9_]*|amx[a-z0-9_]*' | sort -u | tr '\n' ' ')"
  echo "cpu_model=family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  # The kernels OpenBLAS's DYNAMIC_ARCH picked here (openblas_get_corename(), printed by sgemm_bench).
  echo "openblas_core=$(OPENBLAS_NUM_THREADS=1 "$here/build/sgemm_bench" --warmup 0 --time 0.01 --min-reps 1 NN:8x8x8 \
    | sed -n 's/^# openblas .*; core \([^;]*\);.*/\1/p')${OPENBLAS_CORETYPE:+ (OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE)}"
  # The CPU widenet saw and the kernel configuration its table chose (Kernels.description()).
  echo "widenet_kernels=$("$java" --add-modules=jdk.incubator.vector -cp "$jar" widenet.bench.ProviderCheck --describe 2>/dev/null)"
  echo "kernel=$(uname -sr)"
  echo "jdk=$("$java" -version 2>&1 | sed -n 2p)"
  # Installed variants only (dpkg also lists known-but-absent ones): pthread, openmp or serial.
  echo "openblas_package=$(dpkg-query -W -f='${db:Status-Abbrev}|${Package} ${Version}\n' 'libopenblas0-*' 2>/dev/null \
    | awk -F'|' '$1 ~ /^ii/ { printf "%s%s", sep, $2; sep = ", " }')"
  echo "torch=$("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null)"
  echo "numpy=$("$python" -c 'import numpy; print(numpy.__version__)' 2>/dev/null)"
  echo "simd=$(provider_status simd)"
  echo "scalar=$(provider_status scalar)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$raw/machine.txt"

# ---- JMH -----------------------------------------------------------------------------------------------------
jmh_prof=()
((gc_profile)) && jmh_prof=(-prof gc)

# run_jmh NAME ARGS...: one JMH invocation, CSV to $raw/jmh-NAME.csv, full output to $raw/jmh-NAME.log,
# progress lines on the terminal.
run_jmh() {
  local name=$1; shift
  say "JMH $name (log: $raw/jmh-$name.log)"
  set +e
  "$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" "$@" "${jmh_prof[@]}" \
      -rf csv -rff "$raw/jmh-$name.csv" 2>&1 \
    | tee "$raw/jmh-$name.log" \
    | awk '/^# Run progress/ { print "    " $0; fflush() }'
  local rc=${PIPESTATUS[0]}
  set -e
  ((rc == 0)) || die "JMH $name failed (exit $rc); see $raw/jmh-$name.log"
  if grep -q -E '^<failure>|Benchmark had encountered error' "$raw/jmh-$name.log"; then
    say "warning: some JMH $name benchmarks failed; their cells will be empty (see the log)"
  fi
}

join_csv() { local IFS=,; echo "$*"; }

if provider_ok simd; then
  run_jmh gemm-simd 'widenet\.bench\.GemmBenchmark\.' "${jmh_gemm_opts[@]}" \
    -p provider=simd -p threads="$threads_csv" -p shape="$(join_csv "${simd_shapes[@]}")"
  run_jmh gdstep-simd 'widenet\.bench\.GdStepBenchmark\.' "${jmh_gd_opts[@]}" \
    -p provider=simd -p threads="$threads_csv" -p size="$gd_size_params"
  run_jmh deepstep-simd 'widenet\.bench\.DeepStepBenchmark\.' "${jmh_deep_opts[@]}" \
    -p provider=simd -p threads="$threads_csv" -p widths="$deep_widths" -p batch="$deep_batch" -p biases=false
else
  say "simd provider $(provider_status simd): skipping widenet-simd benchmarks"
fi
# The reference is single-threaded whatever it is asked, so it only fills the threads = 1 rows.
if provider_ok scalar && [[ " ${threads[*]} " == *" 1 "* ]]; then
  run_jmh gemm-scalar 'widenet\.bench\.ScalarGemmBenchmark\.' "${jmh_gemm_opts[@]}" \
    -p provider=scalar -p threads=1 -p shape="$(join_csv "${scalar_shapes[@]}")"
  run_jmh gdstep-scalar 'widenet\.bench\.GdStepBenchmark\.' "${jmh_gd_opts[@]}" \
    -p provider=scalar -p threads=1 -p size="$scalar_gd_size"
fi

# ---- native baselines ----------------------------------------------------------------------------------------
all_shapes=$(printf '%s\n' "${simd_shapes[@]}" "${scalar_shapes[@]}" | awk '!seen[$0]++')
: >"$raw/native-sgemm.csv"
: >"$raw/native-gdstep.csv"
: >"$raw/native-deepstep.csv"
for t in "${threads[@]}"; do
  export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t
  say "OpenBLAS sgemm, $t thread(s)"
  # shellcheck disable=SC2086  # one argument per shape
  "$here/build/sgemm_bench" "${sgemm_opts[@]}" $all_shapes | tee -a "$raw/native-sgemm.csv" | sed '/^#/d; s/^/    /'
  for size in "${gd_sizes[@]}"; do
    read -r n d m <<<"$size"
    say "GD step n=$n d=$d m=$m, $t thread(s): C + OpenBLAS, PyTorch, NumPy"
    {
      "$here/build/gd_step" "${gd_opts[@]}" "$n" "$d" "$m"
      "$python" "$here/gd_step_torch.py" --threads "$t" "${gd_opts[@]}" "$n" "$d" "$m"
      "$python" "$here/gd_step_numpy.py" --threads "$t" "${gd_opts[@]}" "$n" "$d" "$m"
    } | tee -a "$raw/native-gdstep.csv" | sed '/^#/d; s/^/    /'
  done
  say "deep step $deep_widths, batch $deep_batch, $t thread(s): PyTorch autograd"
  "$python" "$here/deep_step_torch.py" --threads "$t" "${gd_opts[@]}" --widths "$deep_widths" --batch "$deep_batch" \
    | tee -a "$raw/native-deepstep.csv" | sed '/^#/d; s/^/    /'
done
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS MKL_NUM_THREADS
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$raw/machine.txt"

# ---- the table -----------------------------------------------------------------------------------------------
"$python" "$here/compare_table.py" "$raw" >"$table" || die "making the table from $raw failed"
echo
cat "$table"
echo
say "table written to $table (raw results in $raw)"
