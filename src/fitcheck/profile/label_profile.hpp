#pragma once
// What the target column looks like to a learner.
//
// Task rule: the label is a classification target when its values are text, booleans, or whole
// numbers with at most kMaxClasses distinct values (0/1, class ids 0..9, "cat"/"dog"); otherwise
// (fractional values, or more than kMaxClasses distinct whole numbers) it is a regression target.
// Text labels are classification whatever their number of levels. A label without a single finite
// value is reported as regression with the reason "no finite label values to judge from".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/profile/column_stats.hpp"

namespace fitcheck::profile {

enum class LabelTask { Classification, Regression };
std::string_view label_task_name(LabelTask task);  // "classification", "regression"

struct ClassCount {
  std::string value;
  std::int64_t count = 0;
  double share = 0.0;  // of the present labels
};

struct LabelProfile {
  static constexpr std::int64_t kMaxClasses = 50;

  std::string column;
  LabelTask task = LabelTask::Regression;
  std::string reason;       // the rule that decided the task, in words
  std::int64_t missing = 0;
  std::int64_t non_finite = 0;
  // Classification: classes by count, descending; exact unless classes_exact is false.
  std::vector<ClassCount> classes;
  bool classes_exact = true;
  double imbalance_ratio = 0.0;  // largest class count / smallest
  double minority_share = 0.0;   // smallest class / present labels
  double majority_share = 0.0;
  // Regression: the distribution.
  std::optional<double> mean, std, min, max;
  std::vector<double> quantiles;  // at kReportedQuantiles
};

LabelProfile label_profile(const ColumnStats& target);

}  // namespace fitcheck::profile
