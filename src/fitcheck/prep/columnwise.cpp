#include "fitcheck/prep/columnwise.hpp"

#include <cmath>
#include <limits>

#include "fitcheck/prep/column_values.hpp"

namespace fitcheck::prep {

core::Table map_numeric_columns(const core::Table& x, std::string_view who,
                                const std::function<void(std::size_t, std::vector<double>&)>& fn) {
  core::Table out;
  out.set_source(x.source());
  for (int j = 0; j < x.num_columns(); ++j) {
    auto values = numeric_values(x.column(j), who);
    fn(static_cast<std::size_t>(j), values);
    out.add_column(float_column(x.column(j).name, std::move(values)));
  }
  return out;
}

double handle_zero_scale(double scale) {
  return scale < 10.0 * std::numeric_limits<double>::epsilon() ? 1.0 : scale;
}

double sorted_percentile(const std::vector<double>& a, double q) {
  if (a.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (q / 100.0) * static_cast<double>(a.size() - 1);
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const std::size_t hi = std::min(lo + 1, a.size() - 1);
  const double g = h - lo_f;
  const double diff = a[hi] - a[lo];
  // numpy's _lerp: from the nearer end, for symmetry.
  return g < 0.5 ? a[lo] + diff * g : a[hi] - diff * (1.0 - g);
}

}  // namespace fitcheck::prep
