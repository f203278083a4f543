#include "fitcheck/prep/auto_plan.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "fitcheck/prep/column_facts.hpp"

namespace fitcheck::prep {

namespace {

constexpr int kMinPixelColumns = 64;

bool named_like_id(const std::string& name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "id" || lower == "index" || lower == "uuid" || lower == "key" || lower.ends_with("_id") ||
         (name.size() > 2 && name.ends_with("Id")) ||  // camelCase: userId
         lower.starts_with("id_") || lower == "unnamed: 0" || lower == "row";
}

bool identifier_like(const ColumnFacts& f) {
  const std::int64_t present = f.rows - f.missing;
  if (present < 20 || f.distinct != present) return false;
  if (f.type == core::ColumnType::Categorical) return true;
  if (!f.integer_valued) return false;
  // Whole numbers, all distinct: a row counter (consecutive) or a column named like an id.
  return named_like_id(f.name) || f.max - f.min + 1 == static_cast<double>(present);
}

}  // namespace

std::string_view auto_kind_name(AutoKind k) {
  switch (k) {
    case AutoKind::Numeric: return "numeric";
    case AutoKind::Boolean: return "boolean";
    case AutoKind::LowCardinality: return "low_cardinality";
    case AutoKind::HighCardinality: return "high_cardinality";
    case AutoKind::Constant: return "constant";
    case AutoKind::Identifier: return "identifier";
    case AutoKind::Pixels: return "pixels";
  }
  return "unknown";
}

std::vector<AutoDecision> plan_auto(const core::Table& train) {
  std::vector<ColumnFacts> facts;
  for (const auto& c : train.columns()) facts.push_back(column_facts(c));
  int numeric = 0;
  bool all_pixel_range = true;
  double overall_max = 0;
  for (const auto& f : facts) {
    if (f.type == core::ColumnType::Categorical) {
      all_pixel_range = false;
      continue;
    }
    ++numeric;
    if (!f.integer_valued || f.min < 0 || f.max > 255) all_pixel_range = false;
    overall_max = std::max(overall_max, f.max);
  }
  const bool pixels = numeric >= kMinPixelColumns && all_pixel_range && overall_max > 1;

  std::vector<AutoDecision> plan;
  for (const auto& f : facts) {
    AutoDecision d;
    d.column = f.name;
    if (pixels) {
      d.kind = AutoKind::Pixels;
      d.steps = nlohmann::json::array({{{"pixels", nlohmann::json::object()}}});
      d.reason = fmt::format("{} whole-number columns in [0, 255]: pixel intensities, divided by 255", numeric);
    } else if (f.distinct <= 1) {
      d.kind = AutoKind::Constant;
      d.drop = true;
      d.reason = f.distinct == 0 ? "no value in the training split" : "one value in the training split: carries no information";
    } else if (identifier_like(f)) {
      d.kind = AutoKind::Identifier;
      d.drop = true;
      d.reason = fmt::format("every one of its {} values is different: an identifier, not a feature", f.rows - f.missing);
    } else if (f.type == core::ColumnType::Bool) {
      d.kind = AutoKind::Boolean;
      if (f.missing > 0) d.steps.push_back({{"impute", "most_frequent"}});
      d.reason = "true/false: kept as 0/1";
    } else if (f.type != core::ColumnType::Categorical) {
      d.kind = AutoKind::Numeric;
      if (f.missing > 0) {
        d.steps.push_back({{"impute", {{"strategy", "median"}, {"add_indicator", true}}}});
      }
      d.steps.push_back({{"scale", "standard"}});
      d.reason = f.missing > 0 ? fmt::format("numeric with {} missing: median imputed, flagged, standardized", f.missing)
                               : "numeric: standardized";
    } else if (f.distinct <= kMaxOneHotLevels) {
      d.kind = AutoKind::LowCardinality;
      if (f.missing > 0) d.steps.push_back({{"impute", "most_frequent"}});
      d.steps.push_back({{"onehot", {{"handle_unknown", "ignore"}}}});
      d.reason = fmt::format("categorical with {} levels: one-hot encoded, unknown levels all zeros", f.distinct);
    } else {
      d.kind = AutoKind::HighCardinality;
      if (f.missing > 0) d.steps.push_back({{"impute", "most_frequent"}});
      d.steps.push_back({{"ordinal", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", -1}}}});
      d.reason = fmt::format(
          "categorical with {} levels (more than {}): ordinal codes instead of one-hot; the codes impose an order "
          "the categories do not have, so consider an embedding or target encoding",
          f.distinct, kMaxOneHotLevels);
    }
    plan.push_back(std::move(d));
  }
  return plan;
}

nlohmann::json plan_to_preprocess(const std::vector<AutoDecision>& plan) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : plan) {
    if (d.drop) continue;
    // Neighbouring columns with the same steps share a group (the steps are column-wise, so the
    // result is the same, and a 784-pixel image stays one group).
    if (!list.empty() && list.back()["steps"] == d.steps) {
      list.back()["columns"].push_back(d.column);
    } else {
      list.push_back({{"columns", {d.column}}, {"steps", d.steps}});
    }
  }
  list.push_back({{"remainder", "drop"}});
  return list;
}

nlohmann::json plan_to_json(const std::vector<AutoDecision>& plan) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : plan) {
    out.push_back({{"column", d.column}, {"kind", auto_kind_name(d.kind)}, {"steps", d.steps}, {"drop", d.drop},
                   {"reason", d.reason}});
  }
  return out;
}

}  // namespace fitcheck::prep
