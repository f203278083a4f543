#include "fitcheck/doctor/overview.hpp"

#include "checks/run_facts.hpp"
#include "fitcheck/profile/profile_json.hpp"
#include "fitcheck/profile/row_hash.hpp"

namespace fitcheck::doctor {

namespace {

nlohmann::json split_overview(const SplitView& split) {
  std::optional<profile::LabelProfile> label;
  if (split.labels && split.labels->profile) label = split.labels->profile;
  return nlohmann::json(profile::profile_to_json(split.features, label));
}

nlohmann::json model_overview(const CheckContext& ctx) {
  nlohmann::json m = {{"name", ctx.model->name}};
  const auto shapes = run_facts::model_shapes(ctx);
  if (!shapes) {
    m["note"] = "no input shape is known: the model declares none and the data gives none";
    return m;
  }
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : shapes->layers) {
    layers.push_back({{"name", l.name}, {"class_name", l.class_name}, {"output_shape", l.output.str()},
                      {"params", l.params}, {"trainable_params", l.trainable_params}});
  }
  m["layers"] = layers;
  m["complete"] = shapes->complete;
  m["total_params"] = shapes->total_params;
  m["trainable_params"] = shapes->trainable_params;
  if (shapes->problem) m["problem"] = shapes->problem->message;
  if (!shapes->unknown_layers.empty()) m["unknown_layers"] = shapes->unknown_layers;
  if (const auto mem = run_facts::training_memory(ctx)) {
    m["memory"] = {{"total_bytes", mem->total_bytes},       {"weight_bytes", mem->weight_bytes},
                   {"activation_bytes", mem->activation_bytes}, {"data_bytes", mem->data_bytes},
                   {"available_bytes", mem->available_bytes}, {"optimizer_slots", mem->optimizer_slots},
                   {"batch_size", ctx.run->fit.batch_size}};
  }
  return m;
}

}  // namespace

nlohmann::json run_overview(const CheckContext& ctx) {
  nlohmann::json out = nlohmann::json::object();
  nlohmann::json data = nlohmann::json::object();
  if (ctx.train) data["train"] = split_overview(*ctx.train);
  if (ctx.test) data["test"] = split_overview(*ctx.test);
  if (ctx.train && ctx.test) {
    const auto found = profile::rows_found_in(ctx.train->data.x, ctx.test->data.x);
    const auto rows = static_cast<std::int64_t>(found.found.size());
    data["overlap"] = {{"test_rows", rows},
                       {"test_rows_in_train", found.count},
                       {"share", rows > 0 ? static_cast<double>(found.count) / static_cast<double>(rows) : 0.0}};
  }
  out["data"] = data;
  if (ctx.model) {
    out["model"] = model_overview(ctx);
  } else if (!ctx.model_error.empty()) {
    out["model"] = {{"note", ctx.model_error}};
  }
  return out;
}

}  // namespace fitcheck::doctor
