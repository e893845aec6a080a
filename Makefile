# Every build and test entry point. `make test` and `make demo` work on a fresh clone: they
# install what they need (Rust via rustup when cargo is missing; Python packages from PyPI
# into .venv; later: npm packages and Debian packages).

SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
export CARGO_TERM_COLOR ?= never

TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
# The one version of every package (Rust crates, wheel, npm, libexto360, NuGet).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# Release artefacts — the wheel, the npm addon, libexto360(_testing) and the NuGet package's native
# library — are what users get AND what the tests use. They are built once, with the `dist` profile
# (release, no debug info, stripped), by zig for glibc 2.17 (manylinux2014: RHEL 7+, Ubuntu 14.04+,
# Amazon Linux 2). cargo, maturin and napi all run in the one environment tools/zig-env.sh takes
# from cargo-zigbuild, with the same --target, so they share one compiled cache under $(DIST).
ZIG_TARGET := $(TRIPLE).2.17
DIST := $(TARGET_DIR)/$(TRIPLE)/dist
ZIGBUILD_VERSION := 0.24.0
ZIG = env PATH="$(abspath $(VENV))/bin:$$PATH" $(abspath tools/zig-env.sh) $(ZIG_TARGET)
DIST_CARGO = $(ZIG) $(CARGO) build --profile dist --target $(TRIPLE)
PACKAGES := $(abspath $(TARGET_DIR))/packages
PREFIX ?= /usr/local

VENV := .venv
PY := $(abspath $(VENV))/bin/python
WHEELS := $(TARGET_DIR)/wheels

# C and C#: a staged install tree (include/, lib/, lib/pkgconfig/exto360.pc) and test binaries.
C_OUT := $(abspath $(TARGET_DIR))/c
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Werror
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
APT_PKGS := libcjson-dev mono-mcs mono-runtime libmono-system-json4.0-cil valgrind pkg-config cmake nuget binutils redis-server openjdk-17-jdk-headless maven
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# JVM: the native library and the Kotlin uniffi-bindgen generates from it, staged for Maven.
JVM_OUT := $(abspath $(TARGET_DIR))/jvm
JVM_JAR := bindings/jvm/target/exto360-$(VERSION)-all.jar
MVN := mvn -B -ntp -Dkotlin.compiler.daemon=false -Dexto360.staging=$(JVM_OUT)

EXECS := --exec rust=$(TARGET_DIR)/debug/conformance-rust \
         --exec "python=$(PY) python/tests/conformance_exec.py" \
         --exec "node=node node/conformance_exec.js" \
         --exec "c=$(C_OUT)/conformance_exec" \
         --exec "csharp=mono $(C_OUT)/ConformanceExec.exe" \
         --exec "jvm=java -cp $(JVM_JAR):bindings/jvm/target/test-classes com.exto360.conformance.ConformanceExecKt"

.PHONY: all build test test-rust test-python test-node test-c test-csharp test-jvm jvm-lib jvm-build conformance demo bench bench-sizes emulator toolchain python-wheel node-build c-lib csharp-build system-deps header \
        install python-sdist npm-pack nuget test-packaging test-rust-package actionlint set-version

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; }

build: toolchain
	$(CARGO) build --workspace --all-targets

## Every suite: Rust (emulator, core, header drift), Python, Node, C, C#, JVM, the conformance
## matrix of every language, then each package installed into an empty place and its quick start run.
test: toolchain test-rust test-python test-node test-c test-csharp test-jvm conformance test-packaging

# The shared rate-limit tests start their own redis-server (Debian's) and stop it by PID.
test-rust: system-deps
	$(CARGO) test --workspace

# ---------------------------------------------------------------- Python
# Build tools (maturin, zig, cargo-zigbuild, auditwheel; pinned) and test tools.
PY_TOOLS := maturin==1.16.0 ziglang==0.17.1 cargo-zigbuild==$(ZIGBUILD_VERSION) auditwheel==6.8.2
PY_PKGS := $(PY_TOOLS) pytest mypy pandas pyarrow polars httpx requests
# The stamp is named after the package list, so a changed list reinstalls into an existing .venv.
TOOLS := $(VENV)/.installed-$(shell echo '$(PY_PKGS)' | md5sum | cut -c1-12)
$(TOOLS):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q $(PY_PKGS)
	rm -f $(VENV)/.installed-*
	touch $@

