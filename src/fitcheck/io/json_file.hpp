#pragma once
// Reading JSON documents with errors that name the file, the line and the column.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace fitcheck::io {

// Parses a JSON file. A missing file or a syntax error is an InputError naming the file and the
// line:column ("run.json:12:5: invalid JSON: ...").
nlohmann::json read_json_file(const std::filesystem::path& path);
nlohmann::json parse_json_text(std::string_view text, const std::string& source_name);

// A short, single-line rendering of a JSON value for messages: "\"32\"", "[1, 2]", "{...}".
std::string json_excerpt(const nlohmann::json& value);

}  // namespace fitcheck::io
