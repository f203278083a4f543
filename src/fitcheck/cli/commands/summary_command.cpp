// fitcheck summary MODEL [--input-shape D1,D2,...]: the Keras summary of a model (layers, output
// shapes, parameter counts, totals), as model.summary() prints it. MODEL is a model JSON, a Keras
// .keras / .h5 file or a saved model directory (run/model_file.hpp).
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/run/model_file.hpp"

namespace fitcheck::cli {

namespace {

struct SummaryOptions {
  std::string model_path;
  std::string input_shape;  // "28,28,1": per-sample shape for a model that declares none
};

core::Shape parse_input_shape(const std::string& text) {
  std::vector<std::int64_t> dims = {core::kUnknownDim};
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      std::size_t used = 0;
      const long long v = std::stoll(item, &used);
      if (used != item.size() || v <= 0) throw std::invalid_argument(item);
      dims.push_back(v);
    } catch (const std::exception&) {
      throw core::InputError({.where = "--input-shape", .what = "invalid dimension",
                              .expected = "positive integers separated by commas, e.g. 28,28,1",
                              .got = fmt::format("\"{}\"", item)});
    }
  }
  return core::Shape(dims);
}

int run_summary(const SummaryOptions& opt) {
  std::optional<core::Shape> input_shape;
  if (!opt.input_shape.empty()) input_shape = parse_input_shape(opt.input_shape);
  const auto loaded = run::load_model_file(opt.model_path, input_shape);
  fmt::print("{}", loaded.model.summary());
  return 0;
}

}  // namespace

void register_summary_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<SummaryOptions>();
  auto* cmd = app.add_subcommand("summary", "Keras-style summary of a model: JSON (model.to_json()), .keras, .h5 or a saved model directory.");
  cmd->add_option("model", opt->model_path, "The model: a .json, .keras or .h5 file, or a `fit --out` / ModelCheckpoint directory")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--input-shape", opt->input_shape,
                  "Per-sample input shape for a model that declares none, e.g. 28,28,1");
  cmd->callback([opt, &action] { action = [opt] { return run_summary(*opt); }; });
}

}  // namespace fitcheck::cli
