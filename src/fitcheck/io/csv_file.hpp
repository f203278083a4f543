#pragma once
// Access to a CSV file's bytes (internal): the whole file memory-mapped (read_csv), or read in
// sequential pieces (read_csv_chunks, which must not hold the whole file).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace fitcheck::io::detail {

class MappedFile {
 public:
  // With `copy_if_unmappable` false, a file that cannot be mapped (a pipe) is left unread and
  // is_mapped() is false, for the caller to read it sequentially through take_unread() instead:
  // a pipe must not be opened twice, as its writer may fail in between.
  explicit MappedFile(const std::filesystem::path& path, bool copy_if_unmappable = true);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view text() const { return text_; }
  bool is_mapped() const { return map_ != nullptr; }
  // Gives back the memory of whole pages inside `part` (a range of text() that is done with), so
  // that streaming through a mapped file keeps only the parts in use resident.
  void release(std::string_view part) const;
  // Maps the pages of `part` in one call: far cheaper than a page fault every 16 pages as a
  // first read walks through them.
  void populate(std::string_view part) const;
  // The open descriptor of a file left unread (-1 if none); the caller then owns it.
  int take_unread();

 private:
  int unread_fd_ = -1;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::string copy_;  // when the file cannot be mapped (a pipe)
  std::string_view text_;
};

class SequentialFile {
 public:
  explicit SequentialFile(const std::filesystem::path& path);
  // Reads from an open descriptor, which it then owns; `name` is used in errors.
  SequentialFile(int fd, std::string name);
  ~SequentialFile();
  SequentialFile(const SequentialFile&) = delete;
  SequentialFile& operator=(const SequentialFile&) = delete;
  // Reads up to `n` bytes into `dst`; returns how many (0 at the end of the file).
  std::size_t read(char* dst, std::size_t n);
  std::int64_t size() const { return size_; }  // 0 when unknown (a pipe)

 private:
  int fd_ = -1;
  std::int64_t size_ = 0;
  std::string name_;
};

}  // namespace fitcheck::io::detail
