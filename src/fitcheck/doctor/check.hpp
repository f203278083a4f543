#pragma once
// A static check: a function of the run's context that appends findings. Each check lives in
// one file under checks/ and is registered by one line in checks/registry.cpp.

#include <functional>
#include <string_view>
#include <vector>

#include "fitcheck/doctor/context.hpp"
#include "fitcheck/doctor/finding.hpp"

namespace fitcheck::doctor {

using CheckFunction = void (*)(const CheckContext& context, std::vector<Finding>& out);

struct Check {
  std::string_view code;      // the code its findings carry, "FC-C301"
  std::string_view category;  // design.md category of its findings
  std::string_view summary;   // one line for `fitcheck check --list`
  CheckFunction run;
};

const std::vector<Check>& all_checks();

// Runs every registered check, stamps each finding with its check's code and category when it
// left them empty, and sorts the result (finding.hpp). A check that throws does not stop the
// others: its failure becomes an info finding naming the check.
std::vector<Finding> run_checks(const CheckContext& context);

// Runs one registered check's body into `all`: stamps code and category on findings that left
// them empty, and turns an exception into an info finding naming the check. Shared by the
// static and the training registries.
void run_one_check(std::string_view code, std::string_view category, std::string_view summary,
                   const std::function<void(std::vector<Finding>&)>& body, std::vector<Finding>& all);

}  // namespace fitcheck::doctor
