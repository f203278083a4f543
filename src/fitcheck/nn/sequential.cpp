#include "fitcheck/nn/sequential.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/quantity_text.hpp"
#include "fitcheck/nn/detail/flush_denormals.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/registry.hpp"
#include "fitcheck/nn/layers/shape_text.hpp"
#include "fitcheck/nn/progress_bar.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

std::int64_t row_size(const Tensor& t) { return t.rank() == 0 || t.dim(0) == 0 ? 0 : t.size() / t.dim(0); }

// Copies rows `indices[begin..end)` of src into dst (first axis = batch).
void gather_rows(const Tensor& src, const std::vector<std::int64_t>& indices, std::int64_t begin, std::int64_t end,
                 Tensor& dst) {
  Shape s = src.shape();
  s[0] = end - begin;
  dst.resize(s);
  const std::int64_t row = row_size(src);
  const std::size_t bytes = static_cast<std::size_t>(row) * sizeof(float);
  if (bytes == 0) return;  // samples of no values: nothing to copy (and memcpy may not see null)
  for (std::int64_t i = begin; i < end; ++i) {
    std::memcpy(dst.data() + (i - begin) * row, src.data() + indices[static_cast<std::size_t>(i)] * row, bytes);
  }
}

std::string readable_size(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  return fmt::format("{:.2f} {}", bytes, units[u]);
}

}  // namespace

Sequential::Sequential(std::string name, std::uint32_t seed) : name_(std::move(name)), seed_(seed), rng_(seed) {}
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;
Sequential::~Sequential() = default;

std::string Sequential::unique_layer_name(const std::string& base) const {
  auto taken = [&](const std::string& n) {
    return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->name() == n; });
  };
  if (!taken(base)) return base;
  for (int i = 1;; ++i) {
    const std::string candidate = fmt::format("{}_{}", base, i);
    if (!taken(candidate)) return candidate;
  }
}

Sequential& Sequential::add(std::unique_ptr<Layer> layer) {
  FITCHECK_CHECK(layer != nullptr, "add(nullptr)");
  if (built_) {
    throw core::ConfigError({.where = fmt::format("{}: layers[{}]", name_, layers_.size()),
                             .what = "cannot add a layer to a model that is already built",
                             .hint = "Add all layers before compile/fit, as Keras requires for a built Sequential."});
  }
  if (dynamic_cast<InputLayer*>(layer.get()) != nullptr && !layers_.empty()) {
    throw core::ConfigError({.where = fmt::format("{}: layers[{}]", name_, layers_.size()),
                             .what = "an InputLayer must be the first layer"});
  }
  // Keras default names: class in snake_case, uniquified within the model.
  const std::string base = layer->name().empty() ? detail::to_snake_case(layer->class_name()) : layer->name();
  layer->set_name(unique_layer_name(base));
  layer->set_index(static_cast<int>(layers_.size()));
  layers_.push_back(std::move(layer));
  return *this;
}

std::optional<Shape> Sequential::input_shape() const {
  if (layers_.empty()) return std::nullopt;
  if (built_) return layers_.front()->input_shape();
  return layers_.front()->declared_input_shape();
}

std::vector<Shape> Sequential::infer_shapes(const Shape& input_shape) const {
  std::vector<Shape> shapes;
  Shape s = input_shape;
  for (const auto& l : layers_) {
    s = l->compute_output_shape(s);
    shapes.push_back(s);
  }
  return shapes;
}

void Sequential::build(const Shape& input) {
  if (layers_.empty()) {
    throw core::ConfigError({.where = name_, .what = "the model has no layers", .hint = "Add layers before building."});
  }
  Shape s = input;
  s[0] = core::kUnknownDim;
  if (const auto& declared = layers_.front()->declared_input_shape(); declared && !built_) {
    if (dynamic_cast<InputLayer*>(layers_.front().get()) == nullptr) check_sample_shape(*layers_.front(), s, *declared);
  }
  core::Rng init_rng(seed_);
  for (auto& l : layers_) {
    const Shape in = s;
    s = l->build(s, init_rng);
    // Keras refuses a layer whose output has a zero-sized axis ("one of the dimensions in the
    // output is <= 0"): nothing downstream could be computed from it.
    for (int a = 1; a < s.rank(); ++a) {
      if (s[a] == 0) {
        throw core::ConfigError({.where = fmt::format("{}: layer \"{}\" ({})", name_, l->name(), l->class_name()),
                                 .what = fmt::format("its output {} has an axis of size 0", s.str()),
                                 .expected = "every output axis at least 1",
                                 .got = fmt::format("input {}", in.str()),
                                 .hint = "Check its sizes against its input: a crop, kernel or pool that takes the "
                                         "whole axis, or a zero in units, filters or a target shape."});
      }
    }
  }
  built_ = true;
  activations_.resize(layers_.size() + 1);
  gradients_.resize(layers_.size() + 1);
}

