#include "fitcheck/io/zip_writer.hpp"

#include <zip.h>

#include <memory>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {
namespace {

struct SourceFree {
  void operator()(zip_source_t* s) const noexcept { zip_source_free(s); }
};

[[noreturn]] void fail(const std::string& target, const std::string& step, const std::string& detail) {
  throw core::InternalError({.where = target,
                             .what = fmt::format("building the zip archive failed ({}): {}", step, detail),
                             .hint = "This is a bug in fitcheck or a libzip failure; please report it."});
}

}  // namespace

std::vector<std::byte> build_zip(const std::vector<ZipMember>& members, const std::string& target) {
  zip_error_t error;
  zip_error_init(&error);
  // The archive is written into this buffer source; zip_source_keep lets it outlive zip_close.
  std::unique_ptr<zip_source_t, SourceFree> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) fail(target, "buffer", zip_error_strerror(&error));
  zip_t* zip = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
  if (zip == nullptr) fail(target, "open", zip_error_strerror(&error));
  zip_source_keep(buffer.get());
  for (const auto& m : members) {
    zip_source_t* src = zip_source_buffer(zip, m.data.empty() ? nullptr : m.data.data(), m.data.size(), 0);
    if (src == nullptr) {
      const std::string detail = zip_strerror(zip);
      zip_discard(zip);
      fail(target, m.name, detail);
    }
    const zip_int64_t index = zip_file_add(zip, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0 || zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
      const std::string detail = zip_strerror(zip);
      if (index < 0) zip_source_free(src);
      zip_discard(zip);
      fail(target, m.name, detail);
    }
  }
  if (zip_close(zip) != 0) {
    const std::string detail = zip_strerror(zip);
    zip_discard(zip);
    fail(target, "close", detail);
  }

  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(buffer.get(), &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
    fail(target, "stat", zip_error_strerror(zip_source_error(buffer.get())));
  }
  if (zip_source_open(buffer.get()) != 0) fail(target, "read back", zip_error_strerror(zip_source_error(buffer.get())));
  std::vector<std::byte> bytes(static_cast<std::size_t>(st.size));
  std::uint64_t done = 0;
  while (done < st.size) {
    const zip_int64_t n = zip_source_read(buffer.get(), bytes.data() + done, st.size - done);
    if (n <= 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  zip_source_close(buffer.get());
  if (done != st.size) fail(target, "read back", fmt::format("{} of {} bytes", done, st.size));
  return bytes;
}

}  // namespace fitcheck::io::detail
