#include "fitcheck/doctor/check_support.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/doctor/model_shapes.hpp"

namespace fitcheck::doctor {

bool is_image_like(const SplitView& split) {
  const auto& x = split.data.x;
  if (x.kind == io::DataBlock::Kind::Array && x.array.shape.rank() >= 3) return true;
  const auto& cols = split.features.columns();
  if (cols.size() < 64) return false;
  std::size_t pixel = 0;
  for (const auto& c : cols) {
    auto lo = c.min(), hi = c.max();
    if (!lo || !hi) continue;
    const bool bytes = c.integer_valued() && *lo >= 0 && *hi <= 255;
    const bool unit = *lo >= 0 && *hi <= 1.0;
    if (bytes || unit) ++pixel;
  }
  return pixel * 10 >= cols.size() * 9;
}

bool feeds_embedding(const CheckContext& ctx) {
  return ctx.raw_input() && ctx.model && !ctx.model->layers.empty() && ctx.model->layers.front().class_name == "Embedding";
}

std::string name_columns(const std::vector<std::string>& names, std::size_t shown) {
  if (names.empty()) return "";
  if (names.size() == 1) return fmt::format("\"{}\"", names[0]);
  if (names.size() <= shown) {
    std::string out;
    for (std::size_t i = 0; i + 1 < names.size(); ++i) out += (i ? ", " : "") + fmt::format("\"{}\"", names[i]);
    return out + fmt::format(" and \"{}\"", names.back());
  }
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + fmt::format("\"{}\"", names[i]);
  return out + fmt::format(" and {} more", names.size() - shown);
}

std::optional<core::Shape> model_output_shape(const CheckContext& ctx) {
  if (!ctx.model) return std::nullopt;
  std::optional<core::Shape> input = ctx.model->input_shape ? ctx.model->input_shape : ctx.data_input_shape;
  if (!input) return std::nullopt;
  auto shapes = infer_model_shapes(*ctx.model, *input, !ctx.model->input_shape.has_value());
  if (!shapes.complete) return std::nullopt;
  return shapes.output;
}

std::optional<nlohmann::json> drop_features_repair(const CheckContext& ctx, const std::vector<std::string>& columns) {
  if (!ctx.train || ctx.train->data.x.kind != io::DataBlock::Kind::Table) return std::nullopt;
  std::vector<std::string> keep;
  for (const auto& c : ctx.train->data.x.table.column_names()) {
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) keep.push_back(c);
  }
  if (keep.empty()) return std::nullopt;
  nlohmann::json repair{{"data", {{"train", {{"features", keep}}}}}};
  if (ctx.test && ctx.test->data.x.kind == io::DataBlock::Kind::Table) repair["data"]["test"] = {{"features", keep}};
  return repair;
}

nlohmann::json auto_preprocess_repair() { return {{"preprocess", "auto"}}; }

nlohmann::json learning_rate_repair(const nlohmann::json& run_optimizer, double learning_rate,
                                    const nlohmann::json& extra) {
  const auto opt = resolve_optimizer(run_optimizer);
  nlohmann::json class_name = run_optimizer.is_object() && run_optimizer.contains("class_name")
                                  ? run_optimizer["class_name"]
                                  : nlohmann::json(opt.display.empty() ? opt.name : opt.display);
  nlohmann::json config = {{"learning_rate", learning_rate}};
  config.update(extra);
  return {{"compile", {{"optimizer", {{"class_name", class_name}, {"config", config}}}}}};
}

}  // namespace fitcheck::doctor