void Sequential::ensure_built_for(const Tensor& x) {
  Shape data = x.shape();
  if (data.rank() > 0) data[0] = core::kUnknownDim;
  if (!built_) {
    if (auto declared = input_shape()) {
      check_sample_shape(*layers_.front(), x.shape(), *declared);
      build(*declared);
    } else {
      build(data);
    }
    return;
  }
  check_sample_shape(*layers_.front(), x.shape(), layers_.front()->input_shape());
}

void Sequential::compile(const CompileOptions& o) {
  if (o.loss.is_null()) {
    throw core::ConfigError({.where = name_ + ": compile", .what = "no loss given",
                             .expected = "a loss such as \"binary_crossentropy\" or \"mse\""});
  }
  compile(make_optimizer(o.optimizer, "compile.optimizer"), o.loss, o.metrics);
}

void Sequential::compile(std::unique_ptr<Optimizer> optimizer, const Json& loss, const std::vector<Json>& metrics) {
  FITCHECK_CHECK(optimizer != nullptr, "compile without an optimizer");
  optimizer_ = std::move(optimizer);
  loss_ = make_loss(loss, "compile.loss");
  metrics_.clear();
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    metrics_.push_back(make_metric(metrics[i], fmt::format("compile.metrics[{}]", i)));
  }
  loss_spec_ = loss;
  metric_specs_ = metrics;
}

Optimizer& Sequential::optimizer() {
  if (!optimizer_) throw core::ConfigError({.where = name_, .what = "the model is not compiled", .hint = "Call compile() first."});
  return *optimizer_;
}

const Optimizer& Sequential::optimizer() const {
  if (!optimizer_) throw core::ConfigError({.where = name_, .what = "the model is not compiled", .hint = "Call compile() first."});
  return *optimizer_;
}

const Loss& Sequential::loss() const {
  if (!loss_) throw core::ConfigError({.where = name_, .what = "the model is not compiled", .hint = "Call compile() first."});
  return *loss_;
}

void Sequential::check_data(const Tensor& x, const Tensor& y, const char* role) const {
  if (x.rank() < 1 || x.dim(0) == 0) {
    throw core::InputError({.where = std::string(role), .what = "no samples", .expected = "at least one row",
                            .got = x.shape().str()});
  }
  if (y.rank() < 1 || y.dim(0) != x.dim(0)) {
    throw core::InputError({.where = std::string(role),
                            .what = "the features and labels have different numbers of samples",
                            .expected = fmt::format("{} labels (one per row of x {})", x.dim(0), x.shape().str()),
                            .got = y.shape().str()});
  }
}

void Sequential::add_observer(TrainingObserver* observer) {
  if (observer != nullptr && std::find(observers_.begin(), observers_.end(), observer) == observers_.end()) {
    observers_.push_back(observer);
  }
}

void Sequential::remove_observer(TrainingObserver* observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer), observers_.end());
}

void Sequential::report_non_finite(NonFiniteEvent event) {
  if (non_finite_reported_) return;
  non_finite_reported_ = true;
  for (auto* o : observers_) o->on_non_finite(event);
}

void Sequential::forward(const Tensor& x, bool training, const BatchInfo* info) {
  activations_.resize(layers_.size() + 1);
  activations_[0] = x;
  const ForwardContext ctx{.training = training, .rng = &rng_};
  const bool observe = info != nullptr && !observers_.empty();
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->forward(activations_[i], activations_[i + 1], ctx);
    if (!observe) continue;
    for (auto* o : observers_) o->on_layer_forward(*info, *layers_[i], activations_[i], activations_[i + 1]);
    if (!non_finite_reported_) {
      const auto bad = first_non_finite(activations_[i + 1]);
      if (bad >= 0) report_non_finite_output(*info, i, bad);
    }
  }
}

