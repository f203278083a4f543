#include "fitcheck/prep/column_values.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::prep {

std::vector<double> numeric_values(const core::Column& column, std::string_view who) {
  const auto n = static_cast<std::size_t>(column.size());
  std::vector<double> out(n);
  switch (column.type) {
    case core::ColumnType::Float64:
      for (std::size_t i = 0; i < n; ++i) out[i] = column.f64[i];
      break;
    case core::ColumnType::Int64:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(column.i64[i]);
      break;
    case core::ColumnType::Bool:
      for (std::size_t i = 0; i < n; ++i) out[i] = column.b[i] ? 1.0 : 0.0;
      break;
    case core::ColumnType::Categorical:
      throw core::InputError({.where = fmt::format("column \"{}\"", column.name),
                              .what = fmt::format("{} needs numbers", who),
                              .expected = "a numeric column", .got = "a categorical (string) column",
                              .hint = "Encode it first (onehot or ordinal), or leave it out of this step."});
  }
  if (!column.valid.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!column.valid[i]) out[i] = std::nan("");
    }
  }
  return out;
}

core::Column float_column(std::string name, std::vector<double> values) {
  std::vector<std::uint8_t> valid;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      if (valid.empty()) valid.assign(values.size(), 1);
      valid[i] = 0;
    }
  }
  return core::Column::float64(std::move(name), std::move(values), std::move(valid));
}

std::string python_float_str(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form give the digit string and the exponent.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const auto e_pos = sci.find('e');
  const int exponent = std::atoi(sci.c_str() + e_pos + 1);
  std::string digits;
  for (std::size_t i = 0; i < e_pos; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
      const auto int_len = static_cast<std::size_t>(exponent + 1);
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out.append(".").append(digits, 1);
  out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out;
}

}  // namespace fitcheck::prep
