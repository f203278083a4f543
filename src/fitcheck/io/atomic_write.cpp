#include "fitcheck/io/atomic_write.hpp"

#include <unistd.h>

#include <fstream>
#include <random>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io {

void write_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path tmp = dir / fmt::format(".{}.tmp-{}-{}", path.filename().string(), ::getpid(), std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw core::InputError({.where = path.string(),
                              .what = "cannot create the output file",
                              .hint = "Check that the directory exists and is writable."});
    }
    try {
      write(out);
    } catch (...) {
      out.close();
      std::error_code ec;
      fs::remove(tmp, ec);
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      std::error_code ec;
      fs::remove(tmp, ec);
      throw core::InputError({.where = path.string(),
                              .what = "writing the output failed",
                              .hint = "Check the free disk space."});
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw core::InputError({.where = path.string(), .what = "cannot replace the output file: " + ec.message()});
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_atomically(path, [&](std::ostream& out) { out.write(content.data(), static_cast<std::streamsize>(content.size())); });
}

}  // namespace fitcheck::io
