#include "fitcheck/doctor/training/training_check.hpp"

#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

const Finding* TrainingContext::static_finding(std::string_view category) const {
  if (static_findings == nullptr) return nullptr;
  for (const auto& f : *static_findings) {
    if (f.category == category && f.severity != Severity::Info) return &f;
  }
  return nullptr;
}

std::string TrainingContext::root_code(std::initializer_list<std::string_view> categories) const {
  for (auto category : categories) {
    if (const Finding* root = static_finding(category)) return root->code;
  }
  return {};
}

std::vector<Finding> run_training_checks(const TrainingContext& context) {
  std::vector<Finding> all;
  for (const auto& check : all_training_checks()) {
    run_one_check(check.code, check.category, check.summary, [&](std::vector<Finding>& out) { check.run(context, out); },
                  all);
  }
  return all;
}

}  // namespace fitcheck::doctor
