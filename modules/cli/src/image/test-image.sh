#!/bin/sh
# Tests the runtime image as a user without a JDK runs it (modules/cli's verify phase): no java on the PATH (only the
# tools the launcher script uses), no JAVA_HOME, an empty HOME. It must print its version, train a small network to
# the end, and apply it to new inputs with `predict`.
#   test-image.sh TARGET_DIR SKIP_TESTS IMAGE_SKIP
set -eu
TARGET=$1
if [ "${2:-false}" = true ] || [ "${3:-false}" = true ]; then
  echo "image test: skipped (tests or the image skipped)"
  exit 0
fi
IMAGE="$TARGET/image"
[ -x "$IMAGE/bin/widenet" ] || { echo "image test: $IMAGE/bin/widenet was not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/home"
for tool in sh dirname readlink ls; do ln -s "$(command -v $tool)" "$work/bin/$tool"; done
fail() { echo "image test: $*" >&2; [ -f "$work/log" ] && cat "$work/log" >&2; exit 1; }
run() { env -i HOME="$work/home" PATH="$work/bin" "$IMAGE/bin/widenet" "$@" 2>"$work/log"; }

env -i PATH="$work/bin" sh -c 'command -v java' >/dev/null 2>&1 && fail "java is reachable on the test PATH"
run --version > "$work/version" || fail "widenet --version failed"
grep -q '^widenet ' "$work/version" || fail "unexpected --version output: $(cat "$work/version")"
run train --n 24 --d 6 --m 48 --steps 10 --quiet --out "$work/run" || fail "train failed"
[ -f "$work/run/final/W.npy" ] || fail "train wrote no final/W.npy"
grep -q '"status" *: *"finished"' "$work/run/run.json" || fail "run.json does not say finished"
# two inputs of d = 6 (all ones) as a float32 .npy, written by hand: 10-byte preamble + a 118-byte header = 128
{ printf '\223NUMPY\001\000\166\000'
  printf "%s%58s\n" "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 6), }" ""
  i=0; while [ $i -lt 12 ]; do printf '\000\000\200\077'; i=$((i + 1)); done; } > "$work/X.npy"
run predict --run "$work/run" --x "$work/X.npy" --out "$work/y.npy" || fail "predict failed"
size=$(wc -c < "$work/y.npy")   # a header padded to a multiple of 64 bytes, then 2 float32 predictions
[ "$size" -gt 64 ] && [ $(((size - 8) % 64)) -eq 0 ] || fail "predict's y.npy is not a 2×1 float32 array ($size bytes)"
echo "image test: $IMAGE ran with no JDK on the PATH: --version, train (10 steps), predict"
