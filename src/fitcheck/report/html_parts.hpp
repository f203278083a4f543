#pragma once
// The pieces every HTML report is made of: the page (inline CSS, a Content-Security-Policy that
// refuses every request and script), reading values out of the JSON documents the reports are
// drawn from, and a chart figure with its caption.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/report/svg_chart.hpp"

namespace fitcheck::report::html {

// <!DOCTYPE html> ... <main>, and </main> ... </html> with a footer line.
std::string page_head(const std::string& title);
std::string page_foot(const std::string& footer);

std::string esc(std::string_view s);
// j[key] as text (strings as they are, other values as JSON), `fallback` when absent or null.
std::string str(const nlohmann::json& j, const char* key, std::string fallback = {});
std::optional<double> number(const nlohmann::json& j, const char* key);
// A numeric array; null (how JSON writes NaN and inf) and anything else become NaN.
std::vector<double> numbers(const nlohmann::json& j);
std::vector<double> numbers(const nlohmann::json& j, const char* key);
std::string fmt_number(double v);  // 4 significant digits, "n/a" when not finite
// Short text for where/evidence values: lists joined by commas, objects as "k v; k v".
std::string plain(const nlohmann::json& j);
std::string key_value_list(const nlohmann::json& obj);
// A chart with its title and a one-line caption saying what to look for.
std::string figure(const std::string& title, const std::string& svg, const std::string& caption);
// Log when every value is positive and they span more than a factor of 20.
AxisScale auto_scale(const std::vector<Series>& series);

}  // namespace fitcheck::report::html
