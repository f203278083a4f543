#include "fitcheck/report/findings_render.hpp"

#include <cstdlib>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

namespace fitcheck::report {

namespace {

const char* severity_colour(doctor::Severity s) {
  switch (s) {
    case doctor::Severity::Error: return "\x1b[1;31m";
    case doctor::Severity::Warning: return "\x1b[1;33m";
    case doctor::Severity::Info: return "\x1b[1;36m";
  }
  return "";
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// {"columns": ["a", "b"]} → "columns a, b"; scalars as they are.
std::string inline_json(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return fmt::format("{:.4g}", j.get<double>());
  if (j.is_array()) {
    std::string out;
    std::size_t shown = 0;
    for (const auto& item : j) {
      if (shown == 8) {
        out += fmt::format(", ... ({} in all)", j.size());
        break;
      }
      out += (shown++ ? ", " : "") + inline_json(item);
    }
    return out;
  }
  if (j.is_object()) {
    std::string out;
    for (const auto& [k, v] : j.items()) out += (out.empty() ? "" : "; ") + k + " " + inline_json(v);
    return out;
  }
  return j.dump();
}

std::string key_values(const nlohmann::json& obj) {
  std::string out;
  for (const auto& [k, v] : obj.items()) out += (out.empty() ? "" : ", ") + k + "=" + inline_json(v);
  return out;
}

}  // namespace

std::string wrap(const std::string& text, int width, const std::string& indent) {
  std::string out, line = indent;
  std::istringstream words(text);
  std::string word;
  bool line_empty = true;
  while (words >> word) {
    if (!line_empty && static_cast<int>(line.size() + 1 + word.size()) > width) {
      out += line + "\n";
      line = indent;
      line_empty = true;
    }
    line += (line_empty ? "" : " ") + word;
    line_empty = false;
  }
  if (!line_empty) out += line + "\n";
  return out;
}

bool colour_wanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  return isatty(fd) != 0 && (no_colour == nullptr || *no_colour == '\0');
}

std::string render_findings_text(const std::vector<doctor::Finding>& findings, const std::string& heading,
                                 const TextStyle& style) {
  const char* bold = style.colour ? "\x1b[1m" : "";
  const char* reset = style.colour ? "\x1b[0m" : "";
  int errors = 0, warnings = 0, infos = 0;
  for (const auto& f : findings) {
    (f.severity == doctor::Severity::Error ? errors : f.severity == doctor::Severity::Warning ? warnings : infos)++;
  }
  std::string out;
  if (findings.empty()) {
    out += fmt::format("{}{}{}: no problems found.\n", bold, heading, reset);
    return out;
  }
  out += fmt::format("{}{}{}: {} error{}, {} warning{}, {} note{}\n", bold, heading, reset, errors,
                     errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
  for (const auto& f : findings) {
    const bool consequence = !f.caused_by.empty();
    const std::string pad = consequence ? "    " : "  ";
    out += "\n";
    out += fmt::format("{}{}{:<7}{} {}  ({})\n", consequence ? "  " : "", style.colour ? severity_colour(f.severity) : "",
                       upper(doctor::severity_name(f.severity)), reset, f.category, f.code);
    out += wrap(fmt::format("{}{}{}", bold, f.title, reset), style.width, pad);
    if (consequence) out += wrap("follows from " + f.caused_by, style.width, pad + "  ");
    if (!f.where.empty()) out += wrap("where: " + inline_json(f.where), style.width, pad);
    if (!f.evidence.empty()) out += wrap("evidence: " + key_values(f.evidence), style.width, pad);
    if (!f.explanation.empty()) out += wrap("why: " + f.explanation, style.width, pad);
    if (!f.fix.empty()) out += wrap("fix: " + f.fix, style.width, pad);
  }
  out += fmt::format("\nverdict: {}\n", doctor::verdict_name(doctor::verdict_of(findings)));
  return out;
}

nlohmann::json render_findings_json(const std::vector<doctor::Finding>& findings, const nlohmann::json& sections) {
  nlohmann::json doc = {{"version", kReportVersion},
                        {"verdict", doctor::verdict_name(doctor::verdict_of(findings))},
                        {"findings", nlohmann::json::array()}};
  for (const auto& f : findings) doc["findings"].push_back(doctor::to_json(f));
  if (sections.is_object()) {
    for (const auto& [k, v] : sections.items()) {
      if (!doc.contains(k)) doc[k] = v;
    }
  }
  return doc;
}

}  // namespace fitcheck::report
