// A Keras 3 file with recurrent layers (tests/data/keras/fixtures/rnn.keras: Bidirectional(LSTM(2,
// return_sequences)) then LSTM(1)) becomes an engine model whose variables are the file's, in the
// file's order, with no reordering: the LSTM layout and Bidirectional's forward-then-backward
// order are Keras'.
#include <gtest/gtest.h>

#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;

TEST(KerasRecurrentModel, LoadsTheFilesWeightsUnchanged) {
  auto file = io::read_keras_file(test::test_data_path("keras/fixtures/rnn.keras"));
  // The fixture's hand-written backward_layer config leaves out go_backwards, which Keras always
  // writes (True) and requires to differ from the forward layer's.
  for (auto& l : file.model_config["config"]["layers"]) {
    if (l["class_name"] == "Bidirectional") l["config"]["backward_layer"]["config"]["go_backwards"] = true;
  }
  auto model = nn::Sequential::from_config(file.model_config, "rnn.keras");
  ASSERT_TRUE(model.built());
  ASSERT_EQ(model.size(), 3u);  // InputLayer, Bidirectional, LSTM
  EXPECT_EQ(model.layer(1).class_name(), "Bidirectional");
  EXPECT_EQ(model.layer(1).output_shape(), (core::Shape{core::kUnknownDim, 5, 4}));
  EXPECT_EQ(model.layer(2).output_shape(), (core::Shape{core::kUnknownDim, 1}));
  const auto& bi = dynamic_cast<const nn::Bidirectional&>(model.layer(1));
  EXPECT_TRUE(bi.backward_layer().go_backwards());
  std::vector<core::Tensor> stored;
  for (const auto& w : file.weights) stored.push_back(w.value.to_tensor());
  model.set_weights(stored);  // throws when a shape or the count differs
  const auto weights = model.get_weights();
  ASSERT_EQ(weights.size(), stored.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    ASSERT_EQ(weights[i].shape(), stored[i].shape()) << i;
    for (std::int64_t k = 0; k < weights[i].size(); ++k) ASSERT_EQ(weights[i][k], stored[i][k]) << i;
  }
  core::Tensor x(core::Shape{2, 5, 3}, 0.5f);
  const core::Tensor y = model.predict(x);
  EXPECT_EQ(y.shape(), (core::Shape{2, 1}));
}

}  // namespace
