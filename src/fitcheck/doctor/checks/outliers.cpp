// data.outliers: a few extreme values that dominate a feature's (or a regression label's) spread,
// and so the loss and the scaling.
//
// "Dominate" is measured directly: the share of the column's sum of squared deviations that its
// most extreme kTopShare of rows (0.1 %, at least one row) carry. That sum is what a
// StandardScaler divides by and what an MSE loss on the label adds up. When those few rows carry
// at least half of it (kDominantShare), the other 99.9 % are squeezed into a small part of the
// scaled range and the gradient follows the outliers. Ordinary heavy tails stay below: for a
// log-normal feature (sigma = 1) the top 0.1 % carry about 20 % of the squared deviations, for
// Student's t with 3 degrees of freedom a few percent; a single glitch (a 1e6 in a column of
// unit-scale values, a 99999 "missing" code) carries nearly all of it.
// In small samples one value carries half the spread by chance surprisingly often (for 20
// log-normal values the largest carries half of it in a median sample), so the most extreme value
// must also lie at least kRestZ = 20 standard deviations from the mean of the other rows. By
// Chebyshev at most 1/400 of any distribution lies that far out; measured over samples of 20 to
// 10^4 values it keeps false alarms on log-normal (sigma = 1) and Student-t(3) data below 3 %,
// while distributions with (nearly) infinite variance (t(2), log-normal sigma >= 1.5), whose
// extremes really do dominate, are still reported. At least kMinRows values are required.
// The robust z-score of the most extreme value, (x - median) / (IQR / 1.349), is reported as
// evidence (IQR / 1.349 is the standard deviation of a normal distribution with that IQR).
// Skipped: binary, constant, identifier-like and pixel columns, and image-like data.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kTopShare = 0.001;
constexpr double kDominantShare = 0.5;
constexpr std::int64_t kMinRows = 20;
constexpr double kRestZ = 20.0;
constexpr double kIqrToSigma = 1.349;

struct Extremes {
  double share = 0.0;      // of the squared deviations, carried by the top rows
  std::int64_t top_rows = 0;
  double extreme = 0.0;    // the most extreme value
  double mean = 0.0;
  double z_rest = 0.0;     // the extreme's distance from the other rows' mean, in their std
};

std::optional<Extremes> dominance(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  const auto n = static_cast<std::int64_t>(v.size());
  if (n < kMinRows) return std::nullopt;
  double mean = 0.0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(n);
  double total = 0.0, most = -1.0;
  for (double x : v) {
    const double sq = (x - mean) * (x - mean);
    total += sq;
    most = std::max(most, sq);
  }
  if (!(total > 0.0)) return std::nullopt;
  const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(kTopShare * static_cast<double>(n))));
  // The top k carry at most k times the largest squared deviation: most columns stop here, before
  // any selection.
  if (static_cast<double>(k) * most < kDominantShare * total) return std::nullopt;
  // The k-th largest squared deviation, then the top rows: those above it, and as many at it as
  // make up k.
  std::vector<double> sq(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) sq[i] = (v[i] - mean) * (v[i] - mean);
  std::vector<double> order = sq;
  std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), std::greater<>());
  const double kth = order[static_cast<std::size_t>(k - 1)];
  std::int64_t at_kth = k;
  for (std::int64_t i = 0; i < k - 1; ++i) at_kth -= order[static_cast<std::size_t>(i)] > kth;
  Extremes e;
  e.top_rows = k;
  e.mean = mean;
  double top = 0.0, rest_n = 0.0, rest_mean = 0.0, rest_m2 = 0.0, extreme_sq = -1.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool in_top = sq[i] > kth || (sq[i] == kth && at_kth-- > 0);
    if (in_top) {
      top += sq[i];
      if (sq[i] > extreme_sq) { extreme_sq = sq[i]; e.extreme = v[i]; }
      continue;
    }
    rest_n += 1.0;  // Welford over the rows outside the top k
    const double d = v[i] - rest_mean;
    rest_mean += d / rest_n;
    rest_m2 += d * (v[i] - rest_mean);
  }
  e.share = top / total;
  const double rest_sd = rest_n > 1.0 ? std::sqrt(rest_m2 / (rest_n - 1.0)) : 0.0;
  e.z_rest = rest_sd > 0.0 ? std::abs(e.extreme - rest_mean) / rest_sd : std::numeric_limits<double>::infinity();
  return e;
}

