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

.PHONY: bench run test deps release bench-kernels bench-engine bench-tokenizer clean

deps:
	@./scripts/install-deps

release: deps
	$(SWIFT) build -c release --product dllm-play

run: release
	$(BIN)

test: deps
	$(SWIFT) test

bench: release
	$(BIN) bench

bench-kernels: release
	$(BIN) bench --kernels

bench-engine: release
	$(BIN) bench --engine

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
