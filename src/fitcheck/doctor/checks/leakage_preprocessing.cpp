// data.leakage_preprocessing: training data scaled with statistics that include the test data —
// the scaler was fitted before the split, or on train and test together.
//
// Seen from the data: a scaler fitted on a set leaves exactly that set with mean 0 and standard
// deviation 1 (StandardScaler), or with minimum 0 and maximum 1 (MinMaxScaler), per feature. So
// when the union of the training and test splits has these values while the training split alone
// does not, the statistics came from both.
// - Tolerance kExact = 1e-4 (of the unit scale): the data is stored as float32 (relative error
//   6e-8) or as decimal text, whose rounding (to 2 decimals or better) moves a mean by less than
//   3e-5 and a standard deviation by less than 1e-5; both ddof = 0 (sklearn) and ddof = 1
//   (pandas) standard deviations are accepted.
// - The training split alone must miss the same property by kSeparation = 10x that tolerance on
//   at least one feature, so a healthy run (scaler fitted on train: train exactly standardized,
//   the union then is not) never fires, and neither does data that happens to be standardized in
//   both splits independently.
// - Every numeric feature that is not 0/1 must show the union signature (one matching column
//   out of many is a coincidence, not a fitted scaler); the min-max form needs at least
//   kMinMinMaxColumns of them, since single columns of proportions naturally span exactly [0, 1].
// Image-like data is scaled with one global statistic, so there the whole array is compared
// (mean/std only: intensities span [0, 1] in any split).
#include <cmath>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kExact = 1e-4;
constexpr double kSeparation = 10.0;
constexpr std::size_t kMinMinMaxColumns = 3;

struct Summary {
  double n = 0, mean = 0, m2 = 0, min = 0, max = 0;
  void merge(const Summary& o) {
    if (o.n == 0) return;
    if (n == 0) { *this = o; return; }
    const double total = n + o.n, d = o.mean - mean;
    mean += d * o.n / total;
    m2 += o.m2 + d * d * n * o.n / total;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
    n = total;
  }
  bool standardized(double tol) const {
    if (n < 2) return false;
    const double s0 = std::sqrt(m2 / n), s1 = std::sqrt(m2 / (n - 1));
    return std::abs(mean) <= tol && (std::abs(s0 - 1.0) <= tol || std::abs(s1 - 1.0) <= tol);
  }
  bool unit_range(double tol) const { return n >= 2 && std::abs(min) <= tol && std::abs(max - 1.0) <= tol; }
  double std0() const { return n > 0 ? std::sqrt(m2 / n) : 0.0; }
};

std::optional<Summary> summary(const profile::ColumnStats& c) {
  if (c.is_text() || !c.mean() || !c.min()) return std::nullopt;
  Summary s;
  s.n = static_cast<double>(c.finite_count());
  s.mean = *c.mean();
  const double sd = c.std().value_or(0.0);
  s.m2 = sd * sd * (s.n - 1.0);
  s.min = *c.min();
  s.max = *c.max();
  return s;
}

bool zero_one(const profile::ColumnStats& c) {
  return c.distinct() <= 2 && c.min() && c.max() && *c.min() >= 0.0 && *c.max() <= 1.0;
}

}  // namespace

void check_leakage_preprocessing(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.test) return;
  const bool image = run_facts::image_like(ctx);
  std::vector<std::string> names;
  std::vector<Summary> trains, unions;
  Summary train_all, union_all;
  for (const auto& c : ctx.train->features.columns()) {
    const auto* t = ctx.test->features.find(c.name());
    if (!t) continue;
    auto a = summary(c), b = summary(*t);
    if (!a || !b) continue;
    train_all.merge(*a);
    Summary u = *a;
    u.merge(*b);
    union_all.merge(u);
    if (image || zero_one(c) || c.distinct() <= 1) continue;
    names.push_back(c.name());
    trains.push_back(*a);
    unions.push_back(u);
  }
  // Global test part: union_all holds train + test pooled over every column.
  if (image) {
    if (!union_all.standardized(kExact)) return;
    const bool train_separate = std::abs(train_all.mean) > kSeparation * kExact ||
                                std::abs(train_all.std0() - 1.0) > kSeparation * kExact;
    if (!train_separate) return;
    Finding f;
    f.severity = Severity::Warning;
    f.likelihood = 0.3;
    f.title = fmt::format("Training and test images together have mean {:.1e} and std {:.6f}: normalised with "
                          "statistics of both", union_all.mean, union_all.std0());
    f.where = {{"splits", {"train", "test"}}};
    f.evidence = {{"union_mean", union_all.mean}, {"union_std", union_all.std0()}, {"train_mean", train_all.mean},
                  {"train_std", train_all.std0()}, {"tolerance", kExact}};
    f.explanation = "The mean and standard deviation used to normalise the images were computed on the training "
                    "and test images together, so the test set influenced training and its score is optimistic.";
    f.fix = "Compute the normalisation statistics on the training images only and apply them to the test images.";
    out.push_back(std::move(f));
    return;
  }
  if (names.empty()) return;

  auto check_signature = [&](bool standard) {
    for (const auto& u : unions) {
      if (standard ? !u.standardized(kExact) : !u.unit_range(kExact)) return false;
    }
    bool separate = false;
    for (const auto& t : trains) {
      if (standard ? !t.standardized(kSeparation * kExact) : !t.unit_range(kSeparation * kExact)) separate = true;
    }
    return separate;
  };
  const bool standard = check_signature(true);
  const bool minmax = !standard && names.size() >= kMinMinMaxColumns && check_signature(false);
  if (!standard && !minmax) return;

  nlohmann::json per_column = nlohmann::json::object();
  for (std::size_t i = 0; i < names.size() && i < 20; ++i) {
    per_column[names[i]] = standard
        ? nlohmann::json{{"union_mean", unions[i].mean}, {"union_std", unions[i].std0()},
                         {"train_mean", trains[i].mean}, {"train_std", trains[i].std0()}}
        : nlohmann::json{{"union_min", unions[i].min}, {"union_max", unions[i].max},
                         {"train_min", trains[i].min}, {"train_max", trains[i].max}};
  }
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.3;
  f.title = standard
      ? fmt::format("{} feature{} have mean 0 and std 1 over train and test together, not over train alone: "
                    "the scaler was fitted on both", names.size(), names.size() == 1 ? "" : "s")
      : fmt::format("{} features span exactly [0, 1] over train and test together, not over train alone: "
                    "the min-max scaler was fitted on both", names.size());
  f.where = {{"columns", names}, {"splits", {"train", "test"}}};
  f.evidence = {{"per_column", per_column}, {"tolerance", kExact}, {"scaler", standard ? "standard" : "minmax"}};
  f.explanation = "Scaling statistics fitted on the training and test data together let the test data shape the "
                  "training inputs (its mean, spread and extremes), so the test score is optimistic and does not "
                  "measure performance on truly new data.";
  f.fix = "Give fitcheck the unscaled data and let the run scale it (\"scale\" fitted on the training split "
          "only), or in your script fit the scaler on the training split and only transform the test split.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
