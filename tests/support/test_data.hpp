#pragma once
// Paths of the project's test data (tests/data, tests/cases, examples/data), independent of the working dir.

#include <filesystem>
#include <string_view>

namespace fitcheck::test {

std::filesystem::path test_data_path(std::string_view relative);     // tests/data/<relative>
std::filesystem::path example_data_path(std::string_view relative);  // examples/data/<relative>
std::filesystem::path test_case_path(std::string_view relative);     // tests/cases/<relative>

}  // namespace fitcheck::test
