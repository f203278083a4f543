#include "fitcheck/doctor/repair.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {
namespace {

using nlohmann::json;

// Why one repair cannot be applied; caught per finding and reported in RepairPlan::skipped.
struct Skip {
  std::string reason;
};

// The finding whose repair first set a leaf of the document, and the value it set.
struct Owner {
  json value;
  std::string code;
};
using Owners = std::map<std::string, Owner>;

// data first, then the model, then optimisation; anything else last.
int phase_of(const std::string& category) {
  if (category.starts_with("data.")) return 0;
  if (category.starts_with("model.")) return 1;
  if (category.starts_with("config.") || category.starts_with("train.")) return 2;
  return 3;
}

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// The leaves a merge patch sets: {"a": {"b": 1}} → ("/a/b", 1). Arrays and null are leaves.
void collect_leaves(const json& patch, const std::string& prefix, std::vector<std::pair<std::string, json>>& out) {
  if (!patch.is_object()) {
    out.emplace_back(prefix, patch);
    return;
  }
  for (const auto& [key, value] : patch.items()) collect_leaves(value, prefix + "/" + pointer_token(key), out);
}

bool is_prefix(const std::string& parent, const std::string& child) {
  return child.size() > parent.size() && child.starts_with(parent) && child[parent.size()] == '/';
}

// Records that `code` sets `path` to `value`; a different value set earlier, or a value set
// above or below this leaf, is a conflict and the first repair wins.
void claim(Owners& owners, const std::string& path, const json& value, const std::string& code) {
  for (const auto& [p, owner] : owners) {
    if (p == path) {
      if (owner.value != value) throw Skip{fmt::format("conflicts with {} (it sets {})", owner.code, path)};
      return;
    }
    if (is_prefix(p, path) || is_prefix(path, p)) {
      throw Skip{fmt::format("conflicts with {} (it sets {})", owner.code, p)};
    }
  }
  owners[path] = Owner{value, code};
}

void claim_leaves(Owners& owners, const json& patch, const std::string& prefix, const std::string& code) {
  std::vector<std::pair<std::string, json>> leaves;
  collect_leaves(patch, prefix, leaves);
  for (const auto& [path, value] : leaves) claim(owners, path, value, code);
}

json& object_member(json& parent, const std::string& key, const std::string& where) {
  json& v = parent[key];
  if (v.is_null()) v = json::object();
  if (!v.is_object()) throw Skip{fmt::format("{} in the run file is not an object", where)};
  return v;
}

// ---- fit, compile ---------------------------------------------------------------------------

void patch_section(json& doc, const std::string& key, const json& patch, Owners& owners, const std::string& code) {
  if (!patch.is_object()) throw Skip{fmt::format("the \"{}\" patch is not an object", key)};
  claim_leaves(owners, patch, "/" + key, code);
  json& target = object_member(doc, key, "/" + key);
  json rest = patch;
  if (key == "compile" && patch.contains("optimizer") && patch["optimizer"].is_object() && target.contains("optimizer") &&
      target["optimizer"].is_string()) {
    // "adam" → {"class_name": ..., "config": {...}}: a name has no config to merge into.
    json optimizer = patch["optimizer"];
    if (!optimizer.contains("class_name")) optimizer["class_name"] = target["optimizer"];
    target["optimizer"] = std::move(optimizer);
    rest.erase("optimizer");
  }
  target.merge_patch(rest);
}

// ---- data ------------------------------------------------------------------------------------

void patch_data(json& doc, const json& patch, Owners& owners, const std::string& code) {
  if (!patch.is_object()) throw Skip{"the \"data\" patch is not an object"};
  json& data = object_member(doc, "data", "/data");
  for (const auto& [split, split_patch] : patch.items()) {
    const std::string where = "/data/" + pointer_token(split);
    if (!split_patch.is_object()) throw Skip{fmt::format("the patch of {} is not an object", where)};
    // A split the run does not have cannot be repaired (and must not be created half-described).
    if (!data.contains(split) || data[split].is_null()) continue;
    json& target = object_member(data, split, where);
    json rest = split_patch;
    if (split_patch.contains("features")) {
      const json& keep = split_patch["features"];
      if (!keep.is_array()) throw Skip{fmt::format("{}/features in the patch is not a list", where)};
      // Selections from several repairs combine: each drops its columns from the current set.
      json selected = json::array();
      if (target.contains("features") && target["features"].is_array()) {
        for (const auto& c : target["features"]) {
          if (std::find(keep.begin(), keep.end(), c) != keep.end()) selected.push_back(c);
        }
      } else {
        selected = keep;
      }
      if (selected.empty()) throw Skip{fmt::format("it would leave {} without feature columns", where)};
      target["features"] = std::move(selected);
      rest.erase("features");
    }
    claim_leaves(owners, rest, where, code);
    target.merge_patch(rest);
  }
}

// ---- preprocess ------------------------------------------------------------------------------

// Steps that do the same job replace each other: one encoder per column.
std::string step_family(const json& step) {
  if (!step.is_object() || step.size() != 1) return {};
  const std::string kind = step.begin().key();
  if (kind == "onehot" || kind == "ordinal") return "encode";
  return kind;
}

// Adds the steps of `add` that `steps` lacks; a step of a family already present replaces it,
// and imputation goes before the steps that cannot take missing values.
json merge_steps(json steps, const json& add) {
  for (const auto& step : add) {
    if (std::find(steps.begin(), steps.end(), step) != steps.end()) continue;
    const std::string family = step_family(step);
    auto same = family.empty() ? steps.end()
                               : std::find_if(steps.begin(), steps.end(),
                                              [&](const json& s) { return step_family(s) == family; });
    if (same != steps.end()) {
      *same = step;
    } else if (family == "impute") {
      auto first_other = std::find_if(steps.begin(), steps.end(),
                                      [](const json& s) { return step_family(s) != "impute"; });
      steps.insert(first_other, step);
    } else {
      steps.push_back(step);
    }
  }
  return steps;
}

std::vector<std::string> group_columns(const json& group) {
  std::vector<std::string> out;
  if (!group.contains("columns")) return out;
  const auto& c = group["columns"];
  if (c.is_string()) out.push_back(c.get<std::string>());
  if (c.is_array()) {
    for (const auto& name : c) {
      if (name.is_string()) out.push_back(name.get<std::string>());
    }
  }
  return out;
}

bool has_name(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Merges one column group of a patch into the explicit list. A column keeps exactly one group
// (the pipeline refuses a column output twice): groups that share columns with the patch are
// split so that the shared columns get the merged steps, and columns no group names yet get a
// new group with the patch's steps.
json merge_group(const json& list, const json& group) {
  if (!group.is_object()) throw Skip{"a preprocess group of the patch is not an object"};
  const bool column_group = group.contains("columns") && group.contains("steps") && group["steps"].is_array();
  if (!column_group) {
    // Resampling, or a group for all columns: added once.
    json out = list;
    if (std::find(out.begin(), out.end(), group) == out.end()) out.push_back(group);
    return out;
  }
  const auto wanted = group_columns(group);
  std::vector<std::string> unplaced = wanted;
  json out = json::array();
  for (const auto& existing : list) {
    const auto columns = group_columns(existing);
    const bool has_steps = existing.is_object() && existing.contains("steps") && existing["steps"].is_array();
    std::vector<std::string> shared, other;
    for (const auto& c : columns) (has_name(wanted, c) ? shared : other).push_back(c);
    if (!has_steps || shared.empty()) {
      out.push_back(existing);
      continue;
    }
    std::erase_if(unplaced, [&](const std::string& c) { return has_name(shared, c); });
    if (!other.empty()) out.push_back({{"columns", other}, {"steps", existing["steps"]}});
    out.push_back({{"columns", shared}, {"steps", merge_steps(existing["steps"], group["steps"])}});
  }
  if (!unplaced.empty()) out.push_back({{"columns", unplaced}, {"steps", group["steps"]}});
  return out;
}

void patch_preprocess(json& doc, const json& patch) {
  if (patch == "auto") {
    doc["preprocess"] = "auto";
    return;
  }
  if (!patch.is_array()) throw Skip{"the \"preprocess\" patch is neither \"auto\" nor a list of column groups"};
  const json current = doc.contains("preprocess") ? doc["preprocess"] : json("none");
  if (current == "auto") throw Skip{"preprocess is already \"auto\", which covers it"};
  json list = current.is_array() ? current : json::array();
  if (!current.is_array() && !current.is_null() && current != "none") {
    throw Skip{"/preprocess in the run file is neither \"none\", \"auto\" nor a list"};
  }
  for (const auto& group : patch) list = merge_group(list, group);
  doc["preprocess"] = std::move(list);
}

// ---- model -----------------------------------------------------------------------------------

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The layer list of a Keras model JSON: config.layers, or (Keras <= 2.2) the bare list config.
json& layer_list(json& model) {
  if (model.is_object() && model.contains("config")) {
    json& config = model["config"];
    if (config.is_array()) return config;
    if (config.is_object() && config.contains("layers") && config["layers"].is_array()) return config["layers"];
  }
  throw Skip{"the model JSON has no list of layers"};
}

// The name a layer goes by (keras_model.cpp): its own name, its config's, else layer_<position>.
bool layer_named(const json& entry, std::size_t position, const std::string& name) {
  if (!entry.is_object()) return false;
  if (entry.contains("name") && entry["name"].is_string()) return entry["name"] == name;
  if (entry.contains("config") && entry["config"].is_object() && entry["config"].contains("name") &&
      entry["config"]["name"].is_string()) {
    return entry["config"]["name"] == name;
  }
  return name == fmt::format("layer_{}", position);
}

bool is_input_layer(const json& entry) {
  return entry.is_object() && entry.contains("class_name") && entry["class_name"] == "InputLayer";
}

void patch_layers(json& model, const json& patches, Owners& owners, const std::string& code) {
  if (!patches.is_array()) throw Skip{"the model's \"layers\" patch is not a list"};
  json& layers = layer_list(model);
  for (const auto& p : patches) {
    if (!p.is_object() || !p.contains("name") || !p["name"].is_string() || !p.contains("config") ||
        !p["config"].is_object()) {
      throw Skip{"a layer patch is not {\"name\": ..., \"config\": {...}}"};
    }
    const std::string name = p["name"];
    json* target = nullptr;
    std::size_t position = 0;
    for (auto& entry : layers) {
      if (is_input_layer(entry)) continue;
      if (layer_named(entry, position, name)) {
        target = &entry;
        break;
      }
      ++position;
    }
    if (!target) throw Skip{fmt::format("the model has no layer named \"{}\"", name)};
    if (!target->contains("config") || !(*target)["config"].is_object()) {
      throw Skip{fmt::format("layer \"{}\" has no config object", name)};
    }
    claim_leaves(owners, p["config"], "/model/layers/" + pointer_token(name), code);
    (*target)["config"].merge_patch(p["config"]);
  }
}

// {"before": name, "layer": {"class_name", "config"}}: a new layer inserted in front of the named
// one. The place is claimed, so two repairs cannot both insert before the same layer.
void insert_layers(json& model, const json& inserts, Owners& owners, const std::string& code) {
  if (!inserts.is_array()) throw Skip{"the model's \"insert\" patch is not a list"};
  json& layers = layer_list(model);
  for (const auto& ins : inserts) {
    if (!ins.is_object() || !ins.contains("before") || !ins["before"].is_string() || !ins.contains("layer") ||
        !ins["layer"].is_object() || !ins["layer"].contains("class_name")) {
      throw Skip{"a layer insertion is not {\"before\": name, \"layer\": {\"class_name\": ..., \"config\": {...}}}"};
    }
    const std::string name = ins["before"];
    std::size_t position = 0, index = 0;
    bool found = false;
    for (; index < layers.size(); ++index) {
      if (is_input_layer(layers[index])) continue;
      if (layer_named(layers[index], position, name)) {
        found = true;
        break;
      }
      ++position;
    }
    if (!found) throw Skip{fmt::format("the model has no layer named \"{}\"", name)};
    const std::string place = "/model/insert_before/" + pointer_token(name);
    bool inserted = false;  // the same layer, by an earlier repair
    for (const auto& [p, owner] : owners) inserted = inserted || p == place;
    claim(owners, place, ins["layer"], code);
    if (inserted) continue;
    json layer = ins["layer"];
    // Keras 3 writes "module" beside "class_name"; a layer without it is read as built in.
    if (layers[index].contains("module") && !layer.contains("module")) layer["module"] = layers[index]["module"];
    layers.insert(layers.begin() + static_cast<std::ptrdiff_t>(index), layer);
  }
}

void patch_input_shape(json& model, const json& shape, Owners& owners, const std::string& code) {
  if (!shape.is_array() || shape.empty()) throw Skip{"the model's \"input_shape\" patch is not a list of dimensions"};
  json& layers = layer_list(model);
  if (layers.empty()) throw Skip{"the model has no layers"};
  claim(owners, "/model/input_shape", shape, code);
  auto input = std::find_if(layers.begin(), layers.end(), is_input_layer);
  json& entry = input != layers.end() ? *input : layers[0];
  if (!entry.is_object() || !entry.contains("config") || !entry["config"].is_object()) {
    throw Skip{"the model's first layer has no config object"};
  }
  json& config = entry["config"];
  const bool keras3 = model.contains("module") || model.contains("registered_name") || model.contains("build_config");
  std::string key = "batch_input_shape";
  if (config.contains("batch_shape")) {
    key = "batch_shape";
  } else if (!config.contains("batch_input_shape") && input != layers.end() && keras3) {
    key = "batch_shape";
  }
  // One declaration of the shape, not two that disagree.
  for (const char* other : {"batch_shape", "batch_input_shape", "input_shape", "shape"}) {
    if (key != other) config.erase(other);
  }
  config[key] = shape;
  // Keras records the built shape too; keep it in step.
  if (model["config"].is_object() && model["config"].contains("build_input_shape") &&
      !model["config"]["build_input_shape"].is_null()) {
    model["config"]["build_input_shape"] = shape;
  }
  if (model.contains("build_config") && model["build_config"].is_object() &&
      model["build_config"].contains("input_shape") && !model["build_config"]["input_shape"].is_null()) {
    model["build_config"]["input_shape"] = shape;
  }
}

class Planner {
 public:
  Planner(const json& document, std::filesystem::path run_dir) : doc_(document), run_dir_(std::move(run_dir)) {
    try {
      (void)io::parse_run_spec(doc_, "run.json", run_dir_);
      validate_ = true;
    } catch (const core::Error&) {
      validate_ = false;  // an invalid document cannot tell whether a repair broke it
    }
  }

  // Applies the whole repair of `f` or nothing of it.
  void apply(const Finding& f, RepairPlan& plan) {
    const json& patch = *f.repair;
    json doc = doc_;
    Owners owners = owners_;
    try {
      if (!patch.is_object() || patch.empty()) throw Skip{"the repair is not a patch object"};
      for (const auto& [key, value] : patch.items()) {
        if (key == "preprocess") {
          patch_preprocess(doc, value);
        } else if (key == "data") {
          patch_data(doc, value, owners, f.code);
        } else if (key == "fit" || key == "compile") {
          patch_section(doc, key, value, owners, f.code);
        } else if (key == "model") {
          patch_model(doc, value, owners, f.code);
        } else {
          throw Skip{fmt::format("unsupported repair key \"{}\"", key)};
        }
      }
      if (validate_) (void)io::parse_run_spec(doc, "RUN.fixed.json", run_dir_);
    } catch (const Skip& s) {
      plan.skipped.push_back(fmt::format("{}: {}", f.code, s.reason));
      return;
    } catch (const core::Error& e) {
      plan.skipped.push_back(fmt::format("{}: the repaired run file would not be valid: {}", f.code, e.what()));
      return;
    }
    doc_ = std::move(doc);
    owners_ = std::move(owners);
    plan.applied.push_back(f.code);
  }

  json take() { return std::move(doc_); }

 private:
  void patch_model(json& doc, const json& patch, Owners& owners, const std::string& code) {
    if (!patch.is_object()) throw Skip{"the \"model\" patch is not an object"};
    if (!doc.contains("model")) throw Skip{"the run file has no model"};
    json& model = doc["model"];
    if (model.is_string()) model = load_model_file(model.get<std::string>());
    if (!model.is_object()) throw Skip{"/model in the run file is neither a path nor the model JSON"};
    for (const auto& [key, value] : patch.items()) {
      if (key == "layers") {
        patch_layers(model, value, owners, code);
      } else if (key == "input_shape") {
        patch_input_shape(model, value, owners, code);
      } else if (key == "insert") {
        insert_layers(model, value, owners, code);
      } else {
        throw Skip{fmt::format("unsupported model repair key \"{}\"", key)};
      }
    }
    try {
      (void)io::parse_keras_model(model, "RUN.fixed.json: /model");
    } catch (const core::Error& e) {
      throw Skip{fmt::format("the repaired model would not be valid: {}", e.what())};
    }
  }

  json load_model_file(const std::string& name) {
    if (!model_loaded_) {
      model_loaded_ = true;
      std::filesystem::path path(name);
      if (path.is_relative()) path = run_dir_ / path;
      const std::string ext = lower(path.extension().string());
      if (ext != ".json") {
        model_error_ = fmt::format("the model is a {} file ({}); fitcheck patches only a model saved as JSON "
                                   "(model.to_json()) — apply the change in the Keras code",
                                   ext.empty() ? "non-JSON" : ext, name);
      } else {
        try {
          model_file_ = io::read_json_file(path);
        } catch (const core::Error& e) {
          model_error_ = fmt::format("cannot read the model: {}", e.what());
        }
      }
    }
    if (!model_error_.empty()) throw Skip{model_error_};
    return model_file_;
  }

  json doc_;
  std::filesystem::path run_dir_;
  Owners owners_;
  bool validate_ = false;
  bool model_loaded_ = false;  // the model file is read once, on the first model repair
  json model_file_;
  std::string model_error_;
};

}  // namespace

RepairPlan plan_repairs(const nlohmann::json& run_document, const std::vector<Finding>& findings,
                        const std::filesystem::path& run_dir) {
  if (!run_document.is_object()) {
    throw core::ConfigError({.where = "run.json: /",
                             .what = "the run file is not a JSON object",
                             .expected = "an object with \"data\", \"model\", \"compile\" and \"fit\"",
                             .got = io::json_excerpt(run_document),
                             .hint = "Repairs patch a run file; give the document as loaded from run.json."});
  }
  std::vector<const Finding*> order;
  for (const auto& f : findings) {
    if (f.severity == Severity::Info || !f.repair || f.repair->is_null()) continue;
    order.push_back(&f);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Finding* a, const Finding* b) { return phase_of(a->category) < phase_of(b->category); });
  RepairPlan plan;
  Planner planner(run_document, run_dir);
  for (const Finding* f : order) planner.apply(*f, plan);
  plan.run = planner.take();
  return plan;
}

}  // namespace fitcheck::doctor
