option(FITCHECK_BUILD_TESTS "Build the test suite" ON)
option(FITCHECK_BUILD_BENCH "Build the benchmarks" OFF)
option(FITCHECK_BUILD_EXAMPLES "Build the C++ examples" ON)
# The parity tests (label "parity") run the Python peers; the sanitizer stage runs the unit label only.
option(FITCHECK_BUILD_PARITY "Build the parity tests against scikit-learn, pandas and PyTorch" ON)
option(FITCHECK_WERROR "Treat warnings as errors" OFF)
option(FITCHECK_FUZZ "Build libFuzzer targets (needs clang)" OFF)
option(FITCHECK_NATIVE "Tune for this machine's CPU (-march=native)" ON)
set(FITCHECK_SANITIZE "" CACHE STRING "Sanitizers, e.g. address;undefined")
# Unity build: each target's sources compiled in batches of 8, so that the heavy headers (JSON,
# fmt, Eigen, GoogleTest) are parsed once per batch rather than once per file. A cold build on 2
# cores takes 4.5 min instead of ~12. The price: names in anonymous namespaces must be unique
# within a target (a clash is a compile error naming both files). Files with their own compile
# options are compiled alone (CMake leaves them out of the batches).
option(FITCHECK_UNITY_BUILD "Compile each target's sources in batches (faster cold builds)" ON)
if(FITCHECK_UNITY_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 8)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# numpy does separate multiplies and adds; contraction into FMA would break bit parity.
add_compile_options(-ffp-contract=off)

if(FITCHECK_NATIVE)
  add_compile_options(-march=native)
endif()

if(FITCHECK_SANITIZE)
  string(REPLACE ";" "," _fc_san "${FITCHECK_SANITIZE}")
  add_compile_options(-fsanitize=${_fc_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_fc_san})
endif()

if(FITCHECK_FUZZ)
  # Instrument all code for coverage; only the fuzz executables link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
