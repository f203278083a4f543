#include "fitcheck/nn/layers/bidirectional.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/wrapped_parameters.hpp"
#include "fitcheck/nn/layers/registry.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;

std::unique_ptr<Recurrent> as_recurrent(std::unique_ptr<Layer> layer, const std::string& where) {
  if (layer == nullptr) {
    throw core::ConfigError({.where = where, .what = "no layer to wrap", .expected = "an LSTM, GRU or SimpleRNN"});
  }
  auto* r = dynamic_cast<Recurrent*>(layer.get());
  if (r == nullptr) {
    throw core::ConfigError({.where = where, .what = "Bidirectional wraps a recurrent layer",
                             .expected = "an LSTM, GRU or SimpleRNN", .got = layer->class_name(),
                             .hint = "Wrap the recurrent layer itself: Bidirectional(LSTM(...))."});
  }
  layer.release();
  return std::unique_ptr<Recurrent>(r);
}

}  // namespace

Bidirectional::Bidirectional(std::unique_ptr<Layer> layer, std::string merge_mode,
                             std::unique_ptr<Layer> backward_layer)
    : merge_mode_(std::move(merge_mode)) {
  const std::string at = "Bidirectional";
  forward_ = as_recurrent(std::move(layer), at + ": layer");
  std::string base = forward_->name();
  if (base.rfind("forward_", 0) == 0) base = base.substr(8);
  forward_->set_name("forward_" + base);
  if (backward_layer != nullptr) {
    backward_ = as_recurrent(std::move(backward_layer), at + ": backward_layer");
  } else {
    // Keras: the same layer rebuilt from its config with go_backwards flipped.
    backward_ = as_recurrent(layer_from_config(layer_to_config(*forward_), at + ": layer"), at + ": layer");
    backward_->set_go_backwards(!forward_->go_backwards());
    backward_->set_name("backward_" + base);
  }
  if (backward_->go_backwards() == forward_->go_backwards()) {
    // Keras refuses this too (Bidirectional._verify_layer_config).
    throw core::ConfigError({.where = at + ": backward_layer", .what = "the backward layer reads in the same direction",
                             .expected = fmt::format("go_backwards={}", !forward_->go_backwards()),
                             .got = fmt::format("go_backwards={}", backward_->go_backwards()),
                             .hint = "Set go_backwards=True on the backward layer, or leave backward_layer out."});
  }
  if (merge_mode_ != "concat" && merge_mode_ != "sum" && merge_mode_ != "mul" && merge_mode_ != "ave") {
    throw core::ConfigError({.where = at + ": merge_mode", .what = "unsupported merge_mode \"" + merge_mode_ + "\"",
                             .expected = "\"concat\", \"sum\", \"mul\" or \"ave\"",
                             .hint = "merge_mode None returns two tensors, which a Sequential model cannot pass on."});
  }
  if (backward_->return_sequences() != forward_->return_sequences() ||
      (merge_mode_ != "concat" && backward_->units() != forward_->units())) {
    throw core::ConfigError({.where = at + ": backward_layer", .what = "the backward layer does not match the forward layer",
                             .expected = fmt::format("return_sequences={}{}", forward_->return_sequences(),
                                                     merge_mode_ != "concat" ? fmt::format(", units={}", forward_->units())
                                                                             : std::string()),
                             .got = fmt::format("return_sequences={}, units={}", backward_->return_sequences(),
                                                backward_->units())});
  }
}

std::unique_ptr<Layer> Bidirectional::from_config(const Json& c) {
  const std::string where = "Bidirectional \"" + c.value("name", std::string("bidirectional")) + "\"";
  if (!c.contains("layer") || !c["layer"].is_object()) {
    throw core::ConfigError({.where = where + ": layer", .what = "missing the wrapped layer",
                             .expected = "{\"class_name\": \"LSTM\", \"config\": {...}}"});
  }
  std::string merge_mode = "concat";
  if (c.contains("merge_mode")) {
    if (!c["merge_mode"].is_string()) {
      throw core::ConfigError({.where = where + ": merge_mode", .what = "unsupported merge_mode",
                               .expected = "\"concat\", \"sum\", \"mul\" or \"ave\"", .got = c["merge_mode"].dump(),
                               .hint = "merge_mode None returns two tensors, which a Sequential model cannot pass on."});
    }
    merge_mode = c["merge_mode"].get<std::string>();
  }
  auto layer = layer_from_config(c["layer"], where + ": layer");
  std::unique_ptr<Layer> backward;
  if (c.contains("backward_layer") && c["backward_layer"].is_object()) {
    backward = layer_from_config(c["backward_layer"], where + ": backward_layer");
  }
  std::unique_ptr<Bidirectional> b;
  try {
    b = std::make_unique<Bidirectional>(std::move(layer), merge_mode, std::move(backward));
  } catch (const core::ConfigError& e) {
    auto d = e.detail();
    d.where = where + d.where.substr(std::string("Bidirectional").size());
    throw core::ConfigError(d);
  }
  b->apply_base_config(c);
  return b;
}

