#!/usr/bin/env bash
# Builds the kernels with CMake alone (no Node) and runs test/native/kernels_test.cc on every
# kernel set; then checks that -DTENSORGRAD_CUDA=ON stops with a clear message when nvcc is missing.
set -euo pipefail
if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/test-native.sh   (build dir: build-native/)"
  exit 0
fi
cd "$(dirname "$0")/.."
cmake -S . -B build-native -DTENSORGRAD_NATIVE_TESTS=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-native -j "$(nproc)"
for isa in avx512 avx2 generic; do
  echo "-- TENSORGRAD_ISA=$isa"
  TENSORGRAD_ISA=$isa ./build-native/kernels_test
done

# The GEMM benchmark's C++ program (scripts/bench/gemm_kernel.cc) links the same library: build
# it and run one small product, so that the benchmark cannot rot unseen.
c++ -O2 -std=c++17 scripts/bench/gemm_kernel.cc build-native/libtensorgrad_kernels.a -lpthread \
  -o build-native/gemm_kernel
gflops=$(./build-native/gemm_kernel 20,30,40,0,1)
if ! awk -v g="$gflops" 'BEGIN { exit !(g > 0) }'; then
  echo "FAIL: scripts/bench/gemm_kernel.cc printed '$gflops', expected a positive GFLOP/s"
  exit 1
fi
echo "ok - the GEMM benchmark's kernel program runs ($gflops GFLOP/s on 20x30x40)"

# No nvcc: a PATH without it, and CUDACXX unset.
bare=$(mktemp -d)
trap 'rm -rf "$bare" build-native/cuda-check' EXIT
for tool in cmake sh make ninja g++ gcc c++ cc ld as ar ranlib; do
  if p=$(command -v "$tool"); then ln -s "$p" "$bare/$tool"; fi
done
if out=$(env -u CUDACXX PATH="$bare" CUDA_PATH=/nonexistent cmake -S . -B build-native/cuda-check -DTENSORGRAD_CUDA=ON 2>&1); then
  echo "FAIL: -DTENSORGRAD_CUDA=ON configured without nvcc"
  exit 1
fi
if ! grep -q "TENSORGRAD_CUDA=ON needs the CUDA compiler, and nvcc was not found" <<<"$out"; then
  echo "FAIL: unexpected message from -DTENSORGRAD_CUDA=ON without nvcc:"
  echo "$out"
  exit 1
fi
echo "ok - TENSORGRAD_CUDA=ON without nvcc stops with a clear message"
