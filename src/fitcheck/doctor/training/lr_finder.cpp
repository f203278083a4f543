#include "fitcheck/doctor/training/lr_finder.hpp"

#include <algorithm>
#include <cmath>

#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kBeta = 0.9;
constexpr double kBlowUp = 4.0;     // stop once the smoothed loss is 4x its lowest
constexpr double kMinDrop = 0.05;   // the loss must fall 5% below its start to propose anything
constexpr double kRange = 30.0;     // proposal within [default / 30, default x 30]

class RateSweep final : public nn::Callback {
 public:
  RateSweep(const LrFinderOptions& o, LrFinderResult& r) : o_(o), r_(r) {}
  double rate(int step) const {
    const double t = o_.steps > 1 ? static_cast<double>(step) / (o_.steps - 1) : 0.0;
    return o_.min_lr * std::pow(o_.max_lr / o_.min_lr, t);
  }
  void on_train_begin(nn::Sequential& model) override { model.optimizer().set_learning_rate(rate(0)); }
  void on_batch_end(nn::Sequential& model, std::int64_t, const nn::Logs& logs) override {
    const double loss = logs.get("loss").value_or(NAN);
    const double lr = rate(step_);
    ++step_;
    if (!std::isfinite(loss)) {
      model.stop_training = true;
      return;
    }
    avg_ = kBeta * avg_ + (1.0 - kBeta) * loss;
    const double smoothed = avg_ / (1.0 - std::pow(kBeta, step_));
    r_.learning_rates.push_back(lr);
    r_.losses.push_back(smoothed);
    best_ = std::min(best_, smoothed);
    if (step_ >= o_.steps || (step_ > 10 && smoothed > kBlowUp * best_)) {
      model.stop_training = true;
      return;
    }
    model.optimizer().set_learning_rate(rate(step_));
  }

 private:
  const LrFinderOptions& o_;
  LrFinderResult& r_;
  int step_ = 0;
  double avg_ = 0.0;
  double best_ = INFINITY;
};

}  // namespace

nlohmann::json LrFinderResult::to_json() const {
  nlohmann::json j = {{"learning_rates", learning_rates}, {"losses", losses}};
  if (lowest_at) j["lowest_at"] = *lowest_at;
  j["proposed"] = proposed ? nlohmann::json(*proposed) : nlohmann::json(nullptr);
  if (!note.empty()) j["note"] = note;
  return j;
}

LrFinderResult find_learning_rate(const io::RunSpec& run, const LrFinderOptions& options) {
  LrFinderResult r;
  auto data = run::prepare_run_data(run);
  auto model = run::build_run_model(run);
  auto fit = run::fit_options(run, data);
  fit.verbose = 0;
  fit.initial_epoch = 0;
  fit.epochs = 1 << 20;  // the sweep ends the run
  fit.validation_split = 0.0;
  RateSweep sweep(options, r);
  fit.callbacks = {&sweep};
  const std::int64_t rows = data.train.x.dim(0);
  const std::int64_t train_rows =
      static_cast<std::int64_t>(std::floor(static_cast<double>(rows) * (1.0 - run.fit.validation_split)));
  const auto x = data.train.x.slice_rows(0, std::max<std::int64_t>(train_rows, 1));
  const auto y = data.train.y.slice_rows(0, std::max<std::int64_t>(train_rows, 1));
  (void)model.fit(x, y, fit);
  if (r.losses.size() < 10) {
    r.note = "the loss turned non-finite within the first steps of the sweep";
    return r;
  }
  const auto best = static_cast<std::size_t>(std::min_element(r.losses.begin(), r.losses.end()) - r.losses.begin());
  r.lowest_at = r.learning_rates[best];
  if (!(r.losses[best] < (1.0 - kMinDrop) * r.losses.front())) {
    r.note = "the loss did not fall at any rate of the sweep: the learning rate is not what holds training back";
    return r;
  }
  const auto opt = resolve_optimizer(run.optimizer);
  const double lr = std::clamp(*r.lowest_at / 10.0, opt.default_learning_rate / kRange, opt.default_learning_rate * kRange);
  // One significant digit: a rate people can read and type (0.003, not 0.00316).
  const double scale = std::pow(10.0, std::floor(std::log10(lr)));
  r.proposed = std::round(lr / scale) * scale;
  return r;
}

}  // namespace fitcheck::doctor
