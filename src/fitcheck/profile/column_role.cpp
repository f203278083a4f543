#include "fitcheck/profile/column_role.hpp"

#include "fitcheck/profile/column_stats.hpp"

namespace fitcheck::profile {

std::string_view column_role_name(ColumnRole role) {
  switch (role) {
    case ColumnRole::Numeric: return "numeric";
    case ColumnRole::Binary: return "binary";
    case ColumnRole::Categorical: return "categorical";
    case ColumnRole::IdentifierLike: return "identifier-like";
    case ColumnRole::Constant: return "constant";
    case ColumnRole::PixelLike: return "pixel-like";
  }
  return "numeric";
}

ColumnRole infer_role(const ColumnStats& stats) {
  const std::int64_t distinct = stats.distinct();
  if (distinct <= 1) return ColumnRole::Constant;
  if (distinct == 2) return ColumnRole::Binary;
  const std::int64_t present = stats.is_text() ? stats.count() : stats.finite_count();
  constexpr std::int64_t kMinRowsForIdentifier = 20;
  const bool unique_per_row = present >= kMinRowsForIdentifier &&
                              static_cast<double>(distinct) >= 0.95 * static_cast<double>(present);
  if (stats.is_text()) return unique_per_row ? ColumnRole::IdentifierLike : ColumnRole::Categorical;
  if (stats.integer_valued()) {
    if (unique_per_row) return ColumnRole::IdentifierLike;
    const double lo = *stats.min(), hi = *stats.max();
    if (lo >= 0.0 && hi <= 255.0 && (stats.source_dtype() == core::DType::UInt8 || hi >= 128.0)) {
      return ColumnRole::PixelLike;
    }
  }
  return ColumnRole::Numeric;
}

}  // namespace fitcheck::profile
