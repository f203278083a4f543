#include "fitcheck/nn/layers/dense.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"

namespace fitcheck::nn {

Dense::Dense(DenseOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "dense" : options_.name);
  if (options_.units <= 0) {
    throw core::ConfigError({.where = where() + ": units", .what = "units must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(options_.units)});
  }
  activation_ = make_activation(options_.activation, where() + ": activation");
}

std::unique_ptr<Layer> Dense::from_config(const Json& c) {
  const std::string where = "Dense \"" + c.value("name", std::string("dense")) + "\"";
  DenseOptions o;
  o.name = c.value("name", std::string("dense"));
  o.units = config::get_int(c, "units", where, 0);
  o.activation = c.contains("activation") && c["activation"].is_string() ? c["activation"].get<std::string>()
                                                                          : std::string("linear");
  o.use_bias = config::get_bool(c, "use_bias", where, true);
  if (c.contains("kernel_initializer") && !c["kernel_initializer"].is_null()) o.kernel_initializer = c["kernel_initializer"];
  if (c.contains("bias_initializer") && !c["bias_initializer"].is_null()) o.bias_initializer = c["bias_initializer"];
  auto layer = std::make_unique<Dense>(o);
  if (c.contains("activation") && c["activation"].is_object()) {
    layer->activation_ = make_activation(c["activation"], where + ": activation");
  }
  layer->apply_base_config(c);
  return layer;
}

core::Shape Dense::compute_output_shape(const core::Shape& input) const {
  if (input.rank() < 2) {
    throw_shape_error(input, "a batch axis and a feature axis, (None, features)", "rank " + std::to_string(input.rank()),
                      "Give each sample at least one axis: reshape the data to (samples, features).");
  }
  const std::int64_t in = input[input.rank() - 1];
  if (in == core::kUnknownDim) {
    throw_shape_error(input, "a known last axis", "last axis", "Declare the input shape of the model.");
  }
  if (built() && in != input_shape()[input_shape().rank() - 1]) {
    const std::int64_t want = input_shape()[input_shape().rank() - 1];
    throw_shape_error(input, fmt::format("last axis {}", want), "axis -1",
                      fmt::format("The kernel was built for {} inputs; give the data {} features, or rebuild the "
                                  "model for {}.",
                                  want, want, in));
  }
  core::Shape out = input;
  out[out.rank() - 1] = options_.units;
  return out;
}

void Dense::create_parameters(const core::Shape& input, core::Rng& rng) {
  const std::int64_t in = input[input.rank() - 1];
  add_parameter("kernel", core::Shape{in, options_.units}, options_.kernel_initializer, rng);
  if (options_.use_bias) add_parameter("bias", core::Shape{options_.units}, options_.bias_initializer, rng);
}

void Dense::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const std::int64_t in = detail::last_axis(x);
  const std::int64_t rows = detail::leading_rows(x);
  core::Shape out_shape = x.shape();
  out_shape[out_shape.rank() - 1] = options_.units;
  const bool linear = activation_->is_linear();
  core::Tensor& z = linear ? y : z_;
  z.resize(out_shape);
  const Parameter& kernel = parameters()[0];
  kernels::gemm(false, false, rows, options_.units, in, x.data(), kernel.value.data(), z.data());
  if (options_.use_bias) {
    auto zm = detail::as_matrix(z);
    zm.rowwise() += detail::ConstRowVectorMap(parameters()[1].value.data(), options_.units);
  }
  if (!linear) {
    y.resize(out_shape);
    activation_->forward(z.data(), y.data(), rows, options_.units);
  }
}

void Dense::backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) {
  const std::int64_t in = detail::last_axis(x);
  const std::int64_t rows = detail::leading_rows(x);
  const core::Tensor* dz = &dy;
  if (!activation_->is_linear() && !gradient_is_pre_activation_) {
    dz_.resize(dy.shape());
    activation_->backward(z_.data(), y.data(), dy.data(), dz_.data(), rows, options_.units);
    dz = &dz_;
  }
  Parameter& kernel = parameters()[0];
  kernels::gemm(true, false, in, options_.units, rows, x.data(), dz->data(), kernel.grad.data());
  if (options_.use_bias) {
    detail::RowVectorMap(parameters()[1].grad.data(), options_.units) = detail::as_matrix(*dz).colwise().sum();
  }
  if (dx != nullptr) {
    dx->resize(x.shape());
    kernels::gemm(false, true, rows, in, options_.units, dz->data(), kernel.value.data(), dx->data());
  }
}

void Dense::add_config(Json& c) const {
  c["units"] = options_.units;
  c["activation"] = activation_->to_json();
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = initializer_to_json(options_.kernel_initializer);
  c["bias_initializer"] = initializer_to_json(options_.bias_initializer);
  for (const char* k : {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                        "bias_constraint"}) {
    c[k] = nullptr;
  }
}

}  // namespace fitcheck::nn
