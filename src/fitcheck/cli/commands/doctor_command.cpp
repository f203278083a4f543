// fitcheck doctor RUN.json [--format text|json]: the static checks of `check`, then a short
// instrumented run of the user's own training (the probe) read by the training checks. The JSON
// adds a "probe" section: per-step loss, per-epoch history, per-layer gradient, update, dead-unit
// and saturation series, the constant-prediction baseline. With --fix, the findings' repairs
// are composed into RUN.fixed.json, which is trained the same way; before and after are shown
// side by side, for up to --rounds rounds (repair_loop.hpp). --report FILE writes the JSON document
// as a self-contained HTML page with charts (report/html_report.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/cli/commands/memory_size.hpp"
#include "fitcheck/doctor/diagnosis.hpp"
#include "fitcheck/doctor/repair_loop.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/report/findings_render.hpp"
#include "fitcheck/report/html_report.hpp"

namespace fitcheck::cli {

namespace {

struct DoctorOptions {
  std::string run_path;
  std::string format = "text";
  std::string memory;
  std::string report;  // --report FILE: the HTML report
  bool no_probe = false;
  double probe_seconds = 10.0;
  std::int64_t probe_steps = 3000;
  int probe_epochs = 100;
  bool fix = false;
  int rounds = 3;
};

std::string value_or_dash(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : "-"; }

// Before / after, one line per measure, and what each round did.
std::string repair_summary(const std::vector<doctor::RepairRound>& rounds) {
  if (rounds.empty()) return "--fix: nothing to repair automatically.\n";
  std::string out;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const auto& round = rounds[r];
    out += fmt::format("\nRepair round {}: applied {}; wrote {}\n", r + 1, fmt::join(round.applied, ", "),
                       round.fixed_path.string());
    for (const auto& s : round.skipped) out += fmt::format("  not applied: {}\n", s);
    if (!round.diagnosis.probe_skipped.empty()) {
      out += fmt::format("  the fixed run cannot train: {}\n", round.diagnosis.probe_skipped);
    }
    out += fmt::format("  {:<22}{:>12}{:>12}\n", "", "before", "after");
    out += fmt::format("  {:<22}{:>12}{:>12}\n", "loss", value_or_dash(round.before.loss), value_or_dash(round.after.loss));
    if (round.before.val_loss || round.after.val_loss) {
      out += fmt::format("  {:<22}{:>12}{:>12}\n", "val_loss", value_or_dash(round.before.val_loss),
                         value_or_dash(round.after.val_loss));
    }
    if (round.before.accuracy || round.after.accuracy) {
      out += fmt::format("  {:<22}{:>12}{:>12}\n", "accuracy (train rows)", value_or_dash(round.before.accuracy),
                         value_or_dash(round.after.accuracy));
    }
    if (round.before.balanced_accuracy || round.after.balanced_accuracy) {
      out += fmt::format("  {:<22}{:>12}{:>12}   (any constant: {})\n", "balanced accuracy",
                         value_or_dash(round.before.balanced_accuracy), value_or_dash(round.after.balanced_accuracy),
                         value_or_dash(round.after.baseline_balanced_accuracy));
    } else if (round.after.baseline_loss) {
      out += fmt::format("  {:<22}{:>24}\n", "mean-prediction loss", value_or_dash(round.after.baseline_loss));
    }
    std::vector<std::string> remaining;
    for (const auto& f : round.diagnosis.findings) {
      if (f.severity != doctor::Severity::Info) remaining.push_back(f.category);
    }
    out += round.proven ? "  proven: the fixed run beats the baseline and does no worse than before\n"
                        : "  NOT proven: the fixed run does not beat the baseline, or does worse than before\n";
    out += remaining.empty() ? "  no findings remain\n"
                             : fmt::format("  still reported: {}\n", fmt::join(remaining, ", "));
  }
  return out;
}

// The range test's smoothed loss against the rate, as one line of block characters (low = good).
std::string loss_curve(const doctor::LrFinderResult& lf) {
  static const char* blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (lf.losses.empty()) return "";
  double lo = lf.losses.front(), hi = lf.losses.front();
  for (double v : lf.losses) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  std::string line = "loss: ";
  const std::size_t width = std::min<std::size_t>(60, lf.losses.size());
  for (std::size_t c = 0; c < width; ++c) {
    const double v = lf.losses[c * lf.losses.size() / width];
    const int level = hi > lo ? static_cast<int>(std::round(7.0 * (v - lo) / (hi - lo))) : 0;
    line += blocks[std::clamp(level, 0, 7)];
  }
  return line + fmt::format("  (rate {:.0e} … {:.0e})", lf.learning_rates.front(), lf.learning_rates.back());
}

// One paragraph on what the probe did and saw, for the terminal.
std::string probe_summary(const doctor::Diagnosis& d) {
  if (!d.probe) {
    return d.probe_skipped.empty() ? std::string()
                                   : fmt::format("Training probe not run: the run cannot train as it is.\n  {}\n\n",
                                                 d.probe_skipped);
  }
  const auto& p = *d.probe;
  const auto& s = p.signals;
  std::string out = fmt::format("Training probe: {} epoch{}, {} steps in {:.2f} s{} ({}, {} lr {:g})\n", s.epochs,
                                s.epochs == 1 ? "" : "s", s.steps, s.seconds,
                                s.budget_exhausted ? ", stopped by the probe budget" : "", doctor::task_name(p.task),
                                p.optimizer_name, p.learning_rate);
  if (!s.step_loss.empty()) {
    out += fmt::format("  loss {:.4g} at the first step → {:.4g} at the last", s.step_loss.front(), s.step_loss.back());
    if (p.baseline.loss) out += fmt::format(" (predicting the {}: {:.4g})", p.baseline.kind, *p.baseline.loss);
    out += "\n";
  }
  if (s.history.history.count("val_loss") && !s.history.history.at("val_loss").empty()) {
    out += fmt::format("  val_loss {:.4g} at the end, on {}\n", s.history.history.at("val_loss").back(),
                       p.validation_source);
  }
  if (p.final_accuracy) {
    out += fmt::format("  accuracy on the training rows {:.3f}", *p.final_accuracy);
    if (p.baseline.accuracy) out += fmt::format(" (majority class: {:.3f})", *p.baseline.accuracy);
    out += "\n";
  }
  if (d.lr_finder) {
    const auto& lf = *d.lr_finder;
    if (lf.proposed) {
      out += fmt::format("Learning-rate range test ({} steps, rate 1e-06 → 10): loss lowest at {:.3g}; proposed rate {:g}\n",
                         lf.losses.size(), *lf.lowest_at, *lf.proposed);
      out += "  " + loss_curve(lf) + "\n";
    } else {
      out += fmt::format("Learning-rate range test: no proposal ({})\n", lf.note);
    }
  }
  return out + "\n";
}

int run_doctor(const DoctorOptions& opt) {
  auto run = io::load_run_file(opt.run_path);
  doctor::DiagnosisOptions options;
  options.probe = !opt.no_probe;
  options.probe_options.budget = {.max_steps = opt.probe_steps, .max_seconds = opt.probe_seconds};
  options.probe_options.max_epochs = opt.probe_epochs;
  if (!opt.memory.empty()) options.memory_bytes = static_cast<std::uint64_t>(parse_memory_size(opt.memory, "--memory"));
  if (opt.format != "json" && options.probe) std::fprintf(stderr, "fitcheck: static checks, then a training probe...\n");
  const auto d = doctor::diagnose(run, options);
  const auto verdict = doctor::verdict_of(d.findings);
  std::vector<doctor::RepairRound> rounds;
  if (opt.fix) {
    if (opt.format != "json") std::fprintf(stderr, "fitcheck: repairing and training again...\n");
    rounds = doctor::repair_and_retrain(run, d, {.max_rounds = opt.rounds, .diagnosis = options});
  }
  nlohmann::json document;  // the --format json document, also the source of the --report HTML
  if (opt.format == "json" || !opt.report.empty()) {
    nlohmann::json sections = {{"run", opt.run_path}, {"phase", "doctor"}};
    for (const auto& [key, value] : d.overview.items()) sections[key] = value;  // "data", "model"
    if (d.probe) sections["probe"] = d.probe->to_json();
    if (d.lr_finder) sections["lr_finder"] = d.lr_finder->to_json();
    else if (!d.probe_skipped.empty()) sections["probe"] = {{"skipped", d.probe_skipped}};
    if (opt.fix) {
      nlohmann::json rs = nlohmann::json::array();
      for (const auto& r : rounds) rs.push_back(doctor::to_json(r));
      sections["repair"] = {{"rounds", rs}, {"proven", !rounds.empty() && rounds.back().proven}};
    }
    document = report::render_findings_json(d.findings, sections);
  }
  if (!opt.report.empty()) {
    io::write_file_atomically(opt.report, report::render_html_report(document));
    if (opt.format != "json") std::fprintf(stderr, "fitcheck: wrote the report to %s\n", opt.report.c_str());
  }
  if (opt.format == "json") {
    fmt::print("{}\n", document.dump(2));
  } else {
    report::TextStyle style;
    style.colour = report::colour_wanted(fileno(stdout));
    fmt::print("{}{}", probe_summary(d), report::render_findings_text(d.findings, opt.run_path, style));
    // "No problems" then means the static checks only: say that the training side was not seen.
    if (!d.probe && !d.probe_skipped.empty()) {
      fmt::print("(the training probe did not run, so training problems were not looked for)\n");
    }
    if (opt.fix) fmt::print("{}", repair_summary(rounds));
  }
  return doctor::exit_status(verdict);
}

}  // namespace

void register_doctor_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<DoctorOptions>();
  auto* cmd = app.add_subcommand("doctor", "Diagnose a run: the static checks, then a short instrumented training probe.");
  cmd->add_option("run", opt->run_path, "The run file (run.json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--memory", opt->memory, "Memory of the machine that will train, e.g. 16GiB (default: this one)");
  cmd->add_flag("--no-probe", opt->no_probe, "Static checks only (same as `fitcheck check`)");
  cmd->add_option("--report", opt->report, "Also write a self-contained HTML report with charts to this file");
  cmd->add_flag("--fix", opt->fix, "Apply the repairs, write RUN.fixed.json, train it and compare");
  cmd->add_option("--rounds", opt->rounds, "At most this many repair rounds with --fix")
      ->check(CLI::Range(1, 10))->capture_default_str();
  cmd->add_option("--probe-seconds", opt->probe_seconds, "Time budget of the training probe")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--probe-steps", opt->probe_steps, "Step budget of the training probe")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--probe-epochs", opt->probe_epochs, "At most this many of the run's epochs in the probe")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->callback([opt, &action] { action = [opt] { return run_doctor(*opt); }; });
}

}  // namespace fitcheck::cli
