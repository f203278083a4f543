#pragma once
// The models of the .keras export tests: every layer the engine has, in small Sequential models
// written as Keras model JSON, with the name of every weight in the .keras file (KerasWeight::name,
// the dataset path within the layer's group) in Keras' order.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::test {

inline nn::Sequential model_of(const std::string& name, const std::string& layers) {
  return nn::Sequential::from_config(nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"name": ")" +
                                                           name + R"(", "layers": [)" + layers + "]}}"),
                                     name);
}

// Every variable replaced by distinct positive values (moving variances must stay positive), so
// that any reordering or transposition on the way shows.
inline void randomize(nn::Sequential& model, std::uint32_t seed) {
  core::Rng rng(seed);
  auto weights = model.get_weights();
  for (auto& w : weights) {
    for (std::int64_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(rng.uniform(0.5, 1.5));
  }
  model.set_weights(weights);
}

struct Zoo {
  std::string name;
  std::string layers;
  std::vector<std::string> weight_names;  // KerasWeight::name of every weight, in order
  bool integer_inputs = false;
};

inline void PrintTo(const Zoo& z, std::ostream* os) { *os << z.name; }

inline std::vector<Zoo> zoo() {
  return {
      {"mlp",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 8]}},
          {"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu"}},
          {"class_name": "BatchNormalization", "config": {}},
          {"class_name": "Dropout", "config": {"rate": 0.3}},
          {"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}})",
       {"vars/0", "vars/1", "vars/0", "vars/1", "vars/2", "vars/3", "vars/0", "vars/1"}},
      {"cnn",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 2]}},
          {"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"}},
          {"class_name": "MaxPooling2D", "config": {}},
          {"class_name": "Conv2D", "config": {"filters": 3, "kernel_size": [2, 2]}},
          {"class_name": "Flatten", "config": {}},
          {"class_name": "Dense", "config": {"units": 2}})",
       {"vars/0", "vars/1", "vars/0", "vars/1", "vars/0", "vars/1"}},
      {"lstm",
       R"({"class_name": "LSTM", "config": {"units": 5, "return_sequences": true, "batch_input_shape": [null, 6, 3]}},
          {"class_name": "LSTM", "config": {"units": 2}})",
       {"cell/vars/0", "cell/vars/1", "cell/vars/2", "cell/vars/0", "cell/vars/1", "cell/vars/2"}},
      {"bigru",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 4]}},
          {"class_name": "Bidirectional", "config": {"layer": {"class_name": "GRU", "config": {"name": "gru", "units": 3, "return_sequences": true}}}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}})",
       {"forward_layer/cell/vars/0", "forward_layer/cell/vars/1", "forward_layer/cell/vars/2",
        "backward_layer/cell/vars/0", "backward_layer/cell/vars/1", "backward_layer/cell/vars/2", "vars/0", "vars/1"}},
      {"embedding",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 7]}},
          {"class_name": "Embedding", "config": {"input_dim": 20, "output_dim": 4}},
          {"class_name": "SimpleRNN", "config": {"units": 3}},
          {"class_name": "Dense", "config": {"units": 1}})",
       {"vars/0", "cell/vars/0", "cell/vars/1", "cell/vars/2", "vars/0", "vars/1"},
       true},
      {"convs",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 6, 6, 3]}},
          {"class_name": "ZeroPadding2D", "config": {"padding": 1}},
          {"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "depth_multiplier": 2}},
          {"class_name": "SeparableConv2D", "config": {"filters": 4, "kernel_size": 2, "padding": "same"}},
          {"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": 3, "strides": 2}},
          {"class_name": "Cropping2D", "config": {"cropping": [[1, 0], [0, 1]]}},
          {"class_name": "UpSampling2D", "config": {"size": 2}},
          {"class_name": "AveragePooling2D", "config": {"pool_size": 2}},
          {"class_name": "LayerNormalization", "config": {}},
          {"class_name": "Activation", "config": {"activation": "tanh"}},
          {"class_name": "GlobalMaxPooling2D", "config": {}})",
       {"vars/0", "vars/1", "vars/0", "vars/1", "vars/2", "vars/0", "vars/1", "vars/0", "vars/1"}},
      {"sequence",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 12]}},
          {"class_name": "Reshape", "config": {"target_shape": [6, 2]}},
          {"class_name": "Conv1D", "config": {"filters": 3, "kernel_size": 2}},
          {"class_name": "MaxPooling1D", "config": {"pool_size": 2}},
          {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}},
          {"class_name": "Bidirectional", "config": {"merge_mode": "sum", "layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": true}}}},
          {"class_name": "AveragePooling1D", "config": {"pool_size": 1}},
          {"class_name": "GRU", "config": {"units": 2, "return_sequences": true, "reset_after": false}},
          {"class_name": "GlobalMaxPooling1D", "config": {}})",
       {"vars/0", "vars/1", "layer/vars/0", "layer/vars/1", "forward_layer/cell/vars/0", "forward_layer/cell/vars/1",
        "forward_layer/cell/vars/2", "backward_layer/cell/vars/0", "backward_layer/cell/vars/1",
        "backward_layer/cell/vars/2", "cell/vars/0", "cell/vars/1", "cell/vars/2"}},
      {"frozen",
       R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 4, 4, 1]}},
          {"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 2, "trainable": false}},
          {"class_name": "GlobalAveragePooling2D", "config": {"keepdims": true}},
          {"class_name": "Flatten", "config": {}},
          {"class_name": "Dense", "config": {"units": 1, "use_bias": false}})",
       {"vars/0", "vars/1", "vars/0"}},
  };
}

}  // namespace fitcheck::test
