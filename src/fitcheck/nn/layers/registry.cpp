#include "fitcheck/nn/layers/registry.hpp"

#include <utility>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/layers/activation.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/conv2d_transpose.hpp"
#include "fitcheck/nn/layers/depthwise_conv2d.hpp"
#include "fitcheck/nn/layers/cropping2d.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/dropout.hpp"
#include "fitcheck/nn/layers/embedding.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/gru.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/layer_normalization.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/layers/reshape.hpp"
#include "fitcheck/nn/layers/separable_conv2d.hpp"
#include "fitcheck/nn/layers/simple_rnn.hpp"
#include "fitcheck/nn/layers/time_distributed.hpp"
#include "fitcheck/nn/layers/up_sampling2d.hpp"
#include "fitcheck/nn/layers/zero_padding2d.hpp"

namespace fitcheck::nn {
namespace {

using Factory = std::unique_ptr<Layer> (*)(const Json&);

// One line per layer: Keras class name → from_config.
const std::vector<std::pair<std::string, Factory>>& table() {
  static const std::vector<std::pair<std::string, Factory>> t = {
      {"InputLayer", &InputLayer::from_config},
      {"Dense", &Dense::from_config},
      {"Activation", &Activation::from_config},
      {"Dropout", &Dropout::from_config},
      {"Flatten", &Flatten::from_config},
      {"Reshape", &Reshape::from_config},
      {"BatchNormalization", &BatchNormalization::from_config},
      {"LayerNormalization", &LayerNormalization::from_config},
      {"Embedding", &Embedding::from_config},
      {"Conv2D", &Conv2D::from_config},
      {"Conv1D", &Conv1D::from_config},
      {"DepthwiseConv2D", &DepthwiseConv2D::from_config},
      {"SeparableConv2D", &SeparableConv2D::from_config},
      {"Conv2DTranspose", &Conv2DTranspose::from_config},
      {"MaxPooling2D", &MaxPooling2D::from_config},
      {"AveragePooling2D", &AveragePooling2D::from_config},
      {"MaxPooling1D", &MaxPooling1D::from_config},
      {"AveragePooling1D", &AveragePooling1D::from_config},
      {"GlobalMaxPooling2D", &GlobalMaxPooling2D::from_config},
      {"GlobalAveragePooling2D", &GlobalAveragePooling2D::from_config},
      {"GlobalMaxPooling1D", &GlobalMaxPooling1D::from_config},
      {"GlobalAveragePooling1D", &GlobalAveragePooling1D::from_config},
      {"ZeroPadding2D", &ZeroPadding2D::from_config},
      {"Cropping2D", &Cropping2D::from_config},
      {"UpSampling2D", &UpSampling2D::from_config},
      {"LSTM", &LSTM::from_config},
      {"GRU", &GRU::from_config},
      {"SimpleRNN", &SimpleRNN::from_config},
      {"Bidirectional", &Bidirectional::from_config},
      {"TimeDistributed", &TimeDistributed::from_config},
  };
  return t;
}

}  // namespace

std::vector<std::string> registered_layer_classes() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : table()) names.push_back(name);
  return names;
}

std::unique_ptr<Layer> layer_from_config(const Json& spec, const std::string& where) {
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string()) {
    throw core::ConfigError({.where = where, .what = "not a serialised layer",
                             .expected = "{\"class_name\": ..., \"config\": {...}}", .got = spec.dump().substr(0, 80)});
  }
  const std::string cls = spec["class_name"].get<std::string>();
  const Json config = spec.contains("config") && spec["config"].is_object() ? spec["config"] : Json::object();
  for (const auto& [name, factory] : table()) {
    if (name == cls) {
      try {
        return factory(config);
      } catch (const core::ConfigError& e) {
        auto d = e.detail();
        d.where = where + ": " + d.where;
        throw core::ConfigError(d);
      } catch (const nlohmann::json::exception& e) {
        // A value of the wrong JSON type that a layer read directly ("name": 2).
        throw core::ConfigError({.where = where + " " + cls, .what = "a config value of the wrong type",
                                 .got = e.what(), .hint = "Compare the config with what Keras' get_config() writes."});
      }
    }
  }
  throw core::ConfigError({.where = where, .what = "unsupported layer class \"" + cls + "\"",
                           .hint = detail::did_you_mean(cls, registered_layer_classes())});
}

Json layer_to_config(const Layer& layer) {
  return Json{{"class_name", layer.class_name()}, {"config", layer.get_config()}};
}

}  // namespace fitcheck::nn
