#include "fitcheck/io/run_file.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/run_model.hpp"

namespace fitcheck::io {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    case json::value_t::number_float: return "a number";
    default: return "an integer";
  }
}

// Walks the document, naming the source file and the JSON path in every error.
class Validator {
 public:
  explicit Validator(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, std::string what, std::string expected = {},
                         std::string got = {}, std::string hint = {}) const {
    throw core::ConfigError({.where = fmt::format("{}: {}", source_, path.empty() ? "/" : path),
                             .what = std::move(what),
                             .expected = std::move(expected),
                             .got = std::move(got),
                             .hint = std::move(hint)});
  }

  [[noreturn]] void wrong_type(const std::string& path, const std::string& expected, const json& got) const {
    fail(path, "wrong value", expected, fmt::format("{} {}", type_name(got), json_excerpt(got)));
  }

  const json& object(const json& v, const std::string& path) const {
    if (!v.is_object()) wrong_type(path, "an object", v);
    return v;
  }

  // Every key must be one of `allowed`; a misspelt key gets the nearest allowed name.
  void only_keys(const json& obj, const std::string& path, std::initializer_list<const char*> allowed) const {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& [key, value] : obj.items()) {
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      auto near = core::nearest_name(key, names);
      fail(path + "/" + key, fmt::format("unknown key \"{}\"", key), {}, {},
           near ? fmt::format("Did you mean \"{}\"?", *near)
                : fmt::format("The keys allowed here are: {}.", fmt::join(names, ", ")));
    }
  }

  std::string string(const json& v, const std::string& path) const {
    if (!v.is_string()) wrong_type(path, "a string", v);
    return v.get<std::string>();
  }

  std::int64_t positive_int(const json& v, const std::string& path, std::int64_t min = 1) const {
    const std::string expected = min > 0 ? "a positive integer" : "a non-negative integer";
    if (v.is_number_integer()) {
      auto i = v.get<std::int64_t>();
      if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(path, "value out of range", expected, json_excerpt(v));
      }
      if (i < min) fail(path, "value out of range", expected, json_excerpt(v));
      return i;
    }
    if (v.is_number_float()) {
      double d = v.get<double>();
      if (std::isfinite(d) && d == std::floor(d) && d >= static_cast<double>(min) && d < 9.2e18) {
        return static_cast<std::int64_t>(d);
      }
    }
    wrong_type(path, expected, v);
  }

  double number(const json& v, const std::string& path) const {
    if (!v.is_number()) wrong_type(path, "a number", v);
    return v.get<double>();
  }

  bool boolean(const json& v, const std::string& path) const {
    if (!v.is_boolean()) wrong_type(path, "true or false", v);
    return v.get<bool>();
  }

  std::filesystem::path file(const json& v, const std::string& path, const std::filesystem::path& base) const {
    auto s = string(v, path);
    if (s.empty()) fail(path, "empty path", "a file name", "\"\"");
    std::filesystem::path p(s);
    return p.is_absolute() ? p : base / p;
  }

  const std::string& source() const { return source_; }

 private:
  std::string source_;
};

