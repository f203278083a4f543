#include "fitcheck/doctor/training/signals.hpp"

#include <algorithm>
#include <cmath>

#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::doctor {

namespace {

// sigmoid(±5) and tanh(±5): beyond a pre-activation of 5 the derivative is below 0.0066
// (sigmoid) / 0.00018 (tanh), the limit DeepDiagnosis uses for a saturated unit.
constexpr float kSigmoidLow = 0.0066929f, kSigmoidHigh = 0.9933071f;
constexpr float kTanhLimit = 0.9999092f;
// A unit counts as saturated for the epoch when it saturated on this share of the samples.
constexpr double kSaturatedSamples = 0.9;

bool relu_family(const std::string& a) { return a == "relu" || a == "relu6"; }
bool saturating(const std::string& a) { return a == "sigmoid" || a == "tanh" || a == "hard_sigmoid"; }

void trainable_values(const nn::Layer& layer, std::vector<float>& out) {
  out.clear();
  if (!layer.trainable()) return;
  for (const auto& p : layer.parameters()) {
    if (p.trainable) out.insert(out.end(), p.value.data(), p.value.data() + p.value.size());
  }
}

double l2(const std::vector<float>& v) {
  double s = 0.0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

}  // namespace

const LayerSignals* TrainingSignals::find(const std::string& layer_name) const {
  for (const auto& l : layers) {
    if (l.name == layer_name) return &l;
  }
  return nullptr;
}

std::vector<const LayerSignals*> TrainingSignals::weighted_layers() const {
  std::vector<const LayerSignals*> out;
  for (const auto& l : layers) {
    if (l.trainable_values > 0) out.push_back(&l);
  }
  return out;
}

nlohmann::json TrainingSignals::to_json() const {
  nlohmann::json j;
  j["steps"] = steps;
  j["epochs"] = epochs;
  j["seconds"] = seconds;
  j["budget_exhausted"] = budget_exhausted;
  j["step_loss"] = step_loss;
  nlohmann::json hist = nlohmann::json::object();
  for (const auto& k : history.keys) hist[k] = history.history.at(k);
  j["history"] = hist;
  nlohmann::json ls = nlohmann::json::array();
  for (const auto& l : layers) {
    nlohmann::json e = {{"index", l.index}, {"name", l.name}, {"class_name", l.class_name},
                        {"activation", l.activation}, {"units", l.units}};
    if (l.trainable_values > 0) {
      e["grad_rms"] = l.grad_rms;
      e["update_ratio"] = l.update_ratio;
      e["changed"] = l.changed;
    }
    if (!l.dead_share.empty()) e["dead_share"] = l.dead_share;
    if (!l.saturated_share.empty()) e["saturated_share"] = l.saturated_share;
    ls.push_back(std::move(e));
  }
  j["layers"] = std::move(ls);
  if (non_finite) {
    j["non_finite"] = {{"epoch", non_finite->batch.epoch}, {"batch", non_finite->batch.batch},
                       {"step", non_finite->batch.step}, {"layer", non_finite->layer_name},
                       {"op", non_finite->op}, {"tensor", non_finite->tensor},
                       {"description", non_finite->describe()}};
  }
  return j;
}

SignalRecorder::SignalRecorder(ProbeBudget budget) : budget_(budget) {}

LayerSignals& SignalRecorder::slot(const nn::Layer& layer) {
  return s_.layers[static_cast<std::size_t>(slot_of_layer_[static_cast<std::size_t>(layer.index())])];
}

void SignalRecorder::on_train_begin(nn::Sequential& model) {
  model_ = &model;
  start_ = std::chrono::steady_clock::now();
  s_ = TrainingSignals();
  slot_of_layer_.assign(model.size(), -1);
  counts_.clear();
  initial_.clear();
  std::vector<float> values;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const nn::Layer& layer = model.layer(i);
    trainable_values(layer, values);
    const std::string act = layer.output_activation();
    if (values.empty() && !relu_family(act) && !saturating(act)) continue;
    LayerSignals ls;
    ls.index = static_cast<int>(i);
    ls.name = layer.name();
    ls.class_name = layer.class_name();
    ls.activation = act;
    ls.trainable_values = static_cast<std::int64_t>(values.size());
    const auto& shape = layer.output_shape();
    ls.units = shape.rank() > 0 ? std::max<std::int64_t>(shape[shape.rank() - 1], 0) : 0;
    slot_of_layer_[i] = static_cast<int>(s_.layers.size());
    s_.layers.push_back(std::move(ls));
    counts_.emplace_back();
    initial_.push_back(values);
  }
  epoch_start_ = initial_;
}

void SignalRecorder::on_epoch_begin(nn::Sequential&, int epoch) {
  epoch_ = epoch;
  epoch_open_ = true;
  for (auto& c : counts_) {
    std::fill(c.active.begin(), c.active.end(), 0);
    std::fill(c.saturated.begin(), c.saturated.end(), 0);
    c.samples = 0;
  }
}

