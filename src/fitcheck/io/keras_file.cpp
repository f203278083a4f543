// Recognises a Keras model file by its content and hands it to the .keras or the legacy .h5 reader.
#include "fitcheck/io/keras_file.hpp"

#include <cctype>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io {

KerasFile read_keras_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError({.where = path.string(), .what = "cannot open the file", .hint = "Check the path."});
  char head[8] = {};
  in.read(head, sizeof head);
  const auto n = static_cast<std::size_t>(in.gcount());
  if (n >= 4 && head[0] == 'P' && head[1] == 'K') return read_keras_archive(path);
  if (n == 8 && std::memcmp(head, "\x89HDF\r\n\x1a\n", 8) == 0) return read_keras_h5(path);
  std::string got;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(head[i]);
    got += std::isprint(c) ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02x}", c);
  }
  throw core::InputError({.where = path.string() + ": byte 0", .what = "not a Keras model file",
                          .expected = "a .keras archive (zip) or a legacy .h5 (HDF5)",
                          .got = n == 0 ? std::string("an empty file") : "'" + got + "'",
                          .hint = "Save the model with model.save('model.keras'); a model.to_json() file is given as JSON."});
}

std::string keras_snake_case(std::string_view class_name) {
  // Keras 3: drop non-word characters; "_" before an upper-case letter that starts a lower-case
  // run ("(.)([A-Z][a-z]+)"), then between a lower-case and an upper-case letter
  // ("([a-z])([A-Z])"); lower-case. Each pass scans left to right without overlapping matches,
  // as re.sub does.
  std::string word;
  for (char c : class_name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') word += c;
  }
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  std::string pass1;
  for (std::size_t i = 0; i < word.size();) {
    if (i + 2 < word.size() && upper(word[i + 1]) && lower(word[i + 2])) {
      pass1 += word[i];
      pass1 += '_';
      pass1 += word[i + 1];
      i += 2;
      while (i < word.size() && lower(word[i])) pass1 += word[i++];
    } else {
      pass1 += word[i++];
    }
  }
  std::string pass2;
  for (std::size_t i = 0; i < pass1.size();) {
    if (i + 1 < pass1.size() && lower(pass1[i]) && upper(pass1[i + 1])) {
      pass2 += pass1[i];
      pass2 += '_';
      pass2 += pass1[i + 1];
      i += 2;
    } else {
      pass2 += pass1[i++];
    }
  }
  for (auto& c : pass2) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return pass2;
}

}  // namespace fitcheck::io