DataSource parse_data_source(const Validator& v, const json& node, const std::string& path,
                             const std::filesystem::path& base, bool labels_required) {
  v.object(node, path);
  DataSource d;
  d.where = path;
  if (node.contains("csv")) {
    v.only_keys(node, path, {"csv", "target", "features", "drop_train_copies"});
    d.kind = DataSource::Kind::Csv;
    d.csv = v.file(node["csv"], path + "/csv", base);
    if (node.contains("target")) {
      d.target = v.string(node["target"], path + "/target");
    } else if (labels_required) {
      v.fail(path, "the CSV source names no target column", "\"target\": \"<label column>\"", {},
             "Add the name of the label column as \"target\".");
    }
    if (node.contains("features")) {
      const auto& f = node["features"];
      if (!f.is_array()) v.wrong_type(path + "/features", "a list of column names", f);
      for (std::size_t i = 0; i < f.size(); ++i) {
        d.features.push_back(v.string(f[i], fmt::format("{}/features/{}", path, i)));
      }
    }
  } else if (node.contains("npz")) {
    v.only_keys(node, path, {"npz", "x", "y", "reshape", "drop_train_copies"});
    d.kind = DataSource::Kind::Npz;
    d.npz = v.file(node["npz"], path + "/npz", base);
    if (node.contains("x")) d.x_key = v.string(node["x"], path + "/x");
    if (node.contains("y")) d.y_key = v.string(node["y"], path + "/y");
  } else if (node.contains("x")) {
    v.only_keys(node, path, {"x", "y", "reshape", "drop_train_copies"});
    d.kind = DataSource::Kind::Npy;
    d.x = v.file(node["x"], path + "/x", base);
    if (node.contains("y")) {
      d.y = v.file(node["y"], path + "/y", base);
    } else if (labels_required) {
      v.fail(path, "the NumPy source has no labels", "\"y\": \"<labels>.npy\"", {},
             "Add the label array as \"y\".");
    }
  } else {
    v.fail(path, "no data file given", "{\"csv\": ..., \"target\": ...}, {\"x\": ..., \"y\": ...} or {\"npz\": ...}",
           json_excerpt(node));
  }
  if (node.contains("drop_train_copies")) {
    d.drop_train_copies = v.boolean(node["drop_train_copies"], path + "/drop_train_copies");
    if (d.drop_train_copies && labels_required) {
      v.fail(path + "/drop_train_copies", "only the test split can leave out copies of training rows",
             "\"drop_train_copies\" under \"data\": {\"test\": ...}", "true");
    }
  }
  if (node.contains("reshape")) {
    const auto& r = node["reshape"];
    const std::string rpath = path + "/reshape";
    if (!r.is_array() || r.empty()) v.wrong_type(rpath, "a per-sample shape such as [28, 28, 1]", r);
    int free_axes = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string ipath = fmt::format("{}/{}", rpath, i);
      if (r[i].is_number_integer() && r[i].get<std::int64_t>() == -1) {
        if (++free_axes > 1) v.fail(ipath, "more than one -1 in reshape", "at most one axis given as -1", "-1");
        d.reshape.push_back(-1);
      } else {
        d.reshape.push_back(v.positive_int(r[i], ipath));
      }
    }
  }
  return d;
}

FitSpec parse_fit(const Validator& v, const json& node, const std::string& path) {
  v.object(node, path);
  v.only_keys(node, path, {"epochs", "batch_size", "validation_split", "shuffle", "class_weight", "seed",
                           "initial_epoch", "verbose"});
  FitSpec f;
  if (node.contains("epochs")) f.epochs = v.positive_int(node["epochs"], path + "/epochs");
  if (node.contains("batch_size") && !node["batch_size"].is_null()) {
    f.batch_size = v.positive_int(node["batch_size"], path + "/batch_size");
  }
  if (node.contains("validation_split")) {
    f.validation_split = v.number(node["validation_split"], path + "/validation_split");
    if (!(f.validation_split >= 0.0 && f.validation_split < 1.0)) {
      v.fail(path + "/validation_split", "value out of range", "a fraction in [0, 1)",
             json_excerpt(node["validation_split"]), "Keras takes the last fraction of the data, e.g. 0.2.");
    }
  }
  if (node.contains("shuffle")) f.shuffle = v.boolean(node["shuffle"], path + "/shuffle");
  if (node.contains("seed")) {
    auto s = v.positive_int(node["seed"], path + "/seed", 0);
    if (s > 0xFFFFFFFFll) v.fail(path + "/seed", "value out of range", "an integer in [0, 4294967295]", json_excerpt(node["seed"]));
    f.seed = static_cast<std::uint32_t>(s);
    f.seed_given = true;
  }
  if (node.contains("initial_epoch")) f.initial_epoch = v.positive_int(node["initial_epoch"], path + "/initial_epoch", 0);
  if (node.contains("verbose")) {
    const auto& vb = node["verbose"];
    if (vb.is_string() && vb.get<std::string>() == "auto") f.verbose = 1;
    else f.verbose = v.positive_int(vb, path + "/verbose", 0);
  }
  if (node.contains("class_weight")) {
    const auto& cw = node["class_weight"];
    if (cw.is_string()) {
      if (cw.get<std::string>() != "balanced") {
        v.fail(path + "/class_weight", "unknown class weighting", "\"balanced\" or a map class → weight", json_excerpt(cw));
      }
    } else if (cw.is_object()) {
      for (const auto& [k, w] : cw.items()) {
        if (!w.is_number() || w.get<double>() < 0 || !std::isfinite(w.get<double>())) {
          v.wrong_type(path + "/class_weight/" + k, "a non-negative number", w);
        }
      }
    } else if (!cw.is_null()) {
      v.wrong_type(path + "/class_weight", "\"balanced\" or a map class → weight", cw);
    }
    f.class_weight = cw;
  }
  return f;
}