## Builds the abi3 manylinux2014 wheel (checked by auditwheel) and installs it into .venv.
python-wheel: toolchain $(TOOLS)
	rm -f $(WHEELS)/exto360-*.whl
	$(ZIG) maturin build -q --profile dist --compatibility manylinux2014 --target $(TRIPLE) -m python/Cargo.toml -o $(WHEELS)
	$(VENV)/bin/auditwheel show $(WHEELS)/exto360-*.whl | tee $(WHEELS)/auditwheel.txt
	grep -q 'manylinux_2_17_$(firstword $(subst -, ,$(TRIPLE)))' $(WHEELS)/auditwheel.txt
	$(VENV)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/exto360-*.whl

## The source distribution (builds wherever Rust is: `pip install exto360-<v>.tar.gz`).
python-sdist: $(TOOLS)
	rm -f $(WHEELS)/exto360-*.tar.gz
	$(VENV)/bin/maturin sdist -m python/Cargo.toml -o $(WHEELS)

test-python: python-wheel system-deps
	cd python/tests && $(PY) -m pytest -q -p no:cacheprovider
	$(VENV)/bin/mypy --strict python/examples/quickstart.py python/examples/dataframes.py python/examples/documents.py
	$(PY) python/examples/documents.py > /dev/null
	$(PY) python/examples/dataframes.py > /dev/null

# ---------------------------------------------------------------- Node
## Builds the addon with @napi-rs/cli (installed from npm into node/node_modules), by zig for
## glibc 2.17 like every release artefact.
node-build: toolchain $(TOOLS)
	cd node && npm install --no-audit --no-fund --loglevel=error
	cd node && $(ZIG) npx napi build --platform --profile dist --target $(TRIPLE) --js native.js --dts native.d.ts

## The npm tarballs: `exto360` and the package of this platform's addon (napi's layout: one
## package per target in node/npm/<platform>/, generated from package.json; the main package pulls
## them in as optionalDependencies, npm installs the one matching os/cpu/libc).
NPM_PLATFORM := linux-x64-gnu
npm-pack: node-build
	rm -rf node/npm $(PACKAGES)/npm && mkdir -p $(PACKAGES)/npm
	cd node && npx napi create-npm-dirs > /dev/null
	cp node/exto360.$(NPM_PLATFORM).node node/npm/$(NPM_PLATFORM)/
	cd node && npm pack --silent --pack-destination $(PACKAGES)/npm > /dev/null
	cd node/npm/$(NPM_PLATFORM) && npm pack --silent --pack-destination $(PACKAGES)/npm > /dev/null
	ls $(PACKAGES)/npm/*.tgz

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

## libexto360 (the client: .so with soname libexto360.so.0, and .a) and libexto360_testing (the
## emulator, for tests only), installed as a tree under $(C_OUT): what `make install` installs.
c-lib: toolchain $(TOOLS)
	$(DIST_CARGO) -q -p exto360-c -p exto360-c-testing
	bindings/c/install.sh $(DIST) $(C_OUT) $(VERSION)

## Installs the C library under PREFIX (default /usr/local): include/, lib/ (sonames and links),
## lib/pkgconfig (exto360, exto360-testing), lib/cmake/exto360 (find_package(exto360)).
install: c-lib
	bindings/c/install.sh $(DIST) $(PREFIX) $(VERSION)

## Refreshes the committed headers from the code (cbindgen); `cargo test` fails until they match.
header: toolchain
	$(CARGO) build -q -p exto360-c -p exto360-c-testing
	cp $$(ls -t $(TARGET_DIR)/debug/build/exto360-c-[0-9a-f]*/out/exto360.h | head -1) bindings/c/include/exto360.h
	cp $$(ls -t $(TARGET_DIR)/debug/build/exto360-c-testing-*/out/exto360_testing.h | head -1) bindings/c/include/exto360_testing.h

