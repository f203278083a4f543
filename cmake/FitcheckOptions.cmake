option(FITCHECK_BUILD_TESTS "Build the test suite" ON)
option(FITCHECK_BUILD_BENCH "Build the benchmarks" OFF)
option(FITCHECK_BUILD_EXAMPLES "Build the C++ examples" ON)
# The parity tests (label "parity") run the Python peers; the sanitizer stage runs the unit label only.
option(FITCHECK_BUILD_PARITY "Build the parity tests against scikit-learn, pandas and PyTorch" ON)
option(FITCHECK_WERROR "Treat warnings as errors" OFF)
option(FITCHECK_FUZZ "Build libFuzzer targets (needs clang)" OFF)
option(FITCHECK_NATIVE "Tune for this machine's CPU (-march=native)" ON)
set(FITCHECK_SANITIZE "" CACHE STRING "Sanitizers, e.g. address;undefined")

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
