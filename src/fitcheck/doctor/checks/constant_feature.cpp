// data.constant_feature: feature columns with a single value (zero variance) in the training split.
//
// Exact rule, no threshold: at most one distinct finite value (an all-missing column included).
// Such a column contributes the same input to every sample: its weights only shift the bias, it
// gives a standardizing scaler a zero standard deviation to divide by (sklearn then leaves the
// column unscaled), and it often means a join or an export went wrong. Warning for tabular data;
// if every feature is constant, nothing can be learned — error.
// Image-like data (check_support.hpp) is different: border pixels that are always 0 (MNIST has
// 67 of them in 784) are normal and harmless, so it gets at most one info finding.
// Columns that are constant only after dropping missing values are counted as constant too: a
// missing-value indicator would be their only information (data.missing_values reports them).
#include <algorithm>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

void check_constant_feature(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train) return;
  const auto& cols = ctx.train->features.columns();
  if (ctx.train->features.rows() < 2) return;  // one row is constant by definition
  if (feeds_embedding(ctx)) return;  // a position that is padding in every sequence is not a feature
  std::vector<std::string> names;
  nlohmann::json values = nlohmann::json::object();
  for (const auto& c : cols) {
    if (c.distinct() > 1) continue;
    names.push_back(c.name());
    if (auto mn = c.min()) values[c.name()] = *mn;
    else if (c.is_text() && !c.top(1).empty()) values[c.name()] = c.top(1).front().display();
    else values[c.name()] = nullptr;
  }
  if (names.empty()) return;
  const bool image = run_facts::image_like(ctx);
  const bool all = names.size() == cols.size();
  Finding f;
  f.where = {{"columns", names}};
  f.evidence = {{"constant_columns", names.size()}, {"feature_columns", cols.size()}, {"rows", ctx.train->features.rows()}};
  if (names.size() <= 20) f.evidence["values"] = values;
  if (image && !all) {
    f.severity = Severity::Info;
    f.likelihood = 0.02;
    f.title = fmt::format("{} of {} pixel positions are constant in every training image", names.size(), cols.size());
    f.explanation = "Constant positions (usually the image border) carry no information; a convolution or dense "
                    "layer simply learns nothing from them. Harmless.";
    f.fix = "Nothing to do; cropping the border would only save a little computation.";
    out.push_back(std::move(f));
    return;
  }
  f.severity = all ? Severity::Error : Severity::Warning;
  f.likelihood = all ? 1.0 : 0.25;
  f.title = all ? fmt::format("Every feature column is constant in the {} training rows: nothing to learn from",
                              ctx.train->features.rows())
                : fmt::format("{} feature column{} constant: {}", names.size(), names.size() == 1 ? " is" : "s are",
                              name_columns(names));
  f.explanation = all
      ? "The model receives the same input for every sample, so it can only predict one value for all of them."
      : "A column with one value gives every sample the same input: it adds parameters that act as a bias, "
        "makes standardization divide by a zero spread, and usually means the column was filled wrongly.";
  f.fix = all ? "Check how the features were produced (a join, a filter or an export that lost the values)."
              : "Drop the constant columns (and check why they are constant).";
  if (!all) f.repair = drop_features_repair(ctx, names);
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
