#!/usr/bin/env bash
# Builds llama.cpp's `llama-diffusion-cli` (CPU only, Release) from the llama.cpp source vendored
# in a pinned llama-cpp-python sdist. Everything lands in .build/peer/ (never committed).
# Prints the path of the built binary on the last line of stdout.
#   JOBS=2 tools/peer/llama-diffusion-build.sh
set -euo pipefail

SDIST_VERSION=0.3.36
SDIST_SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
JOBS=${JOBS:-2}

root=$(cd "$(dirname "$0")/../.." && pwd)
peer="$root/.build/peer"
tarball="$peer/llama_cpp_python-$SDIST_VERSION.tar.gz"
src="$peer/llama_cpp_python-$SDIST_VERSION/vendor/llama.cpp"
build="$peer/build-$SDIST_VERSION"
bin="$build/bin/llama-diffusion-cli"

mkdir -p "$peer"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
for tool in cmake c++ python3; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' not found; hint: apt-get install cmake build-essential (only this peer bench needs them)" >&2; exit 1; }
done

if [[ ! -f "$tarball" ]]; then
  python3 -m pip download "llama-cpp-python==$SDIST_VERSION" --no-binary :all: --no-deps -d "$peer" >&2
fi
actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [[ "$actual" != "$SDIST_SHA256" ]]; then
  echo "error: $tarball: sha256 $actual, expected $SDIST_SHA256; hint: delete it and rerun" >&2; exit 1
fi
if [[ ! -f "$src/examples/diffusion/diffusion-cli.cpp" ]]; then
  tar -xzf "$tarball" -C "$peer" "llama_cpp_python-$SDIST_VERSION/vendor/llama.cpp"
fi

# Only what the diffusion example links: no server, tests, tools, TLS or BLAS.
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_OPENSSL=OFF -DGGML_NATIVE=ON -DGGML_BLAS=OFF \
  -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF >&2
nice -n 10 cmake --build "$build" --target llama-diffusion-cli -j "$JOBS" >&2
echo "$bin"
