// A Keras 3 CNN file (tests/data/keras/fixtures/cnn.keras: Conv2D same relu → MaxPooling2D →
// Conv2D → Flatten → Dense, written by make_fixtures.py) loads into the engine with its weights
// as stored — Keras' (kh, kw, in, out) kernels, no reordering — and predicts what the fixture
// script computed for it in numpy.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::core::Shape;
using fitcheck::core::Tensor;

TEST(KerasCnn, LoadsWithStoredWeightsAndPredictsAsKeras) {
  const auto k = fitcheck::io::read_keras_file(fitcheck::test::test_data_path("keras/fixtures/cnn.keras"));
  auto model = fitcheck::nn::Sequential::from_config(k.model_config);
  ASSERT_TRUE(model.built());
  EXPECT_EQ(model.count_params(), (3 * 3 * 2 * 3 + 3) + (2 * 2 * 3 * 2 + 2) + (2 * 2 + 2));
  std::vector<Tensor> weights;
  for (const auto& w : k.weights) weights.push_back(w.value.to_tensor());
  model.set_weights(weights);

  std::ifstream in(fitcheck::test::test_data_path("keras/expected.json"));
  const auto want = nlohmann::json::parse(in).at("cnn.keras:predict");
  const Tensor x(Shape(want.at("x_shape").get<std::vector<std::int64_t>>()), want.at("x").get<std::vector<float>>());
  const Tensor y = model.predict(x);
  const auto expected = want.at("y").get<std::vector<double>>();
  ASSERT_EQ(y.shape(), Shape(want.at("y_shape").get<std::vector<std::int64_t>>()));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(y[static_cast<std::int64_t>(i)], expected[i], 1e-5 * (1.0 + std::abs(expected[i]))) << i;
  }
}

}  // namespace
