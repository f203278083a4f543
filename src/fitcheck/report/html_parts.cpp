#include "fitcheck/report/html_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fitcheck::report::html {

using nlohmann::json;

namespace {

// Okabe–Ito vermillion / orange / blue for error / warning / info; the word is always written too.
constexpr std::string_view kCss = R"css(
:root{--fg:#1b1b1b;--muted:#555;--line:#d0d0d0;--bg:#fff;--card:#f7f7f7;
--error:#D55E00;--warning:#E69F00;--info:#0072B2;--ok:#009E73}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em;margin:.2em 0}
.meta{color:var(--muted);margin:.2em 0}
.verdict{display:inline-block;padding:.15em .7em;border-radius:4px;font-weight:700;color:#fff;letter-spacing:.04em}
.verdict.fail{background:var(--error)}.verdict.warn{background:#A86A00}.verdict.ok{background:var(--ok)}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:4px;padding:10px 14px;margin:12px 0;background:var(--card)}
.finding.error{border-left-color:var(--error)}.finding.warning{border-left-color:var(--warning)}
.finding .consequences .finding{background:var(--bg);margin:10px 0 0}
.sev{font-weight:700;font-size:.8em;letter-spacing:.05em;text-transform:uppercase;margin-right:.5em}
.error>.head .sev{color:#B34700}.warning>.head .sev{color:#8A5A00}.info>.head .sev{color:var(--info)}
.cat,.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;color:var(--muted)}
.finding p{margin:.35em 0}.label{font-weight:600}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.35em 0;font-size:.92em}
dl.kv dt{font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
.applied{color:#00664A;font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em;background:var(--bg);border:1px solid var(--line);padding:6px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr));gap:18px}
figure{margin:0;border:1px solid var(--line);border-radius:4px;padding:10px;break-inside:avoid;page-break-inside:avoid}
figure h3{margin:0 0 4px}
svg.chart{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:.9em;margin-top:4px}
svg .grid{stroke:#e4e4e4;stroke-width:1}svg .axis{stroke:#333;fill:none;stroke-width:1.2}svg .tickmark{stroke:#333}
svg .tick{font-size:12px;fill:#333}svg .axis-label{font-size:13px;fill:#222}svg .legend{font-size:12.5px;fill:#222}
svg .series{fill:none;stroke-width:2;stroke-linejoin:round}svg .ref{stroke:#666;stroke-dasharray:5 4;stroke-width:1.3}
svg .ref-label{font-size:12px;fill:#444}svg .bar-label{font-size:12px;fill:#222}svg .empty{font-size:14px;fill:#777}
table{border-collapse:collapse;margin:.5em 0;font-size:.95em}th,td{border:1px solid var(--line);padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}.table-wrap{overflow-x:auto}
.notice{border:1px solid var(--warning);background:#FFF6E0;padding:10px 14px;border-radius:4px}
.proven{color:#00664A;font-weight:700}.not-proven{color:#B34700;font-weight:700}
footer{color:var(--muted);font-size:.85em;margin-top:3em}
@media (max-width:600px){body{font-size:14px}main{padding:10px}dl.kv{grid-template-columns:1fr}dl.kv dd{margin-bottom:4px}}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}.charts{grid-template-columns:1fr 1fr}
.finding,figure,table{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}details>*{display:block}}
)css";

}  // namespace

std::string esc(std::string_view s) { return escape_html(s); }

std::string str(const json& j, const char* key, std::string fallback) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const auto& v = j.at(key);
  return v.is_string() ? v.get<std::string>() : v.is_null() ? fallback : v.dump();
}

std::optional<double> number(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_number()) return std::nullopt;
  return j.at(key).get<double>();
}

// A numeric array; null (how JSON writes NaN and inf) and anything else become NaN.
std::vector<double> numbers(const json& j) {
  std::vector<double> out;
  if (!j.is_array()) return out;
  out.reserve(j.size());
  for (const auto& v : j) out.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
  return out;
}

std::vector<double> numbers(const json& j, const char* key) {
  return j.is_object() && j.contains(key) ? numbers(j.at(key)) : std::vector<double>{};
}

std::string fmt_number(double v) { return std::isfinite(v) ? fmt::format("{:.4g}", v) : "n/a"; }

// Where and evidence values as short text: lists joined by commas, objects as "k v; k v".
std::string plain(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return fmt_number(j.get<double>());
  if (j.is_array()) {
    std::string out;
    std::size_t shown = 0;
    for (const auto& item : j) {
      if (shown == 12) {
        out += fmt::format(", ... ({} in all)", j.size());
        break;
      }
      out += (shown++ ? ", " : "") + plain(item);
    }
    return out;
  }
  if (j.is_object()) {
    std::string out;
    for (const auto& [k, v] : j.items()) out += (out.empty() ? "" : "; ") + k + " " + plain(v);
    return out;
  }
  return j.dump();
}

std::string key_value_list(const json& obj) {
  std::string out = "<dl class=\"kv\">";
  for (const auto& [k, v] : obj.items()) out += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(k), esc(plain(v)));
  return out + "</dl>";
}

std::string figure(const std::string& title, const std::string& svg, const std::string& caption) {
  return fmt::format("<figure><h3>{}</h3>{}<figcaption>{}</figcaption></figure>\n", esc(title), svg, esc(caption));
}

static bool all_positive(const std::vector<Series>& series) {
  bool any = false;
  for (const auto& s : series) {
    for (double v : s.y) {
      if (!std::isfinite(v)) continue;
      if (v <= 0.0) return false;
      any = true;
    }
  }
  return any;
}

// Log when every value is positive and they span more than a factor of 20.
AxisScale auto_scale(const std::vector<Series>& series) {
  if (!all_positive(series)) return AxisScale::Linear;
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (const auto& s : series) {
    for (double v : s.y) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  return hi / lo > 20.0 ? AxisScale::Log : AxisScale::Linear;
}

std::string page_head(const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // Nothing may load or run: the browser refuses (and logs) any request or script.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
      "<title>{}</title><style>{}</style></head><body><main>\n",
      esc(title), kCss);
}

std::string page_foot(const std::string& footer) {
  return fmt::format("<footer>{}</footer>\n</main></body></html>\n", esc(footer));
}

}  // namespace fitcheck::report::html
