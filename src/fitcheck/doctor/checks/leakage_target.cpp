// data.leakage_target: one feature that (almost) determines the label on its own — usually the
// label under another name, or a value recorded after the outcome (a "cancellation date" for
// churn, a diagnosis code for the disease being predicted).
//
// Single-feature predictive power, computed from the training data:
// - Classification labels: the leave-one-out accuracy of a 1-nearest-neighbour rule on this one
//   feature. Rows with the same value predict each other (the majority of the others); a value
//   seen once takes the label of the nearest value (numbers) or counts as wrong (text, where
//   there is no "nearest"). For a low-cardinality categorical this is the purity of the label per
//   level; for a number it is how well intervals of it separate the classes. Reported when it is
//   >= 99 % and at most a tenth of the majority-class error remains (error <= (1 - majority
//   share) / 10): the feature alone removes 90 % of what a model has to learn, and 99 % from one
//   input is rarely real in data worth a network.
// - Regression labels: |Pearson correlation| >= 0.99 (R^2 >= 0.98 from a straight line).
// Identifier-like and constant columns are skipped (an id is unique per row; its "purity" is
// trivial), as is image-like data (a single pixel never determines a label honestly, and its
// columns are not named features). At least kMinRows rows are required for the statistic to
// mean anything; above kMaxRows a systematic sample is used (the accuracy's standard error at
// 50k rows is below 4.5e-4 near 99 %, far below the margin to the threshold).
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kDeterminesAccuracy = 0.99;
constexpr double kErrorReduction = 10.0;
constexpr double kDeterminesCorrelation = 0.99;
constexpr std::int64_t kMinRows = 30;
constexpr std::int64_t kMaxRows = 50000;
constexpr std::int64_t kMaxColumns = 2000;

struct Pair {
  double value;
  double label;
};

// Leave-one-out 1-NN accuracy of predicting `label` from `value` (see the header).
double loo_accuracy(std::vector<Pair> pairs, bool numeric) {
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return a.value < b.value || (a.value == b.value && a.label < b.label);
  });
  struct Group {
    double value;
    std::size_t begin, end;
    double majority_label;
    std::int64_t majority_count;
  };
  std::vector<Group> groups;
  for (std::size_t a = 0; a < pairs.size();) {
    std::size_t b = a;
    double best_label = pairs[a].label;
    std::int64_t best = 0;
    while (b < pairs.size() && pairs[b].value == pairs[a].value) {
      std::size_t e = b;
      while (e < pairs.size() && pairs[e].value == pairs[a].value && pairs[e].label == pairs[b].label) ++e;
      if (static_cast<std::int64_t>(e - b) > best) { best = static_cast<std::int64_t>(e - b); best_label = pairs[b].label; }
      b = e;
    }
    groups.push_back({pairs[a].value, a, b, best_label, best});
    a = b;
  }
  double correct = 0.0;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    const auto size = static_cast<std::int64_t>(g.end - g.begin);
    if (size == 1) {
      if (!numeric) continue;
      const Group* nearest = nullptr;
      if (gi > 0) nearest = &groups[gi - 1];
      if (gi + 1 < groups.size() && (!nearest || groups[gi + 1].value - g.value < g.value - nearest->value)) {
        nearest = &groups[gi + 1];
      }
      if (nearest && nearest->majority_label == pairs[g.begin].label) correct += 1.0;
      continue;
    }
    // Class counts in the group; each member is predicted by the majority of the others.
    std::vector<std::pair<double, std::int64_t>> counts;
    for (std::size_t k = g.begin; k < g.end;) {
      std::size_t e = k;
      while (e < g.end && pairs[e].label == pairs[k].label) ++e;
      counts.push_back({pairs[k].label, static_cast<std::int64_t>(e - k)});
      k = e;
    }
    for (const auto& [label, count] : counts) {
      std::int64_t other_best = 0;
      for (const auto& [l2, c2] : counts) {
        if (l2 != label) other_best = std::max(other_best, c2);
      }
      const std::int64_t own = count - 1;
      if (own > other_best) correct += static_cast<double>(count);
      else if (own == other_best && own > 0) correct += 0.5 * static_cast<double>(count);
    }
  }
  return correct / static_cast<double>(pairs.size());
}

double pearson(const std::vector<Pair>& pairs) {
  double mx = 0, my = 0;
  for (const auto& p : pairs) { mx += p.value; my += p.label; }
  mx /= static_cast<double>(pairs.size());
  my /= static_cast<double>(pairs.size());
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& p : pairs) {
    sxy += (p.value - mx) * (p.label - my);
    sxx += (p.value - mx) * (p.value - mx);
    syy += (p.label - my) * (p.label - my);
  }
  if (!(sxx > 0) || !(syy > 0)) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

namespace {

// The run's feature list names the label column itself: the model is handed its answer.
bool report_target_as_feature(const CheckContext& ctx, std::vector<Finding>& out) {
  const auto& d = ctx.train->data;
  if (d.target.empty() || d.x.kind != io::DataBlock::Kind::Table || !d.x.table.find(d.target)) return false;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 1.0;
  f.title = fmt::format("The target column \"{}\" is also listed as a feature", d.target);
  f.where = {{"columns", {d.target}}, {"split", "train"}};
  f.evidence = {{"target", d.target}, {"features", d.x.table.column_names()}};
  f.explanation = "The label is among the model's inputs, so the model learns to copy it: training and validation "
                  "scores look perfect, and the model cannot predict anything when the label is unknown.";
  f.fix = fmt::format("Remove \"{}\" from data.train.features (and from the test split's).", d.target);
  f.repair = drop_features_repair(ctx, {d.target});
  out.push_back(std::move(f));
  return true;
}

}  // namespace

