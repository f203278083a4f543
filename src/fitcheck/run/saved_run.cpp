#include "fitcheck/run/saved_run.hpp"

#include <cmath>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/io/dataset.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "fitcheck/run/saved_model.hpp"

namespace fitcheck::run {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kColumnsFormat = "fitcheck-columns";
constexpr const char* kSavedBy = "Train again with `fitcheck fit RUN.json --out DIR` to write it.";

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  q.reserve(names.size());
  for (const auto& n : names) q.push_back(fmt::format("\"{}\"", n));
  return fmt::format("{}", fmt::join(q, ", "));
}

void require_run_file(const fs::path& path, const fs::path& dir) {
  if (fs::is_regular_file(path)) return;
  throw core::InputError({.where = path.string(),
                          .what = fs::is_directory(dir) ? "no such file in the run directory"
                                                        : "the run directory does not exist",
                          .expected = "a directory written by `fitcheck fit RUN.json --out DIR` (model.json, "
                                      "weights/, run.json)",
                          .hint = kSavedBy});
}

json columns_document(const io::RunSpec& spec, const RunData& data) {
  const bool table = spec.train.kind == io::DataSource::Kind::Csv;
  std::vector<std::string> features;
  if (table) {
    if (data.pipeline) {
      for (const auto& in : data.pipeline->feature_names_in()) features.push_back(in.name);
    } else {
      features = data.feature_names;
    }
  }
  return {{"format", kColumnsFormat},
          {"version", kColumnsFormatVersion},
          {"input", table ? "table" : "array"},
          {"features", features},
          {"target", table ? spec.train.target : std::string()},
          {"label_classes", data.label_classes}};
}

void read_columns(SavedRun& run, const fs::path& path) {
  const json doc = io::read_json_file(path);
  try {
    if (!doc.is_object() || doc.value("format", std::string()) != kColumnsFormat) {
      throw core::InputError({.where = path.string(), .what = "not a columns file written by `fitcheck fit --out`",
                              .expected = fmt::format("{{\"format\": \"{}\", ...}}", kColumnsFormat),
                              .hint = kSavedBy});
    }
    const int version = doc.at("version").get<int>();
    if (version > kColumnsFormatVersion) {
      throw core::InputError({.where = path.string() + ": /version", .what = "written by a newer fitcheck",
                              .expected = fmt::format("version {} or lower", kColumnsFormatVersion),
                              .got = std::to_string(version)});
    }
    run.table_input = doc.at("input").get<std::string>() == "table";
    run.feature_columns = doc.at("features").get<std::vector<std::string>>();
    run.target = doc.at("target").get<std::string>();
    run.label_classes = doc.at("label_classes").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    throw core::InputError({.where = path.string(), .what = fmt::format("malformed columns file: {}", e.what()),
                            .hint = kSavedBy});
  }
}

void classify_output(SavedRun& run, const std::string& run_name) {
  const core::Shape in = *run.model.input_shape();
  const auto shapes = run.model.infer_shapes(in);
  const core::Shape out = shapes.empty() ? in : shapes.back();
  run.output_units = out.without_batch().num_elements();
  if (run.spec.loss.is_null()) return;
  const auto loss = nn::make_loss(run.spec.loss, run_name + ": /compile/loss");
  const std::string name = loss->name();
  run.from_logits = loss->get_config().value("from_logits", false);
  // Class outputs: probabilities or logits of one class, or scores of K classes. (Hinge margins
  // are left as values: their labels may be -1/1, which label_classes does not record.)
  const bool binary = name == "binary_crossentropy" || name == "binary_focal_crossentropy";
  const bool classes = name == "categorical_crossentropy" || name == "sparse_categorical_crossentropy" ||
                       name == "categorical_focal_crossentropy" || name == "categorical_generalized_cross_entropy" ||
                       name == "categorical_hinge";
  if (binary && run.output_units == 1) {
    run.output_kind = OutputKind::Binary;
  } else if (classes && out.rank() == 2 && run.output_units > 1) {
    run.output_kind = OutputKind::Classes;
  }
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

bool fits(const core::Shape& expected, const core::Shape& got) {
  if (expected.rank() != got.rank()) return false;
  for (int a = 0; a < expected.rank(); ++a) {
    if (expected[a] >= 0 && expected[a] != got[a]) return false;
  }
  return true;
}

}  // namespace

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

