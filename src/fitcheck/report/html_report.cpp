#include "fitcheck/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <vector>

#include "fitcheck/report/data_section.hpp"
#include "fitcheck/report/html_parts.hpp"
#include "fitcheck/report/model_section.hpp"
#include "fitcheck/report/svg_chart.hpp"

namespace fitcheck::report {

namespace {

using nlohmann::json;

using namespace html;

// ---- findings ----

struct FindingContext {
  std::map<std::string, std::vector<int>> applied_in_round;  // code -> rounds (1-based) that applied it
};

std::string render_finding(const json& f, const FindingContext& ctx, const std::vector<const json*>& consequences) {
  const std::string severity = str(f, "severity", "info");
  const std::string code = str(f, "code");
  std::string out = fmt::format("<article class=\"finding {}\">", esc(severity));
  out += fmt::format(
      "<div class=\"head\"><span class=\"sev\">{}</span><span class=\"cat\">{}</span> <span "
      "class=\"code\">({})</span></div>",
      esc(severity), esc(str(f, "category")), esc(code));
  out += fmt::format("<h3>{}</h3>", esc(str(f, "title")));
  if (f.contains("caused_by")) out += fmt::format("<p class=\"meta\">follows from {}</p>", esc(str(f, "caused_by")));
  if (f.contains("where") && !f.at("where").empty()) {
    out += fmt::format("<p><span class=\"label\">Where:</span> {}</p>", esc(plain(f.at("where"))));
  }
  if (f.contains("evidence") && f.at("evidence").is_object() && !f.at("evidence").empty()) {
    out += "<p class=\"label\">Evidence:</p>" + key_value_list(f.at("evidence"));
  }
  if (!str(f, "explanation").empty())
    out += fmt::format("<p><span class=\"label\">Why:</span> {}</p>", esc(str(f, "explanation")));
  if (!str(f, "fix").empty()) out += fmt::format("<p><span class=\"label\">Fix:</span> {}</p>", esc(str(f, "fix")));
  if (auto it = ctx.applied_in_round.find(code); it != ctx.applied_in_round.end()) {
    std::string rounds;
    for (int r : it->second) rounds += (rounds.empty() ? "" : ", ") + std::to_string(r);
    out += fmt::format("<p class=\"applied\">Applied by --fix in round {} (see Repair below).</p>", rounds);
  }
  if (f.contains("repair") && !f.at("repair").is_null()) {
    out += fmt::format("<details><summary>Repair (patch to the run file)</summary><pre>{}</pre></details>",
                       esc(f.at("repair").dump(2)));
  }
  if (!consequences.empty()) {
    out += "<div class=\"consequences\"><p class=\"meta\">Consequences of this finding:</p>";
    for (const auto* c : consequences) out += render_finding(*c, ctx, {});
    out += "</div>";
  }
  return out + "</article>\n";
}

std::string findings_section(const json& doc, const FindingContext& ctx) {
  const json findings = doc.contains("findings") && doc.at("findings").is_array() ? doc.at("findings") : json::array();
  int errors = 0, warnings = 0, infos = 0;
  for (const auto& f : findings) {
    const auto s = str(f, "severity");
    (s == "error" ? errors : s == "warning" ? warnings : infos)++;
  }
  std::string out = "<section id=\"findings\"><h2>Findings</h2>";
  if (findings.empty()) return out + "<p>No problems found.</p></section>\n";
  out += fmt::format("<p>{} error{}, {} warning{}, {} note{}.</p>", errors, errors == 1 ? "" : "s", warnings,
                     warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
  // A consequence goes under the first finding whose code it names; one whose root is absent stays on top.
  std::map<std::string, std::size_t> first_with_code;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].contains("caused_by")) first_with_code.emplace(str(findings[i], "code"), i);
  }
  std::vector<std::vector<const json*>> children(findings.size());
  std::vector<bool> nested(findings.size(), false);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].contains("caused_by")) continue;
    if (auto it = first_with_code.find(str(findings[i], "caused_by")); it != first_with_code.end()) {
      children[it->second].push_back(&findings[i]);
      nested[i] = true;
    }
  }
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!nested[i]) out += render_finding(findings[i], ctx, children[i]);
  }
  return out + "</section>\n";
}

// ---- training probe ----

