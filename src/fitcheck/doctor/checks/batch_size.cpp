// config.batch_size: a batch larger than the data fit() trains on, or a size that breaks a layer.
//
// Rules:
// - batch_size > training rows (after validation_split Keras keeps the first floor(n * (1 - split))
//   rows): Keras silently uses one batch of all rows, so each epoch is a
//   single gradient step and `epochs` is the whole number of updates — warning (grouped under
//   data.too_few_samples, which reports the same rows from the data's side).
// - batch_size 1 with BatchNormalization: in training mode the layer normalises with the batch's
//   own mean and variance; over one sample the variance is 0 and every output becomes beta, so
//   the layer passes no information. Error when the layer's input is (batch, features) (its
//   statistics are over the batch axis only); for conv feature maps the statistics also run
//   over the spatial positions, so training still works but the estimate is noisy — warning.
// - The last partial batch of an epoch holding exactly one sample has the same problem for one
//   step per epoch — info.
#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

namespace {

constexpr std::int64_t kDefaultBatch = 32;  // Keras' fit() default

// The largest power of two <= n, capped at Keras' default.
std::int64_t suggested_batch(std::int64_t n) {
  std::int64_t b = 1;
  while (b * 2 <= n && b * 2 <= kDefaultBatch) b *= 2;
  return b;
}

}  // namespace

void check_batch_size(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run) return;
  const std::int64_t batch = ctx.run->fit.batch_size;
  const nlohmann::json where = {{"key", "/fit/batch_size"}};

  if (ctx.train) {
    const std::int64_t n = run_facts::rows_after_validation_split(ctx);
    const double vs = ctx.run->fit.validation_split;
    if (n <= 0) return;  // data.too_few_samples reports it
    if (batch > n) {
      Finding f;
      f.severity = Severity::Warning;
      f.likelihood = 0.5;
      f.title = fmt::format("batch_size {} is larger than the {} training rows: one gradient step per epoch", batch, n);
      f.where = where;
      f.evidence = {{"batch_size", batch}, {"training_rows", n}, {"validation_split", vs},
                    {"steps_per_epoch", 1}, {"total_steps", ctx.run->fit.epochs}};
      f.explanation = fmt::format(
          "Keras then uses all {} rows as one batch, so {} epochs make only {} weight updates; the loss "
          "barely moves in that many steps.", n, ctx.run->fit.epochs, ctx.run->fit.epochs);
      const std::int64_t b = suggested_batch(n);
      f.fix = fmt::format("Use a batch size well below the number of rows, e.g. {} ({} steps per epoch).", b,
                          (n + b - 1) / b);
      f.repair = nlohmann::json{{"fit", {{"batch_size", b}}}};
      f.caused_by = "FC-D116";  // the same fact seen from the data: too few samples for a batch
      out.push_back(std::move(f));
    }
  }

  if (!ctx.model) return;
  const auto shapes = run_facts::model_shapes(ctx);
  for (std::size_t i = 0; i < ctx.model->layers.size(); ++i) {
    const auto& l = ctx.model->layers[i];
    if (l.class_name != "BatchNormalization" && l.class_name != "SyncBatchNormalization") continue;
    int input_rank = 0;
    if (shapes && i < shapes->layers.size()) input_rank = shapes->layers[i].input.rank();
    const bool dense_input = input_rank == 2;
    const std::int64_t n = ctx.train ? run_facts::rows_after_validation_split(ctx) : 0;
    Finding f;
    f.where = {{"key", "/fit/batch_size"}, {"layer", l.name}};
    if (batch == 1) {
      // Unknown input rank: the error case cannot be confirmed.
      f.severity = dense_input ? Severity::Error : Severity::Warning;
      f.likelihood = 0.8;
      f.title = fmt::format("batch_size 1 with BatchNormalization \"{}\": the batch statistics of one sample", l.name);
      f.evidence = {{"batch_size", batch}, {"layer", l.name}, {"layer_input_rank", input_rank}};
      f.explanation = dense_input
          ? "In training the layer subtracts the batch mean and divides by the batch variance; with one sample "
            "the variance is 0 and every output equals beta, so the layer passes no information forward."
          : "In training the layer normalises with statistics of the current batch; from one sample they are "
            "very noisy, and training and inference behave differently.";
      f.fix = "Use a batch size of at least 16 (32 is Keras' default), or replace BatchNormalization with "
              "LayerNormalization, which does not depend on the batch.";
      f.repair = nlohmann::json{{"fit", {{"batch_size", ctx.train ? suggested_batch(n) : kDefaultBatch}}}};
    } else if (n > 0 && batch < n && n % batch == 1) {
      f.severity = Severity::Info;
      f.likelihood = 0.1;
      f.title = fmt::format("The last batch of every epoch holds 1 sample ({} rows, batch_size {}) and goes "
                            "through BatchNormalization \"{}\"", n, batch, l.name);
      f.evidence = {{"batch_size", batch}, {"training_rows", n}, {"last_batch", 1}};
      f.explanation = "One step per epoch normalises a single sample with its own statistics.";
      std::int64_t b = batch + 1;
      while (b < n && n % b == 1) ++b;
      f.fix = fmt::format("Use a batch size that does not leave one sample over, e.g. {}.", b);
      f.repair = nlohmann::json{{"fit", {{"batch_size", b}}}};
    } else {
      continue;
    }
    out.push_back(std::move(f));
    break;
  }
}

}  // namespace fitcheck::doctor
