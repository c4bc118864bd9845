#!/usr/bin/env bash
# Reproduces Models/llada-mini from scratch: data, tokenizer, training, export, golden logits, eval, card.
# Needs: apt-get install sword-text-web diatheke; a venv with torch==2.13.0+cpu tokenizers safetensors numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-/work/venv-train/bin/python}"
exec "$PY" -m training.pipeline "$@"