void check_keras_object(const Validator& v, const json& node, const std::string& path, const char* what) {
  if (node.is_string()) {
    if (node.get<std::string>().empty()) v.fail(path, fmt::format("empty {} name", what), fmt::format("a Keras {} name", what), "\"\"");
    return;
  }
  if (node.is_object()) {
    if (!node.contains("class_name") || !node["class_name"].is_string()) {
      v.fail(path, fmt::format("the {} object has no class_name", what), "{\"class_name\": ..., \"config\": {...}}",
             json_excerpt(node));
    }
    // Keras 3 serialises a function (a loss or activation given as a function) as a reference:
    // {"class_name": "function", "config": "log_cosh"}.
    const bool function_reference = node["class_name"] == "function" && node.contains("config") && node["config"].is_string();
    if (node.contains("config") && !node["config"].is_object() && !node["config"].is_null() && !function_reference) {
      v.wrong_type(path + "/config", "an object (or, for {\"class_name\": \"function\"}, a function name)", node["config"]);
    }
    return;
  }
  v.wrong_type(path, fmt::format("a Keras {} name or {{\"class_name\", \"config\"}}", what), node);
}

// Metric names as a Keras model stores them: Keras 3 compile_config lists names or metric
// objects; tf.keras 2's training_config nests a list per output of MeanMetricWrapper objects
// whose config names the metric ({"name": "accuracy", "fn": "binary_accuracy"}).
void add_stored_metrics(const json& node, std::vector<json>& out) {
  if (node.is_array()) {
    for (const auto& item : node) add_stored_metrics(item, out);
  } else if (node.is_string()) {
    out.push_back(node);
  } else if (node.is_object() && node.contains("class_name") && node["class_name"].is_string()) {
    const auto& cfg = node.contains("config") ? node["config"] : json();
    if (node["class_name"] == "MeanMetricWrapper" && cfg.is_object() && cfg.contains("name") && cfg["name"].is_string()) {
      out.push_back(cfg["name"]);
    } else {
      out.push_back(node);
    }
  }
}

// A run file whose "compile" gives no loss, with a saved, compiled Keras model (Keras 3
// compile_config in the JSON or the .keras archive, tf.keras training_config in a .h5), trains
// with the stored loss, and the stored optimizer and metrics where the run file names none — as
// fit() does after keras.models.load_model. (A doctor repair may add only an optimizer.) A run
// file that gives a loss recompiles, as model.compile() does: nothing stored is used. A model
// file that cannot be read is left for the model's own loading to report.
void use_stored_compile(RunSpec& spec) {
  if (!spec.loss.is_null()) return;
  const json* given = spec.document.contains("compile") && spec.document["compile"].is_object()
                          ? &spec.document["compile"] : nullptr;
  std::optional<json> stored;
  try {
    stored = load_run_model(spec).compile_config;
  } catch (const core::Error&) {
    return;
  }
  if (!stored || !stored->is_object()) return;
  const json& c = *stored;
  if (c.contains("loss") && (c["loss"].is_string() || (c["loss"].is_object() && c["loss"].contains("class_name")))) {
    spec.loss = c["loss"];
  }
  if (given == nullptr || !given->contains("optimizer")) {
    for (const char* key : {"optimizer", "optimizer_config"}) {
      if (c.contains(key) && (c[key].is_string() || (c[key].is_object() && c[key].contains("class_name")))) {
        spec.optimizer = c[key];
        break;
      }
    }
  }
  if ((given == nullptr || !given->contains("metrics")) && c.contains("metrics")) add_stored_metrics(c["metrics"], spec.metrics);
}

}  // namespace