std::string probe_section(const json& doc) {
  if (!doc.contains("probe") || !doc.at("probe").is_object()) return "";
  const json& p = doc.at("probe");
  std::string out = "<section id=\"training\"><h2>Training probe</h2>";
  if (p.contains("skipped")) {
    return out + fmt::format(
                     "<p class=\"notice\"><strong>Probe skipped:</strong> the run cannot train as it is. {}</p>"
                     "<p>The static findings above say what to change.</p></section>\n",
                     esc(str(p, "skipped")));
  }
  const std::string loss_name = str(p, "loss", "loss");
  const std::string loss_label = fmt::format("loss ({})", loss_name);
  const json baseline = p.contains("baseline") ? p.at("baseline") : json::object();
  const auto baseline_loss = number(baseline, "loss");
  const std::string baseline_label = fmt::format("predicting the {}", str(baseline, "kind", "baseline"));
  out += fmt::format(
      "<p>{} epoch{}, {} steps in {} s{}; {}, optimizer {} at learning rate {}, {} training rows{}.</p>",
      esc(str(p, "epochs")), str(p, "epochs") == "1" ? "" : "s", esc(str(p, "steps")),
      esc(fmt_number(number(p, "seconds").value_or(NAN))),
      p.value("budget_exhausted", false) ? ", stopped by the probe budget" : "", esc(str(p, "task")),
      esc(str(p, "optimizer")), esc(fmt_number(number(p, "learning_rate").value_or(NAN))), esc(str(p, "train_rows")),
      p.contains("validation") && p.at("validation").is_string() ? ", validation on " + esc(str(p, "validation"))
                                                                 : std::string());
  if (p.contains("non_finite") && p.at("non_finite").is_object()) {
    out += fmt::format("<p class=\"notice\"><strong>Non-finite value:</strong> {}</p>",
                       esc(str(p.at("non_finite"), "description")));
  }
  std::string charts;
  std::vector<ReferenceLine> baseline_ref;
  if (baseline_loss) baseline_ref.push_back({.vertical = false, .at = *baseline_loss, .label = baseline_label});

  // Loss per epoch, train and validation; other history keys (metrics) in their own chart.
  const json history = p.contains("history") && p.at("history").is_object() ? p.at("history") : json::object();
  {
    LineChart c{.title = "Loss per epoch", .x = {.label = "epoch"}, .y = {.label = loss_label}};
    for (const char* key : {"loss", "val_loss"}) {
      if (history.contains(key))
        c.series.push_back(
            {.label = key == std::string_view("loss") ? "train" : "validation", .y = numbers(history.at(key))});
    }
    if (!c.series.empty() && !c.series.front().y.empty()) {
      c.references = baseline_ref;
      c.y.scale = auto_scale(c.series);
      c.dots = true;
      charts += figure(c.title, render_line_chart(c),
                       "Both curves should fall well below the dashed baseline; validation rising while training "
                       "falls is overfitting, a flat curve at the baseline means nothing is learnt.");
    }
    LineChart m{.title = "Metrics per epoch", .x = {.label = "epoch"}, .y = {.label = "value"}};
    for (const auto& [key, values] : history.items()) {
      if (key == "loss" || key == "val_loss") continue;
      m.series.push_back({.label = key, .y = numbers(values)});
    }
    if (!m.series.empty()) {
      m.dots = true;
      if (m.series.size() == 1) m.y.label = m.series.front().label;
      if (const auto acc = number(baseline, "accuracy"))
        m.references.push_back({.at = *acc, .label = "majority class accuracy"});
      charts += figure(
          m.title, render_line_chart(m),
          "Metrics should improve epoch by epoch and end clearly above what predicting the majority class scores.");
    }
  }
  // Loss per step.
  if (const auto step_loss = numbers(p, "step_loss"); !step_loss.empty()) {
    LineChart c{.title = "Loss per step", .x = {.label = "step (batch)"}, .y = {.label = loss_label}};
    c.series.push_back({.label = "batch loss", .y = step_loss});
    c.references = baseline_ref;
    c.y.scale = auto_scale(c.series);
    if (p.contains("non_finite") && p.at("non_finite").is_object()) {
      if (const auto step = number(p.at("non_finite"), "step")) {
        c.references.push_back({.vertical = true, .at = *step + 1, .label = "first non-finite value"});
      }
    }
    charts +=
        figure(c.title, render_line_chart(c),
               "Look for a steady fall: spikes or a climb mean the steps are too large; gaps are NaN or inf losses.");
  }
  // Per-layer series.
  const json layers = p.contains("layers") && p.at("layers").is_array() ? p.at("layers") : json::array();
  LineChart grad{.title = "Gradient RMS per layer",
                 .x = {.label = "step (batch)"},
                 .y = {.label = "gradient RMS", .scale = AxisScale::Log}};
  LineChart update{.title = "Weight update per layer and epoch",
                   .x = {.label = "epoch"},
                   .y = {.label = "update / weight (RMS ratio)", .scale = AxisScale::Log}};
  LineChart units{.title = "Dead and saturated units",
                  .x = {.label = "epoch"},
                  .y = {.label = "units (%)", .min = 0.0, .max = 100.0}};
  for (const auto& l : layers) {
    const std::string name = str(l, "name", "layer");
    if (auto g = numbers(l, "grad_rms"); !g.empty()) grad.series.push_back({.label = name, .y = std::move(g)});
    if (auto u = numbers(l, "update_ratio"); !u.empty()) update.series.push_back({.label = name, .y = std::move(u)});
    for (const auto& [key, what] : {std::pair{"dead_share", "dead"}, std::pair{"saturated_share", "saturated"}}) {
      auto v = numbers(l, key);
      if (v.empty()) continue;
      for (auto& x : v) x *= 100.0;
      units.series.push_back({.label = fmt::format("{} ({})", name, what), .y = std::move(v)});
    }
  }
  if (!grad.series.empty()) {
    charts += figure(grad.title, render_line_chart(grad),
                     "Lines should stay within a few orders of magnitude of each other and roughly level: early layers "
                     "far below later ones is a vanishing gradient, a steep climb an exploding one.");
  }
  if (!update.series.empty()) {
    update.dots = true;
    charts += figure(update.title, render_line_chart(update),
                     "How much each layer's weights move per epoch relative to their size: about 1e-3 is healthy, "
                     "far below means the layer does not learn, near 1 or above means the steps are too large.");
  }
  if (!units.series.empty()) {
    units.dots = true;
    charts +=
        figure(units.title, render_line_chart(units),
               "Share of ReLU units that never fire (dead) and of sigmoid/tanh units at their limits (saturated); "
               "above about 50% the layer works with a fraction of its width.");
  }
  if (!charts.empty()) out += "<div class=\"charts\">" + charts + "</div>";
  return out + "</section>\n";
}

