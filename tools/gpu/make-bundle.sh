#!/usr/bin/env bash
# Packs a release dllm-play (static Swift runtime) and the shared libraries it loads into
# .gpu-bundle/, so that tools/gpu/host-bench.sh can run it on a machine without Swift, OpenBLAS
# or oneDNN (a lent GPU machine: nothing can be installed there). glibc, libstdc++ and libgcc_s
# stay behind: the target's own must be at least as new as this machine's.
# Usage: tools/gpu/make-bundle.sh [SCRATCH]   (SCRATCH: swift build's --scratch-path, default .build-static)
set -euo pipefail
scratch=${1:-.build-static}
swift build -c release --product dllm-play --static-swift-stdlib --scratch-path "$scratch"
rm -rf .gpu-bundle && mkdir -p .gpu-bundle/lib
cp "$scratch/release/dllm-play" .gpu-bundle/ && strip .gpu-bundle/dllm-play
ldd .gpu-bundle/dllm-play | awk '/=> \// { print $3 }' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|libstdc++*|libgcc_s*) ;;
    *) cp -L "$lib" .gpu-bundle/lib/ ;;
  esac
done
# The device call's working tree travels too (64 MiB in all): compressed, this is about 28 MB.
XZ_OPT=-T2 tar -C .gpu-bundle -cJf .gpu-bundle/bundle.tar.xz dllm-play lib
rm -rf .gpu-bundle/lib .gpu-bundle/dllm-play
du -sh .gpu-bundle/*
