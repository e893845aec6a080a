# Every build and test entry point. `make test` and `make demo` work on a fresh clone: they
# install what they need (Rust toolchain via rustup when cargo is missing, Python and Node
# packages from the registries, Debian packages with apt-get).

SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
export CARGO_TERM_COLOR ?= never

.PHONY: all build test test-rust conformance demo bench emulator toolchain clean-bench

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; }

build: toolchain
	$(CARGO) build --workspace --all-targets

## Every suite: Rust unit/integration tests (emulator + core), then the conformance matrix.
test: toolchain test-rust conformance

test-rust:
	$(CARGO) test --workspace

EXECS := --exec rust=$(TARGET_DIR)/debug/conformance-rust

## The shared conformance suite in every language built so far (case × language matrix).
conformance: toolchain
	$(CARGO) build -q -p exto360-conformance --bins
	$(TARGET_DIR)/debug/conformance --cases tests/conformance/cases $(EXECS)

## The SDK's main job against the embedded emulator, in every language built so far.
demo: toolchain
	$(CARGO) run -q -p exto360 --example quickstart

## Benchmarks print figures; they never fail on time.
bench: toolchain
	$(CARGO) build -q --release -p exto360-bench -p exto360-emulator
	$(TARGET_DIR)/release/emulator
	$(TARGET_DIR)/release/core all

## Run the emulator in the foreground with the demo dataset (Ctrl-C to stop).
emulator: toolchain
	$(CARGO) run -q --release -p exto360-emulator -- --port 8360
