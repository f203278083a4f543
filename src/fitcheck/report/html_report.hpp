#pragma once
// The doctor's report as one self-contained HTML file: inline CSS and inline SVG charts, no
// script, no request leaves the page, so it opens from disk and can be attached to a bug report.
// It is built from the same JSON document `fitcheck doctor --format json` prints, so the two never
// disagree: the verdict and findings first (consequences grouped under their root), then what the
// training probe saw (loss per epoch and per step, gradient RMS and update size per layer, dead and
// saturated units), the learning-rate range test, and before/after of each repair round.

#include <nlohmann/json.hpp>
#include <string>

namespace fitcheck::report {

struct HtmlOptions {
  std::string title = "fitcheck doctor report";
};

// `doctor_document`: {"verdict", "findings", "run"?, "data"?, "model"?, "probe"?, "lr_finder"?,
// "repair"?}. Sections
// that are absent are left out; a probe {"skipped": reason} is shown as a notice.
std::string render_html_report(const nlohmann::json& doctor_document, const HtmlOptions& options = {});

// `fitcheck profile --report`: the data section alone, from the `profile --format json` document.
std::string render_profile_report(const nlohmann::json& profile_document,
                                  const HtmlOptions& options = {.title = "fitcheck profile report"});

}  // namespace fitcheck::report
