#!/bin/sh
# Regenerates docs/results.md from four bench runs on the embedded model (about 15 minutes on
# 2 cores): the model card's quality bar on the Swift engine, every decoder, a threshold sweep.
# Run from the repository root after `make release`.
set -e
bin=.build/release/dllm-play
out=docs/results
# The quality bar of Models/llada-mini: LLaDA baseline at one token per step, every held-out item.
$bin bench --decoders llada --suite addition --limit 200 \
    --json $out/quality-addition.json --csv $out/quality-addition.csv --markdown $out/quality-addition.md
$bin bench --decoders llada --suite word-problems --limit 200 \
    --json $out/quality-word-problems.json --csv $out/quality-word-problems.csv --markdown $out/quality-word-problems.md
$bin bench --limit 4 --sweep cache=none,dual \
    --json $out/reference.json --csv $out/reference.csv --markdown $out/reference.md
$bin bench --limit 4 --decoders fast-dllm --sweep threshold=0.5,0.7,0.8,0.95 --sweep cache=none,dual \
    --json $out/threshold-sweep.json --csv $out/threshold-sweep.csv --markdown $out/threshold-sweep.md
{
    cat $out/intro.md
    echo
    cat $out/quality-addition.md
    echo
    cat $out/quality-word-problems.md
    echo
    cat $out/reference.md
    echo
    cat $out/threshold-sweep.md
} > docs/results.md
echo "wrote docs/results.md"