C_LINK := -L$(C_OUT)/lib -lexto360_testing -lexto360
test-c: c-lib system-deps
	tests/packaging/check_native.sh $(C_OUT)/lib/libexto360.so exto360_ libexto360.so.0
	tests/packaging/check_native.sh $(C_OUT)/lib/libexto360_testing.so exto360_emulator_ libexto360_testing.so.0
	! strings $(C_OUT)/lib/libexto360.so | grep -q 'exto360_emulator\|axum'   # no emulator in production
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/test_api.c $(C_LINK) -lpthread -o $(C_OUT)/test_api
	LD_LIBRARY_PATH=$(C_OUT)/lib $(C_OUT)/test_api
	LD_LIBRARY_PATH=$(C_OUT)/lib valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=1 $(C_OUT)/test_api
	gcc $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-omit-frame-pointer -I$(C_OUT)/include bindings/c/tests/test_api.c $(C_LINK) -lpthread -o $(C_OUT)/test_api_asan
	LD_LIBRARY_PATH=$(C_OUT)/lib ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/test_api_asan
	# fork(): five times plain (a lock held across fork() hangs the child only sometimes), under
	# valgrind without leak checking (in the child, what only the parent's other threads
	# referenced looks lost; memory errors in either process still fail it), and under UBSan.
	# Not under ASan: GCC 12's libasan does not hold its allocator's locks across fork(), so a
	# child whose parent had a thread inside malloc at that instant hangs in ASan's own allocator
	# (seen: 3 of 15 runs; gdb shows every child thread in SizeClassAllocator64::GetFromAllocator;
	# 0 of 25 plain runs hang).
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/test_fork.c $(C_LINK) -o $(C_OUT)/test_fork
	for i in 1 2 3 4 5; do LD_LIBRARY_PATH=$(C_OUT)/lib $(C_OUT)/test_fork || exit 1; done
	LD_LIBRARY_PATH=$(C_OUT)/lib valgrind -q --leak-check=no --error-exitcode=1 $(C_OUT)/test_fork
	gcc $(CFLAGS_STRICT) -g -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -I$(C_OUT)/include bindings/c/tests/test_fork.c $(C_LINK) -o $(C_OUT)/test_fork_ubsan
	LD_LIBRARY_PATH=$(C_OUT)/lib $(C_OUT)/test_fork_ubsan
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/test_arrow.c $(C_LINK) -o $(C_OUT)/test_arrow
	LD_LIBRARY_PATH=$(C_OUT)/lib valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=1 $(C_OUT)/test_arrow
	gcc $(CFLAGS_STRICT) -g -fsanitize=address,undefined -fno-omit-frame-pointer -I$(C_OUT)/include bindings/c/tests/test_arrow.c $(C_LINK) -o $(C_OUT)/test_arrow_asan
	LD_LIBRARY_PATH=$(C_OUT)/lib ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/test_arrow_asan
	# static libexto360.a (the emulator comes from the shared libexto360_testing)
	gcc $(CFLAGS_STRICT) $$(PKG_CONFIG_PATH=$(C_OUT)/lib/pkgconfig pkg-config --cflags exto360) bindings/c/examples/quickstart.c $(C_OUT)/lib/libexto360.a -Wl,-rpath,$(C_OUT)/lib -L$(C_OUT)/lib -lexto360_testing $(STATIC_LIBS) -o $(C_OUT)/quickstart
	$(C_OUT)/quickstart > /dev/null
	gcc $(CFLAGS_STRICT) -I$(C_OUT)/include bindings/c/tests/conformance_exec.c -Wl,-rpath,$(C_OUT)/lib -L$(C_OUT)/lib -lexto360 -lcjson -o $(C_OUT)/conformance_exec

## The C# wrapper (Exto360.dll), its tests and conformance executor; libexto360.so sits next to them.
csharp-build: c-lib system-deps
	mcs -target:library -out:$(C_OUT)/Exto360.dll -r:System.Json.dll bindings/csharp/Exto360*.cs
	mcs -out:$(C_OUT)/Tests.exe -r:$(C_OUT)/Exto360.dll -r:System.Json.dll -r:System.Core.dll bindings/csharp/Tests.cs
	mcs -out:$(C_OUT)/ConformanceExec.exe -r:$(C_OUT)/Exto360.dll -r:System.Json.dll -r:System.Core.dll bindings/csharp/ConformanceExec.cs
	cp -L $(C_OUT)/lib/libexto360.so $(C_OUT)/lib/libexto360_testing.so bindings/csharp/Exto360.dll.config $(C_OUT)/

