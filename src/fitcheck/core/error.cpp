#include "fitcheck/core/error.hpp"

#include <fmt/format.h>

namespace fitcheck::core {

std::string format_error_message(const ErrorDetail& d) {
  std::string msg;
  if (!d.where.empty()) msg += d.where + ": ";
  msg += d.what;
  if (!d.expected.empty() && !d.got.empty()) {
    msg += fmt::format("; expected {}, got {}", d.expected, d.got);
  } else if (!d.expected.empty()) {
    msg += fmt::format("; expected {}", d.expected);
  } else if (!d.got.empty()) {
    msg += fmt::format("; got {}", d.got);
  }
  msg += ".";
  if (!d.hint.empty()) msg += " " + d.hint;
  return msg;
}

std::string file_location(const std::string& file, std::int64_t line) {
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

Error::Error(ErrorKind kind, ErrorDetail detail)
    : std::runtime_error(format_error_message(detail)), kind_(kind), detail_(std::move(detail)) {}

}  // namespace fitcheck::core
