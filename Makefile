# Every build and test entry point. `make test` and `make demo` work on a fresh clone: they
# install what they need (Rust via rustup when cargo is missing; Python packages from PyPI
# into .venv; later: npm packages and Debian packages).

SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
export CARGO_TERM_COLOR ?= never

# Release builds of every package share one explicit target directory: napi always passes
# --target, so maturin, cargo and napi all do, and reuse each other's compiled crates.
TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
RELEASE := $(TARGET_DIR)/$(TRIPLE)/release

VENV := .venv
PY := $(abspath $(VENV))/bin/python
WHEELS := $(TARGET_DIR)/wheels

EXECS := --exec rust=$(TARGET_DIR)/debug/conformance-rust \
         --exec "python=$(PY) python/tests/conformance_exec.py" \
         --exec "node=node node/conformance_exec.js"

.PHONY: all build test test-rust test-python test-node conformance demo bench emulator toolchain python-wheel node-build

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; }

build: toolchain
	$(CARGO) build --workspace --all-targets

## Every suite: Rust (emulator, core), Python, Node, then the conformance matrix of every language.
test: toolchain test-rust test-python test-node conformance

test-rust:
	$(CARGO) test --workspace

# ---------------------------------------------------------------- Python
$(VENV)/.installed:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q "maturin>=1.9.4,<2" pytest mypy pandas httpx requests
	touch $@

## Builds the abi3 wheel and installs it into .venv (what `pip install exto360` gives).
python-wheel: toolchain $(VENV)/.installed
	rm -f $(WHEELS)/exto360-*.whl
	$(VENV)/bin/maturin build -q --release --target $(TRIPLE) -m python/Cargo.toml -o $(WHEELS)
	$(VENV)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/exto360-*.whl

test-python: python-wheel
	cd python/tests && $(PY) -m pytest -q -p no:cacheprovider
	$(VENV)/bin/mypy --strict python/examples/quickstart.py

# ---------------------------------------------------------------- Node
## Builds the addon with @napi-rs/cli (installed from npm into node/node_modules).
node-build: toolchain
	cd node && npm install --no-audit --no-fund --loglevel=error
	cd node && npx napi build --platform --release --strip --target $(TRIPLE) --js native.js --dts native.d.ts

test-node: node-build
	cd node && node --test test/
	cd node && npx tsc --noEmit -p examples

# ---------------------------------------------------------------- conformance
## The shared conformance suite in every language built so far (case × language matrix).
conformance: toolchain python-wheel node-build
	$(CARGO) build -q -p exto360-conformance --bins
	$(TARGET_DIR)/debug/conformance --cases tests/conformance/cases $(EXECS)

## The SDK's main jobs against the embedded emulator, in every language built so far.
demo: toolchain python-wheel node-build
	$(CARGO) run -q -p exto360 --example quickstart
	$(PY) python/examples/quickstart.py
	node node/examples/quickstart.mjs

## Benchmarks print figures; they never fail on time.
bench: toolchain python-wheel node-build
	$(CARGO) build -q --release --target $(TRIPLE) -p exto360-bench -p exto360-emulator
	$(RELEASE)/emulator
	$(RELEASE)/core all
	EMULATOR_BIN=$(RELEASE)/exto360-emulator $(PY) bench/python_bench.py
	EMULATOR_BIN=$(RELEASE)/exto360-emulator node bench/node_bench.mjs

## Run the emulator in the foreground with the demo dataset (Ctrl-C to stop).
emulator: toolchain
	$(CARGO) run -q --release --target $(TRIPLE) -p exto360-emulator -- --port 8360
