#include "fitcheck/io/csv_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {

namespace {

int open_or_throw(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw core::InputError({.where = path.string(),
                            .what = std::string("cannot open the file: ") + std::strerror(err),
                            .hint = "Check the path and its permissions."});
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw core::InputError({.where = path.string(), .what = "this is a directory", .expected = "a CSV file"});
  }
  return fd;
}

[[noreturn]] void throw_read_error(const std::string& name, int err) {
  throw core::InputError({.where = name, .what = std::string("cannot read the file: ") + std::strerror(err)});
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path, bool copy_if_unmappable) {
  const int fd = open_or_throw(path);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* m = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      map_ = m;
      map_size_ = static_cast<std::size_t>(st.st_size);
      ::madvise(map_, map_size_, MADV_WILLNEED);  // read ahead into the page cache
      text_ = std::string_view(static_cast<const char*>(map_), map_size_);
      ::close(fd);
      return;
    }
  }
  // Not mappable (empty, a pipe, a special file): read it all.
  if (!copy_if_unmappable) {
    unread_fd_ = fd;
    return;
  }
  char buf[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw_read_error(path.string(), err);
    }
    if (got == 0) break;
    copy_.append(buf, static_cast<std::size_t>(got));
  }
  ::close(fd);
  text_ = copy_;
}

void MappedFile::populate(std::string_view part) const {
#ifndef MADV_POPULATE_READ
  constexpr int MADV_POPULATE_READ = 22;  // Linux 5.14; older kernels refuse it, which is harmless
#endif
  if (map_ == nullptr || part.empty()) return;
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(part.data()) / page * page;
  const auto end = reinterpret_cast<std::uintptr_t>(part.data() + part.size());
  ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ);
}

void MappedFile::release(std::string_view part) const {
  if (map_ == nullptr || part.empty()) return;
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(part.data()) + page - 1) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(part.data()) + part.size()) / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

int MappedFile::take_unread() {
  const int fd = unread_fd_;
  unread_fd_ = -1;
  return fd;
}

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
  if (unread_fd_ >= 0) ::close(unread_fd_);
}

SequentialFile::SequentialFile(const std::filesystem::path& path) : SequentialFile(open_or_throw(path), path.string()) {}

SequentialFile::SequentialFile(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) size_ = static_cast<std::int64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

SequentialFile::~SequentialFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t SequentialFile::read(char* dst, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd_, dst + done, n - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_read_error(name_, errno);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

}  // namespace fitcheck::io::detail
