#!/bin/sh
# Regenerates docs/results.md from four bench runs on the embedded model (34 minutes measured on
# 2 busy cores, 16 CPU-minutes): the model card's quality bar on the Swift engine, every decoder, a threshold sweep;
# then the SVG plots of the last two from their JSON reports (`dllm-play plot`, no decoding).
# Run from the repository root after `make release`.
set -e
bin=.build/release/dllm-play
out=docs/results
# The quality bar of Models/llada-mini: LLaDA baseline at one token per step, every held-out item.
$bin bench --decoders llada --suite addition --limit 200 \
    --json $out/quality-addition.json --csv $out/quality-addition.csv --markdown $out/quality-addition.md
$bin bench --decoders llada --suite word-problems --limit 200 \
    --json $out/quality-word-problems.json --csv $out/quality-word-problems.csv --markdown $out/quality-word-problems.md
$bin bench --limit 4 --sweep cache=none,dual --cache-drift \
    --json $out/reference.json --csv $out/reference.csv --markdown $out/reference.md
$bin bench --limit 4 --decoders fast-dllm --sweep threshold=0.5,0.7,0.8,0.95 --sweep cache=none,dual --cache-drift \
    --json $out/threshold-sweep.json --csv $out/threshold-sweep.csv --markdown $out/threshold-sweep.md
# Plots (AR-ness, emergence, decode-order heat map) from the reports just written.
for report in reference threshold-sweep; do
    $bin plot $out/$report.json --markdown $out/$report-plots.md --link-prefix results/
done
{
    cat $out/intro.md
    echo
    cat $out/quality-addition.md
    echo
    cat $out/quality-word-problems.md
    echo
    cat $out/reference.md
    echo
    cat $out/reference-plots.md
    echo
    cat $out/threshold-sweep.md
    echo
    cat $out/threshold-sweep-plots.md
} > docs/results.md
echo "wrote docs/results.md"
