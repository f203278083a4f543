#include "run_facts.hpp"

#include "fitcheck/doctor/check_support.hpp"

#include <cmath>
#include <limits>

namespace fitcheck::doctor::run_facts {

std::int64_t rows_after_validation_split(const CheckContext& ctx) {
  if (!ctx.train) return 0;
  const std::int64_t n = ctx.train->data.x.rows();
  const double vs = ctx.run ? ctx.run->fit.validation_split : 0.0;
  if (!(vs > 0.0) || vs >= 1.0) return n;
  return static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - vs)));
}

std::int64_t feature_columns(const io::DataBlock& x) {
  if (x.kind == io::DataBlock::Kind::Table) return x.table.num_columns();
  const auto& s = x.array.shape;
  std::int64_t cols = 1;
  for (int k = 1; k < s.rank(); ++k) cols *= s[k];
  return cols;
}

std::vector<double> feature_values(const io::DataBlock& x, std::int64_t j) {
  const std::int64_t n = x.rows();
  std::vector<double> out(static_cast<std::size_t>(n));
  if (x.kind == io::DataBlock::Kind::Table) {
    const auto& c = x.table.column(static_cast<int>(j));
    for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = c.as_double(i);
  } else {
    const std::int64_t cols = feature_columns(x);
    for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = x.array.value(i * cols + j);
  }
  return out;
}

std::string feature_name(const io::DataBlock& x, std::int64_t j) {
  if (x.kind == io::DataBlock::Kind::Table) return x.table.column(static_cast<int>(j)).name;
  std::string name = "x";  // appended, not "x" + ...: GCC 12 warns falsely (-Wrestrict) on that
  name += std::to_string(j);
  return name;
}

bool is_text_column(const io::DataBlock& x, std::int64_t j) {
  return x.kind == io::DataBlock::Kind::Table && x.table.column(static_cast<int>(j)).type == core::ColumnType::Categorical;
}

std::vector<double> label_values(const io::DataBlock& y) {
  const std::int64_t n = y.rows();
  std::vector<double> out(static_cast<std::size_t>(n), std::numeric_limits<double>::quiet_NaN());
  if (y.kind == io::DataBlock::Kind::Table) {
    if (y.table.num_columns() == 0) return {};
    const auto& c = y.table.column(0);
    if (c.type == core::ColumnType::Categorical) {
      for (std::int64_t i = 0; i < n; ++i) {
        const auto code = c.codes[static_cast<std::size_t>(i)];
        if (c.is_valid(i) && code >= 0) out[static_cast<std::size_t>(i)] = code;
      }
    } else {
      for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = c.as_double(i);
    }
    return out;
  }
  const std::int64_t cols = feature_columns(y);
  if (cols <= 0) return {};
  for (std::int64_t i = 0; i < n; ++i) {
    if (cols == 1) {
      out[static_cast<std::size_t>(i)] = y.array.value(i);
      continue;
    }
    // One-hot or probability rows: the class is the arg-max.
    double best = -std::numeric_limits<double>::infinity();
    std::int64_t arg = -1;
    for (std::int64_t k = 0; k < cols; ++k) {
      const double v = y.array.value(i * cols + k);
      if (std::isnan(v)) { arg = -1; break; }
      if (v > best) { best = v; arg = k; }
    }
    if (arg >= 0) out[static_cast<std::size_t>(i)] = static_cast<double>(arg);
  }
  return out;
}

bool image_like(const CheckContext& ctx) {
  if (ctx.model && ctx.model->input_shape && ctx.model->input_shape->rank() >= 4) return true;
  return ctx.train && is_image_like(*ctx.train);
}

std::optional<ModelShapes> model_shapes(const CheckContext& ctx) {
  if (!ctx.model) return std::nullopt;
  if (ctx.model->input_shape) return infer_model_shapes(*ctx.model, *ctx.model->input_shape);
  if (ctx.data_input_shape) return infer_model_shapes(*ctx.model, *ctx.data_input_shape, true);
  return std::nullopt;
}

}  // namespace fitcheck::doctor::run_facts
