#pragma once
// Static shape inference over a Keras model description: each layer's output shape and
// parameter count from its config alone, without allocating or running anything (style.md 2).
// It covers the Keras layers people stack — including ones the engine cannot train yet — because
// the doctor must explain any model it is given. The first layer that cannot take its input
// stops the pass and is described as a ShapeProblem with the usual fixes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/shape.hpp"
#include "fitcheck/io/keras_model.hpp"

namespace fitcheck::doctor {

struct LayerShape {
  std::string name;
  std::string class_name;
  core::Shape input;   // with the batch axis first (None)
  core::Shape output;
  std::int64_t params = 0;
  std::int64_t trainable_params = 0;
};

struct ShapeProblem {
  // model.incompatible_layers (a layer cannot take the previous layer's output),
  // data.shape_mismatch (the first layer cannot take the data), or model.invalid_config
  // (a kernel or pool larger than its input, a Reshape whose sizes differ).
  std::string category;
  std::size_t layer_index = 0;  // index in ModelSpec::layers
  std::string layer;
  std::string class_name;
  core::Shape received;   // with the batch axis
  std::string expected;   // "rank 3: (batch, timesteps, features)"
  std::optional<int> axis;  // the axis that differs, when one does
  std::string message;    // one sentence: what does not fit
  std::vector<std::string> fixes;  // the usual ways out, most likely first
};

struct ModelShapes {
  std::vector<LayerShape> layers;      // the layers analysed, up to a problem or an unknown layer
  std::optional<ShapeProblem> problem;
  // Layer classes this pass does not know; shapes after the first one are not inferred.
  std::vector<std::string> unknown_layers;
  bool complete = false;  // every layer analysed without problem
  core::Shape output;     // the model's output shape when complete
  std::int64_t total_params = 0;
  std::int64_t trainable_params = 0;
  // Floats held per sample by all layer outputs (the activations kept for backpropagation).
  std::int64_t activation_floats_per_sample = 0;
};

// `input` is the shape fed to the first layer, batch axis first ((None, 28, 28, 1)).
// `input_is_data`: the shape is the data's (the model declares none), so a first layer that
// cannot take it is a data.shape_mismatch rather than a model problem.
ModelShapes infer_model_shapes(const io::ModelSpec& model, const core::Shape& input, bool input_is_data = false);

}  // namespace fitcheck::doctor
