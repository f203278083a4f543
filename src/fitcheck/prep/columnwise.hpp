#pragma once
// Shared plumbing of the one-column-in, one-column-out numeric steps (the scalers): applies a
// per-column function to every column of a table and returns Float64 columns with the same names.

#include <functional>
#include <string_view>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

// `fn(j, values)` rewrites column j's values (NaN = missing) in place.
core::Table map_numeric_columns(const core::Table& x, std::string_view who,
                                const std::function<void(std::size_t, std::vector<double>&)>& fn);

// scikit-learn's _handle_zeros_in_scale: a scale below 10 * machine epsilon becomes 1.
double handle_zero_scale(double scale);

// numpy's nanpercentile with the default 'linear' method, on already sorted values without NaN.
double sorted_percentile(const std::vector<double>& sorted, double q);

}  // namespace fitcheck::prep
