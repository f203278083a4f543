# fitcheck_add_module(NAME SOURCES ... DEPS ... [PRIVATE_DEPS ...])
# One static library per module (fitcheck_<name>); DEPS spells out the module DAG of design.md.
function(fitcheck_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(fitcheck_${name} STATIC ${ARG_SOURCES})
  target_include_directories(fitcheck_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fitcheck_${name} PUBLIC ${ARG_DEPS} PRIVATE fitcheck_warnings ${ARG_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY FITCHECK_MODULES fitcheck_${name})
endfunction()

# fitcheck_add_test_suite(NAME SOURCES ... LIBS ... [LABELS ...])
# One GoogleTest executable per module, discovered by ctest.
function(fitcheck_add_test_suite name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(fitcheck_${name}_tests ${ARG_SOURCES})
  target_link_libraries(fitcheck_${name}_tests PRIVATE ${ARG_LIBS} fitcheck_test_support
    GTest::gtest GTest::gmock GTest::gtest_main fitcheck_warnings)
  gtest_discover_tests(fitcheck_${name}_tests
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "FITCHECK_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data"
    DISCOVERY_TIMEOUT 60)
endfunction()

# fitcheck_add_fuzzer(NAME SOURCE LIBS ...) — only with FITCHECK_FUZZ (clang).
function(fitcheck_add_fuzzer name source)
  if(NOT FITCHECK_FUZZ)
    return()
  endif()
  add_executable(fitcheck_fuzz_${name} ${source})
  target_link_libraries(fitcheck_fuzz_${name} PRIVATE ${ARGN})
  target_link_options(fitcheck_fuzz_${name} PRIVATE -fsanitize=fuzzer)
endfunction()
