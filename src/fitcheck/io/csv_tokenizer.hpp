#pragma once
// CSV tokenizer (internal): splits a block of text that starts at a record boundary into rows of
// fields, following RFC 4180 as pandas reads it:
//   - a field that starts with '"' is quoted: delimiters and newlines inside are data, "" is a
//     quote; text between the closing quote and the next delimiter is appended as it is;
//   - a '"' anywhere else in a field is an ordinary character;
//   - records end at "\n" or "\r\n"; a final record without a newline is still a record;
//   - blank lines ("" or "\r") are skipped.
// Fields are stored as offsets into the block (or into a side buffer for unescaped quoted
// fields), so tokenizing allocates nothing per field.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fitcheck::io::detail {

// A field: `offset` bytes into the block, or into TokenizedBlock::unescaped when in_side().
// Plain words, not bit-fields: a bit-field store reads the destination first, and on fresh
// memory that read maps the zero page, which the write then has to replace (two faults and a
// TLB flush per page).
struct FieldRef {
  static constexpr std::uint32_t kSideBit = std::uint32_t{1} << 31;
  std::uint32_t offset = 0;
  std::uint32_t length_and_side = 0;  // length, with kSideBit set for the side buffer

  static FieldRef in_text(std::uint32_t offset, std::uint32_t length) { return {offset, length}; }
  static FieldRef in_unescaped(std::uint32_t offset, std::uint32_t length) { return {offset, length | kSideBit}; }
  std::uint32_t length() const { return length_and_side & ~kSideBit; }
  bool in_side() const { return (length_and_side & kSideBit) != 0; }
};

struct TokenizedBlock {
  std::string_view text;             // the block, as given
  std::string unescaped;             // quoted fields whose text differs from the raw bytes
  std::vector<FieldRef> fields;      // row-major
  std::vector<std::uint32_t> row_begin;  // index of each row's first field; size rows + 1
  std::vector<std::int64_t> row_line;    // file line (1-based) where each row starts
  std::int64_t end_line = 0;         // the line after the block's last line

  std::int64_t rows() const { return static_cast<std::int64_t>(row_begin.size()) - 1; }
  int fields_in_row(std::int64_t r) const {
    return static_cast<int>(row_begin[static_cast<std::size_t>(r) + 1] - row_begin[static_cast<std::size_t>(r)]);
  }
  std::string_view field(std::int64_t r, int c) const {
    return view(fields[row_begin[static_cast<std::size_t>(r)] + static_cast<std::size_t>(c)]);
  }
  std::string_view view(FieldRef f) const {
    const char* base = f.in_side() ? unescaped.data() : text.data();
    return {base + f.offset, f.length()};
  }
  void clear();
};

struct TokenizeOptions {
  char delimiter = ',';
  int expected_fields = -1;    // > 0: a row with another count is an error (InputError)
  std::int64_t first_line = 1; // file line of the block's first byte
  std::int64_t max_rows = -1;  // stop when `out` holds this many rows (sampling, batches)
  bool lenient_end = false;    // sampling: an unterminated quote at the end ends the block quietly
  bool window_path = true;     // rows free of '"' and lone '\r' are read 64 bytes at a time;
                               // false reads every row field by field (tests compare the two)
};

// Tokenizes `text` (which must start at a record boundary) into `out`. Throws InputError naming
// `source` and the line for an unterminated quote or, with expected_fields, a ragged row.
// Returns the number of bytes consumed (all of them unless max_rows or lenient_end stopped it).
// To tokenize a block in batches, call again with `start` = the value returned and
// options.first_line = out.end_line; offsets stay relative to text.data().
std::size_t tokenize_block(std::string_view text, const TokenizeOptions& options,
                           const std::string& source, TokenizedBlock& out, std::size_t start = 0);

// Where the last complete record in `text` ends (just after its '\n'), scanning quotes the same
// way the tokenizer does; 0 when no record ends inside `text`. `text` starts at a record boundary.
std::size_t last_record_end(std::string_view text, char delimiter);

// Number of '\n' in text.
std::int64_t count_newlines(std::string_view text);

// Just past the last '\n' of `text` (0 when it has none): the last record boundary of text
// without quotes.
std::size_t after_last_newline(std::string_view text);

// One pass over text: its '\n' count, and whether it holds a '"' anywhere (when it does not,
// every '\n' ends a record and the last one is the last record boundary).
struct PlainScan {
  std::int64_t newlines = 0;
  bool has_quote = false;
};
PlainScan scan_plain(std::string_view text);

}  // namespace fitcheck::io::detail
