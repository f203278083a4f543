#!/usr/bin/env bash
# Installs the Debian packages fitcheck needs that are missing: `build` for building and running,
# `test` adds the test suite's (clang for fuzzing, the Python peers for parity tests).
# As root it runs apt-get; otherwise it prints the exact command to run.
set -euo pipefail

build_pkgs=(g++ cmake ninja-build ccache make libeigen3-dev nlohmann-json3-dev libcli11-dev
  libfmt-dev libfast-float-dev libzip-dev zlib1g-dev pkg-config libhdf5-dev libonnx-dev libprotobuf-dev libhwy-dev)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev python3
  python3-numpy python3-pandas python3-sklearn python3-imblearn python3-torch python3-onnx
  libopenblas0-pthread chromium)

want=("${build_pkgs[@]}")
if [[ "${1:-build}" == "test" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "fitcheck: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "fitcheck: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
