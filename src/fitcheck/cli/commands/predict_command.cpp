// fitcheck predict DIR DATA -o OUT: a run saved by `fitcheck fit --out DIR` applied to new data —
// the feature columns picked by name, the saved pipeline (never refitted), the model with its
// trained weights — and the output written as .csv (one column per output unit, plus the class of
// a classifier) or .npy (the raw output tensor), atomically. The logic lives in run/saved_run.hpp.
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/run/saved_run.hpp"

namespace fitcheck::cli {

namespace {

struct PredictCommandOptions {
  std::string dir;
  std::string data_path;
  std::string out_path;
};

int run_predict(const PredictCommandOptions& opt) {
  const std::filesystem::path out(opt.out_path);
  if (out.extension() != ".csv" && out.extension() != ".npy") {  // before any work is done
    throw core::InputError({.where = opt.out_path, .what = "unknown output format",
                            .expected = "a path ending in .csv or .npy",
                            .got = out.extension().empty() ? "no extension" : out.extension().string()});
  }
  auto saved = run::load_saved_run(opt.dir);
  const auto x = run::prepare_inputs(saved, opt.data_path);
  const auto y = saved.model.predict(x, saved.spec.fit.batch_size);
  run::write_predictions(saved, y, out);
  fmt::print("{} rows -> {} ({})\n", x.dim(0), opt.out_path, y.shape().str());
  return 0;
}

}  // namespace

void register_predict_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<PredictCommandOptions>();
  auto* cmd = app.add_subcommand("predict", "Apply a run saved by `fit --out` (pipeline and model) to new data.");
  cmd->add_option("dir", opt->dir, "The directory `fitcheck fit RUN.json --out DIR` wrote")->required();
  cmd->add_option("data", opt->data_path, "The data: a CSV with the feature columns, or a .npy of x")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", opt->out_path, "Output file: .csv or .npy (float32)")->required();
  cmd->callback([opt, &action] { action = [opt] { return run_predict(*opt); }; });
}

}  // namespace fitcheck::cli
