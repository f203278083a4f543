#include "fitcheck/doctor/check.hpp"

#include <exception>
#include <string>

namespace fitcheck::doctor {

void run_one_check(std::string_view code, std::string_view category, std::string_view summary,
                   const std::function<void(std::vector<Finding>&)>& body, std::vector<Finding>& all) {
  std::vector<Finding> found;
  try {
    body(found);
  } catch (const std::exception& e) {
    Finding f;
    f.severity = Severity::Info;
    f.title = "A check could not run: " + std::string(summary);
    f.evidence = {{"error", e.what()}};
    f.explanation = "This check was skipped; the other findings are unaffected.";
    found = {f};
  }
  for (auto& f : found) {
    if (f.code.empty()) f.code = std::string(code);
    if (f.category.empty()) f.category = std::string(category);
    all.push_back(std::move(f));
  }
}

std::vector<Finding> run_checks(const CheckContext& context) {
  std::vector<Finding> all;
  for (const auto& check : all_checks()) {
    run_one_check(check.code, check.category, check.summary, [&](std::vector<Finding>& out) { check.run(context, out); },
                  all);
  }
  sort_findings(all);
  return all;
}

}  // namespace fitcheck::doctor