// ---- learning-rate range test ----

std::string lr_finder_section(const json& doc) {
  if (!doc.contains("lr_finder") || !doc.at("lr_finder").is_object()) return "";
  const json& lf = doc.at("lr_finder");
  std::string out = "<section id=\"lr-finder\"><h2>Learning-rate range test</h2>";
  const auto proposed = number(lf, "proposed");
  const auto lowest = number(lf, "lowest_at");
  out += proposed
             ? fmt::format("<p>The loss was lowest at rate {}; proposed learning rate: <strong>{}</strong>.</p>",
                           esc(fmt_number(lowest.value_or(NAN))), esc(fmt_number(*proposed)))
             : fmt::format("<p>No proposal{}.</p>", lf.contains("note") ? ": " + esc(str(lf, "note")) : std::string());
  LineChart c{.title = "Loss against learning rate",
              .x = {.label = "learning rate", .scale = AxisScale::Log},
              .y = {.label = "smoothed loss"}};
  c.series.push_back({.label = "loss", .x = numbers(lf, "learning_rates"), .y = numbers(lf, "losses")});
  c.y.scale = auto_scale(c.series);
  if (lowest) c.references.push_back({.vertical = true, .at = *lowest, .label = "lowest loss"});
  if (proposed) c.references.push_back({.vertical = true, .at = *proposed, .label = "proposed"});
  if (doc.contains("probe") && doc.at("probe").is_object()) {
    if (const auto current = number(doc.at("probe"), "learning_rate")) {
      c.references.push_back({.vertical = true, .at = *current, .label = "configured"});
    }
  }
  if (!c.series.front().y.empty()) {
    out += "<div class=\"charts\">" +
           figure(c.title, render_line_chart(c),
                  "Rates are tried from small to large on the model's initial weights: a good rate sits on the "
                  "falling slope, about ten times below the minimum; right of the minimum the loss blows up.") +
           "</div>";
  }
  return out + "</section>\n";
}

// ---- repair ----