void save_run(const fs::path& dir, const io::RunSpec& spec, const RunData& data, const nn::Sequential& model,
              const nn::History& history) {
  save_model(dir, model);
  io::write_file_atomically(dir / "history.csv", history_csv(history));
  if (data.pipeline) {
    data.pipeline->save(dir / "pipeline.json");
  } else {
    fs::remove(dir / "pipeline.json");
  }
  io::write_file_atomically(dir / "columns.json", columns_document(spec, data).dump(2) + "\n");
  io::write_file_atomically(dir / "run.json", spec.document.dump(2) + "\n");
}

SavedRun load_saved_run(const fs::path& dir) {
  const fs::path run_path = dir / "run.json", model_path = dir / "model.json";
  require_run_file(run_path, dir);
  require_run_file(model_path, dir);
  const std::string run_name = run_path.string();
  auto spec = io::parse_run_spec(io::read_json_file(run_path), run_name, dir);
  SavedRun run{.dir = dir, .spec = std::move(spec), .model = load_model(dir)};
  if (fs::exists(dir / "pipeline.json")) run.pipeline = prep::FittedPipeline::load(dir / "pipeline.json");
  if (fs::exists(dir / "columns.json")) {
    read_columns(run, dir / "columns.json");
  } else {  // written before columns.json existed: what the run file and the pipeline still say
    run.table_input = run.spec.train.kind == io::DataSource::Kind::Csv;
    run.feature_columns = run.spec.train.features;
    run.target = run.spec.train.target;
  }
  if (run.table_input && run.pipeline) {  // the pipeline's inputs are the authority on the columns
    run.feature_columns.clear();
    for (const auto& in : run.pipeline->feature_names_in()) run.feature_columns.push_back(in.name);
  }
  classify_output(run, run_name);
  return run;
}

core::Tensor prepare_inputs(const SavedRun& run, const fs::path& data) {
  const std::string name = data.string();
  const std::string ext = data.extension().string();
  const core::Shape sample = run.model.input_shape()->without_batch();
  if (ext == ".npz") {
    throw core::InputError({.where = name, .what = "an .npz archive cannot be predicted on directly",
                            .expected = "a .csv file or a .npy file of x",
                            .hint = "Save the array of features alone with numpy.save(\"x.npy\", x)."});
  }
  io::DataBlock block;
  if (ext == ".npy") {
    if (run.table_input && run.pipeline) {
      throw core::InputError({.where = name, .what = "the run's pipeline takes CSV columns, not an array",
                              .expected = fmt::format("a CSV file with the columns {}", quoted_list(run.feature_columns))});
    }
    io::DataSource source;
    source.kind = io::DataSource::Kind::Npy;
    source.where = (run.dir / "run.json").string() + ": /data/train";
    source.x = data;
    source.reshape = run.spec.train.reshape;
    block = std::move(io::load_dataset(source, "predict").x);
  } else {
    if (!run.table_input) {
      throw core::InputError({.where = name, .what = "the run trained on arrays, not on CSV columns",
                              .expected = fmt::format("a .npy file of x with samples of shape {}", sample.str())});
    }
    if (run.feature_columns.empty()) {
      throw core::InputError({.where = (run.dir / "columns.json").string(),
                              .what = "the run directory does not say which columns the model's input came from",
                              .hint = kSavedBy});
    }
    core::Table table = io::read_csv(data).table;
    table.set_source(name);
    std::vector<std::string> missing;
    for (const auto& c : run.feature_columns) {
      if (!table.find(c)) missing.push_back(c);
    }
    if (!missing.empty()) {
      const auto near = core::nearest_name(missing.front(), table.column_names());
      throw core::InputError(
          {.where = name,
           .what = fmt::format("no feature column{} named {}", missing.size() == 1 ? "" : "s", quoted_list(missing)),
           .expected = fmt::format("the columns the run trained on: {}", quoted_list(run.feature_columns)),
           .hint = near ? fmt::format("Did you mean \"{}\"?", *near)
                        : std::string("The target and any other columns may be there too; they are ignored.")});
    }
    block.kind = io::DataBlock::Kind::Table;
    block.source = name;
    block.table = table.select(run.feature_columns);
    block.table.set_source(name);
  }
  core::Tensor x = prepare_features(block, run.pipeline ? &*run.pipeline : nullptr);
  const core::Shape got = x.rank() == 0 ? core::Shape{} : x.shape().without_batch();
  if (x.rank() == 0 || !fits(sample, got)) {
    std::string hint = "Give the data in the form the run trained on.";
    if (!run.spec.train.reshape.empty() && block.kind == io::DataBlock::Kind::Array) {
      hint = fmt::format("The run file's /data/train/reshape [{}] was applied first.",
                         fmt::join(run.spec.train.reshape, ", "));
    } else if (block.kind == io::DataBlock::Kind::Table) {
      hint = "The feature columns do not give the number of inputs the model takes.";
    }
    throw core::InputError({.where = name, .what = "the samples do not fit the model's input",
                            .expected = fmt::format("samples of shape {} (model.json)", sample.str()),
                            .got = fmt::format("{}, {} per sample", x.shape().str(), got.str()),
                            .hint = hint});
  }
  return x;
}