RunSpec parse_run_spec(const json& document, const std::string& source_name, const std::filesystem::path& base_dir) {
  Validator v(source_name);
  v.object(document, "");
  v.only_keys(document, "", {"description", "data", "preprocess", "model", "compile", "fit"});
  RunSpec spec;
  spec.base_dir = base_dir;
  spec.document = document;

  if (document.contains("description")) spec.description = v.string(document["description"], "/description");

  if (!document.contains("data")) {
    v.fail("/data", "the run file has no data section", "\"data\": {\"train\": {...}}");
  }
  const auto& data = v.object(document["data"], "/data");
  v.only_keys(data, "/data", {"train", "test"});
  if (!data.contains("train")) v.fail("/data/train", "no training data given", "\"train\": {\"csv\": ..., \"target\": ...}");
  spec.train = parse_data_source(v, data["train"], "/data/train", base_dir, true);
  if (data.contains("test") && !data["test"].is_null()) {
    spec.test = parse_data_source(v, data["test"], "/data/test", base_dir, false);
  }

  if (document.contains("preprocess")) {
    const auto& p = document["preprocess"];
    if (p.is_string()) {
      const auto s = p.get<std::string>();
      if (s != "none" && s != "auto") {
        auto near = core::nearest_name(s, {"none", "auto"});
        v.fail("/preprocess", fmt::format("unknown preprocessing mode \"{}\"", s),
               "\"none\", \"auto\" or a list of column groups", {},
               near ? fmt::format("Did you mean \"{}\"?", *near) : std::string{});
      }
    } else if (p.is_array()) {
      for (std::size_t i = 0; i < p.size(); ++i) {
        const std::string path = fmt::format("/preprocess/{}", i);
        const auto& group = v.object(p[i], path);
        if (group.contains("resample")) {
          v.only_keys(group, path, {"resample"});
          v.object(group["resample"], path + "/resample");
        } else {
          v.only_keys(group, path, {"columns", "steps"});
          if (!group.contains("steps") || !group["steps"].is_array()) {
            v.fail(path + "/steps", "a column group needs a list of steps", "[{\"impute\": \"median\"}, {\"scale\": \"standard\"}]");
          }
          if (group.contains("columns") && !group["columns"].is_array() && !group["columns"].is_string()) {
            v.wrong_type(path + "/columns", "a list of column names", group["columns"]);
          }
        }
      }
    } else if (!p.is_null()) {
      v.wrong_type("/preprocess", "\"none\", \"auto\" or a list of column groups", p);
    }
    if (!p.is_null()) spec.preprocess = p;
  }

  if (!document.contains("model")) v.fail("/model", "the run file has no model", "a Keras model file or its JSON inline");
  const auto& model = document["model"];
  if (model.is_string()) {
    spec.model_path = v.file(model, "/model", base_dir);
  } else if (model.is_object()) {
    spec.model_inline = model;
  } else {
    v.wrong_type("/model", "a path to a Keras model file or the model JSON inline", model);
  }

  if (document.contains("compile")) {
    const auto& c = v.object(document["compile"], "/compile");
    v.only_keys(c, "/compile", {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly", "jit_compile"});
    if (c.contains("optimizer")) {
      check_keras_object(v, c["optimizer"], "/compile/optimizer", "optimizer");
      spec.optimizer = c["optimizer"];
    }
    if (c.contains("loss") && !c["loss"].is_null()) {
      check_keras_object(v, c["loss"], "/compile/loss", "loss");
      spec.loss = c["loss"];
    }
    if (c.contains("metrics") && !c["metrics"].is_null()) {
      const auto& m = c["metrics"];
      if (m.is_string() || m.is_object()) {
        check_keras_object(v, m, "/compile/metrics", "metric");
        spec.metrics.push_back(m);
      } else if (m.is_array()) {
        for (std::size_t i = 0; i < m.size(); ++i) {
          check_keras_object(v, m[i], fmt::format("/compile/metrics/{}", i), "metric");
          spec.metrics.push_back(m[i]);
        }
      } else {
        v.wrong_type("/compile/metrics", "a list of metric names", m);
      }
    }
  }

  if (document.contains("fit")) spec.fit = parse_fit(v, document["fit"], "/fit");
  if (spec.fit.initial_epoch >= spec.fit.epochs && document.contains("fit") && document["fit"].contains("initial_epoch")) {
    v.fail("/fit/initial_epoch", "initial_epoch is not below epochs, so no epoch would run",
           fmt::format("a value below {}", spec.fit.epochs), std::to_string(spec.fit.initial_epoch));
  }
  use_stored_compile(spec);
  return spec;
}

RunSpec load_run_file(const std::filesystem::path& path) {
  json document = read_json_file(path);
  auto base = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  RunSpec spec = parse_run_spec(document, path.string(), base);
  spec.path = path;
  return spec;
}

}  // namespace fitcheck::io
