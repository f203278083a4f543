// data.leakage_overlap: the same samples in the training and the test data.
//
// A test row identical to a training row measures memory, not generalisation, and the test score
// is inflated by it. Identical rows also occur by chance when features are few and discrete, so
// the overlap is compared with the rate at which the training split repeats itself: it is
// reported when at least kMinShare (1%) of the test rows are copies of training rows and that
// share is at least kExcess (3x) the training split's own duplicate rate — a copy, not a
// coincidence of coarse features. The repair leaves those test rows out ("drop_train_copies").
#include <algorithm>

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
  const auto found = profile::rows_found_in(ctx.train->data.x, ctx.test->data.x);
  const auto train_rows = ctx.train->data.x.rows();
  const auto test_rows = static_cast<std::int64_t>(found.found.size());
  if (found.count == 0 || train_rows == 0) return;
  const std::int64_t copies = found.count;
  std::vector<std::int64_t> examples;
  for (std::size_t i = 0; i < found.found.size() && examples.size() < 5; ++i) {
    if (found.found[i]) examples.push_back(static_cast<std::int64_t>(i));
  }
  const double share = static_cast<double>(copies) / static_cast<double>(test_rows);
  const double chance = static_cast<double>(found.reference_repeats) / static_cast<double>(train_rows);
  if (share < kMinShare || share < kExcess * chance) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.7;
  f.title = fmt::format("{} of {} test rows ({:.1f}%) are copies of training rows", copies, test_rows, 100.0 * share);
  f.where = {{"train", ctx.train->data.x.source}, {"test", ctx.test->data.x.source}};
  f.evidence = {{"test_rows_in_train", copies}, {"test_rows", test_rows}, {"share", share},
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
