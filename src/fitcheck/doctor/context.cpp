#include "fitcheck/doctor/context.hpp"

#include <future>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/run_model.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_splits.hpp"
#include "checks/run_facts.hpp"

namespace fitcheck::doctor {

bool CheckContext::raw_input() const {
  return run == nullptr || (run->preprocess.is_string() && run->preprocess.get<std::string>() == "none");
}

namespace {

void profile_split_view(SplitView& view) {
  const auto& data = view.data;
  if (data.x.kind == io::DataBlock::Kind::Table) {
    view.features = profile::profile_table(data.x.table);
  } else {
    view.features = profile::profile_table(data.x.array.to_table("x"));
  }
  view.features.source = data.x.source;
  view.features.notes = data.notes;
  if (data.y) view.labels = label_facts(*data.y);
}

}  // namespace

SplitView make_split_view(io::Dataset data) {
  SplitView view;
  view.data = std::move(data);
  profile_split_view(view);
  return view;
}

// The per-sample shape the model receives after the run's preprocessing: the pipeline is fitted as
// `fit` fits it (run::fit_run_pipeline) and its output width read. Arrays whose pipeline maps every
// value to one value (pixel scaling, casting) keep their per-sample shape, as they do in training.
core::Shape prepared_input_shape(const io::RunSpec& run, const io::DataBlock& x) {
  const bool array = x.kind == io::DataBlock::Kind::Array;
  // Not `array ? to_table : x.table`: the conditional would copy the table.
  auto fitted = array ? run::fit_run_pipeline(run, x.array.to_table("x")) : run::fit_run_pipeline(run, x.table);
  const auto width = static_cast<std::int64_t>(fitted.feature_names_out().size());
  auto dims = x.shape().dims();
  std::int64_t per_sample = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) per_sample *= dims[i];
  if (array && dims.size() > 2 && width == per_sample) {
    dims[0] = core::kUnknownDim;
    return core::Shape(dims);
  }
  return core::Shape{core::kUnknownDim, width};
}

CheckContext build_check_context(const io::RunSpec& run) {
  CheckContext ctx;
  ctx.run = &run;
  try {
    ctx.model = io::load_run_model(run);
  } catch (const core::ConfigError& e) {
    // A model Keras accepts but fitcheck cannot analyse must not hide what the data shows.
    ctx.model_error = e.what();
  }
  auto splits = run::load_run_splits(run);
  ctx.train.emplace();
  ctx.train->data = std::move(splits.train);
  // The pipeline fit that gives the model's input width only reads the training data: it runs
  // beside the profiles, filling the cores the profile's column tasks leave idle.
  std::future<core::Shape> prepared;
  if (!ctx.raw_input()) {
    prepared = std::async(std::launch::async, [&run, &x = ctx.train->data.x] { return prepared_input_shape(run, x); });
  }
  profile_split_view(*ctx.train);
  if (splits.test) ctx.test = make_split_view(std::move(*splits.test));
  if (ctx.raw_input()) {
    auto dims = ctx.train->data.x.shape().dims();
    if (!dims.empty()) dims[0] = core::kUnknownDim;
    ctx.data_input_shape = core::Shape(dims);
  } else {
    try {
      ctx.data_input_shape = prepared.get();
    } catch (const core::InputError&) {
      // A pipeline with nothing to fit (no training rows left by validation_split, no feature
      // columns) leaves the model's input width unknown; the checks then say what is wrong with
      // the data (data.too_few_samples, data.shape_mismatch) instead of the run ending here.
      // Any other error (a step naming an unknown column, ...) is the run file's: it stands.
      const auto& x = ctx.train->data.x;
      const bool no_columns = x.kind == io::DataBlock::Kind::Table && x.table.num_columns() == 0;
      if (!no_columns && run_facts::rows_after_validation_split(ctx) > 0) throw;
    }
  }
  return ctx;
}

}  // namespace fitcheck::doctor
