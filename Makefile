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

.PHONY: run test deps release bench-kernels bench-engine clean

deps:
	@./scripts/install-deps

release: deps
	$(SWIFT) build -c release --product dllm-play

run: release
	$(BIN)

test: deps
	$(SWIFT) test

bench-kernels: release
	$(BIN) bench --kernels

bench-engine: release
	$(BIN) bench --engine

clean:
	rm -rf .build
