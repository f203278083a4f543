#pragma once
// MaxPooling1D/2D and AveragePooling1D/2D, channels_last. pool_size defaults to 2, strides to
// pool_size; padding "valid" or "same" (extra padding after the data, as Keras pads). Same-padded
// average pooling divides by the number of window elements inside the input, as Keras does.
// GlobalMax/AveragePooling1D/2D reduce the spatial axes ((N, C), or (N, 1, [1,] C) with keepdims).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

enum class PoolKind { max, average };

struct PoolingOptions {
  std::vector<std::int64_t> pool_size;  // empty: 2 on every axis
  std::vector<std::int64_t> strides;    // empty: pool_size
  std::string padding = "valid";
  std::string name;
};

class Pooling : public Layer {
 public:
  std::string class_name() const override;
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  const PoolingOptions& options() const { return options_; }

 protected:
  Pooling(int spatial_rank, PoolKind kind, PoolingOptions options);
  static PoolingOptions options_from_config(const Json& config, int spatial_rank, const std::string& where);
  template <typename T>
  static std::unique_ptr<Layer> from_config_as(const Json& config, int spatial_rank, const char* class_name);
  void add_config(Json& config) const override;

 private:
  int rank_;
  PoolKind kind_;
  PoolingOptions options_;
  std::vector<std::int32_t> argmax_;  // max pooling: the input pixel of every output value
};

class MaxPooling2D final : public Pooling {
 public:
  explicit MaxPooling2D(PoolingOptions options = {}) : Pooling(2, PoolKind::max, std::move(options)) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class AveragePooling2D final : public Pooling {
 public:
  explicit AveragePooling2D(PoolingOptions options = {}) : Pooling(2, PoolKind::average, std::move(options)) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class MaxPooling1D final : public Pooling {
 public:
  explicit MaxPooling1D(PoolingOptions options = {}) : Pooling(1, PoolKind::max, std::move(options)) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class AveragePooling1D final : public Pooling {
 public:
  explicit AveragePooling1D(PoolingOptions options = {}) : Pooling(1, PoolKind::average, std::move(options)) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};

class GlobalPooling : public Layer {
 public:
  std::string class_name() const override;
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  GlobalPooling(int spatial_rank, PoolKind kind, std::string name, bool keepdims);
  template <typename T>
  static std::unique_ptr<Layer> from_config_as(const Json& config, const char* default_name);
  void add_config(Json& config) const override;

 private:
  int rank_;
  PoolKind kind_;
  bool keepdims_;
  std::vector<std::int64_t> argmax_;  // max: the input pixel of every (sample, channel)
};

class GlobalMaxPooling2D final : public GlobalPooling {
 public:
  explicit GlobalMaxPooling2D(std::string name = "global_max_pooling2d", bool keepdims = false)
      : GlobalPooling(2, PoolKind::max, std::move(name), keepdims) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class GlobalAveragePooling2D final : public GlobalPooling {
 public:
  explicit GlobalAveragePooling2D(std::string name = "global_average_pooling2d", bool keepdims = false)
      : GlobalPooling(2, PoolKind::average, std::move(name), keepdims) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class GlobalMaxPooling1D final : public GlobalPooling {
 public:
  explicit GlobalMaxPooling1D(std::string name = "global_max_pooling1d", bool keepdims = false)
      : GlobalPooling(1, PoolKind::max, std::move(name), keepdims) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};
class GlobalAveragePooling1D final : public GlobalPooling {
 public:
  explicit GlobalAveragePooling1D(std::string name = "global_average_pooling1d", bool keepdims = false)
      : GlobalPooling(1, PoolKind::average, std::move(name), keepdims) {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};

}  // namespace fitcheck::nn
