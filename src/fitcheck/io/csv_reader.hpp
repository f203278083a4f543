#pragma once
// CSV reader: RFC 4180 quoting, delimiter and header detection, UTF-8 BOM, CRLF, missing-value
// tokens, per-column type inference (bool, int64, float64, categorical) that never changes a
// column's type on a stray token without saying so (see CsvNote). Numbers are parsed with
// fast_float. Files are read in large blocks and parsed on several threads.
//
// Errors (InputError) name the file, the line and what was expected:
//   "train.csv:1234: expected 30 fields, found 29."

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::io {

// The tokens read as missing values, as pandas' defaults minus the exotic ones:
// "", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?".
const std::vector<std::string>& default_na_values();

struct CsvOptions {
  char delimiter = '\0';                              // '\0': detect among , ; TAB |
  std::optional<bool> header;                         // nullopt: detect
  std::vector<std::string> na_values = default_na_values();
  int threads = 0;                                    // 0: all cores; 1: serial
  // Called now and then with the bytes consumed so far and the file size (progress bars).
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// Something the reader decided that the user should know, e.g. that column "age" holds 3 values
// that are not numbers (first at line 17: "n/a") and those were read as missing.
struct CsvNote {
  std::string column;
  std::int64_t line = 0;  // first line concerned (1-based, counting the header), 0 if none
  std::string message;    // full sentence for the user
};

struct CsvResult {
  core::Table table;
  std::vector<CsvNote> notes;
  char delimiter = ',';
  bool header = true;
};

// Reads the whole file into a Table. `source` of the table is the path as given.
CsvResult read_csv(const std::filesystem::path& path, const CsvOptions& options = {});

// Parses text already in memory; `source_name` is used in messages (tests, fuzzing).
CsvResult parse_csv(std::string_view text, const std::string& source_name,
                    const CsvOptions& options = {});

// Streaming: reads the file in blocks of about `chunk_bytes` and calls `on_chunk` with each
// block's rows as a Table, so files larger than memory can be profiled. Memory stays near
// chunk_bytes x (workers + a small factor), whatever the file size.
//
// Column types: the reader infers the types from the first block and keeps them for the whole
// file; a later value that does not fit widens the column in that chunk (int64 -> float64 ->
// categorical) and is reported in a CsvNote. A consumer merging chunks must therefore accept
// int64 in one chunk and float64 or categorical in another. Every chunk has the same column
// names in the same order.
//
// Order: with ChunkOrder::FileOrder `on_chunk` is called from one thread at a time, in file
// order. With ChunkOrder::AnyOrder (the fast path for mergeable consumers such as the profile)
// it is called concurrently from up to `csv_worker_count(options)` threads; `worker` tells the
// consumer which per-thread state to update, `index` restores file order if needed.
// An exception thrown by `on_chunk` stops the reading and is rethrown to the caller.
struct CsvChunk {
  const core::Table& table;
  std::int64_t first_line;  // file line of the chunk's first row (1-based, counting the header)
  std::int64_t index;       // chunk number in file order, from 0
  int worker;               // 0 .. csv_worker_count(options) - 1
};
enum class ChunkOrder { FileOrder, AnyOrder };

struct CsvStreamResult {
  std::vector<CsvNote> notes;
  std::vector<std::string> column_names;
  std::int64_t rows = 0;  // data rows, header excluded
  char delimiter = ',';
  bool header = true;
};

// Threads the reader will use for these options (options.threads, or the cores when 0).
int csv_worker_count(const CsvOptions& options);

CsvStreamResult read_csv_chunks(const std::filesystem::path& path, std::int64_t chunk_bytes,
                                const std::function<void(const CsvChunk&)>& on_chunk,
                                const CsvOptions& options = {},
                                ChunkOrder order = ChunkOrder::FileOrder);

}  // namespace fitcheck::io