core::Shape Bidirectional::compute_output_shape(const core::Shape& input) const {
  core::Shape out;
  try {
    out = forward_->compute_output_shape(input);
  } catch (const core::ShapeError& e) {
    // The wrapped layer's own message, located at this layer.
    auto d = e.detail();
    d.where = where() + ": " + d.where;
    throw core::ShapeError(d);
  }
  if (merge_mode_ == "concat") out[out.rank() - 1] = forward_->units() + backward_->units();
  return out;
}

void Bidirectional::create_parameters(const core::Shape& input, core::Rng& rng) {
  forward_->build(input, rng);
  backward_->build(input, rng);
  // Adopt the sublayers' variables (forward first, as Keras orders them).
  for (Recurrent* sub : {forward_.get(), backward_.get()}) {
    for (auto& p : sub->parameters()) {
      Parameter& own = add_parameter(sub->name() + "/" + p.name, p.value.shape(), "zeros", rng, p.trainable);
      std::swap(own.value, p.value);
      std::swap(own.grad, p.grad);
    }
  }
}

void Bidirectional::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const std::size_t nf = forward_->parameters().size();
  {
    detail::LentParameters lend(parameters(), 0, forward_->parameters());
    forward_->forward(x, yf_, ctx);
  }
  {
    detail::LentParameters lend(parameters(), nf, backward_->parameters());
    backward_->forward(x, yb_, ctx);
  }
  const bool seq = forward_->return_sequences();
  const Index b = x.dim(0), t = seq ? yf_.dim(1) : 1, uf = forward_->units(), ub = backward_->units();
  const Index uo = merge_mode_ == "concat" ? uf + ub : uf;
  y.resize(seq ? core::Shape{b, t, uo} : core::Shape{b, uo});
  for (Index i = 0; i < b; ++i) {
    for (Index s = 0; s < t; ++s) {
      // The backward layer's step t − 1 − s read input step s.
      const float* f = yf_.data() + (i * t + s) * uf;
      const float* r = yb_.data() + (i * t + (t - 1 - s)) * ub;
      float* o = y.data() + (i * t + s) * uo;
      if (merge_mode_ == "concat") {
        std::copy(f, f + uf, o);
        std::copy(r, r + ub, o + uf);
      } else if (merge_mode_ == "sum") {
        for (Index k = 0; k < uf; ++k) o[k] = f[k] + r[k];
      } else if (merge_mode_ == "mul") {
        for (Index k = 0; k < uf; ++k) o[k] = f[k] * r[k];
      } else {
        for (Index k = 0; k < uf; ++k) o[k] = 0.5f * (f[k] + r[k]);
      }
    }
  }
}

void Bidirectional::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  const bool seq = forward_->return_sequences();
  const Index b = x.dim(0), t = seq ? yf_.dim(1) : 1, uf = forward_->units(), ub = backward_->units();
  const Index uo = merge_mode_ == "concat" ? uf + ub : uf;
  dyf_.resize(yf_.shape());
  dyb_.resize(yb_.shape());
  for (Index i = 0; i < b; ++i) {
    for (Index s = 0; s < t; ++s) {
      const Index sb = i * t + (t - 1 - s);
      const float* g = dy.data() + (i * t + s) * uo;
      float* df = dyf_.data() + (i * t + s) * uf;
      float* dr = dyb_.data() + sb * ub;
      if (merge_mode_ == "concat") {
        std::copy(g, g + uf, df);
        std::copy(g + uf, g + uf + ub, dr);
      } else if (merge_mode_ == "mul") {
        const float* f = yf_.data() + (i * t + s) * uf;
        const float* r = yb_.data() + sb * ub;
        for (Index k = 0; k < uf; ++k) {
          df[k] = g[k] * r[k];
          dr[k] = g[k] * f[k];
        }
      } else {
        const float w = merge_mode_ == "ave" ? 0.5f : 1.0f;
        for (Index k = 0; k < uf; ++k) df[k] = dr[k] = w * g[k];
      }
    }
  }
  const std::size_t nf = forward_->parameters().size();
  {
    detail::LentParameters lend(parameters(), 0, forward_->parameters());
    forward_->backward(x, yf_, dyf_, dx);
  }
  {
    detail::LentParameters lend(parameters(), nf, backward_->parameters());
    backward_->backward(x, yb_, dyb_, dx != nullptr ? &dxb_ : nullptr);
  }
  if (dx != nullptr) {
    for (Index k = 0; k < dx->size(); ++k) (*dx)[k] += dxb_[k];
  }
}

void Bidirectional::add_config(Json& c) const {
  c["merge_mode"] = merge_mode_;
  c["layer"] = layer_to_config(*forward_);
  c["backward_layer"] = layer_to_config(*backward_);
}

}  // namespace fitcheck::nn