// The test of dominance() that needs no data: the top k rows carry at most k times the largest
// squared deviation, which the profile's min, max and mean bound, and the total is (n - 1)·std².
// True when the column cannot be dominated (a 1 % slack covers the two computations' rounding).
bool cannot_dominate(const profile::ColumnStats& s) {
  const auto mean = s.mean(), sd = s.std(), lo = s.min(), hi = s.max();
  if (!mean || !sd || !lo || !hi) return false;
  const auto n = s.rows() - s.missing() - s.non_finite();
  if (n < kMinRows) return true;
  const double most = std::max((*hi - *mean) * (*hi - *mean), (*lo - *mean) * (*lo - *mean));
  const double total = *sd * *sd * static_cast<double>(n - 1);
  const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(kTopShare * static_cast<double>(n))));
  return static_cast<double>(k) * most * 1.01 < kDominantShare * total;
}

}  // namespace

void check_outliers(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train) return;
  const auto& x = ctx.train->data.x;
  std::vector<std::string> names;
  nlohmann::json per_column = nlohmann::json::object();
  double worst_share = 0.0, worst_z = 0.0;
  auto consider = [&](const std::string& name, std::vector<double> values, const profile::ColumnStats* stats) {
    auto e = dominance(std::move(values));
    if (!e || e->share < kDominantShare || e->z_rest < kRestZ) return;
    nlohmann::json ev = {{"top_rows", e->top_rows}, {"share_of_squared_deviation", e->share},
                         {"extreme_value", e->extreme}, {"mean", e->mean}};
    if (std::isfinite(e->z_rest)) ev["z_from_other_rows"] = e->z_rest;
    double z = 0.0;
    if (stats) {
      if (auto q = stats->quantiles()) {
        const double median = (*q)[3], iqr = (*q)[4] - (*q)[2];
        ev["median"] = median;
        ev["q01"] = (*q)[0];
        ev["q99"] = (*q)[6];
        if (iqr > 0.0) {
          z = (e->extreme - median) / (iqr / kIqrToSigma);
          ev["robust_z"] = z;
        }
      }
    }
    names.push_back(name);
    per_column[name] = ev;
    worst_share = std::max(worst_share, e->share);
    worst_z = std::max(worst_z, std::abs(z));
  };

  // Ids into an Embedding (feeds_embedding) have rare large values by nature (rare tokens).
  if (!run_facts::image_like(ctx) && !feeds_embedding(ctx) &&
      !(x.kind == io::DataBlock::Kind::Array && x.array.shape.rank() > 2)) {
    const auto& stats = ctx.train->features.columns();
    const std::int64_t cols = run_facts::feature_columns(x);
    for (std::int64_t j = 0; j < cols && static_cast<std::size_t>(j) < stats.size(); ++j) {
      const auto& s = stats[static_cast<std::size_t>(j)];
      const auto role = s.role();
      if (s.is_text() || role == profile::ColumnRole::Binary || role == profile::ColumnRole::Constant ||
          role == profile::ColumnRole::IdentifierLike || role == profile::ColumnRole::PixelLike || cannot_dominate(s)) {
        continue;
      }
      consider(run_facts::feature_name(x, j), run_facts::feature_values(x, j), &s);
    }
  }
  // A continuous regression label: its outliers dominate an MSE loss directly.
  std::string label_name;
  if (ctx.train->labels && ctx.train->data.y && ctx.train->labels->encoding == LabelEncoding::Continuous &&
      ctx.train->labels->columns == 1 && ctx.train->labels->profile &&
      ctx.train->labels->profile->task == profile::LabelTask::Regression) {
    label_name = ctx.train->data.target.empty() ? "label" : ctx.train->data.target;
    consider(label_name, run_facts::label_values(*ctx.train->data.y), nullptr);
  }
  if (names.empty()) return;

  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.35;
  f.title = fmt::format("Extreme values dominate {}: the top 0.1% of rows carry up to {:.0f}% of the spread",
                        name_columns(names), 100.0 * worst_share);
  f.where = {{"columns", names}};
  f.evidence = {{"per_column", per_column}, {"threshold_share", kDominantShare}, {"top_share_of_rows", kTopShare}};
  if (worst_z > 0.0) f.evidence["max_robust_z"] = worst_z;
  const bool label = !label_name.empty() && std::find(names.begin(), names.end(), label_name) != names.end();
  f.explanation = std::string("A handful of values far from the rest set the column's mean and standard deviation: "
                  "after scaling the ordinary values are squeezed together, and large inputs produce large "
                  "activations and gradients that pull the weights towards fitting the outliers.") +
                  (label ? " On the label, squared-error losses are dominated by these few rows." : "");
  f.fix = "Check whether the extremes are errors or codes (99999, -1 for missing) and remove or impute them; "
          "otherwise clip to the 1st/99th percentile, log-transform positive skewed values, or use a robust loss "
          "(Huber) for the label.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
