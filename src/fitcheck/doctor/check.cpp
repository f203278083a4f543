#include "fitcheck/doctor/check.hpp"

#include <exception>
#include <string>

namespace fitcheck::doctor {

std::vector<Finding> run_checks(const CheckContext& context) {
  std::vector<Finding> all;
  for (const auto& check : all_checks()) {
    std::vector<Finding> found;
    try {
      check.run(context, found);
    } catch (const std::exception& e) {
      Finding f;
      f.code = std::string(check.code);
      f.category = std::string(check.category);
      f.severity = Severity::Info;
      f.title = "A check could not run: " + std::string(check.summary);
      f.evidence = {{"error", e.what()}};
      f.explanation = "This check was skipped; the other findings are unaffected.";
      found = {f};
    }
    for (auto& f : found) {
      if (f.code.empty()) f.code = std::string(check.code);
      if (f.category.empty()) f.category = std::string(check.category);
      all.push_back(std::move(f));
    }
  }
  sort_findings(all);
  return all;
}

}  // namespace fitcheck::doctor