// Layer i turned out NaN/inf. Finite input and a non-finite weight: the last update wrote it
// (weights are not scanned after every step, see observer.hpp), so that step is named.
void Sequential::report_non_finite_output(const BatchInfo& info, std::size_t i, std::int64_t element) {
  const Layer& l = *layers_[i];
  const bool input_finite = first_non_finite(activations_[i]) < 0;
  if (input_finite && last_step_) {
    for (const auto& p : l.parameters()) {
      const auto bad = first_non_finite(p.value);
      if (bad < 0) continue;
      report_non_finite({.batch = *last_step_, .layer_index = static_cast<int>(i), .layer_name = l.name(),
                         .layer_class = l.class_name(), .op = "update", .tensor = p.name, .element = bad,
                         .value = p.value[bad], .input_finite = first_non_finite(p.grad) < 0});
      return;
    }
  }
  report_non_finite({.batch = info, .layer_index = static_cast<int>(i), .layer_name = l.name(),
                     .layer_class = l.class_name(), .op = "forward", .tensor = "output", .element = element,
                     .value = activations_[i + 1][element], .input_finite = input_finite});
}

double Sequential::loss_and_gradient(const Tensor& y, const float* sw, bool with_gradient) {
  Layer& last = *layers_.back();
  Tensor* grad = with_gradient ? &gradients_.back() : nullptr;
  logits_path_ = loss_->uses_logits_of(last.output_activation()) && last.pre_activation() != nullptr;
  if (logits_path_) return loss_->compute_from_logits(y, *last.pre_activation(), sw, grad);
  return loss_->compute(y, activations_.back(), sw, grad);
}

void Sequential::backward(const BatchInfo* info) {
  const bool observe = info != nullptr && !observers_.empty();
  layers_.back()->set_gradient_is_pre_activation(logits_path_);
  // Layers below the lowest one with trainable parameters (an InputLayer, a frozen base) have
  // nothing to learn: backward stops at that layer, which skips its input gradient — a GEMM for
  // a Dense, a GEMM and col2im for a Conv2D.
  std::size_t lowest = 0;
  while (lowest + 1 < layers_.size() && layers_[lowest]->count_trainable_params() == 0) ++lowest;
  for (std::size_t k = layers_.size(); k-- > lowest;) {
    Layer& l = *layers_[k];
    Tensor* dx = k == lowest ? nullptr : &gradients_[k];
    l.backward(activations_[k], activations_[k + 1], gradients_[k + 1], dx);
    if (!observe) continue;
    ParameterGradients pg;
    for (const auto& p : l.parameters()) {
      if (!p.trainable) continue;
      pg.sum_of_squares += sum_of_squares(p.grad);
      pg.count += p.grad.size();
    }
    for (auto* o : observers_) o->on_layer_backward(*info, l, gradients_[k + 1], dx, pg);
    if (non_finite_reported_) continue;
    // The sum is finite when every gradient is: the exact search only when there is something to find.
    if (!std::isfinite(pg.sum_of_squares)) {
      for (const auto& p : l.parameters()) {
        if (!p.trainable) continue;
        const auto bad = first_non_finite(p.grad);
        if (bad < 0) continue;
        report_non_finite({.batch = *info, .layer_index = static_cast<int>(k), .layer_name = l.name(),
                           .layer_class = l.class_name(), .op = "backward", .tensor = p.name + "_gradient",
                           .element = bad, .value = p.grad[bad], .input_finite = first_non_finite(gradients_[k + 1]) < 0});
        break;
      }
    }
    if (!non_finite_reported_ && dx != nullptr) {
      const auto bad = first_non_finite(*dx);
      if (bad >= 0) {
        report_non_finite({.batch = *info, .layer_index = static_cast<int>(k), .layer_name = l.name(),
                           .layer_class = l.class_name(), .op = "backward", .tensor = "input_gradient",
                           .element = bad, .value = (*dx)[bad], .input_finite = first_non_finite(gradients_[k + 1]) < 0});
      }
    }
  }
  layers_.back()->set_gradient_is_pre_activation(false);
}

