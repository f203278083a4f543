// model.invalid_config: ids fed to a first-layer Embedding that are not indices into its table.
//
// An Embedding looks up row `id` of an (input_dim, output_dim) table, so every id must be an
// integer in [0, input_dim). Keras stops fit (or, on a GPU, silently returns zeros) at the first
// id outside that range; fitcheck's engine refuses it too, so without this check the run could
// not be trained and nothing said why. The usual causes: input_dim set to the number of distinct
// words while ids were assigned from 1 (padding 0 takes a slot), or from a vocabulary built on
// more text than the model was told about. Exact rule, from each split's column minimum and
// maximum (the test split must be looked up too).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

void check_embedding_ids(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !feeds_embedding(ctx)) return;
  const auto& layer = ctx.model->layers.front();
  if (!layer.config.contains("input_dim") || !layer.config["input_dim"].is_number_integer()) return;
  const auto input_dim = layer.config["input_dim"].get<std::int64_t>();
  if (input_dim <= 0) return;  // the layer's own arguments are check_invalid_layer_config's
  double lo = INFINITY, hi = -INFINITY;
  std::string where_hi;
  for (const auto* split : {&*ctx.train, ctx.test ? &*ctx.test : nullptr}) {
    if (split == nullptr) continue;
    for (const auto& c : split->features.columns()) {
      if (c.is_text()) continue;
      if (auto m = c.min()) lo = std::min(lo, *m);
      if (auto m = c.max(); m && *m > hi) {
        hi = *m;
        where_hi = split->data.split;
      }
    }
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;
  const bool too_large = hi >= static_cast<double>(input_dim);
  const bool negative = lo < 0.0;
  if (!too_large && !negative) return;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 1.0;
  f.where = {{"layer", layer.name}, {"split", where_hi}, {"source", ctx.train->data.x.source}};
  f.evidence = {{"input_dim", input_dim}, {"largest_id", hi}, {"smallest_id", lo}};
  f.title = too_large ? fmt::format("Ids reach {:g} but Embedding \"{}\" has input_dim {} (valid ids 0..{})", hi,
                                    layer.name, input_dim, input_dim - 1)
                      : fmt::format("Negative ids (down to {:g}) go to Embedding \"{}\"", lo, layer.name);
  f.explanation = "An Embedding looks up one row of its table per id; an id outside [0, input_dim) has no row, and "
                  "Keras stops training at the first one (\"indices[...] is not in [0, input_dim)\").";
  f.fix = too_large ? fmt::format("Set input_dim to at least {:g} (the largest id + 1: vocabulary size plus the padding "
                                  "and out-of-vocabulary ids), or map the ids into 0..{}.",
                                  hi + 1.0, input_dim - 1)
                    : "Use non-negative ids (reserve 0 for padding, 1 for out-of-vocabulary words).";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
