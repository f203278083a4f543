#pragma once
// Blocks of records (internal): cutting text at record boundaries, and turning one block into
// converted column pieces.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/io/csv_column.hpp"
#include "fitcheck/io/csv_tokenizer.hpp"
#include "fitcheck/io/csv_values.hpp"

namespace fitcheck::io::detail {

struct ParseContext {
  std::string source;
  char delimiter = ',';
  int columns = 0;
  NaMatcher na;
};

struct ParsedBlock {
  std::vector<ColumnPiece> pieces;  // one per column
  std::int64_t rows = 0;
  std::int64_t first_line = 0;
};

// Tokenizes `text` (starting at a record boundary on file line `first_line`) and converts each
// column; with `floors`, column c is at least (*floors)[c] when that is set. `row_hint` (e.g. the
// block's newline count) sizes the column vectors once instead of growing them.
// `share` {part, parts}: only the columns c with c % parts == part are converted (the others'
// pieces stay empty), so that several threads can share one block.
struct ColumnShare {
  int part = 0;
  int parts = 1;
};
ParsedBlock parse_block(std::string_view text, std::int64_t first_line, const ParseContext& ctx,
                        const std::vector<std::optional<Kind>>* floors, TokenizedBlock& scratch,
                        std::int64_t row_hint = 0, ColumnShare share = {});

// parse_block with the columns shared among `workers` threads (each tokenizes the whole block
// and converts its share): the result is parse_block's, in about 1/workers of the time, for a
// block that must be read before anything else can start.
ParsedBlock parse_block_shared(std::string_view text, std::int64_t first_line, const ParseContext& ctx,
                               std::int64_t row_hint, int workers);

struct BlockRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::int64_t first_line = 1;
};

// Cuts `data` (starting at a record boundary on line `first_line`) into blocks of about
// `target` bytes that end at record boundaries. The blocks' lines are counted on `workers` threads.
std::vector<BlockRange> split_blocks(std::string_view data, char delimiter, std::size_t target,
                                     std::int64_t first_line, int workers = 1);

}  // namespace fitcheck::io::detail
