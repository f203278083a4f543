#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

// "h3": built by appending (GCC 12 warns falsely about operator+ on a literal and a temporary).
std::string indexed(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

std::vector<doctor::Finding> check(const json& layers) {
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = test::make_model(layers, {2});
  return test::run_category(ctx, "model.vanishing_prone");
}

json stack(int depth, const std::string& act, bool batch_norm = false) {
  json layers = json::array();
  for (int i = 0; i < depth; ++i) {
    layers.push_back(test::dense(indexed("h", i), 5, act));
    if (batch_norm) layers.push_back({{"class_name", "BatchNormalization"}, {"config", {{"name", indexed("bn", i)}}}});
  }
  layers.push_back(test::dense("out", 1, "sigmoid"));
  return layers;
}

TEST(VanishingProne, FiveHiddenSigmoidLayersFire) {
  auto f = check(stack(8, "sigmoid"));  // AUTOTRAINER's Circle demo: 8 x Dense(5, sigmoid)
  ASSERT_TRUE(test::fires(f));
  EXPECT_EQ(f[0].evidence["saturating_layers"], 8);
  EXPECT_EQ(f[0].where["layers"].size(), 8u);
  ASSERT_TRUE(f[0].repair);
  EXPECT_EQ((*f[0].repair)["model"]["layers"][0]["config"]["activation"], "relu");
  EXPECT_TRUE(test::fires(check(stack(5, "sigmoid"))));
}

TEST(VanishingProne, ShallowOrNormalisedOrReluStacksDoNot) {
  EXPECT_FALSE(test::fires(check(stack(4, "sigmoid"))));  // 4^-4 = 3.9e-3 > 1e-3
  EXPECT_FALSE(test::fires(check(stack(8, "sigmoid", true))));
  EXPECT_FALSE(test::fires(check(stack(20, "relu"))));
  EXPECT_FALSE(test::fires(check(stack(10, "tanh"))));  // 0.6057^10 = 6.7e-3
  EXPECT_TRUE(test::fires(check(stack(14, "tanh"))));
}

TEST(VanishingProne, OutputSigmoidIsNotCounted) {
  // Four hidden sigmoids plus the output sigmoid: the output's derivative cancels with BCE.
  EXPECT_FALSE(test::fires(check(stack(4, "sigmoid"))));
  // Activation layers count like an activation argument.
  json layers = json::array();
  for (int i = 0; i < 5; ++i) {
    layers.push_back(test::dense(indexed("d", i), 5));
    layers.push_back({{"class_name", "Activation"}, {"config", {{"name", indexed("a", i)}, {"activation", "sigmoid"}}}});
  }
  layers.push_back(test::dense("out", 1, "sigmoid"));
  EXPECT_TRUE(test::fires(check(layers)));
}

}  // namespace