std::vector<std::string> prediction_columns(const SavedRun& run) {
  std::vector<std::string> columns;
  if (run.output_units == 1) {
    columns.emplace_back("prediction");
  } else {
    const char* prefix = run.output_kind == OutputKind::Classes ? "p" : "prediction";
    for (std::int64_t k = 0; k < run.output_units; ++k) columns.push_back(fmt::format("{}{}", prefix, k));
  }
  if (run.output_kind != OutputKind::Values) columns.emplace_back("class");
  return columns;
}

std::vector<std::string> predicted_classes(const SavedRun& run, const core::Tensor& output) {
  std::vector<std::string> classes;
  if (run.output_kind == OutputKind::Values || output.rank() == 0) return classes;
  const std::int64_t n = output.dim(0);
  const std::int64_t per = n == 0 ? 0 : output.size() / n;
  auto label = [&](std::size_t k) { return k < run.label_classes.size() ? run.label_classes[k] : std::to_string(k); };
  classes.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = output.data() + i * per;
    bool finite = per > 0;
    std::size_t best = 0;
    for (std::int64_t k = 0; k < per; ++k) {
      finite = finite && std::isfinite(row[k]);
      if (row[k] > row[best]) best = static_cast<std::size_t>(k);
    }
    if (!finite) {
      classes.emplace_back();
    } else if (run.output_kind == OutputKind::Binary) {
      classes.push_back(label(row[0] >= (run.from_logits ? 0.0f : 0.5f) ? 1 : 0));
    } else {
      classes.push_back(label(best));
    }
  }
  return classes;
}

void write_predictions(const SavedRun& run, const core::Tensor& output, const fs::path& out) {
  const std::string ext = out.extension().string();
  if (ext == ".npy") {
    io::write_npy(out, output);
    return;
  }
  if (ext != ".csv") {
    throw core::InputError({.where = out.string(), .what = "unknown output format",
                            .expected = "a path ending in .csv or .npy", .got = ext.empty() ? "no extension" : ext});
  }
  const auto columns = prediction_columns(run);
  const auto classes = predicted_classes(run, output);
  const std::int64_t n = output.rank() == 0 ? 0 : output.dim(0);
  const std::int64_t per = n == 0 ? 0 : output.size() / n;
  io::write_atomically(out, [&](std::ostream& os) {
    for (std::size_t j = 0; j < columns.size(); ++j) os << (j ? "," : "") << csv_field(columns[j]);
    os << '\n';
    std::string line;
    for (std::int64_t i = 0; i < n; ++i) {
      line.clear();
      for (std::int64_t k = 0; k < per; ++k) {
        if (k) line += ',';
        const float v = output[i * per + k];
        if (!std::isnan(v)) line += fmt::format("{}", v);  // shortest text that reads back as the same float
      }
      if (!classes.empty()) line += ',' + csv_field(classes[static_cast<std::size_t>(i)]);
      line += '\n';
      os << line;
    }
  });
}

}  // namespace fitcheck::run
