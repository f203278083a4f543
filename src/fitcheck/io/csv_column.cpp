#include "fitcheck/io/csv_column.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_dictionary.hpp"

namespace fitcheck::io::detail {

Kind widen(Kind a, Kind b) {
  if (a == Kind::Empty) return b;
  if (b == Kind::Empty || a == b) return a;
  if ((a == Kind::Int && b == Kind::Float) || (a == Kind::Float && b == Kind::Int)) return Kind::Float;
  return Kind::Text;
}

core::ColumnType column_type_of(Kind k) {
  switch (k) {
    case Kind::Bool: return core::ColumnType::Bool;
    case Kind::Int: return core::ColumnType::Int64;
    case Kind::Text: return core::ColumnType::Categorical;
    case Kind::Empty:
    case Kind::Float: return core::ColumnType::Float64;
  }
  return core::ColumnType::Float64;
}

core::DType source_dtype_of(Kind k) {
  switch (k) {
    case Kind::Bool: return core::DType::Bool;
    case Kind::Int: return core::DType::Int64;
    case Kind::Text: return core::DType::String;
    case Kind::Empty:
    case Kind::Float: return core::DType::Float64;
  }
  return core::DType::Float64;
}

std::string_view kind_name(Kind k) { return core::column_type_name(column_type_of(k)); }

void Sample::add(std::int64_t line_of, std::string_view text_of, std::int64_t n) {
  if (count == 0 || line_of < line) {
    line = line_of;
    text.assign(text_of);
  }
  count += n;
}

void Sample::merge(const Sample& other) {
  if (other.count == 0) return;
  add(other.line, other.text, other.count);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void add_distinct(std::vector<std::string>& set, std::string_view s) {
  if (set.size() > static_cast<std::size_t>(kMaxStrayDistinct)) return;
  for (const auto& it : set) {
    if (it == s) return;
  }
  set.emplace_back(s);
}

void finish_valid(std::vector<std::uint8_t>& valid, std::int64_t missing) {
  if (missing == 0) {
    valid.clear();
    valid.shrink_to_fit();
  }
}

void build_bool(const TokenizedBlock& block, int col, const NaMatcher& na, ColumnPiece& piece) {
  const std::int64_t rows = block.rows();
  std::vector<std::uint8_t> values(static_cast<std::size_t>(rows), 0);
  std::vector<std::uint8_t> valid(static_cast<std::size_t>(rows), 1);
  std::int64_t missing = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::string_view s = block.field(r, col);
    const int v = na.is_na(s) ? -1 : parse_bool(trim_spaces(s));
    if (v < 0) {
      valid[static_cast<std::size_t>(r)] = 0;
      ++missing;
    } else {
      values[static_cast<std::size_t>(r)] = static_cast<std::uint8_t>(v);
    }
  }
  finish_valid(valid, missing);
  piece.column = core::Column::boolean("", std::move(values), std::move(valid));
}

}  // namespace

ColumnBuilder::ColumnBuilder(const TokenizedBlock& block, int col, const NaMatcher& na, std::optional<Kind> floor)
    : block_(block), col_(col), na_(na), floor_(floor) {
  text_mode_ = floor_ && *floor_ == Kind::Text;
  // A column already float64 is at least float64 in this block (widen(Float, Int) is Float): its
  // numbers are read as float64 from the start, with no int64 vector built and converted at the
  // first decimal (one vector per block instead of two, half the fresh pages).
  as_float_ = floor_ && *floor_ == Kind::Float;
}

void ColumnBuilder::ensure_size(std::int64_t rows) {
  const auto n = static_cast<std::size_t>(rows);
  if (n <= size_) return;
  size_ = std::max({n, size_ * 2, std::size_t{64}});
  valid_.resize(size_, 1);
  if (text_mode_) {
    codes_.resize(size_, -1);
  } else if (as_float_) {
    floats_.resize(size_, kNaN);
  } else {
    ints_.resize(size_, 0);
  }
}

void ColumnBuilder::consume(std::int64_t begin, std::int64_t end) {
  ensure_size(end);
  if (text_mode_) {
    text_rows(begin, end);
  } else {
    numeric_rows(begin, end);
  }
}