std::string repair_section(const json& doc) {
  if (!doc.contains("repair") || !doc.at("repair").is_object()) return "";
  const json& rep = doc.at("repair");
  const json rounds = rep.contains("rounds") && rep.at("rounds").is_array() ? rep.at("rounds") : json::array();
  std::string out = "<section id=\"repair\"><h2>Repair (--fix)</h2>";
  if (rounds.empty()) return out + "<p>Nothing to repair automatically.</p></section>\n";
  struct Measure {
    const char* key;
    const char* label;
  };
  static constexpr Measure kMeasures[] = {{"loss", "loss"},
                                          {"val_loss", "val_loss"},
                                          {"accuracy", "accuracy (train rows)"},
                                          {"balanced_accuracy", "balanced accuracy"},
                                          {"baseline_balanced_accuracy", "balanced accuracy of any constant"},
                                          {"baseline_loss", "loss of the best constant"}};
  BarChart loss{
      .title = "Loss before and after repair", .x_label = "repair round", .y = {.label = "final training loss"}};
  BarChart acc{.title = "Balanced accuracy before and after repair",
               .x_label = "repair round",
               .y = {.label = "balanced accuracy", .min = 0.0, .max = 1.0}};
  loss.series = {{.label = "before"}, {.label = "after"}};
  acc.series = {{.label = "before"}, {.label = "after"}};
  std::optional<double> baseline_loss, baseline_bacc;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const json& round = rounds[r];
    const json before = round.contains("before") ? round.at("before") : json::object();
    const json after = round.contains("after") ? round.at("after") : json::object();
    const bool proven = round.value("proven", false);
    std::string applied;
    if (round.contains("applied") && round.at("applied").is_array()) applied = plain(round.at("applied"));
    out += fmt::format("<h3>Round {}: applied {} — <span class=\"{}\">{}</span></h3>", r + 1,
                       esc(applied.empty() ? std::string("nothing") : applied), proven ? "proven" : "not-proven",
                       proven ? "proven" : "NOT proven");
    out += fmt::format("<p class=\"meta\">{}</p>",
                       proven ? "The fixed run beats the constant baseline and the run before it."
                              : "The fixed run does not beat the baseline, or does worse than before.");
    if (round.contains("fixed_run")) out += fmt::format("<p>Wrote <code>{}</code>.</p>", esc(str(round, "fixed_run")));
    if (round.contains("probe_skipped")) {
      out += fmt::format("<p class=\"notice\">The fixed run cannot train: {}</p>", esc(str(round, "probe_skipped")));
    }
    out +=
        "<div class=\"table-wrap\"><table><thead><tr><th>measure</th><th>before</th><th>after</th></tr></thead><tbody>";
    for (const auto& m : kMeasures) {
      const auto b = number(before, m.key), a = number(after, m.key);
      if (!b && !a) continue;
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", m.label, b ? esc(fmt_number(*b)) : "-",
                         a ? esc(fmt_number(*a)) : "-");
    }
    out += "</tbody></table></div>";
    for (const auto& s : round.value("skipped", json::array()))
      out += fmt::format("<p>Not applied: {}</p>", esc(plain(s)));
    const json remaining = round.value("remaining", json::array());
    if (remaining.empty()) {
      out += "<p>No warnings or errors remain.</p>";
    } else {
      out += "<p>Still reported:</p><ul>";
      for (const auto& f : remaining) {
        out += fmt::format("<li><span class=\"cat\">{}</span> ({}): {}</li>", esc(str(f, "category")),
                           esc(str(f, "code")), esc(str(f, "title")));
      }
      out += "</ul>";
    }
    const std::string group = fmt::format("round {}", r + 1);
    loss.groups.push_back(group);
    acc.groups.push_back(group);
    loss.series[0].y.push_back(number(before, "loss").value_or(NAN));
    loss.series[1].y.push_back(number(after, "loss").value_or(NAN));
    acc.series[0].y.push_back(number(before, "balanced_accuracy").value_or(NAN));
    acc.series[1].y.push_back(number(after, "balanced_accuracy").value_or(NAN));
    if (!baseline_loss) baseline_loss = number(after, "baseline_loss");
    if (!baseline_bacc) baseline_bacc = number(after, "baseline_balanced_accuracy");
  }
  std::string charts;
  // The loss per epoch of the first run and of each fixed run, on the same axes.
  {
    LineChart curves{.title = "Loss per epoch, before and after repair", .x = {.label = "epoch"},
                     .y = {.label = "loss"}};
    const json first = doc.contains("probe") && doc.at("probe").is_object() && doc.at("probe").contains("history")
                           ? doc.at("probe").at("history")
                           : json::object();
    if (const auto l = numbers(first, "loss"); !l.empty()) curves.series.push_back({.label = "before: train", .y = l});
    if (const auto l = numbers(first, "val_loss"); !l.empty()) curves.series.push_back({.label = "before: validation", .y = l});
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      const json h = rounds[r].contains("history") ? rounds[r].at("history") : json::object();
      if (const auto l = numbers(h, "loss"); !l.empty())
        curves.series.push_back({.label = fmt::format("round {}: train", r + 1), .y = l});
      if (const auto l = numbers(h, "val_loss"); !l.empty())
        curves.series.push_back({.label = fmt::format("round {}: validation", r + 1), .y = l});
    }
    if (curves.series.size() >= 2) {
      curves.y.scale = auto_scale(curves.series);
      curves.dots = true;
      if (baseline_loss) curves.references.push_back({.at = *baseline_loss, .label = "best constant prediction"});
      charts += figure(curves.title, render_line_chart(curves),
                       "The repaired run's curves should fall lower and faster than the first run's, and end below the "
                       "dashed constant-prediction line.");
    }
  }
  std::vector<Series> all_loss = loss.series;
  if (baseline_loss) all_loss.push_back({.y = {*baseline_loss}});
  loss.y.scale = auto_scale(all_loss);
  if (baseline_loss) loss.references.push_back({.at = *baseline_loss, .label = "best constant prediction"});
  charts += figure(loss.title, render_bar_chart(loss),
                   "The after bar should be lower than the before bar and below the dashed constant-prediction line.");
  const bool any_acc =
      std::any_of(acc.series[1].y.begin(), acc.series[1].y.end(), [](double v) { return std::isfinite(v); });
  if (any_acc) {
    if (baseline_bacc) acc.references.push_back({.at = *baseline_bacc, .label = "any constant prediction"});
    charts +=
        figure(acc.title, render_bar_chart(acc),
               "Balanced accuracy averages the recall of each class, so predicting one class scores 1/K (dashed): "
               "the after bar should be well above it.");
  }
  return out + "<div class=\"charts\">" + charts + "</div></section>\n";
}

}  // namespace

