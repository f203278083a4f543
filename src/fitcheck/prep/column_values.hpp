#pragma once
// Small helpers shared by the transformers: columns as doubles, building float columns that mark
// NaN as missing, and Python's str() of a number for scikit-learn's feature names.

#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

// The column as doubles, NaN where missing. A categorical column is an InputError that names
// the column and the step (`who`, e.g. "StandardScaler") and suggests an encoder.
std::vector<double> numeric_values(const core::Column& column, std::string_view who);

// A Float64 column; cells holding NaN are marked missing.
core::Column float_column(std::string name, std::vector<double> values);

// Python's str(float): shortest round-trip digits, positional when the decimal exponent is in
// [-4, 16), else scientific with a two-digit exponent ("3.0", "1e-05", "1e+16", "nan", "inf").
std::string python_float_str(double v);

// The Table's number of rows, also for a table without columns.
inline std::int64_t rows_of(const core::Table& t) { return t.num_rows(); }

}  // namespace fitcheck::prep
