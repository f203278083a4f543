#pragma once
// Paths of the project's test data (tests/data, tests/cases, examples/data), independent of the working dir.

#include <filesystem>
#include <limits>
#include <string_view>

namespace fitcheck::test {

std::filesystem::path test_data_path(std::string_view relative);     // tests/data/<relative>
std::filesystem::path example_data_path(std::string_view relative);  // examples/data/<relative>
std::filesystem::path test_case_path(std::string_view relative);     // tests/cases/<relative>
std::filesystem::path npy_fixture_path(std::string_view name);       // tests/data/npy/fixtures/<name>
std::filesystem::path keras_fixture_path(std::string_view name);     // tests/data/keras/fixtures/<name>

// Debian's interpreter, which has the peers (numpy, pandas, scikit-learn, PyTorch); another
// python3 earlier on the PATH may not.
inline constexpr const char* kPython = "/usr/bin/python3";

// A missing value in a test table.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace fitcheck::test