## The NuGet package Exto360.<version>.nupkg (lib/net45/, runtimes/linux-x64/native/) in the
## folder feed $(PACKAGES)/nuget.
nuget: csharp-build
	rm -rf $(PACKAGES)/nuget
	python3 bindings/csharp/pack_nuget.py --version $(VERSION) --out $(PACKAGES)/nuget \
	    --lib $(C_OUT)/Exto360.dll --lib bindings/csharp/Exto360.dll.config --native linux-x64=$(C_OUT)/lib/libexto360.so

test-csharp: csharp-build
	cd $(C_OUT) && mono Tests.exe

# ---------------------------------------------------------------- JVM (Kotlin, Java)
## The native library (a release artefact like the others: $(DIST), glibc 2.17) and the Kotlin
## that uniffi-bindgen generates from the library's metadata (never edited by hand), staged under
## $(JVM_OUT) for Maven. The dist library is stripped of the symbols that carry the metadata, so
## it is read from the debug build of the same source (which `cargo test` builds anyway); the
## generated code checks at load time that the library it finds has the same API checksums.
## uniffi-bindgen is a workspace of its own, built once (debug is enough to run it).
jvm-lib: toolchain $(TOOLS)
	$(DIST_CARGO) -q -p exto360-jvm
	$(CARGO) build -q -p exto360-jvm
	$(CARGO) build -q --manifest-path bindings/jvm/bindgen/Cargo.toml --target-dir $(TARGET_DIR)
	rm -rf $(JVM_OUT) && mkdir -p $(JVM_OUT)/native/linux-x86-64
	$(TARGET_DIR)/debug/uniffi-bindgen generate --library $(TARGET_DIR)/debug/libexto360_jvm.so --language kotlin --no-format --out-dir $(JVM_OUT)/kotlin
	cp $(DIST)/libexto360_jvm.so $(JVM_OUT)/native/linux-x86-64/

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

# ---------------------------------------------------------------- packages
## Each package installed into an empty place, its quick start run against the emulator: the
## wheel and the sdist (fresh virtualenvs), the npm tarballs (an empty folder), the C install tree
## (a CMake project), the NuGet package (a C# project referencing only it); the crates packaged
## (cargo package) with docs free of warnings; the release workflow checked by actionlint.
test-packaging: python-wheel python-sdist npm-pack nuget c-lib test-rust-package actionlint
	tests/packaging/check_native.sh $$($(PY) -c 'import exto360._native as n; print(n.__file__)') PyInit__native
	tests/packaging/check_native.sh node/exto360.linux-x64-gnu.node napi_register_module_v1
	tests/packaging/python_consumer.sh $$(ls $(WHEELS)/exto360-*.whl)
	@# the sdist, built from source through PEP 517 (registry crates come from the shared cache)
	rm -rf $(WHEELS)/from-sdist
	CARGO_TARGET_DIR=$(abspath $(TARGET_DIR)) $(ZIG) $(abspath $(VENV))/bin/pip wheel -q --no-deps --no-build-isolation -w $(WHEELS)/from-sdist \
	    --config-settings=build-args="--profile dist --compatibility manylinux2014 --target $(TRIPLE)" $$(ls $(WHEELS)/exto360-*.tar.gz)
	tests/packaging/python_consumer.sh $$(ls $(WHEELS)/from-sdist/exto360-*.whl)
	tests/packaging/npm_consumer.sh $(PACKAGES)/npm/exto360-$(VERSION).tgz $(PACKAGES)/npm/exto360-linux-x64-gnu-$(VERSION).tgz
	@# the C install tree: `make install` into an empty prefix, consumed by a CMake project
	rm -rf $(C_OUT)/prefix $(C_OUT)/cmake-consumer
	$(MAKE) --no-print-directory install PREFIX=$(C_OUT)/prefix
	cmake -S bindings/c/examples/cmake -B $(C_OUT)/cmake-consumer -DCMAKE_PREFIX_PATH=$(C_OUT)/prefix > /dev/null
	cmake --build $(C_OUT)/cmake-consumer > /dev/null
	$(C_OUT)/cmake-consumer/quickstart > /dev/null && $(C_OUT)/cmake-consumer/quickstart_static > /dev/null && echo "C quick start (CMake, shared and static): ok"
	$(CARGO) build -q -p exto360-emulator --bin exto360-emulator
	tests/packaging/nuget_consumer.sh $(PACKAGES)/nuget $(VERSION) $(abspath $(TARGET_DIR))/debug/exto360-emulator