void ColumnBuilder::switch_to_float(std::int64_t upto) {
  floats_.resize(size_);
  for (std::int64_t i = 0; i < upto; ++i) {
    const auto k = static_cast<std::size_t>(i);
    floats_[k] = valid_[k] ? static_cast<double>(ints_[k]) : kNaN;
  }
  ints_ = {};
  as_float_ = true;
}

void ColumnBuilder::switch_to_text(std::int64_t upto) {
  ints_ = {};
  floats_ = {};
  text_mode_ = true;
  codes_.assign(size_, -1);
  std::fill(valid_.begin(), valid_.end(), std::uint8_t{1});
  text_rows(0, upto);
}

// A float64 column's numbers and missing tokens, in a loop that keeps its pointers and counters
// in locals (members reloaded after every store chained each row to the last); stops at the first
// other field, a stray, and returns its row.
std::int64_t ColumnBuilder::float_rows(std::int64_t begin, std::int64_t end) {
  const FieldRef* const fields = block_.fields.data();
  const std::uint32_t* const row_begin = block_.row_begin.data();
  const auto col = static_cast<std::size_t>(col_);
  double* const out = floats_.data();
  std::uint8_t* const valid = valid_.data();
  // One counter in the loop; the numbers and the first of them are worked out after it.
  std::int64_t n_missing = 0;
  std::int64_t r = begin;
  for (; r < end; ++r) {
    const auto k = static_cast<std::size_t>(r);
    const std::string_view s = block_.view(fields[row_begin[k] + col]);
    if (na_.is_na(s)) {
      valid[k] = 0;
      out[k] = kNaN;
      ++n_missing;
      continue;
    }
    if (!parse_float64(trim_spaces(s), out[k])) break;
  }
  const std::int64_t n_float = r - begin - n_missing;
  n_float_ += n_float;
  n_missing_ += n_missing;
  if (n_float > 0 && numbers_.count == 0) {
    auto k = static_cast<std::size_t>(begin);
    while (valid[k] == 0) ++k;  // rows [begin, r) are missing or numbers
    numbers_.add(block_.row_line[k], block_.view(fields[row_begin[k] + col]));
  }
  return r;
}

// Float64 columns go through float_rows, int64 columns through int_rows, which hands over to
// float_rows at the first decimal; a field neither reads (a stray) is taken one at a time.
void ColumnBuilder::numeric_rows(std::int64_t begin, std::int64_t end) {
  for (std::int64_t r = begin; r < end;) {
    if (!as_float_) {
      r = int_rows(r, end);
      continue;
    }
    r = float_rows(r, end);
    if (r == end) return;
    const std::string_view s = block_.view(block_.fields[block_.row_begin[static_cast<std::size_t>(r)] + static_cast<std::size_t>(col_)]);
    if (!stray_field(r, end, s, trim_spaces(s))) return;
    ++r;
  }
}

// An int64 column's rows until the end or the first decimal (the column is then float64 and the
// returned row is the one after it).
std::int64_t ColumnBuilder::int_rows(std::int64_t begin, std::int64_t end) {
  const auto& fields = block_.fields;
  const auto& row_begin = block_.row_begin;
  // The common fields (present numbers) touch only locals: member counters incremented through
  // memory would chain every row to the last by a store and a load.
  std::int64_t n_int = 0, n_missing = 0;
  auto flush = [&] {
    n_int_ += n_int;
    n_missing_ += n_missing;
  };
  for (std::int64_t r = begin; r < end; ++r) {
    const auto k = static_cast<std::size_t>(r);
    const std::string_view s = block_.view(fields[row_begin[k] + static_cast<std::size_t>(col_)]);
    if (na_.is_na(s)) {
      valid_[k] = 0;
      ++n_missing;
      continue;
    }
    const std::string_view t = trim_spaces(s);
    std::int64_t iv = 0;
    const IntParse ip = parse_int64(t, iv);
    if (ip == IntParse::Ok) {
      ints_[k] = iv;
      ++n_int;
      if (numbers_.count == 0) [[unlikely]] numbers_.add(block_.row_line[k], s);
      continue;
    }
    double dv = 0;
    if (parse_float64(t, dv)) {
      flush();
      switch_to_float(r);
      floats_[k] = dv;
      ++n_float_;
      if (ip == IntParse::Overflow) overflow_.add(block_.row_line[k], s);
      if (numbers_.count == 0) numbers_.add(block_.row_line[k], s);
      return r + 1;
    }
    if (!stray_field(r, end, s, t)) {
      flush();
      return end;
    }
  }
  flush();
  return end;
}

