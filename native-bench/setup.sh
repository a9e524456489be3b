#!/usr/bin/env bash
# Prepares the native baselines: installs the Debian packages they need when missing and builds the C programs
# into native-bench/build/. Safe to run again: apt is only touched when a package is missing.
#
# Usage: native-bench/setup.sh [--no-install]
#   --no-install   fail instead of installing missing packages (e.g. on a machine you do not administer)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/build"
# Debian's interpreter: it is the one python3-torch and python3-numpy are installed for. The python3 first on
# PATH here is pyenv's, which sees neither.
python=/usr/bin/python3
packages=(libopenblas-dev python3-torch python3-numpy)

install=1
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

die() { echo "setup.sh: $*" >&2; exit 1; }

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  ((install)) || die "missing Debian packages: ${missing[*]} (run without --no-install, or: apt-get install ${missing[*]})"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages ${missing[*]}, and not root and no sudo to install them"
    sudo=(sudo)
  fi
  echo "setup.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v gcc >/dev/null || die "gcc not found; install build-essential"
[ -x "$python" ] || die "$python not found; the Python baselines need Debian's python3"
"$python" -c 'import numpy, torch' 2>/dev/null \
  || die "$python cannot import numpy and torch although the packages are installed"

# cblas.h and libopenblas.so: pkg-config knows where Debian's alternatives put them; the fallback is the
# pthread variant's folder, which is what libopenblas-dev pulls in by default.
if pkg-config --exists openblas 2>/dev/null; then
  read -r -a blas_flags <<<"$(pkg-config --cflags --libs openblas)"
else
  blas_flags=(-I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas)
fi

mkdir -p "$build"
for prog in sgemm_bench gd_step; do
  src="$here/$prog.c"
  out="$build/$prog"
  if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$here/bench_util.h" -nt "$out" ]; then
    echo "setup.sh: building $out" >&2
    gcc -O3 -march=native -std=c11 -Wall -Wextra -o "$out" "$src" "${blas_flags[@]}" -lm
  fi
done
echo "setup.sh: native baselines ready in $build" >&2
