#pragma once
// What a column is, judged from its statistics. The rules, applied in this order:
//   constant        at most one distinct value (an all-missing column included)
//   binary          exactly two distinct values
//   identifier-like text, or whole numbers, with a distinct value in nearly every row
//                   (distinct >= 95 % of the present values, and at least 20 of them); a row
//                   number or a user id carries no signal a model can generalise from
//   categorical     text with fewer distinct values than that
//   pixel-like      whole numbers within 0..255 whose source is uint8, or which reach 128 or
//                   more (8-bit image intensities; small counts like 0..10 stay numeric)
//   numeric         everything else

#include <string_view>

namespace fitcheck::profile {

enum class ColumnRole { Numeric, Binary, Categorical, IdentifierLike, Constant, PixelLike };

std::string_view column_role_name(ColumnRole role);  // "numeric", "binary", ..., "identifier-like"

class ColumnStats;
ColumnRole infer_role(const ColumnStats& stats);

}  // namespace fitcheck::profile
