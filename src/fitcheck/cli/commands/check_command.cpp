// fitcheck check RUN.json [--format text|json]: the static diagnosis of a run — data, model and
// configuration — before any training. `fitcheck doctor` (doctor_command.cpp) adds the training probe.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/cli/commands/memory_size.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/report/findings_render.hpp"

namespace fitcheck::cli {

namespace {

struct CheckOptions {
  std::string run_path;
  std::string format = "text";
  std::string phase = "check";
  std::string memory;  // --memory: the machine to check the model against (default: this one)
};

int run_check(const CheckOptions& opt) {
  auto run = io::load_run_file(opt.run_path);
  auto ctx = doctor::build_check_context(run);
  if (!opt.memory.empty()) ctx.memory_bytes = static_cast<std::uint64_t>(parse_memory_size(opt.memory, "--memory"));
  auto findings = doctor::run_checks(ctx);
  const auto verdict = doctor::verdict_of(findings);
  if (opt.format == "json") {
    auto doc = report::render_findings_json(findings, {{"run", opt.run_path}, {"phase", opt.phase}});
    fmt::print("{}\n", doc.dump(2));
  } else {
    report::TextStyle style;
    style.colour = report::colour_wanted(fileno(stdout));
    fmt::print("{}", report::render_findings_text(findings, opt.run_path, style));
  }
  return doctor::exit_status(verdict);
}

}  // namespace

void register_check_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Static diagnosis of a run file: data, model and configuration.");
  cmd->add_option("run", opt->run_path, "The run file (run.json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--memory", opt->memory, "Memory of the machine that will train, e.g. 16GiB (default: this one)");
  cmd->callback([opt, &action] { action = [opt] { return run_check(*opt); }; });
}

}  // namespace fitcheck::cli
