# Front door to the CMake build. `make demo`: install what is missing, build, run fitcheck on a
# bundled example. `make test`: the same set-up, then the whole test suite.
BUILD   ?= build/release
SANBUILD ?= build/sanitize
FUZZBUILD ?= build/fuzz
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build demo test test-sanitize fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/fitcheck profile examples/data/breast_cancer.csv --target benign
	$(BUILD)/fitcheck doctor examples/runs/breast_cancer/run.json --fix

test: deps-test $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer (Debug, -O1; -g1: line
# tables are all a sanitizer report needs; full debug info only slows the build and link). The
# parity tests (Python peers, label "parity") and the examples are not built there: only the unit
# label runs.
test-sanitize: deps-test
	cmake -S . -B $(SANBUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
	  -DFITCHECK_SANITIZE="address;undefined" -DFITCHECK_BUILD_EXAMPLES=OFF -DFITCHECK_BUILD_PARITY=OFF $(CMAKE_FLAGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANBUILD) --output-on-failure -j $(JOBS) -L unit

# libFuzzer targets (clang), each run for FUZZ_SECONDS on its seed corpus, one per core at a time
# (-g1: line tables are all a crash report needs).
FUZZ_SECONDS ?= 30
fuzz: deps-test
	CXX=clang++ cmake -S . -B $(FUZZBUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
	  -DFITCHECK_FUZZ=ON -DFITCHECK_BUILD_TESTS=OFF -DFITCHECK_BUILD_EXAMPLES=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZBUILD) -j $(JOBS) --target fitcheck_fuzzers
	scripts/run-fuzzers.sh $(FUZZBUILD) $(FUZZ_SECONDS)

bench: deps-test
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DFITCHECK_BUILD_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

clean:
	rm -rf build