// Row r holds neither a number nor a missing token: read as missing while the column's distinct
// strays are few, else the column is text from here on (rows after r read as text, up to `end`)
// and this returns false.
bool ColumnBuilder::stray_field(std::int64_t r, std::int64_t end, std::string_view s, std::string_view t) {
  const auto k = static_cast<std::size_t>(r);
  valid_[k] = 0;
  if (as_float_) floats_[k] = kNaN;
  if (parse_bool(t) >= 0) {
    ++n_bool_;
    booleans_.add(block_.row_line[k], s);
    add_distinct(bool_spellings_, t);
    return true;
  }
  ++n_other_;
  other_.add(block_.row_line[k], s);
  add_distinct(distinct_, s);
  if (distinct_.size() <= static_cast<std::size_t>(kMaxStrayDistinct)) return true;
  // Too many distinct non-numbers for any numeric reading: text from here on.
  switch_to_text(r + 1);
  text_rows(r + 1, end);
  return false;
}

void ColumnBuilder::text_rows(std::int64_t begin, std::int64_t end) {
  const auto& fields = block_.fields;
  const auto& row_begin = block_.row_begin;
  for (std::int64_t r = begin; r < end; ++r) {
    const auto k = static_cast<std::size_t>(r);
    const std::string_view s = block_.view(fields[row_begin[k] + static_cast<std::size_t>(col_)]);
    if (na_.is_na(s)) {
      valid_[k] = 0;
      continue;
    }
    const std::int32_t code = encoder_.encode(s);
    if (static_cast<std::size_t>(code) == first_row_.size()) first_row_.push_back(r);
    codes_[k] = code;
  }
}

void ColumnBuilder::finish_text(ColumnPiece& piece) {
  codes_.resize(static_cast<std::size_t>(rows_));
  valid_.resize(static_cast<std::size_t>(rows_));
  // Which values were numbers, for the "looked numeric" note: one parse per distinct value.
  std::vector<std::int64_t> counts(first_row_.size(), 0);
  std::int64_t missing = 0;
  for (const std::int32_t c : codes_) {
    if (c >= 0) {
      ++counts[static_cast<std::size_t>(c)];
    } else {
      ++missing;
    }
  }
  const auto& dict = encoder_.dictionary();
  piece.numeric = 0;
  piece.non_numeric = {};
  for (std::size_t c = 0; c < dict.size(); ++c) {
    const std::string_view t = trim_spaces(dict[c]);
    std::int64_t iv = 0;
    double dv = 0;
    if (parse_int64(t, iv) == IntParse::Ok || parse_float64(t, dv)) {
      piece.numeric += counts[c];
    } else {
      piece.non_numeric.add(block_.row_line[static_cast<std::size_t>(first_row_[c])], dict[c], counts[c]);
    }
  }
  piece.non_missing = rows_ - missing;
  finish_valid(valid_, missing);
  piece.column = core::Column::categorical("", std::move(codes_), encoder_.take_dictionary(), std::move(valid_));
}

