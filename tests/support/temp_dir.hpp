#pragma once
// A scratch directory per test, removed when the object goes away.

#include <filesystem>
#include <string>
#include <string_view>

namespace fitcheck::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to a file in the directory and returns its path.
  std::filesystem::path write(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// The whole content of a file ("" when it cannot be read).
std::string read_text(const std::filesystem::path& path);

}  // namespace fitcheck::test
