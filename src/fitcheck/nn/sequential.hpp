#pragma once
// Sequential: Keras' model of a stack of layers, with compile / fit / evaluate / predict and
// summary(). The input shape is declared (an InputLayer, or batch_input_shape on the first
// layer) or taken from the data at the first fit, as Keras defers the build.
//
//   Sequential model;
//   model.add(InputLayer(core::Shape{30}));
//   model.add(Dense({.units = 64, .activation = "relu"}));
//   model.add(Dense({.units = 1, .activation = "sigmoid"}));
//   model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
//   History h = model.fit(x, y, {.batch_size = 32, .epochs = 10, .validation_split = 0.2});

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/core/tensor.hpp"
#include "fitcheck/nn/callbacks.hpp"
#include "fitcheck/nn/history.hpp"
#include "fitcheck/nn/layer.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "fitcheck/nn/metrics/metric.hpp"
#include "fitcheck/nn/observer.hpp"
#include "fitcheck/nn/optimizers/optimizer.hpp"

namespace fitcheck::nn {

struct CompileOptions {
  Json optimizer = "rmsprop";  // Keras' compile() default
  Json loss;
  std::vector<Json> metrics;
};

struct FitOptions {
  std::int64_t batch_size = 32;
  int epochs = 1;
  int verbose = 1;                          // 0 silent, 1 progress bar (TTY) / line per epoch, 2 line per epoch
  double validation_split = 0.0;            // the LAST fraction, taken before shuffling (Keras)
  const core::Tensor* validation_x = nullptr;  // validation_data; takes precedence over the split
  const core::Tensor* validation_y = nullptr;
  bool shuffle = true;
  std::optional<std::uint32_t> seed;        // shuffling, dropout and (deferred build) initial weights
  std::map<int, double> class_weight;
  const core::Tensor* sample_weight = nullptr;  // one weight per sample
  int initial_epoch = 0;
  std::vector<Callback*> callbacks;
};

class Sequential {
 public:
  explicit Sequential(std::string name = "sequential", std::uint32_t seed = 0);
  Sequential(Sequential&&) noexcept;
  Sequential& operator=(Sequential&&) noexcept;
  ~Sequential();

  // Keras model JSON ({"class_name": "Sequential", "config": {...}}, Keras 2 or 3 form, or the
  // config object itself). Builds the model when the input shape is declared.
  static Sequential from_config(const Json& spec, const std::string& where = "model");
  Json to_config() const;

  Sequential& add(std::unique_ptr<Layer> layer);
  template <typename L, typename = std::enable_if_t<std::is_base_of_v<Layer, std::decay_t<L>>>>
  Sequential& add(L&& layer) {
    return add(std::unique_ptr<Layer>(new std::decay_t<L>(std::forward<L>(layer))));
  }

  // Shape pass and parameter creation for input (None, ...). Throws ShapeError naming the layer.
  void build(const core::Shape& input_shape);
  bool built() const { return built_; }
  // The model's input shape with batch axis, if declared or built.
  std::optional<core::Shape> input_shape() const;
  // Output shapes of every layer for an input shape, without building or allocating (pure).
  std::vector<core::Shape> infer_shapes(const core::Shape& input_shape) const;

  void compile(const CompileOptions& options);
  void compile(std::unique_ptr<Optimizer> optimizer, const Json& loss, const std::vector<Json>& metrics = {});
  bool compiled() const { return loss_ != nullptr; }

  History fit(const core::Tensor& x, const core::Tensor& y, const FitOptions& options = {});
  // Loss and metrics over (x, y) in inference mode, in batches.
  Logs evaluate(const core::Tensor& x, const core::Tensor& y, std::int64_t batch_size = 32,
                const core::Tensor* sample_weight = nullptr);
  core::Tensor predict(const core::Tensor& x, std::int64_t batch_size = 32);

  // Keras 3's summary table (layer (type), output shape, param #; totals with sizes).
  std::string summary() const;
  std::int64_t count_params() const;
  std::int64_t count_trainable_params() const;

  const std::string& name() const { return name_; }
  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t i) { return *layers_.at(i); }
  const Layer& layer(std::size_t i) const { return *layers_.at(i); }
  Optimizer& optimizer();
  const Optimizer& optimizer() const;
  const Loss& loss() const;
  // compile()'s loss and metrics as they were given (Keras identifiers: names or serialised
  // objects), so that a saved model can record how it was compiled (Keras' compile_config).
  const Json& loss_spec() const { return loss_spec_; }
  const std::vector<Json>& metric_specs() const { return metric_specs_; }
  const std::vector<std::unique_ptr<Metric>>& metrics() const { return metrics_; }

  // All variables in model order (Keras get_weights order: per layer, trainable then not).
  std::vector<core::Tensor> get_weights() const;
  void set_weights(const std::vector<core::Tensor>& weights);

  // Hook points (observer.hpp). Observers are not owned and must outlive fit().
  void add_observer(TrainingObserver* observer);
  void remove_observer(TrainingObserver* observer);

  // Set by callbacks to end fit() after the current epoch (or batch, for TerminateOnNaN).
  bool stop_training = false;

 private:
  struct Batch;
  void ensure_built_for(const core::Tensor& x);
  void check_data(const core::Tensor& x, const core::Tensor& y, const char* role) const;
  void forward(const core::Tensor& x, bool training, const BatchInfo* info);
  double loss_and_gradient(const core::Tensor& y, const float* sample_weight, bool with_gradient);
  void backward(const BatchInfo* info);
  void train_step(const core::Tensor& x, const core::Tensor& y, const float* sw, const BatchInfo& info,
                  double& loss_out);
  void report_non_finite(NonFiniteEvent event);
  void report_non_finite_output(const BatchInfo& info, std::size_t layer, std::int64_t element);
  std::vector<VariableRef> trainable_variables();
  std::string unique_layer_name(const std::string& base) const;

  std::string name_;
  std::uint32_t seed_;
  std::vector<std::unique_ptr<Layer>> layers_;
  bool built_ = false;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<Loss> loss_;
  std::vector<std::unique_ptr<Metric>> metrics_;
  Json loss_spec_;
  std::vector<Json> metric_specs_;
  std::vector<TrainingObserver*> observers_;
  bool non_finite_reported_ = false;
  std::optional<BatchInfo> last_step_;  // the step whose update wrote the current weights
  core::Rng rng_;
  // Per-batch workspaces, reused across batches: activations[i] is layer i's input.
  std::vector<core::Tensor> activations_;
  std::vector<core::Tensor> gradients_;
  bool logits_path_ = false;
};

}  // namespace fitcheck::nn