std::vector<VariableRef> Sequential::trainable_variables() {
  std::vector<VariableRef> vars;
  for (auto& l : layers_) {
    if (!l->trainable()) continue;
    for (auto& p : l->parameters()) {
      if (p.trainable) vars.push_back({&p.value, &p.grad});
    }
  }
  return vars;
}

void Sequential::train_step(const Tensor& x, const Tensor& y, const float* sw, const BatchInfo& info, double& loss_out) {
  const bool observe = !observers_.empty();
  if (observe) {
    for (auto* o : observers_) o->on_batch_begin(info, x, y);
  }
  forward(x, true, observe ? &info : nullptr);
  loss_out = loss_and_gradient(y, sw, true);
  if (observe) {
    for (auto* o : observers_) o->on_loss(info, loss_out, y, activations_.back());
    if (!std::isfinite(loss_out)) {
      report_non_finite({.batch = info, .op = "loss", .tensor = "loss", .value = static_cast<float>(loss_out),
                         .input_finite = first_non_finite(activations_.back()) < 0});
    }
  }
  backward(observe ? &info : nullptr);
  const auto vars = trainable_variables();
  bool wants_updates = false;
  for (auto* o : observers_) wants_updates = wants_updates || o->wants_parameter_updates();
  std::vector<Tensor> before;
  if (wants_updates) {
    for (const auto& v : vars) before.push_back(*v.value);
  }
  optimizer_->apply(vars);
  if (wants_updates) {
    std::size_t vi = 0;
    for (auto& l : layers_) {
      if (!l->trainable()) continue;
      for (auto& p : l->parameters()) {
        if (!p.trainable) continue;
        for (auto* o : observers_) o->on_parameter_update(info, *l, p, before[vi]);
        ++vi;
      }
    }
  }
  if (observe) last_step_ = info;
}

