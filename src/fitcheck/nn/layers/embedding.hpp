#pragma once
// Embedding: integer indices (stored as floats) of shape (N, ...) → (N, ..., output_dim) rows of
// the (input_dim, output_dim) table. No gradient flows to the indices.

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct EmbeddingOptions {
  std::int64_t input_dim = 0;
  std::int64_t output_dim = 0;
  Json embeddings_initializer = Json{{"class_name", "RandomUniform"},
                                     {"config", {{"minval", -0.05}, {"maxval", 0.05}, {"seed", nullptr}}}};
  std::string name;
};

class Embedding final : public Layer {
 public:
  explicit Embedding(EmbeddingOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Embedding"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  std::int64_t index_of(float value, std::int64_t position) const;
  EmbeddingOptions options_;
};

}  // namespace fitcheck::nn
