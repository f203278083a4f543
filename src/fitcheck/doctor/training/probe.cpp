#include "fitcheck/doctor/training/probe.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"

namespace fitcheck::doctor {

namespace {

constexpr std::int64_t kPredictRows = 20000;

// The loss's task (keras_names); a binary loss over several columns (multi-label) is "other".
Task task_of(const LossInfo& loss, std::int64_t label_columns) {
  switch (loss.task) {
    case LossTask::Binary: return label_columns == 1 ? Task::Binary : Task::Other;
    case LossTask::Multiclass: return Task::Multiclass;
    case LossTask::Regression: return Task::Regression;
    case LossTask::Other: return Task::Other;
  }
  return Task::Other;
}

std::int64_t columns_of(const core::Tensor& t) { return t.rank() > 1 && t.dim(0) > 0 ? t.size() / t.dim(0) : 1; }

// The class of each row: one column → threshold (binary) or the id (sparse); K columns → argmax.
std::vector<std::int64_t> classes_of(const core::Tensor& t, std::int64_t rows, Task task, float threshold) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(rows));
  const std::int64_t k = columns_of(t);
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* r = t.data() + i * k;
    if (k == 1) {
      out[static_cast<std::size_t>(i)] = task == Task::Binary ? (r[0] > threshold ? 1 : 0)
                                                              : std::max<std::int64_t>(0, std::llround(r[0]));
    } else {
      out[static_cast<std::size_t>(i)] = std::max_element(r, r + k) - r;
    }
  }
  return out;
}

std::vector<std::int64_t> count(const std::vector<std::int64_t>& ids, std::int64_t classes) {
  std::vector<std::int64_t> c(static_cast<std::size_t>(classes), 0);
  for (auto id : ids) {
    if (id >= 0 && id < classes) ++c[static_cast<std::size_t>(id)];
  }
  return c;
}

// The run's own loss at its best constant prediction, per label column: a golden-section search
// over [lo, hi] — the losses it is used for (Huber, log-cosh, MAPE, MSLE, Poisson, the focal and
// hinge losses on one column) are unimodal in a constant — with the engine's formula, clipping
// included. Columns are independent because these losses are means over the last axis.
std::optional<double> best_constant_loss(const nlohmann::json& spec, const core::Tensor& y, std::int64_t rows, double lo,
                                         double hi, const std::vector<float>& weights) {
  std::unique_ptr<nn::Loss> loss;
  try {
    loss = nn::make_loss(spec);
  } catch (const core::Error&) {
    return std::nullopt;
  }
  const std::int64_t k = columns_of(y);
  double total = 0.0;
  for (std::int64_t c = 0; c < k; ++c) {
    core::Tensor truth(core::Shape{rows, 1}), pred(core::Shape{rows, 1});
    for (std::int64_t i = 0; i < rows; ++i) truth[i] = y.data()[i * k + c];
    auto at = [&](double v) {
      for (auto& p : pred.values()) p = static_cast<float>(v);
      return loss->compute(truth, pred, weights.empty() ? nullptr : weights.data(), nullptr);
    };
    const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = lo, b = hi, x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = at(x1), f2 = at(x2);
    for (int it = 0; it < 60 && b - a > 1e-7 * (1.0 + std::fabs(a) + std::fabs(b)); ++it) {
      if (f1 <= f2) {
        b = x2, x2 = x1, f2 = f1, x1 = b - phi * (b - a), f1 = at(x1);
      } else {
        a = x1, x1 = x2, f1 = f2, x2 = a + phi * (b - a), f2 = at(x2);
      }
    }
    const double best = std::min({f1, f2, at(lo), at(hi)});
    if (!std::isfinite(best)) return std::nullopt;
    total += best;
  }
  return total / static_cast<double>(k);
}

// The run's loss when every prediction equals its label.
std::optional<double> perfect_fit_loss(const nlohmann::json& spec, const core::Tensor& y, std::int64_t rows) {
  try {
    const auto loss = nn::make_loss(spec);
    const core::Tensor truth = y.slice_rows(0, rows);
    const double v = loss->compute(truth, truth, nullptr, nullptr);
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
  } catch (const core::Error&) {
    return std::nullopt;
  }
}

