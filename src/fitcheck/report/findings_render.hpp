#pragma once
// Findings for people (aligned terminal text, colour when asked) and for programs (the JSON
// document of design.md: {"version", "verdict", "findings": [...]} plus sections of the phase).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/finding.hpp"

namespace fitcheck::report {

inline constexpr const char* kReportVersion = "1";

struct TextStyle {
  bool colour = false;  // ANSI colours (only on a terminal, and not when NO_COLOR is set)
  int width = 80;       // wrap prose at this many columns (an 80-column terminal)
};

// `heading` names what was examined ("run.json"). Each finding: severity, category and code,
// title, where, evidence, why, fix; consequences of a root finding are indented under it.
std::string render_findings_text(const std::vector<doctor::Finding>& findings, const std::string& heading,
                                 const TextStyle& style = {});

// {"version", "verdict", "findings"} + `sections` merged in at the top level.
nlohmann::json render_findings_json(const std::vector<doctor::Finding>& findings,
                                    const nlohmann::json& sections = nlohmann::json::object());

// Whether colour should be used on this stream (a TTY and NO_COLOR unset).
bool colour_wanted(int fd);

// Wraps `text` at `width` columns, every line prefixed by `indent`.
std::string wrap(const std::string& text, int width, const std::string& indent);

}  // namespace fitcheck::report