## `cargo package` of the publishable crates (exto360, exto360-emulator) and their docs built
## with warnings as errors.
test-rust-package: toolchain
	$(CARGO) package -q -p exto360 -p exto360-emulator --allow-dirty
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -q --no-deps -p exto360 -p exto360-emulator

## The release workflow (.github/workflows/release.yml) checked by actionlint (a Go module).
ACTIONLINT := $(abspath $(TARGET_DIR))/tools/actionlint
$(ACTIONLINT):
	GOBIN=$(dir $@) go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
actionlint: $(ACTIONLINT)
	$(ACTIONLINT) .github/workflows/*.yml && echo "actionlint: .github/workflows ok"

## Sets the one version everywhere it must be written out (Cargo.toml is the source; npm needs
## it in package.json): make set-version V=0.2.0
set-version:
	@test -n "$(V)" || { echo "usage: make set-version V=x.y.z" >&2; exit 2; }
	sed -i 's/^version = ".*"/version = "$(V)"/' Cargo.toml
	cd node && npm version --no-git-tag-version --allow-same-version $(V) > /dev/null
	sed -i 's/\("exto360-[a-z0-9-]*": \)"[^"]*"/\1"$(V)"/' node/package.json
	$(CARGO) update -q --workspace

## The SDK's main jobs against the embedded emulator, in every language built so far.
demo: toolchain python-wheel node-build c-lib csharp-build jvm-build
	$(CARGO) run -q -p exto360 --example quickstart
	$(PY) python/examples/quickstart.py
	node node/examples/quickstart.mjs
	$(MAKE) -s -C bindings/c/examples run PREFIX=$(C_OUT)
	mcs -nologo -out:$(C_OUT)/Quickstart.exe -r:$(C_OUT)/Exto360.dll -r:System.Json.dll bindings/csharp/examples/Quickstart.cs
	$(CARGO) build -q -p exto360-emulator -p exto360-cli
	cd $(C_OUT) && $(abspath tests/packaging/with_emulator.sh) $(abspath $(TARGET_DIR))/debug/exto360-emulator mono Quickstart.exe
	java -cp $(JVM_JAR) bindings/jvm/examples/java/Quickstart.java
	@echo "--- the exto360 command: a master into a CSV, then the first lines of the file"
	tests/packaging/with_emulator.sh $(TARGET_DIR)/debug/exto360-emulator \
	    $(TARGET_DIR)/debug/exto360 export masters LOCATION -o $(TARGET_DIR)/demo-locations.csv
	head -3 $(TARGET_DIR)/demo-locations.csv

## Benchmarks print figures; they never fail on time. They run the release artefacts ($(DIST)).
bench: toolchain python-wheel node-build c-lib system-deps jvm-build
	$(DIST_CARGO) -q -p exto360-bench -p exto360-emulator -p exto360-cli
	$(DIST)/emulator
	$(DIST)/hostile
	$(DIST)/core all
	$(DIST)/cli all
	$(DIST)/documents
	EMULATOR_BIN=$(DIST)/exto360-emulator $(PY) bench/python_bench.py
	EMULATOR_BIN=$(DIST)/exto360-emulator $(PY) bench/python_columnar_bench.py
	EMULATOR_BIN=$(DIST)/exto360-emulator node bench/node_bench.mjs
	bench/c_bench.sh $(DIST) $(C_OUT)
	bench/jvm_bench.sh $(DIST) $(JVM_JAR) bindings/jvm/target/test-classes
	$(MAKE) -s bench-sizes

## Sizes of what users download and install (goals: wheel ≤ 5 MB, Node addon and libexto360.so
## ≤ 12 MB).
bench-sizes: python-wheel npm-pack nuget c-lib
	@bench/sizes.sh $(WHEELS) $(PACKAGES) $(C_OUT) node

## Run the emulator in the foreground with the demo dataset (Ctrl-C to stop).
emulator: toolchain $(TOOLS)
	$(DIST_CARGO) -q -p exto360-emulator
	$(DIST)/exto360-emulator --port 8360

## Fuzzing, not part of `make test`: every cargo-fuzz target for FUZZ_SECONDS (default 60) each,
## then schemathesis against the emulator for SCHEMATHESIS_SECONDS (default 120). fuzz/README.md.
.PHONY: fuzz
fuzz: toolchain
	fuzz/run.sh
