# Designated initialisers with defaulted members are our options style (style.md), so
# -Wmissing-field-initializers is off.
# One warning set for every fitcheck target.
add_library(fitcheck_warnings INTERFACE)
# -Wshadow=local is GCC's spelling (clang, used for the fuzzers, has no such option).
target_compile_options(fitcheck_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
  -Wno-missing-field-initializers -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(FITCHECK_WERROR)
  target_compile_options(fitcheck_warnings INTERFACE -Werror)
endif()
