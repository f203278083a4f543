// model.memory: the memory training will need against the memory the machine has.
//
// Estimate, in float32 (4 bytes), as Keras trains:
//   parameters x (1 weight + 1 gradient + optimizer slots)      slots: Adam/AdamW/Nadam/Adamax 2
//                                                                (first and second moments), RMSprop 1
//                                                                (+1 with momentum, +1 centered),
//                                                                SGD 1 with momentum else 0, Adagrad 1,
//                                                                Adadelta 2, Ftrl 2, Lion 1
//   + batch_size x activation floats per sample x 2             every layer output is kept for the
//                                                                backward pass, and a gradient of
//                                                                the same size flows back through it
//   + the training and test data as float32                      fit() converts NumPy / pandas input
// The estimate leaves out framework overhead and temporary buffers, so it is a lower bound:
// above the machine's memory training cannot run (error); above half of it the rest of the
// process, the OS and those buffers are likely to push it over, or into swap (warning).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <unistd.h>

#include "run_facts.hpp"
#include "fitcheck/core/quantity_text.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kBytesPerFloat = 4.0;
constexpr double kWarnShare = 0.5;

double config_number(const nlohmann::json& optimizer, const char* key) {
  if (!optimizer.is_object() || !optimizer.contains("config") || !optimizer["config"].is_object()) return 0.0;
  const auto& c = optimizer["config"];
  if (c.contains(key) && c[key].is_number()) return c[key].get<double>();
  if (c.contains(key) && c[key].is_boolean()) return c[key].get<bool>() ? 1.0 : 0.0;
  return 0.0;
}

int optimizer_slots(const nlohmann::json& optimizer) {
  const auto info = resolve_optimizer(optimizer);
  const auto& n = info.name;
  if (n == "adam" || n == "adamw" || n == "nadam" || n == "adamax" || n == "adadelta" || n == "ftrl") return 2;
  if (n == "rmsprop") {
    return 1 + (config_number(optimizer, "momentum") > 0.0 ? 1 : 0) + (config_number(optimizer, "centered") > 0.0 ? 1 : 0);
  }
  if (n == "sgd") return config_number(optimizer, "momentum") > 0.0 ? 1 : 0;
  if (n == "adagrad" || n == "lion") return 1;
  return 2;  // unknown: assume the common Adam-like case
}

std::uint64_t machine_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

double data_floats(const std::optional<SplitView>& split) {
  if (!split) return 0.0;
  double floats = static_cast<double>(split->data.x.rows()) * static_cast<double>(run_facts::feature_columns(split->data.x));
  if (split->data.y) floats += static_cast<double>(split->data.y->rows()) * static_cast<double>(run_facts::feature_columns(*split->data.y));
  return floats;
}

}  // namespace

namespace run_facts {

std::optional<MemoryEstimate> training_memory(const CheckContext& ctx) {
  if (!ctx.run) return std::nullopt;
  const auto shapes = model_shapes(ctx);
  if (!shapes) return std::nullopt;
  MemoryEstimate m;
  m.parameters = shapes->total_params;
  m.activation_floats_per_sample = shapes->activation_floats_per_sample;
  m.available_bytes = static_cast<double>(ctx.memory_bytes ? *ctx.memory_bytes : machine_memory());
  m.optimizer_slots = optimizer_slots(ctx.run->optimizer);
  const double params = static_cast<double>(shapes->total_params);
  const double trainable = static_cast<double>(shapes->trainable_params);
  const double batch = static_cast<double>(std::max<std::int64_t>(1, ctx.run->fit.batch_size));
  const double act = static_cast<double>(shapes->activation_floats_per_sample);
  m.weight_bytes = (params + trainable * (1.0 + m.optimizer_slots)) * kBytesPerFloat;
  m.activation_bytes = batch * act * kBytesPerFloat * 2.0;
  m.data_bytes = (data_floats(ctx.train) + data_floats(ctx.test)) * kBytesPerFloat;
  m.total_bytes = m.weight_bytes + m.activation_bytes + m.data_bytes;
  return m;
}

}  // namespace run_facts

void check_memory(const CheckContext& ctx, std::vector<Finding>& out) {
  const auto estimate = run_facts::training_memory(ctx);
  if (!estimate || !(estimate->available_bytes > 0.0)) return;
  const double available = estimate->available_bytes;
  const int slots = estimate->optimizer_slots;
  const double act = static_cast<double>(estimate->activation_floats_per_sample);
  const double weight_bytes = estimate->weight_bytes;
  const double activation_bytes = estimate->activation_bytes;
  const double data_bytes = estimate->data_bytes;
  const double total = estimate->total_bytes;
  if (total <= kWarnShare * available) return;

  Finding f;
  f.severity = total > available ? Severity::Error : Severity::Warning;
  f.likelihood = total > available ? 0.9 : 0.4;
  f.title = fmt::format("Training needs about {} of memory, {:.0f}% of the {} available", core::binary_bytes(total),
                        100.0 * total / available, core::binary_bytes(available));
  f.where = {{"model", ctx.model ? ctx.model->name : ""}, {"key", "/fit/batch_size"}};
  const double per_sample = act * kBytesPerFloat * 2.0;
  const double room = available * (total > available ? 1.0 : kWarnShare) - weight_bytes - data_bytes;
  std::int64_t fitting_batch = 0;
  if (per_sample > 0.0 && room > 0.0) fitting_batch = static_cast<std::int64_t>(std::floor(room / per_sample));
  f.evidence = {{"estimated_bytes", total},
                {"available_bytes", available},
                {"parameters", estimate->parameters},
                {"optimizer_slots", slots},
                {"weights_gradients_optimizer_bytes", weight_bytes},
                {"activation_bytes", activation_bytes},
                {"activation_floats_per_sample", estimate->activation_floats_per_sample},
                {"batch_size", ctx.run->fit.batch_size},
                {"data_bytes", data_bytes},
                {"largest_batch_that_fits", fitting_batch}};
  f.explanation = fmt::format(
      "Weights, gradients and {} optimizer slot(s) per parameter take {}, the activations kept for "
      "backpropagation at batch size {} take {}, and the data as float32 takes {}. {}",
      slots, core::binary_bytes(weight_bytes), ctx.run->fit.batch_size, core::binary_bytes(activation_bytes), core::binary_bytes(data_bytes),
      total > available ? "That is more than the machine has: training fails with an out-of-memory error."
                        : "That leaves little room for everything else: the process is likely to swap or be killed.");
  std::string fix;
  if (activation_bytes >= weight_bytes && activation_bytes >= data_bytes && fitting_batch >= 1) {
    std::int64_t b = 1;
    while (b * 2 <= fitting_batch) b *= 2;
    fix = fmt::format("Lower the batch size to {} (the largest power of two that fits)", b);
    f.repair = nlohmann::json{{"fit", {{"batch_size", b}}}};
  } else if (data_bytes >= weight_bytes) {
    fix = "Stream the data in batches (a generator or tf.data) instead of loading it all";
  } else {
    fix = "Reduce the model's size (fewer units or filters, pooling before Flatten)";
  }
  f.fix = fix + "; or train on a machine with more memory.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
