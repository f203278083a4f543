#pragma once
// Table: named, typed columns with validity masks — what a CSV file or a 2-D array becomes
// before profiling and preprocessing. Each column remembers the dtype it had in the source
// (`source_dtype`), so the doctor can tell the user what their data really was.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/core/dtype.hpp"

namespace fitcheck::core {

enum class ColumnType { Float64, Int64, Bool, Categorical };

std::string_view column_type_name(ColumnType t);  // "float64", "int64", "bool", "categorical"

// One column. Exactly one of the value vectors is used, according to `type`; the others stay
// empty. A missing entry has valid[i] == 0 (its value slot holds 0 / NaN / code -1). An empty
// `valid` vector means "nothing is missing", so fully valid columns cost nothing extra.
struct Column {
  std::string name;
  ColumnType type = ColumnType::Float64;
  DType source_dtype = DType::Float64;

  std::vector<double> f64;                // Float64
  std::vector<std::int64_t> i64;          // Int64
  std::vector<std::uint8_t> b;            // Bool (0 / 1)
  std::vector<std::int32_t> codes;        // Categorical: index into dictionary, -1 when missing
  std::vector<std::string> dictionary;    // Categorical: the distinct strings, in first-seen order
  std::vector<std::uint8_t> valid;        // 1 present, 0 missing; empty = all present

  static Column float64(std::string name, std::vector<double> values,
                        std::vector<std::uint8_t> valid = {}, DType source = DType::Float64);
  static Column int64(std::string name, std::vector<std::int64_t> values,
                      std::vector<std::uint8_t> valid = {}, DType source = DType::Int64);
  static Column boolean(std::string name, std::vector<std::uint8_t> values,
                        std::vector<std::uint8_t> valid = {}, DType source = DType::Bool);
  static Column categorical(std::string name, std::vector<std::int32_t> codes,
                            std::vector<std::string> dictionary, std::vector<std::uint8_t> valid = {},
                            DType source = DType::String);

  std::int64_t size() const;
  bool is_valid(std::int64_t i) const { return valid.empty() || valid[static_cast<std::size_t>(i)] != 0; }
  std::int64_t missing_count() const;
  bool is_numeric() const { return type != ColumnType::Categorical; }

  // The numeric value of row i (bool → 0/1); NaN when missing or categorical. Inline: loops over
  // every row call it (an out-of-line call per value cost more than the value).
  double as_double(std::int64_t i) const {
    const auto k = static_cast<std::size_t>(i);
    if (!is_valid(i)) return std::numeric_limits<double>::quiet_NaN();
    switch (type) {
      case ColumnType::Float64: return f64[k];
      case ColumnType::Int64: return static_cast<double>(i64[k]);
      case ColumnType::Bool: return b[k] ? 1.0 : 0.0;
      case ColumnType::Categorical: break;
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  // The text of row i as it would be written back to a CSV ("" when missing).
  std::string as_string(std::int64_t i) const;
};

class Table {
 public:
  Table() = default;

  std::int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }

  // Adds a column; its length must equal the table's row count (the first column sets it).
  // Throws InputError naming the column when lengths differ or the name is already used.
  void add_column(Column column);
  // Adds many columns at once with the same checks, in linear time (add_column's name check is
  // linear per call, so adding thousands of columns one by one is quadratic).
  void add_columns(std::vector<Column> columns);

  const Column& column(int i) const { return columns_.at(static_cast<std::size_t>(i)); }
  Column& column(int i) { return columns_.at(static_cast<std::size_t>(i)); }
  const std::vector<Column>& columns() const { return columns_; }

  // Index of the column with this name, or nullopt.
  std::optional<int> find(std::string_view name) const;
  std::vector<std::string> column_names() const;

  // The named columns, in the given order (copies). Throws InputError for an unknown name,
  // suggesting the nearest existing one.
  Table select(const std::vector<std::string>& names) const;
  // Removes a column by name and returns it. Throws InputError for an unknown name.
  Column take(std::string_view name);

  // Where the table came from ("train.csv"), for messages.
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::int64_t num_rows_ = 0;
  std::vector<Column> columns_;
  std::string source_;
};

// Levenshtein-nearest candidate to `name` within a small edit distance, for "did you mean".
std::optional<std::string> nearest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace fitcheck::core
