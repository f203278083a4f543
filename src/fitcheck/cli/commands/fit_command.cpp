// fitcheck fit RUN.json [--out DIR]: the run as the run file describes it — data loaded, the
// preprocessing fitted on the training rows only, the model built and compiled, trained with
// Keras-style progress, scored on the test split when there is one. With --out, the fitted
// pipeline, the model (config and weights), columns.json, history.csv and the run file are
// written to DIR, each atomically (run/saved_run.hpp); `fitcheck predict DIR` reads them back.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"
#include "fitcheck/run/saved_run.hpp"

namespace fitcheck::cli {

namespace {

struct FitCommandOptions {
  std::string run_path;
  std::string out_dir;
  int epochs = 0;  // 0: the run file's
};

int run_fit(const FitCommandOptions& opt) {
  auto spec = io::load_run_file(opt.run_path);
  if (opt.epochs > 0) spec.fit.epochs = opt.epochs;
  auto data = run::prepare_run_data(spec);
  auto model = run::build_run_model(spec);
  auto options = run::fit_options(spec, data);
  auto history = model.fit(data.train.x, data.train.y, options);
  if (data.test) {
    auto logs = model.evaluate(data.test->x, data.test->y, spec.fit.batch_size);
    std::string line;
    for (const auto& [k, v] : logs.items()) line += fmt::format(" - test_{}: {:.4f}", k, v);
    fmt::print("test:{}\n", line);
  }
  if (!opt.out_dir.empty()) {
    run::save_run(opt.out_dir, spec, data, model, history);
    fmt::print("wrote {}\n", opt.out_dir);
  }
  return 0;
}

}  // namespace

void register_fit_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<FitCommandOptions>();
  auto* cmd = app.add_subcommand("fit", "Train a run file's model on its data, Keras-style.");
  cmd->add_option("run", opt->run_path, "The run file (run.json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", opt->out_dir, "Write the model, weights, pipeline, columns.json, history.csv and run.json here");
  cmd->add_option("--epochs", opt->epochs, "Override the run file's epochs")->check(CLI::PositiveNumber);
  cmd->callback([opt, &action] { action = [opt] { return run_fit(*opt); }; });
}

}  // namespace fitcheck::cli
