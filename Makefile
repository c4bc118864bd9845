# dllm-play — the two commands: `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/dllm-play

# OpenBLAS picks its kernels when it loads; choose them for every process we start here
# (dllm-play re-executes itself to do the same when launched directly). A value you set wins.
ifeq ($(origin OPENBLAS_CORETYPE),undefined)
  CORE := $(shell ./scripts/openblas-core)
  ifneq ($(CORE),)
    export OPENBLAS_CORETYPE := $(CORE)
  endif
endif

.PHONY: bench run test deps release bench-kernels bench-engine bench-tokenizer bench-precision clean engine-venv

deps:
	@./scripts/install-deps

# The PyTorch engine's virtual environment (CPU torch), for the remote-engine tests.
ENGINE_VENV ?= .build/engine-venv
engine-venv:
	@DLLM_ENGINE_VENV=$(ENGINE_VENV) ./scripts/engine-venv

release: deps
	$(SWIFT) build -c release --product dllm-play

run: release
	$(BIN)

test: deps engine-venv
	$(SWIFT) test
	$(ENGINE_VENV)/bin/python -m pytest -q engines/torch/tests

bench: release
	$(BIN) bench

bench-kernels: release
	$(BIN) bench --kernels

bench-engine: release
	$(BIN) bench --engine

# Native bf16 / Q8_0 GEMM against the f32 path and PyTorch (README § Benchmarks): a random bf16
# checkpoint of PRECISION_SHAPE (1b, or 8b: 16 GB) is written under .build/ once, then dllm-play and
# PyTorch run on it one after the other, niced. PRECISION_PYTHON needs torch (2.13 CPU measured).
PRECISION_SHAPE ?= 1b
PRECISION_RUNS ?= 3
PRECISION_PYTHON ?= python3
PRECISION_DIR := .build/random-llada-$(PRECISION_SHAPE)-bf16

bench-precision: release
	@test -f $(PRECISION_DIR)/model.safetensors || nice $(PRECISION_PYTHON) tools/make_random_checkpoint.py --shape $(PRECISION_SHAPE) --out $(PRECISION_DIR)
	nice $(BIN) bench --precision --checkpoint $(PRECISION_DIR) --runs $(PRECISION_RUNS)
	nice $(PRECISION_PYTHON) tools/bench_precision.py --checkpoint $(PRECISION_DIR) --runs $(PRECISION_RUNS)

# Encoding speed on ~4 MB of licence and copyright text from /usr/share (falls back to the
# golden test lines), with the Qwen2-pattern fixture tokenizer unless BENCH_TOKENIZER is set.
BENCH_TOKENIZER ?= Tests/Fixtures/tokenization/qwen2-style.tokenizer.json
BENCH_TEXT := .build/tokenizer-bench.txt

bench-tokenizer: release
	@cat /usr/share/common-licenses/* /usr/share/doc/*/copyright 2>/dev/null | head -c 4000000 > $(BENCH_TEXT) || true
	@test -s $(BENCH_TEXT) || cp Tests/Fixtures/tokenization/golden-lines.json $(BENCH_TEXT)
	$(BIN) tokenize --model $(BENCH_TOKENIZER) --bench $(BENCH_TEXT)

clean:
	rm -rf .build

# Fuzzing (README § Fuzzing): one libFuzzer target per parser of untrusted input, in the separate
# package Fuzz/, every module built with -sanitize=fuzzer,address. `make fuzz` runs each target
# for FUZZ_SECONDS on a corpus seeded from the fixtures; crashes land in .build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= safetensors gguf config generation-config tokenizer trajectory theme
FUZZ_FLAGS := -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
FUZZ_WORK := .build/fuzz
SEEDS_safetensors := Tests/Fixtures/modeling/llada-tiny-bf16/*.safetensors Tests/Fixtures/modeling/dream-tiny/model.safetensors
SEEDS_gguf := Tests/Fixtures/gguf/*.gguf
SEEDS_config := Tests/Fixtures/modeling/*/config.json
SEEDS_generation-config := Tests/Fixtures/modeling/dream-tiny/generation_config.json
SEEDS_tokenizer := Tests/Fixtures/modeling/*/tokenizer.json Tests/Fixtures/tokenization/*.tokenizer.json Tests/Fixtures/tui/tiny-tokenizer.json
SEEDS_trajectory := Tests/Fixtures/tui/demo.jsonl Tests/Fixtures/decoding/*.jsonl
SEEDS_theme := themes/*.theme

.PHONY: fuzz fuzz-build
# SwiftPM reuses its cached build plan when only the path dependency (this package) gained a
# file, and then fails to find the new code: drop the plan so it is made afresh.
fuzz-build: deps
	rm -f Fuzz/.build/release.yaml Fuzz/.build/*/release/description.json
	$(SWIFT) build --package-path Fuzz $(FUZZ_FLAGS)

fuzz: fuzz-build
	@set -e; for target in $(FUZZ_TARGETS); do \
	  corpus=$(FUZZ_WORK)/corpus/$$target; mkdir -p $$corpus; \
	  case $$target in \
	    safetensors) seeds="$(SEEDS_safetensors)";; gguf) seeds="$(SEEDS_gguf)";; config) seeds="$(SEEDS_config)";; \
	    generation-config) seeds="$(SEEDS_generation-config)";; tokenizer) seeds="$(SEEDS_tokenizer)";; \
	    trajectory) seeds="$(SEEDS_trajectory)";; theme) seeds="$(SEEDS_theme)";; \
	  esac; \
	  for seed in $$seeds; do cp "$$seed" "$$corpus/seed-$$(echo $$seed | tr / _)"; done; \
	  echo "== fuzz-$$target for $(FUZZ_SECONDS) s"; \
	  Fuzz/.build/release/fuzz-$$target $$corpus -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 \
	    -artifact_prefix=$(FUZZ_WORK)/$$target- -print_final_stats=1; \
	done
