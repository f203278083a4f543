#pragma once
// What the training monitors record during the doctor's probe: the loss of every step, each
// layer's gradient size, how its weights moved per epoch, how many of its units never fired
// (ReLU) or sat at their limits (sigmoid / tanh), and the first non-finite value. The
// SignalRecorder attaches to Sequential's hook points (nn/observer.hpp) and, as a callback, ends
// the probe when its budget is spent. The training checks (training_check.hpp) read these series.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/nn/callbacks.hpp"
#include "fitcheck/nn/observer.hpp"

namespace fitcheck::doctor {

struct LayerSignals {
  int index = -1;
  std::string name;
  std::string class_name;
  std::string activation;  // the layer's output activation ("relu", "sigmoid", "linear", ...)
  std::int64_t units = 0;  // size of the output's last axis
  std::int64_t trainable_values = 0;
  // Per optimizer step: root mean square of the gradient over the layer's trainable values.
  std::vector<double> grad_rms;
  // Per epoch: |W_end - W_begin| / |W_begin| over the trainable values (|.| the L2 norm).
  std::vector<double> update_ratio;
  // Per epoch, for ReLU-family outputs: the share of units that were positive for no sample.
  std::vector<double> dead_share;
  // Per epoch, for sigmoid / tanh outputs: the share of units saturated (|pre-activation| > 5)
  // on at least 90% of the samples.
  std::vector<double> saturated_share;
  // Whether any trainable value of the layer changed at all during the probe.
  bool changed = false;
};

struct TrainingSignals {
  std::vector<double> step_loss;       // per optimizer step, the batch's loss
  std::vector<int> step_epoch;         // the epoch of each step
  nn::History history;                 // per epoch, as fit() returns it
  std::vector<LayerSignals> layers;    // model order; only layers with trainable values or activations
  std::optional<nn::NonFiniteEvent> non_finite;
  std::int64_t steps = 0;
  int epochs = 0;                      // epochs completed (a partial last epoch counts)
  double seconds = 0.0;
  bool budget_exhausted = false;       // the probe stopped on its step or time budget

  const LayerSignals* find(const std::string& layer_name) const;
  // Layers with trainable weights, in model order.
  std::vector<const LayerSignals*> weighted_layers() const;
  nlohmann::json to_json() const;      // the series, for the JSON report and the HTML plots
};

struct ProbeBudget {
  std::int64_t max_steps = 3000;
  double max_seconds = 10.0;
};

class SignalRecorder final : public nn::TrainingObserver, public nn::Callback {
 public:
  explicit SignalRecorder(ProbeBudget budget = {});
  const TrainingSignals& signals() const { return s_; }
  TrainingSignals take() { return std::move(s_); }

  // Both bases name hooks on_batch_end / on_epoch_end; keep all of them visible.
  using nn::Callback::on_batch_end;
  using nn::Callback::on_epoch_end;
  using nn::TrainingObserver::on_batch_end;
  using nn::TrainingObserver::on_epoch_end;

  // nn::TrainingObserver
  void on_layer_forward(const nn::BatchInfo&, const nn::Layer&, const core::Tensor& input,
                        const core::Tensor& output) override;
  void on_layer_backward(const nn::BatchInfo&, const nn::Layer&, const core::Tensor& output_grad,
                         const core::Tensor* input_grad, const nn::ParameterGradients& gradients) override;
  void on_batch_end(const nn::BatchInfo&, double loss) override;
  void on_non_finite(const nn::NonFiniteEvent&) override;

  // nn::Callback
  void on_train_begin(nn::Sequential&) override;
  void on_epoch_begin(nn::Sequential&, int epoch) override;
  void on_batch_end(nn::Sequential&, std::int64_t batch, const nn::Logs&) override;
  void on_epoch_end(nn::Sequential&, int epoch, nn::Logs&) override;
  void on_train_end(nn::Sequential&) override;

 private:
  struct UnitCounts {
    std::vector<std::uint8_t> active;     // ReLU: unit was positive at least once this epoch
    std::vector<std::int64_t> saturated;  // sigmoid / tanh: samples on which the unit saturated
    std::int64_t samples = 0;
  };
  LayerSignals& slot(const nn::Layer& layer);
  void close_epoch();

  ProbeBudget budget_;
  TrainingSignals s_;
  std::vector<int> slot_of_layer_;  // model index → index in s_.layers, -1 when not tracked
  std::vector<UnitCounts> counts_;  // parallel to s_.layers
  std::vector<std::vector<float>> epoch_start_;  // per tracked layer: trainable values at epoch start
  std::vector<std::vector<float>> initial_;      // per tracked layer: trainable values before training
  nn::Sequential* model_ = nullptr;
  std::chrono::steady_clock::time_point start_;
  int epoch_ = 0;
  bool epoch_open_ = false;
};

}  // namespace fitcheck::doctor
