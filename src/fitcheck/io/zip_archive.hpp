#pragma once
// Reading zip archives (.npz, .keras) through libzip, from a file or from memory, with the
// checks every archive reader needs: a member's stated size is compared with what its compressed
// data can expand to before anything is allocated. Internal to io.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fitcheck::io::detail {

// How to describe the archive when it is not a zip: e.g. {"not an .npz archive",
// "a zip archive of .npy files", "Write it with numpy.savez."}.
struct ZipKind {
  std::string not_this;
  std::string expected;
  std::string hint;
};

class ZipArchive {
 public:
  // Throws InputError naming `source` when the file is missing or not a zip archive.
  ZipArchive(const std::filesystem::path& path, const ZipKind& kind);
  // `content` must outlive the archive.
  ZipArchive(std::span<const std::byte> content, std::string source, const ZipKind& kind);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::string& source() const { return source_; }
  // Entry names in archive order.
  const std::vector<std::string>& names() const { return names_; }
  std::optional<std::size_t> find(std::string_view name) const;
  // The uncompressed bytes of entry `index`; `member_source` (e.g. "d.npz[x]") names it in errors.
  // Only stored and deflated entries are read.
  std::vector<std::byte> read(std::size_t index, const std::string& member_source) const;

 private:
  struct Impl;
  void open(void* zip_source, void* zip_error, const ZipKind& kind);
  std::string source_;
  std::uint64_t archive_size_ = 0;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> names_;
};

}  // namespace fitcheck::io::detail
