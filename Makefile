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

# C and C#: a staged install tree (include/, lib/, lib/pkgconfig/exto360.pc) and test binaries.
C_OUT := $(abspath $(TARGET_DIR))/c
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Werror
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
APT_PKGS := libcjson-dev mono-mcs mono-runtime libmono-system-json4.0-cil valgrind pkg-config redis-server openjdk-17-jdk-headless maven
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# JVM: the native library and the Kotlin uniffi-bindgen generates from it, staged for Maven.
JVM_OUT := $(abspath $(TARGET_DIR))/jvm
JVM_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
JVM_JAR := bindings/jvm/target/exto360-$(JVM_VERSION)-all.jar
MVN := mvn -B -ntp -Dkotlin.compiler.daemon=false -Dexto360.staging=$(JVM_OUT)

EXECS := --exec rust=$(TARGET_DIR)/debug/conformance-rust \
         --exec "python=$(PY) python/tests/conformance_exec.py" \
         --exec "node=node node/conformance_exec.js" \
         --exec "c=$(C_OUT)/conformance_exec" \
         --exec "csharp=mono $(C_OUT)/ConformanceExec.exe" \
         --exec "jvm=java -cp $(JVM_JAR):bindings/jvm/target/test-classes com.exto360.conformance.ConformanceExecKt"

.PHONY: all build test test-rust test-python test-node test-c test-csharp test-jvm conformance demo bench emulator toolchain python-wheel node-build c-lib csharp-build jvm-lib jvm-build system-deps header

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; }

build: toolchain
	$(CARGO) build --workspace --all-targets

## Every suite: Rust (emulator, core, header drift), Python, Node, C, C#, JVM, then the
## conformance matrix of every language.
test: toolchain test-rust test-python test-node test-c test-csharp test-jvm conformance

# The shared rate-limit tests start their own redis-server (Debian's) and stop it by PID.
test-rust: system-deps
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

test-python: python-wheel system-deps
	cd python/tests && $(PY) -m pytest -q -p no:cacheprovider
	$(VENV)/bin/mypy --strict python/examples/quickstart.py

# ---------------------------------------------------------------- Node
## Builds the addon with @napi-rs/cli (installed from npm into node/node_modules).
node-build: toolchain
	cd node && npm install --no-audit --no-fund --loglevel=error
	cd node && npx napi build --platform --release --strip --target $(TRIPLE) --js native.js --dts native.d.ts

test-node: node-build system-deps
	cd node && node --test test/
	cd node && npx tsc --noEmit -p examples

# ---------------------------------------------------------------- C and C#
## Debian packages for the C, C# and JVM suites (cJSON for the C conformance executor, Mono,
## valgrind, JDK 17 and Maven).
system-deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

## libexto360.so/.a, the header and exto360.pc, staged under $(C_OUT).
c-lib: toolchain
	$(CARGO) build -q --release --target $(TRIPLE) -p exto360-c
	mkdir -p $(C_OUT)/include $(C_OUT)/lib/pkgconfig
	cp bindings/c/include/exto360.h $(C_OUT)/include/
	cp $(RELEASE)/libexto360.so $(RELEASE)/libexto360.a $(C_OUT)/lib/
	sed -e 's|@PREFIX@|$(C_OUT)|' -e 's|@VERSION@|$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)|' bindings/c/exto360.pc.in > $(C_OUT)/lib/pkgconfig/exto360.pc

## Refreshes the committed header from the code (cbindgen); `cargo test` fails until it matches.
header: toolchain
	$(CARGO) build -q -p exto360-c
	cp $$(ls -t $(TARGET_DIR)/debug/build/exto360-c-*/out/exto360.h | head -1) bindings/c/include/exto360.h

test-c: c-lib system-deps
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/test_api.c -L$(C_OUT)/lib -lexto360 -lpthread -o $(C_OUT)/test_api
	LD_LIBRARY_PATH=$(C_OUT)/lib $(C_OUT)/test_api
	LD_LIBRARY_PATH=$(C_OUT)/lib valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=1 $(C_OUT)/test_api
	gcc $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-omit-frame-pointer -I$(C_OUT)/include bindings/c/tests/test_api.c -L$(C_OUT)/lib -lexto360 -lpthread -o $(C_OUT)/test_api_asan
	LD_LIBRARY_PATH=$(C_OUT)/lib ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/test_api_asan
	gcc $(CFLAGS_STRICT) $$(PKG_CONFIG_PATH=$(C_OUT)/lib/pkgconfig pkg-config --cflags exto360) bindings/c/examples/quickstart.c $(C_OUT)/lib/libexto360.a $(STATIC_LIBS) -o $(C_OUT)/quickstart
	$(C_OUT)/quickstart > /dev/null
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/conformance_exec.c -Wl,-rpath,$(C_OUT)/lib -L$(C_OUT)/lib -lexto360 -lcjson -o $(C_OUT)/conformance_exec

