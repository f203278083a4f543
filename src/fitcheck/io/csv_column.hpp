#pragma once
// Per-column type inference and conversion for one tokenized block (internal).
//
// The rule (docs/csv.md): a field is missing (a na_values token or only spaces), an integer, a
// float, a boolean (true/false in pandas' three spellings) or other text. The column's main kind
// is numeric when numbers are at least as many as booleans, boolean otherwise. The fields that
// are not of the main kind are "stray". A column with no stray field gets the main kind
// (int64 when every number is an integer that fits, float64 otherwise). A column with stray
// fields keeps the main kind, with the strays read as missing, only when they are at most 1 % of
// the non-missing fields and at most kMaxStrayDistinct distinct strings; otherwise it is
// categorical. Both outcomes are reported as notes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/table.hpp"
#include "fitcheck/io/csv_dictionary.hpp"
#include "fitcheck/io/csv_tokenizer.hpp"
#include "fitcheck/io/csv_values.hpp"

namespace fitcheck::io::detail {

constexpr int kMaxStrayDistinct = 5;

// Ordered so that widening is mostly "take the larger"; Bool with Int/Float widens to Text.
enum class Kind : std::uint8_t { Empty, Bool, Int, Float, Text };

Kind widen(Kind a, Kind b);
core::ColumnType column_type_of(Kind k);  // Empty → Float64
core::DType source_dtype_of(Kind k);
std::string_view kind_name(Kind k);       // "int64", ... ("float64" for Empty)

// A first occurrence worth reporting: the file line and the text.
struct Sample {
  std::int64_t count = 0;
  std::int64_t line = 0;
  std::string text;
  void add(std::int64_t line_of, std::string_view text_of, std::int64_t n = 1);
  void merge(const Sample& other);
};

// One column of one block, converted.
struct ColumnPiece {
  Kind kind = Kind::Empty;
  core::Column column;         // values of `kind` (Empty: no vectors, see `rows`)
  std::int64_t rows = 0;
  std::int64_t non_missing = 0;
  std::int64_t numeric = 0;    // fields that are numbers
  Sample strays_as_missing;    // stray fields read as missing (kind Bool/Int/Float)
  Sample non_numeric;          // kind Text: the fields that are not numbers
  Sample overflow;             // integers too large for int64 (read as float64)
  Kind inferred = Kind::Empty; // what the block alone said, before a floor widened it
};

// Converts column `col` of `block` row range by row range (so that a batch of rows of every
// column is converted while its fields are in cache), then decides the kind in finish(). With
// `floor`, the result is widen(floor, inferred).
class ColumnBuilder {
 public:
  ColumnBuilder(const TokenizedBlock& block, int col, const NaMatcher& na, std::optional<Kind> floor);
  void reserve(std::int64_t rows) { ensure_size(rows); }  // room for `rows` rows
  void consume(std::int64_t begin, std::int64_t end);  // rows [begin, end), in order
  ColumnPiece finish();

 private:
  void numeric_rows(std::int64_t begin, std::int64_t end);
  std::int64_t float_rows(std::int64_t begin, std::int64_t end);  // return where they stopped
  std::int64_t int_rows(std::int64_t begin, std::int64_t end);
  bool stray_field(std::int64_t r, std::int64_t end, std::string_view s, std::string_view t);
  void text_rows(std::int64_t begin, std::int64_t end);
  void switch_to_text(std::int64_t upto);  // re-reads rows [0, upto) as text
  void switch_to_float(std::int64_t upto);
  void finish_text(ColumnPiece& piece);
  void ensure_size(std::int64_t rows);  // value vectors hold at least `rows` entries

  const TokenizedBlock& block_;
  int col_;
  const NaMatcher& na_;
  std::optional<Kind> floor_;
  std::int64_t rows_ = 0;  // set by finish()
  std::size_t size_ = 0;   // current length of the value vectors
  bool text_mode_ = false;
  bool as_float_ = false;
  std::vector<std::int64_t> ints_;
  std::vector<double> floats_;
  std::vector<std::uint8_t> valid_;
  std::vector<std::int32_t> codes_;
  std::vector<std::int64_t> first_row_;  // text: the row where each code first appears
  std::vector<std::string> distinct_;    // numeric: distinct other texts, up to the limit + 1
  std::vector<std::string> bool_spellings_;
  std::int64_t n_missing_ = 0, n_int_ = 0, n_float_ = 0, n_bool_ = 0, n_other_ = 0;
  Sample other_, booleans_, numbers_, overflow_;
  DictionaryEncoder encoder_;
};

ColumnPiece build_column(const TokenizedBlock& block, int col, const NaMatcher& na,
                         std::optional<Kind> floor = std::nullopt);

// Converts a piece to a wider kind: Int → Float in place. (Text needs the fields again: callers
// re-tokenize and call build_column with floor Text.) Empty → any kind, all missing.
void widen_piece(ColumnPiece& piece, Kind to);

// The piece as a core::Column named `name` (Empty becomes an all-missing float64 column).
core::Column piece_to_column(ColumnPiece piece, const std::string& name);

}  // namespace fitcheck::io::detail
