#include "fitcheck/run/run_data.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/run/run_splits.hpp"

namespace fitcheck::run {

namespace {

bool is_auto(const nlohmann::json& p) { return p.is_string() && p.get<std::string>() == "auto"; }
bool is_none(const nlohmann::json& p) { return p.is_string() && p.get<std::string>() == "none"; }

core::Tensor table_to_tensor(const core::Table& t) {
  const std::int64_t n = t.num_rows(), k = t.num_columns();
  core::Tensor out(core::Shape{n, k});
  float* d = out.data();
  for (int c = 0; c < k; ++c) {
    const auto& col = t.column(c);
    if (col.type == core::ColumnType::Categorical) {
      throw core::InputError({.where = fmt::format("{}: column \"{}\"", t.source(), col.name),
                              .what = "text cannot go to the network as it is",
                              .expected = "numbers",
                              .hint = "Use \"preprocess\": \"auto\" (or a one-hot step for this column), as "
                                      "`fitcheck doctor` suggests."});
    }
    for (std::int64_t i = 0; i < n; ++i) d[i * k + c] = static_cast<float>(col.as_double(i));
  }
  return out;
}

core::Tensor labels_tensor(const io::DataBlock& y, std::vector<std::string>& classes) {
  if (y.kind == io::DataBlock::Kind::Array) return y.array.to_tensor();
  const auto& col = y.table.column(0);
  const std::int64_t n = y.table.num_rows();
  core::Tensor out(core::Shape{n});
  if (col.type == core::ColumnType::Categorical) {
    classes = col.dictionary;
    std::sort(classes.begin(), classes.end());
    std::map<std::string, int> id;
    for (std::size_t i = 0; i < classes.size(); ++i) id[classes[i]] = static_cast<int>(i);
    for (std::int64_t i = 0; i < n; ++i) {
      const auto code = col.codes[static_cast<std::size_t>(i)];
      out.data()[i] = code < 0 ? NAN : static_cast<float>(id[col.dictionary[static_cast<std::size_t>(code)]]);
    }
  } else {
    for (std::int64_t i = 0; i < n; ++i) out.data()[i] = static_cast<float>(col.as_double(i));
  }
  return out;
}

core::Table features_table(const io::DataBlock& x) {
  if (x.kind == io::DataBlock::Kind::Table) return x.table;
  core::Table t = x.array.to_table("x");
  t.set_source(x.source);
  return t;
}

// The pipeline's 2-D output back in the array's per-sample shape when it kept one value per input
// value (pixel scaling, casting), so images stay images.
core::Tensor reshaped_like(core::Tensor prepared, const io::DataBlock& x) {
  if (x.kind != io::DataBlock::Kind::Array || x.array.shape.rank() <= 2) return prepared;
  const auto& s = x.array.shape;
  std::int64_t per = 1;
  for (int i = 1; i < s.rank(); ++i) per *= s[i];
  if (prepared.rank() == 2 && prepared.dim(1) == per) prepared.reshape(s);
  return prepared;
}

}  // namespace

prep::FittedPipeline fit_run_pipeline(const io::RunSpec& run, const core::Table& features) {
  const std::string where =
      (run.path.empty() ? std::string("run file") : run.path.filename().string()) + ": /preprocess";
  const auto fit_rows =
      prep::training_rows(features, prep::validation_split_indices(features.num_rows(), run.fit.validation_split));
  prep::Pipeline pipeline = is_auto(run.preprocess) ? prep::Pipeline::from_plan(prep::plan_auto(fit_rows.table()))
                                                    : prep::Pipeline::from_json(run.preprocess, where);
  return pipeline.fit(fit_rows);
}

core::Tensor raw_features(const io::DataBlock& x) {
  return x.kind == io::DataBlock::Kind::Array ? x.array.to_tensor() : table_to_tensor(x.table);
}

core::Tensor prepare_features(const io::DataBlock& x, const prep::FittedPipeline* pipeline) {
  if (pipeline == nullptr) return raw_features(x);
  return reshaped_like(pipeline->transform(features_table(x)).x, x);
}

RunData prepare_run_data(const io::RunSpec& run) {
  RunData out;
  auto [train, test] = load_run_splits(run);
  if (!train.y) {
    throw core::InputError({.where = run.train.where, .what = "the training split has no labels",
                            .expected = "a target column or a y array"});
  }
  if (is_none(run.preprocess)) {
    out.train.x = raw_features(train.x);
    if (test) out.test = SplitTensors{raw_features(test->x), {}};
    if (train.x.kind == io::DataBlock::Kind::Table) out.feature_names = train.x.table.column_names();
  } else {
    const core::Table table = features_table(train.x);
    auto fitted = fit_run_pipeline(run, table);
    out.train.x = reshaped_like(fitted.transform(table).x, train.x);
    if (test) out.test = SplitTensors{prepare_features(test->x, &fitted), {}};
    out.feature_names = fitted.feature_names_out();
    out.pipeline = std::move(fitted);
  }
  out.train.y = labels_tensor(*train.y, out.label_classes);
  if (test && test->y) {
    std::vector<std::string> test_classes;
    out.test->y = labels_tensor(*test->y, test_classes);
  }
  if (test && !test->y) out.test.reset();
  return out;
}

}  // namespace fitcheck::run
