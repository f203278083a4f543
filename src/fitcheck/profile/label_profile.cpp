#include "fitcheck/profile/label_profile.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace fitcheck::profile {

std::string_view label_task_name(LabelTask task) {
  return task == LabelTask::Classification ? "classification" : "regression";
}

LabelProfile label_profile(const ColumnStats& target) {
  LabelProfile p;
  p.column = target.name();
  p.missing = target.missing();
  p.non_finite = target.non_finite();
  const std::int64_t distinct = target.distinct();
  const bool is_bool = target.source_dtype() == core::DType::Bool;
  const bool empty = target.is_text() ? target.count() == 0 : target.finite_count() == 0;
  if (empty) {
    p.task = LabelTask::Regression;
    p.reason = "no finite label values to judge from";
  } else if (target.is_text()) {
    p.task = LabelTask::Classification;
    p.reason = "text labels";
  } else if (is_bool) {
    p.task = LabelTask::Classification;
    p.reason = "boolean labels";
  } else if (target.integer_valued() && target.distinct_exact() && distinct <= LabelProfile::kMaxClasses) {
    p.task = LabelTask::Classification;
    p.reason = fmt::format("whole numbers with {} distinct values (at most {})", distinct, LabelProfile::kMaxClasses);
  } else {
    p.task = LabelTask::Regression;
    p.reason = target.integer_valued()
                   ? fmt::format("whole numbers with {} distinct values (more than {})", distinct, LabelProfile::kMaxClasses)
                   : std::string("fractional values");
  }

  if (p.task == LabelTask::Classification) {
    const auto top = target.top(static_cast<std::size_t>(std::max<std::int64_t>(distinct, 1)));
    const double present = static_cast<double>(std::max<std::int64_t>(target.finite_count() > 0 ? target.finite_count() : target.count(), 1));
    for (const auto& v : top) {
      p.classes.push_back({v.display(), v.count, static_cast<double>(v.count) / present});
    }
    p.classes_exact = target.top_exact();
    if (!p.classes.empty()) {
      const auto largest = p.classes.front().count;
      const auto smallest = p.classes.back().count;
      p.imbalance_ratio = smallest > 0 ? static_cast<double>(largest) / static_cast<double>(smallest) : 0.0;
      p.majority_share = static_cast<double>(largest) / present;
      p.minority_share = static_cast<double>(smallest) / present;
    }
  } else {
    p.mean = target.mean();
    p.std = target.std();
    p.min = target.min();
    p.max = target.max();
    if (auto q = target.quantiles()) p.quantiles = *q;
  }
  return p;
}

}  // namespace fitcheck::profile
