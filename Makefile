# Every build and test entry point. `make test` and `make demo` work on a fresh clone: they
# install what they need (Rust via rustup when cargo is missing; Python packages from PyPI
# into .venv; later: npm packages and Debian packages).

SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
export CARGO_TERM_COLOR ?= never

VENV := .venv
PY := $(abspath $(VENV))/bin/python
WHEELS := $(TARGET_DIR)/wheels

EXECS := --exec rust=$(TARGET_DIR)/debug/conformance-rust \
         --exec "python=$(PY) python/tests/conformance_exec.py"

.PHONY: all build test test-rust test-python conformance demo bench emulator toolchain python-wheel

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; }

build: toolchain
	$(CARGO) build --workspace --all-targets

## Every suite: Rust (emulator, core), Python, then the conformance matrix of every language.
test: toolchain test-rust test-python conformance

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
	$(VENV)/bin/maturin build -q --release -m python/Cargo.toml -o $(WHEELS)
	$(VENV)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/exto360-*.whl

test-python: python-wheel
	cd python/tests && $(PY) -m pytest -q -p no:cacheprovider
	$(VENV)/bin/mypy --strict python/examples/quickstart.py

# ---------------------------------------------------------------- conformance
## The shared conformance suite in every language built so far (case × language matrix).
conformance: toolchain python-wheel
	$(CARGO) build -q -p exto360-conformance --bins
	$(TARGET_DIR)/debug/conformance --cases tests/conformance/cases $(EXECS)

## The SDK's main jobs against the embedded emulator, in every language built so far.
demo: toolchain python-wheel
	$(CARGO) run -q -p exto360 --example quickstart
	$(PY) python/examples/quickstart.py

## Benchmarks print figures; they never fail on time.
bench: toolchain python-wheel
	$(CARGO) build -q --release -p exto360-bench -p exto360-emulator
	$(TARGET_DIR)/release/emulator
	$(TARGET_DIR)/release/core all
	$(PY) bench/python_bench.py

## Run the emulator in the foreground with the demo dataset (Ctrl-C to stop).
emulator: toolchain
	$(CARGO) run -q --release -p exto360-emulator -- --port 8360