History Sequential::fit(const Tensor& x, const Tensor& y, const FitOptions& o) {
  const detail::ScopedFlushDenormals flush;  // as TensorFlow on the CPU (flush_denormals.hpp)
  if (!compiled()) {
    throw core::ConfigError({.where = name_, .what = "fit() before compile()", .hint = "Call compile(optimizer, loss) first."});
  }
  check_data(x, y, "fit: x, y");
  if (o.batch_size < 1) {
    throw core::ConfigError({.where = "fit: batch_size", .what = "must be positive", .expected = "≥ 1",
                             .got = std::to_string(o.batch_size)});
  }
  if (!(o.validation_split >= 0.0 && o.validation_split < 1.0)) {
    throw core::ConfigError({.where = "fit: validation_split", .what = "out of range", .expected = "0 ≤ split < 1",
                             .got = std::to_string(o.validation_split)});
  }
  if (o.sample_weight != nullptr && o.sample_weight->size() != x.dim(0)) {
    throw core::InputError({.where = "fit: sample_weight", .what = "one weight per sample needed",
                            .expected = std::to_string(x.dim(0)) + " values", .got = o.sample_weight->shape().str()});
  }
  if (o.seed && !built_) seed_ = *o.seed;
  ensure_built_for(x);
  if (o.seed) rng_ = core::Rng(*o.seed);
  stop_training = false;
  non_finite_reported_ = false;
  last_step_.reset();

  // Keras: the validation split is the last fraction of the arrays, taken before shuffling.
  const std::int64_t n = x.dim(0);
  std::int64_t n_train = n;
  Tensor split_vx, split_vy;
  const Tensor* vx = o.validation_x;
  const Tensor* vy = o.validation_y;
  if (vx == nullptr && o.validation_split > 0.0) {
    n_train = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - o.validation_split)));
    if (n_train <= 0 || n_train >= n) {
      throw core::InputError({.where = "fit: validation_split",
                              .what = "the split leaves no training or no validation samples",
                              .expected = "a fraction that leaves samples on both sides",
                              .got = fmt::format("{} of {} samples", o.validation_split, n)});
    }
    split_vx = x.slice_rows(n_train, n);
    split_vy = y.slice_rows(n_train, n);
    vx = &split_vx;
    vy = &split_vy;
  }
  if (vx != nullptr) {
    FITCHECK_CHECK(vy != nullptr, "validation_x without validation_y");
    check_data(*vx, *vy, "fit: validation_data");
    check_sample_shape(*layers_.front(), vx->shape(), layers_.front()->input_shape());
  }

  // Per-sample weights: sample_weight × class_weight (class = argmax of one-hot, else the label).
  std::vector<float> weights;
  if (o.sample_weight != nullptr || !o.class_weight.empty()) {
    weights.assign(static_cast<std::size_t>(n), 1.0f);
    const std::int64_t yc = row_size(y);
    for (std::int64_t i = 0; i < n; ++i) {
      float w = o.sample_weight != nullptr ? (*o.sample_weight)[i] : 1.0f;
      if (!o.class_weight.empty()) {
        const float* row = y.data() + i * yc;
        const int cls = yc > 1 ? static_cast<int>(std::max_element(row, row + yc) - row) : static_cast<int>(std::lround(row[0]));
        auto it = o.class_weight.find(cls);
        if (it != o.class_weight.end()) w *= static_cast<float>(it->second);
      }
      weights[static_cast<std::size_t>(i)] = w;
    }
  }

  History history;
  for (auto* cb : o.callbacks) cb->on_train_begin(*this);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
  const std::int64_t steps = (n_train + o.batch_size - 1) / o.batch_size;
  Tensor xb, yb;
  std::vector<float> swb;
  for (int epoch = o.initial_epoch; epoch < o.epochs && !stop_training; ++epoch) {
    for (auto* cb : o.callbacks) cb->on_epoch_begin(*this, epoch);
    if (o.verbose > 0 && o.epochs > 1) std::fprintf(stderr, "Epoch %d/%d\n", epoch + 1, o.epochs);
    for (std::int64_t i = 0; i < n_train; ++i) order[static_cast<std::size_t>(i)] = i;
    if (o.shuffle) rng_.shuffle(std::span<std::int64_t>(order));
    for (auto& m : metrics_) m->reset();
    ProgressBar bar(steps, o.verbose);
    double loss_sum = 0.0;
    std::int64_t seen = 0;
    Logs logs;
    for (std::int64_t b = 0; b < steps && !stop_training; ++b) {
      const std::int64_t begin = b * o.batch_size, end = std::min(n_train, begin + o.batch_size);
      gather_rows(x, order, begin, end, xb);
      gather_rows(y, order, begin, end, yb);
      const float* sw = nullptr;
      if (!weights.empty()) {
        swb.resize(static_cast<std::size_t>(end - begin));
        for (std::int64_t i = begin; i < end; ++i) swb[static_cast<std::size_t>(i - begin)] = weights[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
        sw = swb.data();
      }
      const BatchInfo info{.epoch = epoch, .batch = b, .step = optimizer_->iterations(), .batch_size = end - begin,
                           .learning_rate = optimizer_->learning_rate()};
      double batch_loss = 0.0;
      train_step(xb, yb, sw, info, batch_loss);
      // Metrics see this batch's predictions from before the update, as in Keras.
      for (auto& m : metrics_) m->update(yb, activations_.back());
      loss_sum += batch_loss * static_cast<double>(end - begin);
      seen += end - begin;
      logs = Logs();
      logs.set("loss", loss_sum / static_cast<double>(seen));
      for (auto& m : metrics_) logs.set(m->name(), m->result());
      for (auto* ob : observers_) ob->on_batch_end(info, batch_loss);
      Logs batch_logs;
      batch_logs.set("loss", batch_loss);
      for (auto* cb : o.callbacks) cb->on_batch_end(*this, b, batch_logs);
      if (b + 1 < steps) bar.update(b + 1, logs);
    }
    if (vx != nullptr) {
      const Logs val = evaluate(*vx, *vy, o.batch_size);
      for (const auto& [k, v] : val.items()) logs.set("val_" + k, v);
    }
    bar.update(steps, logs, true);
    for (auto* cb : o.callbacks) cb->on_epoch_end(*this, epoch, logs);
    for (auto* ob : observers_) ob->on_epoch_end(epoch, logs);
    history.append(epoch, logs);
  }
  for (auto* cb : o.callbacks) cb->on_train_end(*this);
  return history;
}

