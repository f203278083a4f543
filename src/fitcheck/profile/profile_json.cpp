#include "fitcheck/profile/profile_json.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fitcheck::profile {
namespace {

using json = nlohmann::ordered_json;

json number_or_null(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

std::string percent_key(double q) { return fmt::format("{}%", static_cast<int>(std::lround(q * 100))); }

json quantiles_json(const std::vector<double>& qs) {
  json out = json::object();
  for (std::size_t i = 0; i < qs.size() && i < kReportedQuantiles.size(); ++i) {
    out[percent_key(kReportedQuantiles[i])] = std::isfinite(qs[i]) ? json(qs[i]) : json(nullptr);
  }
  return out;
}

json value_json(const TopValue& v) {
  if (v.is_text) return v.text;
  if (v.number == std::trunc(v.number) && std::fabs(v.number) < 9e15) return static_cast<std::int64_t>(v.number);
  return v.number;
}

json column_json(const ColumnStats& c) {
  json j;
  j["name"] = c.name();
  j["source_dtype"] = std::string(core::dtype_name(c.source_dtype()));
  j["kind"] = c.is_text() ? "text" : "numeric";
  j["role"] = std::string(column_role_name(c.role()));
  j["rows"] = c.rows();
  j["count"] = c.count();
  j["missing"] = c.missing();
  j["non_finite"] = c.non_finite();
  j["zeros"] = c.zeros();
  j["zero_share"] = c.zero_share();
  j["integer_valued"] = c.integer_valued();
  j["min"] = number_or_null(c.min());
  j["max"] = number_or_null(c.max());
  j["mean"] = number_or_null(c.mean());
  j["std"] = number_or_null(c.std());
  if (auto q = c.quantiles()) {
    j["quantiles"] = quantiles_json(*q);
    j["quantile_rank_error"] = c.quantile_rank_error();
  } else {
    j["quantiles"] = nullptr;
    j["quantile_rank_error"] = nullptr;
  }
  j["distinct"] = {{"count", c.distinct()},
                   {"exact", c.distinct_exact()},
                   {"standard_error", c.distinct_standard_error()}};
  json top = json::array();
  for (const auto& v : c.top(10)) top.push_back({{"value", value_json(v)}, {"count", v.count}});
  j["top"] = {{"values", top}, {"exact", c.top_exact()}, {"count_error", c.top_error_bound()}};
  return j;
}

json label_json(const LabelProfile& l) {
  json j;
  j["column"] = l.column;
  j["task"] = std::string(label_task_name(l.task));
  j["reason"] = l.reason;
  j["missing"] = l.missing;
  j["non_finite"] = l.non_finite;
  if (l.task == LabelTask::Classification) {
    json classes = json::array();
    for (const auto& c : l.classes) classes.push_back({{"value", c.value}, {"count", c.count}, {"share", c.share}});
    j["classes"] = classes;
    j["classes_exact"] = l.classes_exact;
    j["imbalance_ratio"] = l.imbalance_ratio;
    j["minority_share"] = l.minority_share;
    j["majority_share"] = l.majority_share;
  } else {
    j["mean"] = number_or_null(l.mean);
    j["std"] = number_or_null(l.std);
    j["min"] = number_or_null(l.min);
    j["max"] = number_or_null(l.max);
    j["quantiles"] = l.quantiles.empty() ? json(nullptr) : quantiles_json(l.quantiles);
  }
  return j;
}

}  // namespace

nlohmann::ordered_json profile_to_json(const TableProfile& profile, const std::optional<LabelProfile>& label) {
  json doc;
  doc["version"] = kProfileJsonVersion;
  doc["source"] = profile.source;
  doc["rows"] = profile.rows();
  doc["columns"] = json::array();
  for (const auto& c : profile.columns()) doc["columns"].push_back(column_json(c));
  if (profile.has_duplicates_info()) {
    const auto d = profile.duplicates();
    json examples = json::array();
    for (const auto& [first, again] : d.examples) examples.push_back({first, again});
    doc["duplicates"] = {{"rows", d.duplicate_rows}, {"groups", d.groups}, {"examples", examples}};
  } else {
    doc["duplicates"] = nullptr;
  }
  doc["label"] = label ? label_json(*label) : json(nullptr);
  json notes = json::array();
  for (const auto& n : profile.notes) notes.push_back({{"column", n.column}, {"line", n.line}, {"message", n.message}});
  doc["notes"] = notes;
  return doc;
}

}  // namespace fitcheck::profile
