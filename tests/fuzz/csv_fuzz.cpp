// libFuzzer target: bytes → parse_csv (detection, tokenizing, type inference), then the same bytes
// through read_csv_chunks with tiny chunks (an in-memory file), which exercises record boundaries,
// quote scanning across chunks, type floors and the worker hand-off. Only fitcheck::core::Error
// may escape; when both readers succeed they must agree on the number of rows.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"

namespace {

void touch_every_cell(const fitcheck::core::Table& t) {
  for (int c = 0; c < t.num_columns(); ++c) {
    for (std::int64_t i = 0; i < t.num_rows(); ++i) (void)t.column(c).as_string(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
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