Logs Sequential::evaluate(const Tensor& x, const Tensor& y, std::int64_t batch_size, const Tensor* sample_weight) {
  const detail::ScopedFlushDenormals flush;  // as TensorFlow on the CPU (flush_denormals.hpp)
  if (!compiled()) {
    throw core::ConfigError({.where = name_, .what = "evaluate() before compile()", .hint = "Call compile() first."});
  }
  check_data(x, y, "evaluate: x, y");
  ensure_built_for(x);
  const std::int64_t n = x.dim(0);
  batch_size = std::max<std::int64_t>(batch_size, 1);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (auto& m : metrics_) m->reset();
  double loss_sum = 0.0;
  Tensor xb, yb;
  for (std::int64_t begin = 0; begin < n; begin += batch_size) {
    const std::int64_t end = std::min(n, begin + batch_size);
    gather_rows(x, order, begin, end, xb);
    gather_rows(y, order, begin, end, yb);
    forward(xb, false, nullptr);
    const float* sw = sample_weight != nullptr ? sample_weight->data() + begin : nullptr;
    loss_sum += loss_and_gradient(yb, sw, false) * static_cast<double>(end - begin);
    for (auto& m : metrics_) m->update(yb, activations_.back());
  }
  Logs logs;
  logs.set("loss", loss_sum / static_cast<double>(n));
  for (auto& m : metrics_) logs.set(m->name(), m->result());
  return logs;
}

Tensor Sequential::predict(const Tensor& x, std::int64_t batch_size) {
  const detail::ScopedFlushDenormals flush;  // as TensorFlow on the CPU (flush_denormals.hpp)
  if (x.rank() < 1) {
    throw core::InputError({.where = "predict: x", .what = "no batch axis", .expected = "(samples, ...)", .got = x.shape().str()});
  }
  ensure_built_for(x);
  const std::int64_t n = x.dim(0);
  batch_size = std::max<std::int64_t>(batch_size, 1);
  Shape out_shape = layers_.back()->output_shape();
  out_shape[0] = n;
  Tensor out(out_shape);
  const std::int64_t out_row = n == 0 ? 0 : out.size() / n;
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  Tensor xb;
  for (std::int64_t begin = 0; begin < n; begin += batch_size) {
    const std::int64_t end = std::min(n, begin + batch_size);
    gather_rows(x, order, begin, end, xb);
    forward(xb, false, nullptr);
    if (out_row > 0) {
      std::memcpy(out.data() + begin * out_row, activations_.back().data(),
                  static_cast<std::size_t>((end - begin) * out_row) * sizeof(float));
    }
  }
  return out;
}

std::int64_t Sequential::count_params() const {
  std::int64_t n = 0;
  for (const auto& l : layers_) n += l->count_params();
  return n;
}

std::int64_t Sequential::count_trainable_params() const {
  std::int64_t n = 0;
  for (const auto& l : layers_) n += l->count_trainable_params();
  return n;
}

std::string Sequential::summary() const {
  // Keras 3 layout: three columns of widths 33 / 24 / 15 in a box; InputLayer is not listed.
  constexpr int w1 = 33, w2 = 24, w3 = 15;
  auto rep = [](const char* s, int n) {
    std::string r;
    for (int i = 0; i < n; ++i) r += s;
    return r;
  };
  auto cell = [](const std::string& text, int width, bool right) {
    // Padding by appends: GCC 12 reports a false -Wrestrict for literal + std::string chains here.
    std::string shown = text;
    if (static_cast<int>(shown.size()) > width - 2) {
      shown.resize(static_cast<std::size_t>(width - 3));
      shown.append("…");
    }
    const auto pad = static_cast<std::size_t>(std::max(width - 2 - static_cast<int>(shown.size()), 0));
    std::string out(" ");
    if (right) out.append(pad, ' ');
    out.append(shown);
    if (!right) out.append(pad, ' ');
    out.append(" ");
    return out;
  };
  std::string s = fmt::format("Model: \"{}\"\n", name_);
  s += "┏" + rep("━", w1) + "┳" + rep("━", w2) + "┳" + rep("━", w3) + "┓\n";
  s += "┃" + cell("Layer (type)", w1, false) + "┃" + cell("Output Shape", w2, false) + "┃" + cell("Param #", w3, true) + "┃\n";
  s += "┡" + rep("━", w1) + "╇" + rep("━", w2) + "╇" + rep("━", w3) + "┩\n";
  std::vector<Shape> shapes;
  if (built_) {
    for (const auto& l : layers_) shapes.push_back(l->output_shape());
  } else if (auto in = input_shape()) {
    shapes = infer_shapes(*in);
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = *layers_[i];
    if (l.class_name() == "InputLayer") continue;
    const std::string shape = i < shapes.size() ? shapes[i].str() : std::string("?");
    const std::string params = built_ ? core::with_thousands(l.count_params()) : std::string("0 (unbuilt)");
    s += "│" + cell(fmt::format("{} ({})", l.name(), l.class_name()), w1, false) + "│" + cell(shape, w2, false) + "│" +
         cell(params, w3, true) + "│\n";
  }
  s += "└" + rep("─", w1) + "┴" + rep("─", w2) + "┴" + rep("─", w3) + "┘\n";
  const std::int64_t total = count_params(), trainable = count_trainable_params();
  s += fmt::format(" Total params: {} ({})\n", core::with_thousands(total), readable_size(4.0 * static_cast<double>(total)));
  s += fmt::format(" Trainable params: {} ({})\n", core::with_thousands(trainable), readable_size(4.0 * static_cast<double>(trainable)));
  s += fmt::format(" Non-trainable params: {} ({})\n", core::with_thousands(total - trainable),
                   readable_size(4.0 * static_cast<double>(total - trainable)));
  return s;
}