// With class weights the loss is the weighted mean, so the best constant is the weighted class
// distribution c_k = share_k * weight_k (normalised), and its loss is -sum c_k log(c_k / sum c).
Baseline baseline_of(Task task, const LossInfo& info, const nlohmann::json& spec, const core::Tensor& y, std::int64_t rows,
                     const std::map<int, double>& class_weight) {
  const std::string& loss = info.name;
  Baseline b;
  if (rows <= 0) return b;
  const std::int64_t k = columns_of(y);
  if (task == Task::Binary || task == Task::Multiclass) {
    b.kind = "majority class";
    const auto ids = classes_of(y, rows, task, 0.5f);
    const std::int64_t classes = std::max<std::int64_t>(k > 1 ? k : *std::max_element(ids.begin(), ids.end()) + 1, 2);
    const auto counts = count(ids, classes);
    b.accuracy = static_cast<double>(*std::max_element(counts.begin(), counts.end())) / static_cast<double>(rows);
    std::int64_t present = 0;
    for (auto c : counts) present += c > 0;
    b.balanced_accuracy = 1.0 / static_cast<double>(std::max<std::int64_t>(present, 1));
    if ((task == Task::Binary && loss == "binary_crossentropy") ||
        (task == Task::Multiclass && (loss == "categorical_crossentropy" || loss == "sparse_categorical_crossentropy"))) {
      std::vector<double> c(counts.size());
      double total = 0.0;
      for (std::size_t i = 0; i < counts.size(); ++i) {
        auto w = class_weight.find(static_cast<int>(i));
        c[i] = static_cast<double>(counts[i]) / static_cast<double>(rows) * (w == class_weight.end() ? 1.0 : w->second);
        total += c[i];
      }
      double l = 0.0;
      for (double ci : c) {
        if (ci > 0.0) l -= ci * std::log(std::max(ci / total, 1e-7));
      }
      b.loss = l;
    } else if (task == Task::Binary && k == 1 && (loss == "binary_focal_crossentropy" || info.hinge())) {
      std::vector<float> weights;
      if (!class_weight.empty()) {
        for (auto id : ids) {
          auto w = class_weight.find(static_cast<int>(id));
          weights.push_back(w == class_weight.end() ? 1.0f : static_cast<float>(w->second));
        }
      }
      // A constant probability in [0, 1]; a constant margin beyond ±1 only adds loss.
      b.loss = info.hinge() ? best_constant_loss(spec, y, rows, -1.0, 1.0, weights)
                            : best_constant_loss(spec, y, rows, 0.0, 1.0, weights);
    }
  } else if (task == Task::Regression) {
    b.kind = "mean";
    double total = 0.0;
    for (std::int64_t c = 0; c < k; ++c) {
      std::vector<double> col(static_cast<std::size_t>(rows));
      for (std::int64_t i = 0; i < rows; ++i) col[static_cast<std::size_t>(i)] = y.data()[i * k + c];
      if (loss == "mean_absolute_error") {
        std::nth_element(col.begin(), col.begin() + static_cast<std::ptrdiff_t>(col.size() / 2), col.end());
        const double median = col[col.size() / 2];
        double s = 0.0;
        for (double v : col) s += std::fabs(v - median);
        total += s / static_cast<double>(rows);
      } else if (loss == "mean_squared_error") {
        double mean = 0.0;
        for (double v : col) mean += v;
        mean /= static_cast<double>(rows);
        double s = 0.0;
        for (double v : col) s += (v - mean) * (v - mean);
        total += s / static_cast<double>(rows);
      } else if (loss != "cosine_similarity") {
        // Every other regression loss: searched over the labels' range; its floor is the loss of
        // the labels themselves (Poisson's is not 0).
        b.kind = "best constant";
        const auto [lo, hi] = std::minmax_element(y.data(), y.data() + rows * k);
        b.loss = best_constant_loss(spec, y, rows, *lo, *hi, {});
        if (b.loss) b.floor = perfect_fit_loss(spec, y, rows).value_or(0.0);
        return b;
      } else {
        return b;
      }
    }
    b.loss = total / static_cast<double>(k);
  }
  return b;
}

}  // namespace

std::string_view task_name(Task t) {
  switch (t) {
    case Task::Binary: return "binary classification";
    case Task::Multiclass: return "multi-class classification";
    case Task::Regression: return "regression";
    case Task::Other: return "other";
  }
  return "other";
}

