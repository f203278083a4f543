#include "fitcheck/io/json_file.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io {

nlohmann::json parse_json_text(std::string_view text, const std::string& source_name) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based offset of the offending byte; turn it into line:column.
    std::size_t line = 1, column = 1;
    const std::size_t stop = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    for (std::size_t i = 0; i < stop; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
    // keep only the part after the position, which says what was expected.
    if (auto pos = what.find(": syntax error"); pos != std::string::npos) what = what.substr(pos + 2);
    else if (auto p2 = what.rfind(": "); p2 != std::string::npos) what = what.substr(p2 + 2);
    throw core::InputError({.where = fmt::format("{}:{}:{}", source_name, line, column),
                            .what = "invalid JSON: " + what,
                            .hint = "Fix the syntax at that position (a missing comma, quote or brace is usual)."});
  } catch (const nlohmann::json::exception& e) {
    // Anything else the parser rejects (a number too large for a double, say) carries no position.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw core::InputError({.where = source_name,
                            .what = "invalid JSON: " + what,
                            .hint = "Numbers must fit a 64-bit float (about 1.8e308); check for a corrupted value."});
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::InputError({.where = path.string(),
                            .what = "cannot open the file",
                            .hint = std::filesystem::exists(path) ? "Check its permissions."
                                                                  : "Check the path; it is relative to the current directory."});
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), path.string());
}

std::string json_excerpt(const nlohmann::json& value) {
  std::string s = value.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

}  // namespace fitcheck::io