void check_leakage_target(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.train->labels || !ctx.train->data.y) return;
  if (report_target_as_feature(ctx, out)) return;
  const auto& x = ctx.train->data.x;
  const auto& facts = *ctx.train->labels;
  if (x.kind == io::DataBlock::Kind::Array && x.array.shape.rank() > 2) return;
  if (run_facts::image_like(ctx)) return;
  const std::int64_t cols = run_facts::feature_columns(x);
  if (cols > kMaxColumns) return;
  const bool classification = facts.encoding == LabelEncoding::ClassIds || facts.encoding == LabelEncoding::OneHot ||
                              facts.encoding == LabelEncoding::Text ||
                              (facts.profile && facts.profile->task == profile::LabelTask::Classification &&
                               facts.encoding == LabelEncoding::Continuous && facts.columns == 1);
  const bool regression = !classification && facts.encoding == LabelEncoding::Continuous && facts.columns == 1;
  if (!classification && !regression) return;

  const auto labels = run_facts::label_values(*ctx.train->data.y);
  const std::int64_t n = x.rows();
  if (n < kMinRows || static_cast<std::int64_t>(labels.size()) != n) return;
  const std::int64_t stride = std::max<std::int64_t>(1, (n + kMaxRows - 1) / kMaxRows);

  // The majority share of the labels (over the rows used).
  double majority = 0.0;
  if (classification) {
    std::map<double, std::int64_t> counts;
    std::int64_t used = 0;
    for (std::int64_t i = 0; i < n; i += stride) {
      if (std::isnan(labels[static_cast<std::size_t>(i)])) continue;
      ++counts[labels[static_cast<std::size_t>(i)]];
      ++used;
    }
    for (const auto& [l, c] : counts) majority = std::max(majority, static_cast<double>(c) / static_cast<double>(std::max<std::int64_t>(1, used)));
    if (counts.size() < 2) return;
    // The accuracy threshold must leave at most a tenth of the majority baseline's error.
    if (1.0 - kDeterminesAccuracy > (1.0 - majority) / kErrorReduction) return;
  }

  const auto& stats = ctx.train->features.columns();
  std::vector<std::string> names;
  nlohmann::json per_column = nlohmann::json::object();
  double strongest = 0.0;
  for (std::int64_t j = 0; j < cols; ++j) {
    if (static_cast<std::size_t>(j) >= stats.size()) break;
    const auto role = stats[static_cast<std::size_t>(j)].role();
    if (role == profile::ColumnRole::Constant || role == profile::ColumnRole::IdentifierLike) continue;
    const bool text = run_facts::is_text_column(x, j);
    if (text && regression) continue;
    std::vector<Pair> pairs;
    pairs.reserve(static_cast<std::size_t>(n / stride + 1));
    if (text) {
      const auto& c = x.table.column(static_cast<int>(j));
      for (std::int64_t i = 0; i < n; i += stride) {
        const double l = labels[static_cast<std::size_t>(i)];
        if (!c.is_valid(i) || std::isnan(l)) continue;
        pairs.push_back({static_cast<double>(c.codes[static_cast<std::size_t>(i)]), l});
      }
    } else {
      const auto v = run_facts::feature_values(x, j);
      for (std::int64_t i = 0; i < n; i += stride) {
        const double a = v[static_cast<std::size_t>(i)], l = labels[static_cast<std::size_t>(i)];
        if (!std::isfinite(a) || !std::isfinite(l)) continue;
        pairs.push_back({a, l});
      }
    }
    if (static_cast<std::int64_t>(pairs.size()) < kMinRows) continue;
    const std::string name = run_facts::feature_name(x, j);
    if (classification) {
      const double acc = loo_accuracy(std::move(pairs), !text);
      if (acc >= kDeterminesAccuracy) {
        names.push_back(name);
        per_column[name] = {{"single_feature_accuracy", acc}};
        strongest = std::max(strongest, acc);
      }
    } else {
      const double r = pearson(pairs);
      if (std::abs(r) >= kDeterminesCorrelation) {
        names.push_back(name);
        per_column[name] = {{"correlation", r}};
        strongest = std::max(strongest, std::abs(r));
      }
    }
  }
  if (names.empty()) return;

  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.4;
  f.where = {{"columns", names}};
  f.evidence = {{"per_column", per_column}, {"rows_used", (n + stride - 1) / stride}, {"task", classification ? "classification" : "regression"}};
  if (classification) {
    f.evidence["majority_share"] = majority;
    f.title = fmt::format("{} alone predict{} the label with {:.1f}% accuracy (majority class: {:.1f}%)",
                          name_columns(names), names.size() == 1 ? "s" : "", 100.0 * strongest, 100.0 * majority);
  } else {
    f.title = fmt::format("{} correlate{} with the label at |r| = {:.4f}", name_columns(names),
                          names.size() == 1 ? "s" : "", strongest);
  }
  f.explanation = "A single input that determines the target is almost always the target itself in another form, "
                  "or information recorded after the outcome. The model learns that shortcut, scores perfectly in "
                  "training and validation, and fails on real new data where the value is not available.";
  f.fix = "Check how the column is produced: if it is derived from the label or only known after the outcome, drop "
          "it; if it is a genuine, available-at-prediction-time feature, the task may not need a network.";
  f.repair = drop_features_repair(ctx, names);
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
