#include "fitcheck/doctor/finding.hpp"

#include <set>

#include <gtest/gtest.h>

#include "fitcheck/doctor/categories.hpp"

namespace {

using fitcheck::doctor::Finding;
using fitcheck::doctor::Severity;
using fitcheck::doctor::Verdict;

Finding make(std::string code, Severity s, double likelihood, std::string caused_by = {}) {
  Finding f;
  f.code = std::move(code);
  f.category = "data.missing_values";
  f.severity = s;
  f.likelihood = likelihood;
  f.caused_by = std::move(caused_by);
  return f;
}

TEST(Finding, VerdictAndExitStatusFollowTheMostSevereFinding) {
  using fitcheck::doctor::verdict_of;
  EXPECT_EQ(verdict_of({}), Verdict::Ok);
  EXPECT_EQ(verdict_of({make("a", Severity::Info, 0.5)}), Verdict::Ok);
  EXPECT_EQ(verdict_of({make("a", Severity::Info, 0.5), make("b", Severity::Warning, 0.5)}), Verdict::Warn);
  EXPECT_EQ(verdict_of({make("a", Severity::Error, 0.5), make("b", Severity::Warning, 0.5)}), Verdict::Fail);
  EXPECT_EQ(fitcheck::doctor::exit_status(Verdict::Fail), 1);
  EXPECT_EQ(fitcheck::doctor::exit_status(Verdict::Warn), 0);
}

TEST(Finding, SortedBySeverityThenLikelihoodWithConsequencesAfterTheirRoot) {
  std::vector<Finding> f = {make("FC-1", Severity::Warning, 0.2), make("FC-2", Severity::Error, 0.1),
                            make("FC-3", Severity::Warning, 0.9), make("FC-4", Severity::Error, 0.9, "FC-1"),
                            make("FC-5", Severity::Info, 0.9)};
  fitcheck::doctor::sort_findings(f);
  std::vector<std::string> order;
  for (const auto& x : f) order.push_back(x.code);
  EXPECT_EQ(order, (std::vector<std::string>{"FC-2", "FC-3", "FC-1", "FC-4", "FC-5"}));
}

TEST(Finding, JsonHasTheDesignFields) {
  auto f = make("FC-D104", Severity::Warning, 0.5);
  f.repair = nlohmann::json{{"preprocess", "auto"}};
  auto j = fitcheck::doctor::to_json(f);
  for (const char* key : {"code", "category", "severity", "title", "where", "evidence", "explanation", "fix", "repair"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["severity"], "warning");
}

TEST(Categories, AllDesignCategoriesAreKnownAndUnique) {
  const auto& all = fitcheck::doctor::all_categories();
  EXPECT_EQ(all.size(), 39u);
  std::set<std::string_view> names;
  for (const auto& c : all) EXPECT_TRUE(names.insert(c.name).second) << c.name;
  EXPECT_TRUE(fitcheck::doctor::is_known_category("train.dying_relu"));
  EXPECT_FALSE(fitcheck::doctor::is_known_category("data.unscaled"));
}

}  // namespace
