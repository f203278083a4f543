// fitcheck prep fit RUN.json -o pipeline.json      fit the run's preprocessing on its training rows
// fitcheck prep apply pipeline.json DATA -o OUT    apply a saved pipeline to any split (.csv / .npy)
// The fit uses the training rows only: with fit.validation_split, the last fraction (Keras's
// validation rows) is left out of the fit too.
#include <cmath>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/io/dataset.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/prep/pipeline.hpp"
#include "fitcheck/prep/split.hpp"

namespace fitcheck::cli {
namespace {

struct PrepFitOptions {
  std::string run_path;
  std::string out_path;
  std::string format = "text";
};

struct PrepApplyOptions {
  std::string pipeline_path;
  std::string data_path;
  std::string out_path;
  std::string npz_key = "x";
};

core::Table features_of(const io::DataBlock& block) {
  if (block.kind == io::DataBlock::Kind::Table) return block.table;
  auto t = block.array.to_table("x");
  t.set_source(block.source);
  return t;
}

int run_prep_fit(const PrepFitOptions& opt) {
  const auto run = io::load_run_file(opt.run_path);
  const auto data = io::load_dataset(run.train, "train");
  const core::Table all = features_of(data.x);
  const auto indices = prep::validation_split_indices(all.num_rows(), run.fit.validation_split);
  const auto split = prep::split_table(all, indices);

  prep::Pipeline pipeline;
  if (run.preprocess.is_string() && run.preprocess.get<std::string>() == "auto") {
    pipeline = prep::Pipeline::from_plan(prep::plan_auto(split.train.table()));
  } else {
    pipeline = prep::Pipeline::from_json(run.preprocess, opt.run_path + ": /preprocess");
  }
  auto fitted = pipeline.fit(split.train);
  fitted.metadata = {{"run", opt.run_path},
                     {"train", data.x.source},
                     {"target", data.target},
                     {"fitted_rows", split.train.table().num_rows()},
                     {"validation_rows_left_out", split.held_out.num_rows()}};
  if (data.x.kind == io::DataBlock::Kind::Array && data.x.array.shape.rank() > 2) {
    nlohmann::json sample = nlohmann::json::array();
    for (int a = 1; a < data.x.array.shape.rank(); ++a) sample.push_back(data.x.array.shape[a]);
    fitted.metadata["sample_shape"] = sample;
  }
  fitted.save(opt.out_path);

  if (opt.format == "json") {
    fmt::print("{}\n", nlohmann::json{{"pipeline", opt.out_path},
                                      {"fitted_rows", split.train.table().num_rows()},
                                      {"validation_rows_left_out", split.held_out.num_rows()},
                                      {"feature_names_out", fitted.feature_names_out()},
                                      {"decisions", prep::plan_to_json(fitted.decisions())}}
                           .dump(2));
    return 0;
  }
  fmt::print("Fitted on {} training rows of {}", split.train.table().num_rows(), data.x.source);
  if (split.held_out.num_rows() > 0) {
    fmt::print(" ({} validation rows left out, validation_split {})", split.held_out.num_rows(),
               run.fit.validation_split);
  }
  fmt::print(".\n");
  const auto& decisions = fitted.decisions();
  for (std::size_t i = 0; i < decisions.size();) {
    // Runs of columns with the same decision print as one line ("x0 .. x783 (784 columns)").
    std::size_t j = i + 1;
    while (j < decisions.size() && decisions[j].kind == decisions[i].kind && decisions[j].reason == decisions[i].reason) ++j;
    const auto label = j - i > 2 ? fmt::format("{} .. {} ({} columns)", decisions[i].column, decisions[j - 1].column, j - i)
                                 : decisions[i].column;
    for (std::size_t k = i; k < (j - i > 2 ? i + 1 : j); ++k) {
      fmt::print("  {:<24} {:<16} {}\n", k == i ? label : decisions[k].column, prep::auto_kind_name(decisions[k].kind),
                 decisions[k].reason);
    }
    i = j;
  }
  fmt::print("{} features out -> {}\n", fitted.feature_names_out().size(), opt.out_path);
  return 0;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int run_prep_apply(const PrepApplyOptions& opt) {
  const auto fitted = prep::FittedPipeline::load(opt.pipeline_path);
  const std::filesystem::path data_path(opt.data_path);
  const auto ext = data_path.extension().string();
  core::Table table;
  if (ext == ".npy") {
    table = io::read_npy(data_path).to_table("x");
    table.set_source(opt.data_path);
  } else if (ext == ".npz") {
    table = io::read_npz_array(data_path, opt.npz_key).to_table("x");
    table.set_source(opt.data_path);
  } else {
    table = io::read_csv(data_path).table;
  }
  // A labelled file may still hold the target column; it is not a feature.
  const auto target = fitted.metadata.value("target", std::string());
  if (!target.empty() && table.find(target)) table.take(target);

  const auto out = fitted.transform(table);
  const std::filesystem::path out_path(opt.out_path);
  if (out_path.extension() == ".npy") {
    core::Tensor x = out.x;
    if (fitted.metadata.contains("sample_shape")) {  // images go back to their per-sample shape
      std::vector<std::int64_t> dims = {x.dim(0)};
      std::int64_t width = 1;
      for (const auto& v : fitted.metadata["sample_shape"]) {
        dims.push_back(v.get<std::int64_t>());
        width *= v.get<std::int64_t>();
      }
      if (width == x.dim(1)) x.reshape(core::Shape(dims));
    }
    io::write_npy(out_path, x);
  } else if (out_path.extension() == ".csv") {
    io::write_atomically(out_path, [&](std::ostream& os) {
      for (std::size_t j = 0; j < out.feature_names.size(); ++j) os << (j ? "," : "") << csv_field(out.feature_names[j]);
      os << "\n";
      const std::int64_t w = out.x.dim(1);
      std::string line;
      for (std::int64_t i = 0; i < out.x.dim(0); ++i) {
        line.clear();
        for (std::int64_t j = 0; j < w; ++j) {
          if (j) line += ',';
          const float v = out.x[i * w + j];
          if (!std::isnan(v)) line += fmt::format("{}", v);
        }
        line += '\n';
        os << line;
      }
    });
  } else {
    throw core::InputError({.where = opt.out_path, .what = "unknown output format",
                            .expected = "a path ending in .csv or .npy", .got = out_path.extension().string()});
  }
  fmt::print("{} rows x {} features -> {}\n", out.x.dim(0), out.feature_names.size(), opt.out_path);
  return 0;
}

}  // namespace

void register_prep_command(CLI::App& app, CommandAction& action) {
  auto* prep = app.add_subcommand("prep", "Fit preprocessing on the training split, or apply a fitted pipeline.");
  prep->require_subcommand(1);

  auto fit_opt = std::make_shared<PrepFitOptions>();
  auto* fit = prep->add_subcommand("fit", "Fit the run file's preprocessing on its training rows and save it.");
  fit->add_option("run", fit_opt->run_path, "The run file (run.json)")->required()->check(CLI::ExistingFile);
  fit->add_option("-o,--output", fit_opt->out_path, "Where to write the fitted pipeline (JSON)")->required();
  fit->add_option("--format", fit_opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  fit->callback([fit_opt, &action] { action = [fit_opt] { return run_prep_fit(*fit_opt); }; });

  auto apply_opt = std::make_shared<PrepApplyOptions>();
  auto* apply = prep->add_subcommand("apply", "Apply a fitted pipeline to data (.csv, .npy, .npz) and write .csv or .npy.");
  apply->add_option("pipeline", apply_opt->pipeline_path, "A pipeline written by `prep fit`")->required()->check(CLI::ExistingFile);
  apply->add_option("data", apply_opt->data_path, "The data to transform")->required()->check(CLI::ExistingFile);
  apply->add_option("-o,--output", apply_opt->out_path, "Output file: .csv or .npy (float32)")->required();
  apply->add_option("--key", apply_opt->npz_key, "Array name inside an .npz archive");
  apply->callback([apply_opt, &action] { action = [apply_opt] { return run_prep_apply(*apply_opt); }; });
}

}  // namespace fitcheck::cli
