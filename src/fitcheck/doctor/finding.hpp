#pragma once
// Finding: one problem fitcheck reports — what (title, category), where, with which evidence,
// why it matters (explanation), how to fix it (fix) and, when it can be applied automatically,
// the run-file patch that does it (repair). The JSON form is the contract of design.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::doctor {

// error: training cannot run or cannot succeed as configured; warning: likely to hurt or to be
// the cause; info: worth knowing, not a problem by itself.
enum class Severity { Info, Warning, Error };
std::string_view severity_name(Severity s);

struct Finding {
  std::string code;      // fitcheck's stable identifier, "FC-D104"
  std::string category;  // one of categories.hpp, "data.unscaled_features"
  Severity severity = Severity::Warning;
  std::string title;                             // one line, with the key number
  nlohmann::json where = nlohmann::json::object();     // {"columns": [...]}, {"layer": "dense_1"}
  nlohmann::json evidence = nlohmann::json::object();  // the measured values behind the title
  std::string explanation;                       // why it matters for training
  std::string fix;                               // what to do, in words
  std::optional<nlohmann::json> repair;          // run-file patch for `doctor --fix`
  // How likely this finding is the reason training fails (0..1); orders findings of equal
  // severity so that the most probable cause comes first.
  double likelihood = 0.5;
  // The code of the finding this one is a consequence of, when several findings share one root
  // cause (empty for a root). Renderers group a finding under its root.
  std::string caused_by;
};

nlohmann::json to_json(const Finding& f);

enum class Verdict { Ok, Warn, Fail };
std::string_view verdict_name(Verdict v);  // "ok", "warn", "fail"
// fail if any finding is an error, warn if any is a warning, ok otherwise.
Verdict verdict_of(const std::vector<Finding>& findings);
// design.md: 0 when no finding is an error, 1 when one is.
int exit_status(Verdict v);

// Most severe first; then most likely cause first; then by code for a stable order. A finding
// that names its root with caused_by is placed right after that root.
void sort_findings(std::vector<Finding>& findings);

}  // namespace fitcheck::doctor