nlohmann::json ProbeResult::to_json() const {
  nlohmann::json j = signals.to_json();
  j["task"] = task_name(task);
  j["loss"] = loss_name;
  j["optimizer"] = optimizer_name;
  j["learning_rate"] = learning_rate;
  j["train_rows"] = train_rows;
  j["validation"] = has_validation ? nlohmann::json(validation_source) : nlohmann::json(nullptr);
  nlohmann::json b = {{"kind", baseline.kind}};
  if (baseline.loss) b["loss"] = *baseline.loss;
  if (baseline.accuracy) b["accuracy"] = *baseline.accuracy;
  if (baseline.balanced_accuracy) b["balanced_accuracy"] = *baseline.balanced_accuracy;
  if (baseline.floor != 0.0) b["floor"] = baseline.floor;
  j["baseline"] = b;
  if (!predicted_counts.empty()) {
    j["predicted_counts"] = predicted_counts;
    j["label_counts"] = label_counts;
  }
  if (final_accuracy) j["final_accuracy"] = *final_accuracy;
  if (balanced_accuracy) j["balanced_accuracy"] = *balanced_accuracy;
  return j;
}

ProbeResult run_probe(const io::RunSpec& run, const ProbeOptions& options) {
  ProbeResult r;
  auto data = run::prepare_run_data(run);
  auto model = run::build_run_model(run);
  auto fit = run::fit_options(run, data);
  fit.verbose = 0;
  fit.epochs = std::min(fit.epochs, fit.initial_epoch + std::max(1, options.max_epochs));
  const auto loss = resolve_loss(run.loss);
  const auto opt = resolve_optimizer(run.optimizer);
  r.loss_name = loss.name;
  r.optimizer_name = opt.name;
  r.learning_rate = opt.learning_rate.value_or(opt.default_learning_rate);

  const auto& x = data.train.x;
  const auto& y = data.train.y;
  const std::int64_t n = x.dim(0);
  r.train_rows = fit.validation_split > 0.0
                     ? static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - fit.validation_split)))
                     : n;
  if (fit.validation_split > 0.0) {
    r.has_validation = true;
    r.validation_source = "the last " + std::to_string(n - r.train_rows) + " training rows (validation_split)";
  } else if (data.test && data.test->y.size() > 0) {
    // Without a validation split, the test split shows how the model generalises during the probe.
    fit.validation_x = &data.test->x;
    fit.validation_y = &data.test->y;
    r.has_validation = true;
    r.validation_source = "the test split";
  }
  r.task = task_of(loss, columns_of(y));
  r.baseline = baseline_of(r.task, loss, run.loss, y, r.train_rows, fit.class_weight);

  SignalRecorder recorder(options.budget);
  model.add_observer(&recorder);
  fit.callbacks.push_back(&recorder);
  (void)model.fit(x, y, fit);
  model.remove_observer(&recorder);
  r.signals = recorder.take();

  if ((r.task == Task::Binary || r.task == Task::Multiclass) && !r.signals.non_finite) {
    const std::int64_t rows = std::min(r.train_rows, kPredictRows);
    const auto pred = model.predict(x.slice_rows(0, rows), fit.batch_size);
    // Logits and hinge margins decide a class by their sign, probabilities at 0.5.
    const float threshold = loss.from_logits || loss.hinge() ? 0.0f : 0.5f;
    const auto predicted = classes_of(pred, rows, r.task, threshold);
    const auto truth = classes_of(y, rows, r.task, 0.5f);
    std::int64_t classes = std::max<std::int64_t>(columns_of(pred), 2);
    for (auto id : truth) classes = std::max(classes, id + 1);
    r.predicted_counts = count(predicted, classes);
    r.label_counts = count(truth, classes);
    std::int64_t right = 0;
    for (std::int64_t i = 0; i < rows; ++i) right += predicted[static_cast<std::size_t>(i)] == truth[static_cast<std::size_t>(i)];
    if (rows > 0) r.final_accuracy = static_cast<double>(right) / static_cast<double>(rows);
    // Balanced accuracy: the mean recall over the classes present (a constant scores 1/K).
    std::vector<std::int64_t> hits(static_cast<std::size_t>(classes), 0);
    for (std::int64_t i = 0; i < rows; ++i) {
      const auto t = truth[static_cast<std::size_t>(i)];
      if (t >= 0 && t < classes && predicted[static_cast<std::size_t>(i)] == t) ++hits[static_cast<std::size_t>(t)];
    }
    double recall = 0.0;
    std::int64_t present = 0;
    for (std::int64_t c = 0; c < classes; ++c) {
      if (r.label_counts[static_cast<std::size_t>(c)] == 0) continue;
      recall += static_cast<double>(hits[static_cast<std::size_t>(c)]) / static_cast<double>(r.label_counts[static_cast<std::size_t>(c)]);
      ++present;
    }
    if (present > 0) r.balanced_accuracy = recall / static_cast<double>(present);
  }
  return r;
}

}  // namespace fitcheck::doctor
