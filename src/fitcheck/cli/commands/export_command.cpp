// fitcheck export MODEL -o OUT: a trained model — a `fit --out` or ModelCheckpoint directory, or a
// Keras .keras / .h5 file — written in the format OUT's extension names. The writers live in run/
// (keras_export.hpp, onnx_export.hpp); this file only picks one.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/core/quantity_text.hpp"
#include "fitcheck/run/keras_export.hpp"
#include "fitcheck/run/model_file.hpp"
#include "fitcheck/run/onnx_export.hpp"

namespace fitcheck::cli {

namespace {

struct ExportCommandOptions {
  std::string model_path;
  std::string out_path;
};

struct Exporter {
  std::string extension;  // of OUT, lower case
  std::string format;     // for the user
  void (*save)(const std::filesystem::path&, const nn::Sequential&);
};

// One line per output format.
const std::vector<Exporter>& exporters() {
  static const std::vector<Exporter> e = {
      {".keras", "Keras 3", &run::save_keras},
      {".onnx", "ONNX opset 17", &run::save_onnx},
  };
  return e;
}

const Exporter& exporter_for(const std::filesystem::path& out) {
  for (const auto& e : exporters()) {
    if (out.extension() == e.extension) return e;
  }
  std::string supported;
  for (const auto& e : exporters()) supported += (supported.empty() ? "" : ", ") + e.extension + " (" + e.format + ")";
  throw core::InputError({.where = out.string(),
                          .what = "unknown export format",
                          .expected = "an output path ending in " + supported,
                          .got = out.extension().empty() ? std::string("no extension") : out.extension().string()});
}

int run_export(const ExportCommandOptions& opt) {
  const std::filesystem::path out(opt.out_path);
  const Exporter& exporter = exporter_for(out);  // before any work is done
  std::filesystem::path in(opt.model_path);
  if (!std::filesystem::is_directory(in) && in.extension() == ".json") {
    throw core::InputError(
        {.where = opt.model_path,
         .what = "a model JSON holds no trained weights",
         .expected = "a trained model: a `fitcheck fit --out` or ModelCheckpoint directory, or a .keras / .h5 file",
         .hint = "Train it with `fitcheck fit RUN.json --out DIR`, then export DIR."});
  }
  auto loaded = run::load_model_file(in);
  if (!loaded.compile_note.empty()) {
    fmt::print(stderr, "note: exported without compile settings: {}\n", loaded.compile_note);
  }
  exporter.save(out, loaded.model);
  std::size_t layers = 0;
  for (std::size_t i = 0; i < loaded.model.size(); ++i) layers += loaded.model.layer(i).class_name() != "InputLayer";
  fmt::print("{} ({}, {} layers, {} params{}) -> {} ({})\n", opt.model_path, loaded.kind, layers,
             core::with_thousands(loaded.model.count_params()), loaded.model.compiled() ? ", compiled" : "",
             opt.out_path, exporter.format);
  return 0;
}

}  // namespace

void register_export_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<ExportCommandOptions>();
  auto* cmd = app.add_subcommand("export",
                                 "Write a trained model in another format (.keras), chosen by the output's extension.");
  cmd->add_option("model", opt->model_path, "A `fit --out` or ModelCheckpoint directory, or a Keras .keras / .h5 file")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("-o,--output", opt->out_path, "The output file: .keras")->required();
  cmd->callback([opt, &action] { action = [opt] { return run_export(*opt); }; });
}

}  // namespace fitcheck::cli
