// libFuzzer target: bytes → parse_csv (detection, tokenizing, type inference), then the same bytes
// through read_csv_chunks with tiny chunks (an in-memory file), which exercises record boundaries,
// quote scanning across chunks, type floors and the worker hand-off. Only fitcheck::core::Error
// may escape; when both readers succeed they must agree on the number of rows. Two differential
// checks on the same bytes: the tokenizer's 64-byte window path against field by field, and
// parse_float64 (branch-free decimals) against fast_float on every line's first field.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/io/csv_tokenizer.hpp"
#include "fitcheck/io/csv_values.hpp"

namespace {

void touch_every_cell(const fitcheck::core::Table& t) {
  for (int c = 0; c < t.num_columns(); ++c) {
    for (std::int64_t i = 0; i < t.num_rows(); ++i) (void)t.column(c).as_string(i);
  }
}

// Both tokenizer paths must give the same fields, lines and error (or both none).
void compare_tokenizer_paths(std::string_view text) {
  using namespace fitcheck::io::detail;
  TokenizedBlock a, b;
  std::string error_a, error_b;
  TokenizeOptions options{.delimiter = ',', .lenient_end = true};
  std::size_t used_a = 0, used_b = 0;
  try {
    used_a = tokenize_block(text, options, "fuzz.csv", a);
  } catch (const fitcheck::core::Error& e) {
    error_a = e.what();
  }
  options.window_path = false;
  try {
    used_b = tokenize_block(text, options, "fuzz.csv", b);
  } catch (const fitcheck::core::Error& e) {
    error_b = e.what();
  }
  if (error_a != error_b || used_a != used_b || a.rows() != b.rows() || a.row_line != b.row_line) __builtin_trap();
  if (!error_a.empty()) return;
  for (std::int64_t r = 0; r < a.rows(); ++r) {
    if (a.fields_in_row(r) != b.fields_in_row(r)) __builtin_trap();
    for (int c = 0; c < a.fields_in_row(r); ++c) {
      if (a.field(r, c) != b.field(r, c)) __builtin_trap();
    }
  }
}

// parse_float64 must accept what fast_float accepts and give the same bits.
void compare_numbers(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view field = text.substr(start, end - start);
    field = field.substr(0, field.find(','));
    double ours = 0, theirs = 0;
    const bool ok = fitcheck::io::detail::parse_float64(field, ours);
    std::string_view f = field;
    if (!f.empty() && f.front() == '+' && f.size() > 1 && f[1] != '-' && f[1] != '+') f.remove_prefix(1);
    const auto r = fast_float::from_chars(f.data(), f.data() + f.size(), theirs);
    const bool their_ok = !f.empty() && r.ptr == f.data() + f.size() &&
                          (r.ec == std::errc() || r.ec == std::errc::result_out_of_range);
    if (ok != their_ok || (ok && std::memcmp(&ours, &theirs, sizeof ours) != 0)) __builtin_trap();
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  compare_tokenizer_paths(text);
  compare_numbers(text);
  std::int64_t whole_rows = -1;
  try {
    auto r = fitcheck::io::parse_csv(text, "fuzz.csv");
    touch_every_cell(r.table);
    whole_rows = r.table.num_rows();
  } catch (const fitcheck::core::Error&) {
  }
  try {
    fitcheck::io::CsvOptions options;
    options.delimiter = size > 0 && (data[0] & 1) ? ';' : ',';
    options.header = size > 1 && (data[1] & 1);
    options.threads = 2;
    (void)fitcheck::io::parse_csv(text, "fuzz.csv", options);
  } catch (const fitcheck::core::Error&) {
  }

  const int fd = memfd_create("fuzz.csv", 0);
  if (fd < 0) return 0;
  if (size == 0 || ::write(fd, data, size) == static_cast<ssize_t>(size)) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    fitcheck::io::CsvOptions options;
    options.threads = 2;
    const std::int64_t chunk_bytes = size > 0 ? 1 + data[0] % 61 : 1;
    const auto order = size > 1 && (data[1] & 2) ? fitcheck::io::ChunkOrder::AnyOrder
                                                 : fitcheck::io::ChunkOrder::FileOrder;
    try {
      auto res = fitcheck::io::read_csv_chunks(
          path, chunk_bytes, [](const fitcheck::io::CsvChunk& chunk) { touch_every_cell(chunk.table); }, options,
          order);
      if (whole_rows >= 0 && res.rows != whole_rows) __builtin_trap();
    } catch (const fitcheck::core::Error&) {
    }
  }
  ::close(fd);
  return 0;
}
