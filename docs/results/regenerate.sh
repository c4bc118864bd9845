#!/bin/sh
# Regenerates docs/results.md from two bench runs on the embedded model (about 3 minutes on
# 2 cores). Run from the repository root after `make release`.
set -e
bin=.build/release/dllm-play
out=docs/results
$bin bench --limit 4 --sweep cache=none,dual \
    --json $out/reference.json --csv $out/reference.csv --markdown $out/reference.md
$bin bench --limit 4 --decoders fast-dllm --sweep threshold=0.5,0.7,0.8,0.95 --sweep cache=none,dual \
    --json $out/threshold-sweep.json --csv $out/threshold-sweep.csv --markdown $out/threshold-sweep.md
{
    cat $out/intro.md
    echo
    cat $out/reference.md
    echo
    cat $out/threshold-sweep.md
} > docs/results.md
echo "wrote docs/results.md"