ColumnPiece ColumnBuilder::finish() {
  ColumnPiece piece;
  rows_ = block_.rows();
  ensure_size(rows_);
  piece.rows = rows_;
  if (text_mode_) {
    piece.kind = Kind::Text;
    piece.inferred = Kind::Text;
    finish_text(piece);
    return piece;
  }
  const std::int64_t numeric = n_int_ + n_float_;
  const std::int64_t non_missing = numeric + n_bool_ + n_other_;
  const bool numeric_main = numeric > 0 && numeric >= n_bool_;
  Sample strays = other_;
  int distinct = static_cast<int>(distinct_.size());
  if (numeric_main) {
    strays.merge(booleans_);
    distinct += static_cast<int>(bool_spellings_.size());
  } else if (numeric > 0) {
    strays.merge(Sample{numeric, numbers_.line, numbers_.text});
    distinct += static_cast<int>(std::min<std::int64_t>(numeric, kMaxStrayDistinct + 1));
  }
  const Kind main_kind = numeric_main ? (n_float_ > 0 ? Kind::Float : Kind::Int) : Kind::Bool;
  Kind inferred = Kind::Text;
  if (non_missing == 0) {
    inferred = Kind::Empty;
  } else if (strays.count == 0 || (strays.count * 100 <= non_missing && distinct <= kMaxStrayDistinct)) {
    inferred = main_kind;
  }
  piece.inferred = inferred;
  const Kind kind = floor_ ? widen(*floor_, inferred) : inferred;
  piece.kind = kind;
  piece.numeric = numeric;
  piece.non_missing = non_missing;

  switch (kind) {
    case Kind::Empty:
      break;
    case Kind::Int:
      ints_.resize(static_cast<std::size_t>(rows_));
      valid_.resize(static_cast<std::size_t>(rows_));
      finish_valid(valid_, rows_ - numeric);
      piece.column = core::Column::int64("", std::move(ints_), std::move(valid_));
      piece.strays_as_missing = strays;
      break;
    case Kind::Float:
      if (!as_float_) switch_to_float(rows_);
      floats_.resize(static_cast<std::size_t>(rows_));
      valid_.resize(static_cast<std::size_t>(rows_));
      finish_valid(valid_, rows_ - numeric);
      piece.column = core::Column::float64("", std::move(floats_), std::move(valid_));
      piece.strays_as_missing = strays;
      piece.overflow = overflow_;
      break;
    case Kind::Bool:
      build_bool(block_, col_, na_, piece);
      piece.strays_as_missing = strays;
      break;
    case Kind::Text:
      switch_to_text(rows_);
      finish_text(piece);
      break;
  }
  return piece;
}

ColumnPiece build_column(const TokenizedBlock& block, int col, const NaMatcher& na, std::optional<Kind> floor) {
  ColumnBuilder builder(block, col, na, floor);
  builder.consume(0, block.rows());
  return builder.finish();
}

void widen_piece(ColumnPiece& piece, Kind to) {
  if (piece.kind == to) return;
  const auto rows = static_cast<std::size_t>(piece.rows);
  if (piece.kind == Kind::Empty) {
    std::vector<std::uint8_t> none(rows, 0);
    switch (to) {
      case Kind::Empty: return;
      case Kind::Bool: piece.column = core::Column::boolean("", std::vector<std::uint8_t>(rows, 0), std::move(none)); break;
      case Kind::Int: piece.column = core::Column::int64("", std::vector<std::int64_t>(rows, 0), std::move(none)); break;
      case Kind::Float: piece.column = core::Column::float64("", std::vector<double>(rows, kNaN), std::move(none)); break;
      case Kind::Text: piece.column = core::Column::categorical("", std::vector<std::int32_t>(rows, -1), {}, std::move(none)); break;
    }
    if (rows == 0) piece.column.valid.clear();
    piece.kind = to;
    return;
  }
  FITCHECK_CHECK(piece.kind == Kind::Int && to == Kind::Float, "only int64 widens to float64 in place");
  std::vector<double> f(rows);
  for (std::size_t k = 0; k < rows; ++k) {
    f[k] = piece.column.is_valid(static_cast<std::int64_t>(k)) ? static_cast<double>(piece.column.i64[k]) : kNaN;
  }
  piece.column = core::Column::float64("", std::move(f), std::move(piece.column.valid));
  piece.kind = Kind::Float;
}

core::Column piece_to_column(ColumnPiece piece, const std::string& name) {
  if (piece.kind == Kind::Empty) widen_piece(piece, Kind::Float);
  piece.column.name = name;
  piece.column.type = column_type_of(piece.kind);
  piece.column.source_dtype = source_dtype_of(piece.kind);
  return std::move(piece.column);
}

}  // namespace fitcheck::io::detail