std::string render_html_report(const nlohmann::json& doc, const HtmlOptions& options) {
  FindingContext ctx;
  if (doc.contains("repair") && doc.at("repair").is_object() && doc.at("repair").contains("rounds")) {
    int r = 0;
    for (const auto& round : doc.at("repair").at("rounds")) {
      ++r;
      for (const auto& code : round.value("applied", json::array())) {
        if (code.is_string()) ctx.applied_in_round[code.get<std::string>()].push_back(r);
      }
    }
  }
  const std::string verdict = str(doc, "verdict", "ok");
  const std::string run = str(doc, "run");
  std::string out = page_head(options.title + (run.empty() ? std::string() : ": " + run));
  out += fmt::format("<header><h1>{}</h1>", esc(options.title));
  if (!run.empty()) out += fmt::format("<p class=\"meta\">Run file: <code>{}</code></p>", esc(run));
  const std::string_view verdict_text = verdict == "fail" ? "FAIL: training cannot run or cannot succeed as configured"
                                        : verdict == "warn" ? "WARN: likely problems found"
                                                            : "OK: no problems found";
  out += fmt::format("<p>Verdict: <span class=\"verdict {}\">{}</span></p></header>\n",
                     esc(verdict == "fail" || verdict == "warn" ? verdict : "ok"), esc(verdict_text));
  out += findings_section(doc, ctx);
  if (doc.contains("data")) out += render_data_section(doc.at("data"));
  if (doc.contains("model")) out += render_model_section(doc.at("model"));
  out += probe_section(doc);
  out += lr_finder_section(doc);
  out += repair_section(doc);
  out += page_foot(fmt::format("Written by fitcheck doctor (report format {}). Self-contained: no scripts, no "
                               "network requests.",
                               str(doc, "version", "1")));
  return out;
}

std::string render_profile_report(const nlohmann::json& profile, const HtmlOptions& options) {
  const std::string source = str(profile, "source");
  std::string out = page_head(options.title + (source.empty() ? std::string() : ": " + source));
  out += fmt::format("<header><h1>{}</h1>", esc(options.title));
  if (!source.empty()) out += fmt::format("<p class=\"meta\">Data: <code>{}</code></p>", esc(source));
  out += "</header>\n";
  out += render_data_section(json{{"train", profile}}, "Data");
  out += page_foot("Written by fitcheck profile. Self-contained: no scripts, no network requests.");
  return out;
}

}  // namespace fitcheck::report