## The C# wrapper (Exto360.dll), its tests and conformance executor; libexto360.so sits next to them.
csharp-build: c-lib system-deps
	mcs -target:library -out:$(C_OUT)/Exto360.dll -r:System.Json.dll bindings/csharp/Exto360.cs
	mcs -out:$(C_OUT)/Tests.exe -r:$(C_OUT)/Exto360.dll -r:System.Json.dll -r:System.Core.dll bindings/csharp/Tests.cs
	mcs -out:$(C_OUT)/ConformanceExec.exe -r:$(C_OUT)/Exto360.dll -r:System.Json.dll -r:System.Core.dll bindings/csharp/ConformanceExec.cs
	cp $(C_OUT)/lib/libexto360.so $(C_OUT)/

test-csharp: csharp-build
	cd $(C_OUT) && mono Tests.exe

# ---------------------------------------------------------------- JVM (Kotlin, Java)
## The native library (release, in the shared target directory) and the Kotlin that
## uniffi-bindgen generates from it (never edited by hand), staged under $(JVM_OUT) for Maven.
## uniffi-bindgen is a workspace of its own, built once (debug is enough to run it).
jvm-lib: toolchain
	$(CARGO) build -q --release --target $(TRIPLE) -p exto360-jvm
	$(CARGO) build -q --manifest-path bindings/jvm/bindgen/Cargo.toml --target-dir $(TARGET_DIR)
	rm -rf $(JVM_OUT) && mkdir -p $(JVM_OUT)/native/linux-x86-64
	$(TARGET_DIR)/debug/uniffi-bindgen generate --library $(RELEASE)/libexto360_jvm.so --language kotlin --no-format --out-dir $(JVM_OUT)/kotlin
	strip --strip-debug -o $(JVM_OUT)/native/linux-x86-64/libexto360_jvm.so $(RELEASE)/libexto360_jvm.so

## The jars without the tests: exto360-V.jar (Maven) and exto360-V-all.jar (self-contained).
jvm-build: jvm-lib system-deps
	cd bindings/jvm && $(MVN) -q package -DskipTests

## The JUnit 5 suite (Kotlin and Java), the same jars, and both quick starts.
test-jvm: jvm-lib system-deps
	cd bindings/jvm && $(MVN) package
	java -cp $(JVM_JAR) bindings/jvm/examples/java/Quickstart.java > /dev/null
	java -cp $(JVM_JAR):bindings/jvm/target/test-classes QuickstartKt > /dev/null

# ---------------------------------------------------------------- conformance
## The shared conformance suite in every language built so far (case × language matrix).
conformance: toolchain python-wheel node-build test-c csharp-build test-jvm
	$(CARGO) build -q -p exto360-conformance --bins
	$(TARGET_DIR)/debug/conformance --cases tests/conformance/cases $(EXECS)

## The SDK's main jobs against the embedded emulator, in every language built so far.
demo: toolchain python-wheel node-build c-lib jvm-build
	$(CARGO) run -q -p exto360 --example quickstart
	$(PY) python/examples/quickstart.py
	node node/examples/quickstart.mjs
	$(MAKE) -s -C bindings/c/examples run LIBDIR=$(C_OUT)/lib
	java -cp $(JVM_JAR) bindings/jvm/examples/java/Quickstart.java

## Benchmarks print figures; they never fail on time.
bench: toolchain python-wheel node-build system-deps jvm-build
	$(CARGO) build -q --release --target $(TRIPLE) -p exto360-bench -p exto360-emulator
	$(RELEASE)/emulator
	$(RELEASE)/hostile
	$(RELEASE)/core all
	EMULATOR_BIN=$(RELEASE)/exto360-emulator $(PY) bench/python_bench.py
	EMULATOR_BIN=$(RELEASE)/exto360-emulator node bench/node_bench.mjs
	$(MAKE) -s c-lib
	bench/c_bench.sh $(RELEASE) $(C_OUT)
	bench/jvm_bench.sh $(RELEASE) $(JVM_JAR) bindings/jvm/target/test-classes

## Run the emulator in the foreground with the demo dataset (Ctrl-C to stop).
emulator: toolchain
	$(CARGO) run -q --release --target $(TRIPLE) -p exto360-emulator -- --port 8360
