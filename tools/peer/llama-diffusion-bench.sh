#!/usr/bin/env bash
# Time per diffusion step: llama.cpp's llama-diffusion-cli and dllm-play on the same GGUF file.
#
#   tools/peer/llama-diffusion-bench.sh [--type Q8_0] [--shape 1b] [--model FILE.gguf]
#       [--length 64] [--steps 8] [--threads 2] [--repeats 2] [--donor Tests/Fixtures/gguf/llada-tok.gguf]
#
# Without --model it writes a random LLaDA model of --shape in --type with dllm-play's own writer
# (`bench --gguf --keep-gguf`, which also prints that file's forward timings), then grafts the
# donor fixture's tokenizer onto it (tools/peer/graft_tokenizer.py; the token list is padded to the
# model's vocabulary with unused tokens), since both programs need a vocabulary to tokenize the
# prompt. Everything goes to .build/peer/ (never committed).
#
# Comparable decode: both sides run a canvas of --length positions (prompt + answer) in one block,
# --steps full forwards of the whole canvas (no cache), greedy, low-confidence remasking, with
# --threads threads (llama.cpp: -t/-tb; dllm-play: DLLM_THREADS). llama.cpp's number is its
# own "time per step" (total decode time / steps, sampling included); dllm-play's is the decode's
# wall time / NFE from `run --json` (model load excluded on both sides). The two sides run back to
# back, --repeats times, so a loaded machine hits both alike.
set -euo pipefail

type=Q8_0 shape=1b model="" length=64 steps=8 threads=2 repeats=2
root=$(cd "$(dirname "$0")/../.." && pwd)
donor="$root/Tests/Fixtures/gguf/llada-tok.gguf"
prompt="The quick brown fox jumps over the lazy dog."
while [[ $# -gt 0 ]]; do
  case "$1" in
    --type) type=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --length) length=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --donor) donor=$2; shift 2 ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    *) echo "error: unknown argument '$1'; hint: --help lists the options" >&2; exit 2 ;;
  esac
done

peer=$(JOBS=${JOBS:-2} "$root/tools/peer/llama-diffusion-build.sh" | tail -1)
ours="$root/.build/release/dllm-play"
if [[ ! -x "$ours" ]]; then
  (cd "$root" && nice -n 10 swift build -c release --product dllm-play -j 2 >&2)
fi
export DLLM_THREADS=$threads

models="$root/.build/peer/models"
mkdir -p "$models"
if [[ -z "$model" ]]; then
  model="$models/random-$shape-$type.tok.gguf"
  if [[ ! -f "$model" ]]; then
    "$ours" bench --gguf --gguf-shape "$shape" --gguf-types "$type" --gguf-dir "$models" --keep-gguf --runs 1
    python3 "$root/tools/peer/graft_tokenizer.py" "$models/random-$shape-$type.gguf" "$donor" "$model"
    rm -f "$models/random-$shape-$type.gguf"
  fi
fi
[[ -f "$model" ]] || { echo "error: $model: no such file; hint: pass an existing .gguf to --model" >&2; exit 2; }

# dllm-play's canvas is its prompt plus the answer: size the answer so the canvas is --length.
prompt_tokens=$("$ours" tokenize --model "$model" --template raw --json "$prompt" \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["ids"]))')
answer=$((length - prompt_tokens))
(( answer > 0 )) || { echo "error: --length $length leaves no answer after $prompt_tokens prompt tokens" >&2; exit 2; }

echo "model $model"
echo "canvas $length positions, $steps steps, one block, greedy, $threads threads; dllm-play prompt $prompt_tokens + answer $answer"
printf '%-8s %-10s %14s %14s\n' repeat type "llama.cpp ms" "dllm-play ms"
for ((r = 1; r <= repeats; r++)); do
  peer_log=$("$peer" -m "$model" -p "$prompt" -ub "$length" -b "$length" -c "$length" \
    --diffusion-steps "$steps" --diffusion-block-length "$length" --diffusion-algorithm 4 \
    --temp 0 --seed 1 -t "$threads" -tb "$threads" 2>&1) \
    || { echo "$peer_log" | tail -20 >&2; echo "error: llama-diffusion-cli failed on $model" >&2; exit 1; }
  peer_ms=$(echo "$peer_log" | sed -n 's/.*total time: [0-9.]*ms, time per step: \([0-9.]*\)ms.*/\1/p' | tail -1)
  ours_json=$("$ours" run --model "$model" --decoder llada --template raw --gen-length "$answer" \
    --set steps="$steps" --set block_length="$answer" --seed 1 --json --prompt "$prompt")
  ours_ms=$(echo "$ours_json" | python3 -c 'import json,sys; o=json.load(sys.stdin); print("%.2f" % (o["seconds"] * 1e3 / o["nfe"]))')
  printf '%-8s %-10s %14s %14s\n' "$r" "$type" "${peer_ms:-?}" "$ours_ms"
done
