#pragma once
// The error types of fitcheck. Library code throws these and never aborts; the CLI alone turns
// them into a message and an exit status (2 for unusable input, design.md).
//
// Message format (style.md): "<where>: <what>; expected <E>, got <G>. <hint>"
// `where` is in the user's words: "train.csv:17: column \"age\"", "run.json: /compile/loss".

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fitcheck::core {

enum class ErrorKind { Input, Shape, Config, Internal };

struct ErrorDetail {
  std::string where;     // file:line, JSON path, layer name — the user's location
  std::string what;      // what went wrong
  std::string expected;  // optional: what was expected
  std::string got;       // optional: what was found
  std::string hint;      // optional: one sentence on how to fix it
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, ErrorDetail detail);
  ErrorKind kind() const { return kind_; }
  const ErrorDetail& detail() const { return detail_; }

 private:
  ErrorKind kind_;
  ErrorDetail detail_;
};

// A file or argument that cannot be used as given (exit status 2).
class InputError : public Error {
 public:
  explicit InputError(ErrorDetail d) : Error(ErrorKind::Input, std::move(d)) {}
};

// Tensors or layers whose shapes do not fit together.
class ShapeError : public Error {
 public:
  explicit ShapeError(ErrorDetail d) : Error(ErrorKind::Shape, std::move(d)) {}
};

// An invalid run file, model configuration or option value.
class ConfigError : public Error {
 public:
  explicit ConfigError(ErrorDetail d) : Error(ErrorKind::Config, std::move(d)) {}
};

// A broken invariant inside fitcheck: a bug, not the user's fault.
class InternalError : public Error {
 public:
  explicit InternalError(ErrorDetail d) : Error(ErrorKind::Internal, std::move(d)) {}
};

// Formats the message as described above; exposed for tests and renderers.
std::string format_error_message(const ErrorDetail& d);

// "file.csv:17" / "file.csv" when line is 0.
std::string file_location(const std::string& file, std::int64_t line = 0);

}  // namespace fitcheck::core

// Invariant check kept in release builds; throws InternalError naming our own source location.
#define FITCHECK_CHECK(cond, message)                                                   \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      throw ::fitcheck::core::InternalError(                                            \
          {.where = ::fitcheck::core::file_location(__FILE__, __LINE__),                \
           .what = std::string("internal check failed: ") + #cond + ": " + (message), \
           .hint = "This is a bug in fitcheck; please report it with the input."});    \
    }                                                                                   \
  } while (false)
