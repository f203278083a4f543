#include "fitcheck/doctor/finding.hpp"

#include <algorithm>
#include <map>

namespace fitcheck::doctor {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "info";
}

nlohmann::json to_json(const Finding& f) {
  nlohmann::json j = {{"code", f.code},
                      {"category", f.category},
                      {"severity", severity_name(f.severity)},
                      {"title", f.title},
                      {"where", f.where},
                      {"evidence", f.evidence},
                      {"explanation", f.explanation},
                      {"fix", f.fix}};
  if (f.repair) j["repair"] = *f.repair;
  if (!f.caused_by.empty()) j["caused_by"] = f.caused_by;
  return j;
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Ok: return "ok";
    case Verdict::Warn: return "warn";
    case Verdict::Fail: return "fail";
  }
  return "ok";
}

Verdict verdict_of(const std::vector<Finding>& findings) {
  Verdict v = Verdict::Ok;
  for (const auto& f : findings) {
    if (f.severity == Severity::Error) return Verdict::Fail;
    if (f.severity == Severity::Warning) v = Verdict::Warn;
  }
  return v;
}

int exit_status(Verdict v) { return v == Verdict::Fail ? 1 : 0; }

void sort_findings(std::vector<Finding>& findings) {
  auto before = [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
    return a.code < b.code;
  };
  std::stable_sort(findings.begin(), findings.end(), before);
  // Move each consequence right after its root (roots keep their order).
  std::map<std::string, std::vector<Finding>> consequences;
  std::vector<Finding> roots;
  std::map<std::string, bool> present;
  for (const auto& f : findings) present[f.code] = true;
  for (auto& f : findings) {
    if (!f.caused_by.empty() && f.caused_by != f.code && present.count(f.caused_by)) {
      consequences[f.caused_by].push_back(std::move(f));
    } else {
      roots.push_back(std::move(f));
    }
  }
  findings.clear();
  for (auto& r : roots) {
    auto code = r.code;
    findings.push_back(std::move(r));
    auto it = consequences.find(code);
    if (it == consequences.end()) continue;
    for (auto& c : it->second) findings.push_back(std::move(c));
    consequences.erase(it);
  }
  // Consequences whose root is itself a consequence (chains) are kept, at the end.
  for (auto& [code, list] : consequences) {
    for (auto& c : list) findings.push_back(std::move(c));
  }
}

}  // namespace fitcheck::doctor
