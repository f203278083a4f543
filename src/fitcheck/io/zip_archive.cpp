#include "fitcheck/io/zip_archive.hpp"

#include <zip.h>

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {
namespace {

// Deflate cannot expand data by more than about 1032:1, so an entry that claims more is corrupt;
// checking this before allocating keeps a forged size from reserving gigabytes.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

struct ZipFileCloser {
  void operator()(zip_file_t* f) const noexcept { zip_fclose(f); }
};

}  // namespace

struct ZipArchive::Impl {
  zip_t* zip = nullptr;
  ~Impl() {
    if (zip != nullptr) zip_discard(zip);
  }
};

ZipArchive::ZipArchive(const std::filesystem::path& path, const ZipKind& kind) : source_(path.string()) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw core::InputError({.where = source_, .what = "cannot open the file: no such regular file", .hint = "Check the path."});
  }
  zip_error_t error;
  zip_error_init(&error);
  archive_size_ = std::filesystem::file_size(path, ec);
  zip_source_t* src = zip_source_file_create(path.c_str(), 0, -1, &error);
  open(src, &error, kind);
}

ZipArchive::ZipArchive(std::span<const std::byte> content, std::string source, const ZipKind& kind)
    : source_(std::move(source)), archive_size_(content.size()) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(content.empty() ? nullptr : content.data(), content.size(), 0, &error);
  open(src, &error, kind);
}

ZipArchive::~ZipArchive() = default;

void ZipArchive::open(void* zip_source, void* zip_error, const ZipKind& kind) {
  auto* src = static_cast<zip_source_t*>(zip_source);
  auto* error = static_cast<zip_error_t*>(zip_error);
  auto fail = [&]() {
    const int code = zip_error_code_zip(error);
    std::string detail = zip_error_strerror(error);
    zip_error_fini(error);
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS) {
      throw core::InputError({.where = source_, .what = kind.not_this, .expected = kind.expected,
                              .got = "a file libzip cannot read as a zip archive (" + detail + ")", .hint = kind.hint});
    }
    throw core::InputError({.where = source_, .what = "cannot open the archive: " + detail, .hint = kind.hint});
  };
  if (src == nullptr) fail();
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, error);
  if (z == nullptr) {
    zip_source_free(src);
    fail();
  }
  zip_error_fini(error);
  impl_ = std::make_unique<Impl>();
  impl_->zip = z;
  const zip_int64_t count = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(z, static_cast<zip_uint64_t>(i), 0);
    names_.emplace_back(name == nullptr ? "" : name);
  }
}

std::optional<std::size_t> ZipArchive::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

std::vector<std::byte> ZipArchive::read(std::size_t index, const std::string& member_source) const {
  zip_t* z = impl_->zip;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, index, 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0 ||
      (st.valid & ZIP_STAT_COMP_SIZE) == 0 || (st.valid & ZIP_STAT_COMP_METHOD) == 0) {
    throw core::InputError({.where = member_source, .what = "the archive entry cannot be read: " + std::string(zip_strerror(z))});
  }
  if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
    throw core::InputError({.where = member_source, .what = "unsupported zip compression method",
                            .expected = "stored or deflated", .got = fmt::format("method {}", st.comp_method)});
  }
  // The compressed size itself is only a claim: it cannot exceed the archive.
  const std::uint64_t compressed = std::min<std::uint64_t>(st.comp_size, archive_size_);
  const std::uint64_t limit = st.comp_method == ZIP_CM_STORE ? compressed : compressed * kMaxDeflateRatio + 1024;
  if (st.size > limit) {
    throw core::InputError({.where = member_source, .what = "corrupt archive entry: its stated size cannot come from its compressed data",
                            .expected = fmt::format("at most {} bytes", limit), .got = fmt::format("{} bytes", st.size)});
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(z, index, 0));
  if (!file) {
    throw core::InputError({.where = member_source, .what = "cannot open the archive entry: " + std::string(zip_strerror(z))});
  }
  std::vector<std::byte> content(static_cast<std::size_t>(st.size));
  std::uint64_t done = 0;
  while (done < st.size) {
    zip_int64_t n = zip_fread(file.get(), content.data() + done, st.size - done);
    if (n < 0) {
      throw core::InputError({.where = member_source, .what = "corrupt archive entry: " + std::string(zip_file_strerror(file.get())),
                              .hint = "The archive is damaged; write it again."});
    }
    if (n == 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  if (done != st.size) {
    throw core::InputError({.where = member_source, .what = "truncated archive entry",
                            .expected = fmt::format("{} bytes", st.size), .got = fmt::format("{} bytes", done)});
  }
  return content;
}

}  // namespace fitcheck::io::detail
