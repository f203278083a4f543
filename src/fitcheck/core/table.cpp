#include "fitcheck/core/table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::core {

std::string_view column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::Float64: return "float64";
    case ColumnType::Int64: return "int64";
    case ColumnType::Bool: return "bool";
    case ColumnType::Categorical: return "categorical";
  }
  return "unknown";
}

Column Column::float64(std::string name, std::vector<double> values, std::vector<std::uint8_t> valid,
                       DType source) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::Float64;
  c.source_dtype = source;
  c.f64 = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::int64(std::string name, std::vector<std::int64_t> values, std::vector<std::uint8_t> valid,
                     DType source) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::Int64;
  c.source_dtype = source;
  c.i64 = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::boolean(std::string name, std::vector<std::uint8_t> values, std::vector<std::uint8_t> valid,
                       DType source) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::Bool;
  c.source_dtype = source;
  c.b = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::categorical(std::string name, std::vector<std::int32_t> codes,
                           std::vector<std::string> dictionary, std::vector<std::uint8_t> valid,
                           DType source) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::Categorical;
  c.source_dtype = source;
  c.codes = std::move(codes);
  c.dictionary = std::move(dictionary);
  c.valid = std::move(valid);
  return c;
}

std::int64_t Column::size() const {
  switch (type) {
    case ColumnType::Float64: return static_cast<std::int64_t>(f64.size());
    case ColumnType::Int64: return static_cast<std::int64_t>(i64.size());
    case ColumnType::Bool: return static_cast<std::int64_t>(b.size());
    case ColumnType::Categorical: return static_cast<std::int64_t>(codes.size());
  }
  return 0;
}

std::int64_t Column::missing_count() const {
  if (valid.empty()) return 0;
  return static_cast<std::int64_t>(std::count(valid.begin(), valid.end(), std::uint8_t{0}));
}

std::string Column::as_string(std::int64_t i) const {
  const auto k = static_cast<std::size_t>(i);
  if (!is_valid(i)) return {};
  switch (type) {
    case ColumnType::Float64: return fmt::format("{}", f64[k]);
    case ColumnType::Int64: return fmt::format("{}", i64[k]);
    case ColumnType::Bool: return b[k] ? "true" : "false";
    case ColumnType::Categorical: return codes[k] >= 0 ? dictionary[static_cast<std::size_t>(codes[k])] : "";
  }
  return {};
}

void Table::add_column(Column column) {
  const std::int64_t n = column.size();
  if (!column.valid.empty() && static_cast<std::int64_t>(column.valid.size()) != n) {
    throw InternalError({.where = source_, .what = fmt::format("column \"{}\" has a validity mask of the wrong length", column.name)});
  }
  if (find(column.name)) {
    throw InputError({.where = source_,
                      .what = fmt::format("column name \"{}\" appears more than once", column.name),
                      .hint = "Give every column a unique name."});
  }
  if (columns_.empty()) {
    num_rows_ = n;
  } else if (n != num_rows_) {
    throw InputError({.where = source_,
                      .what = fmt::format("column \"{}\" has a different number of rows", column.name),
                      .expected = fmt::format("{} rows", num_rows_),
                      .got = fmt::format("{}", n)});
  }
  columns_.push_back(std::move(column));
}

void Table::add_columns(std::vector<Column> columns) {
  std::unordered_set<std::string_view> names;
  names.reserve(columns_.size() + columns.size());
  for (const auto& c : columns_) names.insert(c.name);
  std::int64_t rows = columns_.empty() ? (columns.empty() ? 0 : columns.front().size()) : num_rows_;
  for (const auto& column : columns) {
    const std::int64_t n = column.size();
    if (!column.valid.empty() && static_cast<std::int64_t>(column.valid.size()) != n) {
      throw InternalError({.where = source_, .what = fmt::format("column \"{}\" has a validity mask of the wrong length", column.name)});
    }
    if (!names.insert(column.name).second) {
      throw InputError({.where = source_,
                        .what = fmt::format("column name \"{}\" appears more than once", column.name),
                        .hint = "Give every column a unique name."});
    }
    if (n != rows) {
      throw InputError({.where = source_,
                        .what = fmt::format("column \"{}\" has a different number of rows", column.name),
                        .expected = fmt::format("{} rows", rows),
                        .got = fmt::format("{}", n)});
    }
  }
  if (columns.empty()) return;
  num_rows_ = rows;
  columns_.reserve(columns_.size() + columns.size());
  for (auto& c : columns) columns_.push_back(std::move(c));
}

std::optional<int> Table::find(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::vector<std::string> Table::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& c : columns_) names.push_back(c.name);
  return names;
}

namespace {
[[noreturn]] void throw_unknown_column(const Table& t, std::string_view name) {
  auto suggestion = nearest_name(name, t.column_names());
  throw InputError({.where = t.source(),
                    .what = fmt::format("no column named \"{}\"", name),
                    .hint = suggestion ? fmt::format("Did you mean \"{}\"?", *suggestion)
                                       : fmt::format("The columns are: {}.", fmt::join(t.column_names(), ", "))});
}
}  // namespace

Table Table::select(const std::vector<std::string>& names) const {
  Table out;
  out.source_ = source_;
  for (const auto& n : names) {
    auto i = find(n);
    if (!i) throw_unknown_column(*this, n);
    out.add_column(columns_[static_cast<std::size_t>(*i)]);
  }
  if (names.empty()) out.num_rows_ = num_rows_;
  return out;
}

Column Table::take(std::string_view name) {
  auto i = find(name);
  if (!i) throw_unknown_column(*this, name);
  Column c = std::move(columns_[static_cast<std::size_t>(*i)]);
  columns_.erase(columns_.begin() + *i);
  return c;
}

std::optional<std::string> nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace fitcheck::core