void SignalRecorder::on_layer_forward(const nn::BatchInfo&, const nn::Layer& layer, const core::Tensor&,
                                      const core::Tensor& output) {
  if (layer.index() < 0 || static_cast<std::size_t>(layer.index()) >= slot_of_layer_.size()) return;
  const int si = slot_of_layer_[static_cast<std::size_t>(layer.index())];
  if (si < 0) return;
  const auto& ls = s_.layers[static_cast<std::size_t>(si)];
  const bool relu = relu_family(ls.activation), sat = saturating(ls.activation);
  if ((!relu && !sat) || output.rank() < 1) return;
  const std::int64_t units = output.dim(output.rank() - 1);
  if (units <= 0) return;
  const std::int64_t rows = output.size() / units;
  auto& c = counts_[static_cast<std::size_t>(si)];
  const float* y = output.data();
  // Plain local pointers: through the vectors, uint8_t stores may alias everything and the loops
  // would not vectorize.
  if (relu) {
    c.active.resize(static_cast<std::size_t>(units), 0);
    std::uint8_t* active = c.active.data();
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = y + r * units;
      for (std::int64_t u = 0; u < units; ++u) active[u] |= static_cast<std::uint8_t>(row[u] > 0.0f);
    }
  } else {
    c.saturated.resize(static_cast<std::size_t>(units), 0);
    std::int64_t* saturated = c.saturated.data();
    const bool tanh = ls.activation == "tanh";
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = y + r * units;
      if (tanh) {
        for (std::int64_t u = 0; u < units; ++u) saturated[u] += std::fabs(row[u]) > kTanhLimit;
      } else {
        for (std::int64_t u = 0; u < units; ++u) saturated[u] += (row[u] < kSigmoidLow) | (row[u] > kSigmoidHigh);
      }
    }
  }
  c.samples += rows;
}

void SignalRecorder::on_layer_backward(const nn::BatchInfo&, const nn::Layer& layer, const core::Tensor&,
                                       const core::Tensor*, const nn::ParameterGradients& gradients) {
  if (layer.index() < 0 || static_cast<std::size_t>(layer.index()) >= slot_of_layer_.size()) return;
  const int si = slot_of_layer_[static_cast<std::size_t>(layer.index())];
  if (si < 0) return;
  auto& ls = s_.layers[static_cast<std::size_t>(si)];
  if (ls.trainable_values == 0) return;
  const auto n = static_cast<double>(gradients.count);
  ls.grad_rms.push_back(n > 0 ? std::sqrt(gradients.sum_of_squares / n) : 0.0);
}

void SignalRecorder::on_batch_end(const nn::BatchInfo& info, double loss) {
  s_.step_loss.push_back(loss);
  s_.step_epoch.push_back(info.epoch);
  ++s_.steps;
}

void SignalRecorder::on_non_finite(const nn::NonFiniteEvent& event) {
  if (!s_.non_finite) s_.non_finite = event;
}

void SignalRecorder::on_batch_end(nn::Sequential& model, std::int64_t, const nn::Logs&) {
  // After a NaN every later number is NaN too: a few more steps show nothing new.
  if (s_.non_finite) model.stop_training = true;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (s_.steps >= budget_.max_steps || elapsed >= budget_.max_seconds) {
    model.stop_training = true;
    s_.budget_exhausted = true;
  }
}

void SignalRecorder::close_epoch() {
  if (!epoch_open_ || model_ == nullptr) return;
  epoch_open_ = false;
  std::vector<float> values;
  for (std::size_t si = 0; si < s_.layers.size(); ++si) {
    auto& ls = s_.layers[si];
    const auto& c = counts_[si];
    if (!c.active.empty()) {
      const auto dead = std::count(c.active.begin(), c.active.end(), std::uint8_t{0});
      ls.dead_share.push_back(static_cast<double>(dead) / static_cast<double>(c.active.size()));
    }
    if (!c.saturated.empty() && c.samples > 0) {
      std::int64_t sat = 0;
      for (auto k : c.saturated) sat += static_cast<double>(k) >= kSaturatedSamples * static_cast<double>(c.samples);
      ls.saturated_share.push_back(static_cast<double>(sat) / static_cast<double>(c.saturated.size()));
    }
    if (ls.trainable_values == 0) continue;
    trainable_values(model_->layer(static_cast<std::size_t>(ls.index)), values);
    auto& before = epoch_start_[si];
    if (values.size() == before.size()) {
      double diff = 0.0;
      for (std::size_t k = 0; k < values.size(); ++k) {
        const double d = static_cast<double>(values[k]) - before[k];
        diff += d * d;
      }
      const double base = l2(before);
      ls.update_ratio.push_back(base > 0.0 ? std::sqrt(diff) / base : std::sqrt(diff));
      const auto& init = initial_[si];
      ls.changed = ls.changed || !std::equal(values.begin(), values.end(), init.begin());
    }
    before = values;
  }
  ++s_.epochs;
}

void SignalRecorder::on_epoch_end(nn::Sequential&, int, nn::Logs& logs) {
  close_epoch();
  s_.history.append(epoch_, logs);
}

void SignalRecorder::on_train_end(nn::Sequential&) {
  close_epoch();
  s_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace fitcheck::doctor
