#include "fitcheck/cli/commands/memory_size.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::cli {

std::int64_t parse_memory_size(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = used <= text.size() ? text.substr(used) : std::string();
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  if (!unit.empty() && unit.back() == 'I') unit.pop_back();  // MiB, GiB
  double scale = 0.0;
  if (unit.empty()) scale = 1.0;
  if (unit == "K") scale = 1024.0;
  if (unit == "M") scale = 1024.0 * 1024.0;
  if (unit == "G") scale = 1024.0 * 1024.0 * 1024.0;
  if (unit == "T") scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
  if (used == 0 || scale == 0.0 || !(value > 0.0) || value * scale > 9.0e18) {
    throw core::InputError({.where = option,
                            .what = "not a memory size",
                            .expected = "a number with K, M, G or T, e.g. 512M or 16GiB",
                            .got = fmt::format("\"{}\"", text)});
  }
  return static_cast<std::int64_t>(value * scale);
}

}  // namespace fitcheck::cli
