// data.too_few_samples: fewer training samples than one batch, or far fewer than the model has
// parameters.
//
// Training rows are those fit() keeps after validation_split (check_support.hpp).
// - No rows: error, nothing to train on.
// - Fewer rows than batch_size: every epoch is one full-batch step, and the data cannot show
//   the model more than a handful of examples per class — warning.
// - Parameters >= 1000 x rows: a network with at least as many parameters as samples can
//   memorise any labelling of them (Zhang et al. 2017: a two-layer ReLU net with 2n + d weights
//   fits n arbitrary labels), and networks trained on standard data sets generalise at ratios up
//   to a few tens (MNIST CNNs ~25, ResNet-50 on ImageNet ~20, VGG-16 on CIFAR-10 ~300 with
//   augmentation). Three orders of magnitude is well beyond any of those: the data cannot
//   constrain the model — warning. model.capacity reports the same ratio from the model's side.
#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kParamsPerSampleWarn = 1000.0;
}  // namespace

void check_too_few_samples(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || !ctx.train) return;
  const std::int64_t rows = ctx.train->data.x.rows();
  const std::int64_t n = run_facts::rows_after_validation_split(ctx);
  const std::int64_t batch = ctx.run->fit.batch_size;
  const double vs = ctx.run->fit.validation_split;
  Finding f;
  f.where = {{"split", "train"}, {"source", ctx.train->data.x.source}};
  f.evidence = {{"rows", rows}, {"validation_split", vs}, {"training_rows", n}, {"batch_size", batch}};
  if (n <= 0) {
    f.severity = Severity::Error;
    f.likelihood = 1.0;
    f.title = rows == 0 ? "The training data has no rows"
                        : fmt::format("No training rows are left after validation_split {}", vs);
    f.explanation = "fit() has nothing to train on.";
    f.fix = rows == 0 ? "Check the training file." : "Lower validation_split.";
    out.push_back(std::move(f));
    return;
  }
  const auto shapes = run_facts::model_shapes(ctx);
  const double params = shapes ? static_cast<double>(shapes->total_params) : 0.0;
  const double ratio = params / static_cast<double>(n);
  if (shapes) {
    f.evidence["parameters"] = shapes->total_params;
    f.evidence["parameters_per_sample"] = ratio;
  }
  if (n < batch) {
    f.severity = Severity::Warning;
    f.likelihood = 0.6;
    f.title = fmt::format("Only {} training samples, fewer than one batch of {}", n, batch);
    f.explanation = fmt::format(
        "{}A network learns a general rule only from many examples; with {} samples every epoch is a single "
        "gradient step on the same rows, and the model {}memorises them rather than learning the task.",
        vs > 0.0 ? fmt::format("After holding out {:.0f}% for validation, {} of {} rows remain. ", vs * 100, n, rows) : "",
        n, ratio >= 1.0 ? fmt::format("with {:.0f} parameters per sample ", ratio) : "");
    f.fix = "Collect (or generate) more data — hundreds of samples at least; until then use a much smaller "
            "model or a classical method, and a batch size below the number of samples.";
    out.push_back(std::move(f));
  } else if (shapes && ratio >= kParamsPerSampleWarn) {
    f.severity = Severity::Warning;
    f.likelihood = 0.5;
    f.title = fmt::format("{} training samples for {} parameters ({:.0f} parameters per sample)", n,
                          shapes->total_params, ratio);
    f.explanation = "A model with that many more parameters than samples can memorise every training label; the "
                    "training loss falls while nothing general is learned, and validation results are noise.";
    f.fix = "Get more data, or shrink the model to fit it (fewer units/layers; parameters at most a few tens "
            "per sample), and add regularisation (Dropout, weight decay, early stopping).";
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
