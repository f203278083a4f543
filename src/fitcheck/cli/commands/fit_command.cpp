// fitcheck fit RUN.json [--out DIR]: the run as the run file describes it — data loaded, the
// preprocessing fitted on the training rows only, the model built and compiled, trained with
// Keras-style progress, scored on the test split when there is one. With --out, the fitted
// pipeline, the model (config and weights), history.csv and the run file are written to DIR,
// each atomically.
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"

namespace fitcheck::cli {

namespace {

struct FitCommandOptions {
  std::string run_path;
  std::string out_dir;
  int epochs = 0;  // 0: the run file's
};

std::string history_csv(const nn::History& h) {
  std::ostringstream out;
  out << "epoch";
  for (const auto& k : h.keys) out << ',' << k;
  out << '\n';
  for (std::size_t e = 0; e < h.epoch.size(); ++e) {
    out << h.epoch[e];
    for (const auto& k : h.keys) {
      const auto& v = h.history.at(k);
      out << ',' << (e < v.size() ? fmt::format("{:.9g}", v[e]) : std::string());
    }
    out << '\n';
  }
  return out.str();
}

void write_outputs(const std::filesystem::path& dir, const io::RunSpec& spec, const run::RunData& data,
                   nn::Sequential& model, const nn::History& history) {
  std::filesystem::create_directories(dir / "weights");
  io::write_file_atomically(dir / "history.csv", history_csv(history));
  io::write_file_atomically(dir / "model.json", model.to_config().dump(1) + "\n");
  const auto weights = model.get_weights();
  for (std::size_t i = 0; i < weights.size(); ++i) {
    io::write_npy(dir / "weights" / fmt::format("{:03d}.npy", i), weights[i]);
  }
  if (data.pipeline) data.pipeline->save(dir / "pipeline.json");
  io::write_file_atomically(dir / "run.json", spec.document.dump(2) + "\n");
}

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
    write_outputs(opt.out_dir, spec, data, model, history);
    fmt::print("wrote {}\n", opt.out_dir);
  }
  return 0;
}

}  // namespace

void register_fit_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<FitCommandOptions>();
  auto* cmd = app.add_subcommand("fit", "Train a run file's model on its data, Keras-style.");
  cmd->add_option("run", opt->run_path, "The run file (run.json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", opt->out_dir, "Write the model, weights, pipeline, history.csv and run.json here");
  cmd->add_option("--epochs", opt->epochs, "Override the run file's epochs")->check(CLI::PositiveNumber);
  cmd->callback([opt, &action] { action = [opt] { return run_fit(*opt); }; });
}

}  // namespace fitcheck::cli
