#pragma once
// Dialect detection (internal): byte order mark, delimiter, header row and column names.
//
// Delimiter: each of , TAB ; | splits a sample of up to kSampleRows records (quotes respected).
// A candidate is consistent when every sampled record has the same number of fields, more than
// one. The consistent candidate with the most fields wins (ties: , TAB ; |), except that ';'
// beats ',' when every ',' in the sample sits between two digits (decimal commas). With no
// consistent candidate, the one whose most common field count (> 1) covers the most records
// wins, and the ragged rows are reported when parsing; with none at all, ','.
//
// Header: the first record is a header unless one of its fields is a number or a boolean.
// When it is all text, it is a header if the file has no other record, or if some column holds
// numbers or booleans below it; when every column is text below too, it is a header unless one
// of its values appears again in the same column in the sample (names do not repeat as data).
// Empty names become "Unnamed: <i>" and repeated ones "<name>.<k>", as pandas names them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/io/csv_reader.hpp"

namespace fitcheck::io::detail {

constexpr std::int64_t kSampleRows = 200;

struct Dialect {
  char delimiter = ',';
  bool header = true;
  std::vector<std::string> names;
  std::size_t data_offset = 0;     // bytes from the start of the text to the first data record
  std::int64_t data_first_line = 1;
  std::vector<CsvNote> notes;
};

// Detects the dialect from the first bytes of the file. `is_whole` says whether `prefix` is the
// whole file. Returns nullopt when the prefix holds no complete record and more text is needed.
// Throws InputError for an empty file.
std::optional<Dialect> detect_dialect(std::string_view prefix, bool is_whole, const CsvOptions& options,
                                      const std::string& source);

// detect_dialect on a growing prefix of text that is all in memory (most files need only the
// first megabyte).
Dialect detect_on_text(std::string_view text, const CsvOptions& options, const std::string& source);

}  // namespace fitcheck::io::detail
