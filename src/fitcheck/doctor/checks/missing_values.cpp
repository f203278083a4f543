// data.missing_values: NaN or empty fields in features that go to the model unimputed.
//
// One NaN input makes its sample's loss NaN, the batch mean NaN, and after the update every
// weight NaN: a single missing value ends training, so any count above zero in raw input is an
// error. With fitcheck's preprocessing the pipeline imputes (auto mode always does), so nothing
// is reported then.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

namespace {

// Rows with at least one missing feature (the profile counts per column).
std::int64_t rows_with_missing(const io::DataBlock& x) {
  const std::int64_t n = x.rows();
  std::vector<std::uint8_t> bad(static_cast<std::size_t>(n), 0);
  if (x.kind == io::DataBlock::Kind::Table) {
    for (const auto& c : x.table.columns()) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (!c.is_valid(i) || (c.type == core::ColumnType::Float64 && std::isnan(c.f64[static_cast<std::size_t>(i)]))) {
          bad[static_cast<std::size_t>(i)] = 1;
        }
      }
    }
  } else {
    const std::int64_t per = n == 0 ? 0 : x.array.size() / n;
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < per; ++j) {
        if (std::isnan(x.array.value(i * per + j))) {
          bad[static_cast<std::size_t>(i)] = 1;
          break;
        }
      }
    }
  }
  return std::count(bad.begin(), bad.end(), std::uint8_t{1});
}

}  // namespace

void check_missing_values(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.raw_input()) return;
  for (const auto* split : {&*ctx.train, ctx.test ? &*ctx.test : nullptr}) {
    if (!split) continue;
    struct Col {
      std::string name;
      std::int64_t missing;
    };
    std::vector<Col> cols;
    std::int64_t total = 0;
    for (const auto& c : split->features.columns()) {
      if (c.missing() > 0) {
        cols.push_back({c.name(), c.missing()});
        total += c.missing();
      }
    }
    if (cols.empty()) continue;
    std::sort(cols.begin(), cols.end(), [](const Col& a, const Col& b) { return a.missing > b.missing; });
    const std::int64_t rows = split->features.rows();
    const std::int64_t bad_rows = rows_with_missing(split->data.x);
    Finding f;
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    std::vector<std::string> names;
    nlohmann::json per_column = nlohmann::json::object();
    for (const auto& c : cols) {
      names.push_back(c.name);
      if (per_column.size() < 20) {
        per_column[c.name] = {{"missing", c.missing}, {"share", rows ? static_cast<double>(c.missing) / rows : 0.0}};
      }
    }
    f.title = fmt::format("{} missing value{} in {} ({} of {} {} rows, {:.1f}%) go to the model as NaN", total,
                          total == 1 ? "" : "s", name_columns(names), bad_rows, rows, split->data.split,
                          rows ? 100.0 * static_cast<double>(bad_rows) / static_cast<double>(rows) : 0.0);
    f.where = {{"split", split->data.split}, {"columns", names}};
    f.evidence = {{"missing_values", total}, {"rows_with_missing", bad_rows}, {"rows", rows}, {"per_column", per_column}};
    f.explanation = "A single NaN input makes its sample's loss NaN, then the batch's, and the update turns every "
                    "weight into NaN: training ends with loss: nan at the first batch that holds one.";
    f.fix = "Impute the missing values with statistics of the training split (median for numbers, most frequent "
            "for categories; an indicator column keeps the information that a value was missing), or drop those rows.";
    // fitcheck's auto mode imputes (median + indicator, most frequent) and scales as needed.
    f.repair = auto_preprocess_repair();
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
