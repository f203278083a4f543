// data.leakage_overlap: the same samples in the training and the test data.
//
// A test row identical to a training row measures memory, not generalisation, and the test score
// is inflated by it. Identical rows also occur by chance when features are few and discrete, so
// the overlap is compared with the rate at which the training split repeats itself: it is
// reported when at least kMinShare (1%) of the test rows are copies of training rows and that
// share is at least kExcess (3x) the training split's own duplicate rate — a copy, not a
// coincidence of coarse features. The repair leaves those test rows out ("drop_train_copies").
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/profile/row_hash.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kMinShare = 0.01;
constexpr double kExcess = 3.0;
}  // namespace

void check_leakage_overlap(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.test) return;
  if (ctx.train->data.x.shape().dims().size() != ctx.test->data.x.shape().dims().size()) return;
  const auto train = profile::feature_row_hashes(ctx.train->data.x);
  const auto test = profile::feature_row_hashes(ctx.test->data.x);
  if (train.empty() || test.empty()) return;
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(train.size() * 2);
  std::int64_t train_repeats = 0;
  for (auto h : train) {
    if (!seen.insert(h).second) ++train_repeats;
  }
  std::int64_t copies = 0;
  std::vector<std::int64_t> examples;
  for (std::size_t i = 0; i < test.size(); ++i) {
    if (seen.count(test[i])) {
      ++copies;
      if (examples.size() < 5) examples.push_back(static_cast<std::int64_t>(i));
    }
  }
  const double share = static_cast<double>(copies) / static_cast<double>(test.size());
  const double chance = static_cast<double>(train_repeats) / static_cast<double>(train.size());
  if (share < kMinShare || share < kExcess * chance) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.7;
  f.title = fmt::format("{} of {} test rows ({:.1f}%) are copies of training rows", copies, test.size(), 100.0 * share);
  f.where = {{"train", ctx.train->data.x.source}, {"test", ctx.test->data.x.source}};
  f.evidence = {{"test_rows_in_train", copies}, {"test_rows", test.size()}, {"share", share},
                {"train_self_duplicate_share", chance}, {"first_test_rows", examples}};
  f.explanation = "The model is scored on samples it was trained on: the test result measures memorisation and "
                  "overstates how it will do on new data. This usually comes from splitting after duplicating or "
                  "augmenting rows, or from overlapping exports.";
  f.fix = "Remove the test rows that also occur in the training data (or split once, after de-duplicating, with "
          "train_test_split), and evaluate again.";
  f.repair = nlohmann::json{{"data", {{"test", {{"drop_train_copies", true}}}}}};
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
