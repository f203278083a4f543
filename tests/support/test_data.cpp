#include "support/test_data.hpp"

#include <string>

namespace fitcheck::test {
namespace {
const std::filesystem::path kSourceRoot = FITCHECK_SOURCE_DIR;
}

std::filesystem::path test_data_path(std::string_view relative) {
  return kSourceRoot / "tests" / "data" / std::string(relative);
}

std::filesystem::path test_case_path(std::string_view relative) {
  return kSourceRoot / "tests" / "cases" / std::string(relative);
}

std::filesystem::path example_data_path(std::string_view relative) {
  return kSourceRoot / "examples" / "data" / std::string(relative);
}

std::filesystem::path npy_fixture_path(std::string_view name) {
  return test_data_path("npy/fixtures") / std::string(name);
}

std::filesystem::path keras_fixture_path(std::string_view name) {
  return test_data_path("keras/fixtures") / std::string(name);
}

}  // namespace fitcheck::test
