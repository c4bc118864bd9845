#!/usr/bin/env bash
# One call on a lent GPU machine, run from the repository root with the bundle from
# tools/gpu/make-bundle.sh carried as .gpu-bundle/ (nothing can be installed there; its python3
# holds torch, safetensors and numpy). It measures:
#   1. the PyTorch engine (engines/torch) on the GPU: `dllm-play-engine bench` on a random
#      LLaDA-8B-shaped checkpoint, and a whole `dllm-play run --engine` decode through it;
#   2. dllm-play's own CPU paths on that machine's host CPU against PyTorch on the same CPU
#      (`bench --precision` / tools/bench_precision.py), at 2 cores and at all cores.
# Everything it prints also goes to $OUT/host-bench.log.
set -uo pipefail
out=${OUT:-/tmp/dllm-play-gpu}; mkdir -p "$out"
exec > >(tee "$out/host-bench.log") 2>&1
step() { echo; echo "== $(date -u +%T) $*"; }
root=$PWD
mkdir -p /tmp/dlp && tar -C /tmp/dlp -xJf .gpu-bundle/bundle.tar.xz || exit 1
export PYTHONPATH=$root/engines/torch/src PYTHONUNBUFFERED=1
# The bundle's libraries are for dllm-play alone: the engine it starts gets the machine's own.
printf '#!/bin/sh\nunset LD_LIBRARY_PATH\nexec python3 -c "import sys; from dllm_play_engine.cli import main; sys.exit(main())" "$@"\n' \
  > /tmp/dlp/dllm-play-engine && chmod +x /tmp/dlp/dllm-play-engine
printf '#!/bin/sh\nLD_LIBRARY_PATH=/tmp/dlp/lib exec /tmp/dlp/dllm-play "$@"\n' > /tmp/dlp/dlp && chmod +x /tmp/dlp/dlp
export PATH=/tmp/dlp:$PATH
bin=/tmp/dlp/dlp
last=$(( $(nproc) - 1 ))

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket)'
grep -o -w -E 'avx512_bf16|amx_bf16|amx_int8|avx512_vnni' /proc/cpuinfo | sort | uniq -c
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
"$bin" --version

step "host CPU: random 1B-shaped bf16 checkpoint"
python3 tools/make_random_checkpoint.py --shape 1b --out /tmp/r1b
for cores in "0,1" "0-$last"; do
  step "host CPU cores $cores: dllm-play bench --precision (1B, L=288)"
  timeout 120 taskset -c "$cores" "$bin" bench --precision --checkpoint /tmp/r1b --runs 2
  step "host CPU cores $cores: PyTorch (1B, L=288)"
  timeout 60 taskset -c "$cores" python3 tools/bench_precision.py --checkpoint /tmp/r1b --runs 2
done
step "random LLaDA-8B-shaped checkpoint, drawn on the GPU"
time dllm-play-engine random --shape llada-8b --out /tmp/llada8b --device cuda
step "engine bench on the GPU (prefill 300, dual-cache step, whole Fast-dLLM decode)"
timeout 150 dllm-play-engine bench --model /tmp/llada8b --device cuda --runs 5
step "dllm-play run --engine: Fast-dLLM dual cache, 256 tokens, block 32, logits f16 over a pipe"
time timeout 120 "$bin" run --model /tmp/llada8b --engine "dllm-play-engine --model /tmp/llada8b --device cuda" \
  --decoder fast-dllm --set cache=dual --gen-length 256 --template raw --prompt "Count from one to fifty." --json

step "host CPU all cores: LLaDA-8B shape bf16, ours then PyTorch"
timeout 150 "$bin" bench --precision --checkpoint /tmp/llada8b --skip-random --runs 1
timeout 90 python3 tools/bench_precision.py --checkpoint /tmp/llada8b --skip-random --runs 1
step done
