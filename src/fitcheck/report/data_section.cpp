#include "fitcheck/report/data_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fitcheck/report/html_parts.hpp"
#include "fitcheck/report/svg_chart.hpp"

namespace fitcheck::report {

namespace {

using nlohmann::json;
using namespace html;

constexpr std::size_t kMaxChartRows = 40;   // a taller chart stops being read
constexpr std::size_t kMaxTableRows = 60;

const json& columns_of(const json& profile) {
  static const json empty = json::array();
  return profile.is_object() && profile.contains("columns") && profile.at("columns").is_array() ? profile.at("columns")
                                                                                                   : empty;
}

double value_or_nan(const json& j, const char* key) { return number(j, key).value_or(std::nan("")); }

std::string missing_chart(const json& columns, std::int64_t rows) {
  RowChart c{.title = "Missing values per column", .x = {.label = "missing (% of rows)", .min = 0.0}};
  std::vector<std::pair<double, std::string>> missing;
  for (const auto& col : columns) {
    const double m = value_or_nan(col, "missing");
    if (m > 0 && rows > 0) missing.emplace_back(100.0 * m / static_cast<double>(rows), str(col, "name"));
  }
  if (missing.empty()) return "";
  std::stable_sort(missing.begin(), missing.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::size_t shown = std::min(missing.size(), kMaxChartRows);
  for (std::size_t i = 0; i < shown; ++i) {
    c.rows.push_back(missing[i].second);
    c.values.push_back(missing[i].first);
  }
  const std::string caption =
      (shown < missing.size() ? fmt::format("The {} of {} columns with the most missing values. ", shown, missing.size())
                              : std::string()) +
      "Every missing value must be imputed (and flagged) before training, or the loss turns NaN; a column missing "
      "in most rows may be better dropped.";
  return figure(c.title, render_row_chart(c), caption);
}

// Standard deviation per numeric, non-constant column on a log axis: bars spanning several powers
// of ten are features on different scales. With many columns, the most and least spread. The label
// column (a profile with --target) is not a feature.
std::string scale_chart(const json& columns, const std::string& label_column) {
  std::vector<std::pair<double, std::string>> spread;
  for (const auto& col : columns) {
    if (str(col, "kind") != "numeric" || (!label_column.empty() && str(col, "name") == label_column)) continue;
    const double sd = value_or_nan(col, "std");
    if (std::isfinite(sd) && sd > 0) spread.emplace_back(sd, str(col, "name"));
  }
  if (spread.size() < 2) return "";
  const std::size_t all = spread.size();
  if (all > kMaxChartRows) {
    std::vector<std::pair<double, std::string>> ends;
    std::stable_sort(spread.begin(), spread.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    ends.insert(ends.end(), spread.begin(), spread.begin() + kMaxChartRows / 2);
    ends.insert(ends.end(), spread.end() - kMaxChartRows / 2, spread.end());
    spread = std::move(ends);
  }
  RowChart c{.title = "Feature scales", .x = {.label = "standard deviation (the column's units)", .scale = AxisScale::Log}};
  double lo = spread.front().first, hi = lo;
  for (const auto& [sd, name] : spread) {
    c.rows.push_back(name);
    c.values.push_back(sd);
    lo = std::min(lo, sd);
    hi = std::max(hi, sd);
  }
  c.references.push_back({.vertical = true, .at = 1.0, .label = "1 (standardized)"});
  const std::string caption =
      fmt::format("{}Largest / smallest spread: {:.3g}. ",
                  all > kMaxChartRows ? fmt::format("The {} most and {} least spread of {} numeric columns. ",
                                                    kMaxChartRows / 2, kMaxChartRows / 2, all)
                                      : std::string(),
                  hi / lo) +
      "Bars several powers of ten apart are features on different scales: the largest dominate the gradient unless "
      "the features are standardized (fitted on the training split).";
  return figure(c.title, render_row_chart(c), caption);
}

std::string class_chart(const json& label) {
  if (!label.is_object() || !label.contains("classes") || !label.at("classes").is_array()) return "";
  const auto& classes = label.at("classes");
  if (classes.empty()) return "";
  RowChart c{.title = "Class distribution", .x = {.label = "rows"}};
  for (const auto& k : classes) {
    if (c.rows.size() == kMaxChartRows) break;
    c.rows.push_back(str(k, "value"));
    c.values.push_back(value_or_nan(k, "count"));
  }
  std::string caption = fmt::format("Label \"{}\": {} class{}", str(label, "column"), classes.size(),
                                    classes.size() == 1 ? "" : "es");
  if (const auto ratio = number(label, "imbalance_ratio")) caption += fmt::format(", largest / smallest {:.3g}", *ratio);
  if (classes.size() > kMaxChartRows) caption += fmt::format(" (the {} largest shown)", kMaxChartRows);
  caption += ". A class far smaller than the largest is learnt poorly and accuracy hides it: weight the classes or "
             "resample the training split.";
  return figure(c.title, render_row_chart(c), caption);
}

std::string column_table(const json& columns, std::int64_t rows) {
  std::string out = columns.size() > 30 ? "<details><summary>Columns</summary>" : "<details open><summary>Columns</summary>";
  out += "<div class=\"table-wrap\"><table><thead><tr><th>column</th><th>type</th><th>role</th><th>missing</th>"
         "<th>min</th><th>max</th><th>std</th></tr></thead><tbody>";
  std::size_t shown = 0;
  for (const auto& col : columns) {
    if (shown++ == kMaxTableRows) break;
    const double missing = value_or_nan(col, "missing");
    const std::string missing_text =
        missing > 0 && rows > 0 ? fmt::format("{:.0f} ({:.1f}%)", missing, 100.0 * missing / static_cast<double>(rows)) : "0";
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       esc(str(col, "name")), esc(str(col, "source_dtype")), esc(str(col, "role")), esc(missing_text),
                       esc(fmt_number(value_or_nan(col, "min"))), esc(fmt_number(value_or_nan(col, "max"))),
                       esc(fmt_number(value_or_nan(col, "std"))));
  }
  out += "</tbody></table></div>";
  if (columns.size() > kMaxTableRows) {
    out += fmt::format("<p class=\"meta\">The first {} of {} columns; `fitcheck profile` lists them all.</p>",
                       kMaxTableRows, columns.size());
  }
  return out + "</details>";
}

}  // namespace

std::string render_data_section(const json& data, std::string_view subject) {
  if (!data.is_object() || !data.contains("train") || !data.at("train").is_object()) return "";
  const json& train = data.at("train");
  const auto rows = static_cast<std::int64_t>(number(train, "rows").value_or(0));
  const json& columns = columns_of(train);
  std::string out = "<section id=\"data\"><h2>Data</h2>";
  out += fmt::format("<p>{}: <code>{}</code>, {} rows × {} column{}.", esc(subject), esc(str(train, "source")), rows,
                     columns.size(), columns.size() == 1 ? "" : "s");
  if (data.contains("test") && data.at("test").is_object()) {
    const json& test = data.at("test");
    out += fmt::format(" Test split: <code>{}</code>, {} rows.", esc(str(test, "source")), esc(str(test, "rows")));
  }
  out += "</p>";
  if (data.contains("overlap") && data.at("overlap").is_object()) {
    const json& o = data.at("overlap");
    const double in_train = number(o, "test_rows_in_train").value_or(0);
    out += in_train > 0 ? fmt::format("<p class=\"notice\"><strong>Train vs test:</strong> {:.0f} of {} test rows ({:.1f}%) "
                                      "are copies of training rows; the test score overstates what the model "
                                      "learnt.</p>",
                                      in_train, esc(str(o, "test_rows")), 100.0 * number(o, "share").value_or(0))
                        : fmt::format("<p><strong>Train vs test:</strong> none of the {} test rows is a copy of a "
                                      "training row.</p>",
                                      esc(str(o, "test_rows")));
  }
  if (train.contains("duplicates") && train.at("duplicates").is_object()) {
    const double dup = number(train.at("duplicates"), "rows").value_or(0);
    out += dup > 0 ? fmt::format("<p><strong>Duplicates:</strong> {:.0f} rows ({:.1f}%) repeat an earlier row.</p>",
                                 dup, rows > 0 ? 100.0 * dup / static_cast<double>(rows) : 0.0)
                   : std::string("<p><strong>Duplicates:</strong> no row repeats an earlier one.</p>");
  }
  const json label = train.contains("label") ? train.at("label") : json();
  const std::string missing = missing_chart(columns, rows);
  if (missing.empty() && !columns.empty()) out += "<p>No missing values.</p>";
  const std::string charts = missing + scale_chart(columns, str(label, "column")) + class_chart(label);
  if (!charts.empty()) out += "<div class=\"charts\">" + charts + "</div>";
  out += column_table(columns, rows);
  return out + "</section>\n";
}

}  // namespace fitcheck::report