std::vector<Tensor> Sequential::get_weights() const {
  std::vector<Tensor> w;
  for (const auto& l : layers_) {
    for (const auto& p : l->parameters()) w.push_back(p.value);
  }
  return w;
}

void Sequential::set_weights(const std::vector<Tensor>& weights) {
  std::size_t i = 0;
  for (auto& l : layers_) {
    for (auto& p : l->parameters()) {
      if (i >= weights.size() || weights[i].shape() != p.value.shape()) {
        throw core::InputError({.where = fmt::format("set_weights: weight {} ({} {})", i, l->where(), p.name),
                                .what = "weights do not match the model",
                                .expected = p.value.shape().str(),
                                .got = i < weights.size() ? weights[i].shape().str() : std::string("no more weights")});
      }
      p.value = weights[i++];
    }
  }
  if (i != weights.size()) {
    throw core::InputError({.where = "set_weights", .what = "more weights than the model has",
                            .expected = std::to_string(i), .got = std::to_string(weights.size())});
  }
}

Sequential Sequential::from_config(const Json& spec, const std::string& where) {
  const Json* cfg = &spec;
  if (spec.is_object() && spec.contains("class_name")) {
    const std::string cls = spec["class_name"].is_string() ? spec["class_name"].get<std::string>() : "";
    if (cls != "Sequential") {
      throw core::ConfigError({.where = where, .what = "not a Sequential model", .expected = "class_name \"Sequential\"",
                               .got = spec["class_name"].dump(),
                               .hint = "Functional models are read by the Keras importer (io), not by Sequential."});
    }
    cfg = spec.contains("config") ? &spec["config"] : nullptr;
  }
  if (cfg == nullptr || !cfg->is_object() || !cfg->contains("layers") || !(*cfg)["layers"].is_array()) {
    throw core::ConfigError({.where = where, .what = "no layer list", .expected = "config.layers as a list"});
  }
  const Json& name = cfg->contains("name") ? (*cfg)["name"] : Json();
  Sequential model(name.is_string() ? name.get<std::string>() : std::string("sequential"));
  const Json& layers = (*cfg)["layers"];
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto layer = layer_from_config(layers[i], fmt::format("{}: layers[{}]", where, i));
    const std::string n = layer->name();
    model.add(std::move(layer));
    model.layers_.back()->set_name(n.empty() ? model.layers_.back()->name() : n);
  }
  if (!model.input_shape() && cfg->contains("build_input_shape") && (*cfg)["build_input_shape"].is_array()) {
    model.layers_.front()->set_declared_input_shape(config::get_shape((*cfg)["build_input_shape"], where + ": build_input_shape"));
  }
  if (auto in = model.input_shape()) model.build(*in);
  return model;
}

Json Sequential::to_config() const {
  Json layers = Json::array();
  for (const auto& l : layers_) layers.push_back(layer_to_config(*l));
  Json config{{"name", name_}, {"layers", layers}};
  if (auto in = input_shape()) config["build_input_shape"] = config::shape_to_json(*in);
  return {{"class_name", "Sequential"}, {"config", config}};
}

}  // namespace fitcheck::nn
