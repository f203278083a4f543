#include "fitcheck/nn/layers/embedding.hpp"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/initializer.hpp"

namespace fitcheck::nn {

Embedding::Embedding(EmbeddingOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "embedding" : options_.name);
  if (options_.input_dim <= 0 || options_.output_dim <= 0) {
    throw core::ConfigError({.where = where(), .what = "input_dim and output_dim must be positive",
                             .expected = "integers ≥ 1",
                             .got = fmt::format("input_dim={}, output_dim={}", options_.input_dim, options_.output_dim)});
  }
}

std::unique_ptr<Layer> Embedding::from_config(const Json& c) {
  EmbeddingOptions o;
  o.name = c.value("name", std::string("embedding"));
  const std::string where = "Embedding \"" + o.name + "\"";
  o.input_dim = config::get_int(c, "input_dim", where, 0);
  o.output_dim = config::get_int(c, "output_dim", where, 0);
  if (c.contains("embeddings_initializer") && !c["embeddings_initializer"].is_null()) {
    o.embeddings_initializer = c["embeddings_initializer"];
  }
  auto layer = std::make_unique<Embedding>(o);
  layer->apply_base_config(c);
  if (!layer->declared_input_shape() && c.contains("input_length") && c["input_length"].is_number_integer()) {
    layer->set_declared_input_shape(core::Shape{core::kUnknownDim, c["input_length"].get<std::int64_t>()});
  }
  return layer;
}

core::Shape Embedding::compute_output_shape(const core::Shape& input) const {
  if (input.rank() < 1) throw_shape_error(input, "(None, ...) integer indices", "rank 0", "Add a batch axis.");
  auto dims = input.dims();
  dims.push_back(options_.output_dim);
  return core::Shape(dims);
}

void Embedding::create_parameters(const core::Shape&, core::Rng& rng) {
  add_parameter("embeddings", core::Shape{options_.input_dim, options_.output_dim}, options_.embeddings_initializer,
                rng);
}

std::int64_t Embedding::index_of(float value, std::int64_t position) const {
  const auto i = static_cast<std::int64_t>(std::lround(value));
  if (!std::isfinite(value) || value != static_cast<float>(i) || i < 0 || i >= options_.input_dim) {
    throw core::InputError({.where = fmt::format("{}: input element {}", where(), position),
                            .what = "not a valid index into the embedding table",
                            .expected = fmt::format("an integer in [0, {})", options_.input_dim),
                            .got = fmt::format("{}", value),
                            .hint = "Encode the categories as 0..input_dim-1, or raise input_dim."});
  }
  return i;
}

void Embedding::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  auto dims = x.shape().dims();
  dims.push_back(options_.output_dim);
  y.resize(core::Shape(dims));
  const float* table = parameters()[0].value.data();
  const std::size_t row_bytes = static_cast<std::size_t>(options_.output_dim) * sizeof(float);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    std::memcpy(y.data() + i * options_.output_dim, table + index_of(x[i], i) * options_.output_dim, row_bytes);
  }
}

void Embedding::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  Parameter& p = parameters()[0];
  p.grad.fill(0.0f);
  const std::int64_t d = options_.output_dim;
  for (std::int64_t i = 0; i < x.size(); ++i) {
    float* g = p.grad.data() + index_of(x[i], i) * d;
    const float* src = dy.data() + i * d;
    for (std::int64_t j = 0; j < d; ++j) g[j] += src[j];
  }
  if (dx != nullptr) {
    dx->resize(x.shape());
    dx->fill(0.0f);  // indices are not differentiable
  }
}

void Embedding::add_config(Json& c) const {
  c["input_dim"] = options_.input_dim;
  c["output_dim"] = options_.output_dim;
  c["embeddings_initializer"] = initializer_to_json(options_.embeddings_initializer);
  c["embeddings_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["embeddings_constraint"] = nullptr;
  c["mask_zero"] = false;
}

}  // namespace fitcheck::nn
