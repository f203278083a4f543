// Parity of the recurrent layers with PyTorch (Debian's python3-torch via /usr/bin/python3): the
// same inputs and Keras-layout weights, loaded into torch.nn.LSTM / GRU / RNN by nn_rnn_parity.py
// (GRU with reset_after=False, which torch lacks, as its cell written out in torch), give the same
// outputs, input gradients and weight gradients. The largest absolute difference of each tensor is
// printed. Skips when torch is missing.
#include <gtest/gtest.h>

#include "support/tensor_compare.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sys/wait.h>

#include <fmt/format.h>

#include "fitcheck/io/npy.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/gru.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/layers/simple_rnn.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

::testing::AssertionResult torch_close(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  return test::all_close(actual, expected, rtol, atol, "torch");
}

struct Case {
  std::string name;
  std::function<std::unique_ptr<Layer>()> make;
  nlohmann::json peer;  // kind, units, return_sequences, go_backwards, use_bias
  Shape input;
};

std::vector<Case> cases() {
  auto lstm = [](LSTMOptions o) { return [o] { return std::unique_ptr<Layer>(new LSTM(o)); }; };
  auto gru = [](GRUOptions o) { return [o] { return std::unique_ptr<Layer>(new GRU(o)); }; };
  auto simple = [](SimpleRNNOptions o) { return [o] { return std::unique_ptr<Layer>(new SimpleRNN(o)); }; };
  return {
      {"lstm_last", lstm({.units = 6}), {{"kind", "lstm"}, {"units", 6}}, Shape{4, 7, 5}},
      {"lstm_sequences", lstm({.units = 6, .return_sequences = true}),
       {{"kind", "lstm"}, {"units", 6}, {"return_sequences", true}}, Shape{4, 7, 5}},
      {"lstm_go_backwards", lstm({.units = 5, .return_sequences = true, .go_backwards = true}),
       {{"kind", "lstm"}, {"units", 5}, {"return_sequences", true}, {"go_backwards", true}}, Shape{3, 6, 4}},
      {"lstm_no_bias", lstm({.units = 4, .use_bias = false}), {{"kind", "lstm"}, {"units", 4}, {"use_bias", false}},
       Shape{3, 5, 4}},
      {"lstm_long", lstm({.units = 32}), {{"kind", "lstm"}, {"units", 32}}, Shape{16, 40, 8}},
      {"gru_last", gru({.units = 6}), {{"kind", "gru"}, {"units", 6}}, Shape{4, 7, 5}},
      {"gru_sequences_backwards", gru({.units = 5, .return_sequences = true, .go_backwards = true}),
       {{"kind", "gru"}, {"units", 5}, {"return_sequences", true}, {"go_backwards", true}}, Shape{3, 6, 4}},
      {"gru_no_bias", gru({.units = 4, .use_bias = false}), {{"kind", "gru"}, {"units", 4}, {"use_bias", false}},
       Shape{3, 5, 4}},
      {"gru_long", gru({.units = 32}), {{"kind", "gru"}, {"units", 32}}, Shape{16, 40, 8}},
      {"gru_reset_before", gru({.units = 6, .reset_after = false, .return_sequences = true}),
       {{"kind", "gru"}, {"units", 6}, {"reset_after", false}, {"return_sequences", true}}, Shape{4, 7, 5}},
      {"simple_rnn_last", simple({.units = 6}), {{"kind", "simple_rnn"}, {"units", 6}}, Shape{4, 7, 5}},
      {"simple_rnn_sequences_backwards", simple({.units = 5, .return_sequences = true, .go_backwards = true}),
       {{"kind", "simple_rnn"}, {"units", 5}, {"return_sequences", true}, {"go_backwards", true}}, Shape{3, 6, 4}},
      {"bidirectional_lstm_sequences",
       [] { return std::make_unique<Bidirectional>(LSTM({.units = 5, .return_sequences = true})); },
       {{"kind", "lstm"}, {"units", 5}, {"return_sequences", true}, {"bidirectional", true},
        {"sublayers", {"forward_lstm", "backward_lstm"}}},
       Shape{3, 6, 4}},
      {"bidirectional_gru_last", [] { return std::make_unique<Bidirectional>(GRU({.units = 4})); },
       {{"kind", "gru"}, {"units", 4}, {"bidirectional", true}, {"sublayers", {"forward_gru", "backward_gru"}}},
       Shape{3, 6, 4}},
  };
}

// Variable names as file names: "forward_lstm/kernel" → "forward_lstm.kernel".
std::string file_name(std::string name) {
  for (auto& ch : name) {
    if (ch == '/') ch = '.';
  }
  return name;
}

// Runs the peer script on `manifest`; false when torch is missing.
bool run_peer(const test::TempDir& dir, const nlohmann::json& manifest) {
  std::ofstream(dir.path() / "manifest.json") << nlohmann::json{{"cases", manifest}}.dump(1);
  const std::string cmd = fmt::format("/usr/bin/python3 {}/nn_rnn_parity.py {} > {}/peer.log 2>&1",
                                      FITCHECK_NN_PARITY_DIR, dir.path().string(), dir.path().string());
  const int rc = std::system(cmd.c_str());
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 3) return false;
  std::ifstream log(dir.path() / "peer.log");
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << text;
  return rc == 0;
}

TEST(NnRnnParity, ForwardAndGradientsMatchTorch) {
  test::TempDir dir;
  auto put = [&](const std::string& name, const Tensor& t) { io::write_npy(dir.path() / (name + ".npy"), t); };
  struct Ours {
    Tensor y, dx;
    std::vector<std::pair<std::string, Tensor>> grads;
  };
  std::vector<Ours> ours;
  nlohmann::json manifest = nlohmann::json::array();
  std::uint32_t seed = 1;
  const auto all = cases();
  for (const auto& c : all) {
    auto layer = c.make();
    Shape in = c.input;
    in[0] = core::kUnknownDim;
    core::Rng rng(seed);
    Shape out = layer->build(in, rng);
    out[0] = c.input[0];
    // Non-zero biases so that their gradients and placement are exercised.
    for (auto& p : layer->parameters()) {
      if (p.name.ends_with("bias")) p.value = test::uniform_tensor(p.value.shape(), seed + 500, -0.5, 0.5);
    }
    const Tensor x = test::uniform_tensor(c.input, seed + 100, -1.5, 1.5);
    const Tensor r = test::uniform_tensor(out, seed + 200);
    put(c.name + "__x", x);
    put(c.name + "__r", r);
    for (const auto& p : layer->parameters()) put(c.name + "__" + file_name(p.name), p.value);
    Ours o;
    layer->forward(x, o.y, ForwardContext{.training = true, .rng = &rng});
    layer->backward(x, o.y, r, &o.dx);
    for (const auto& p : layer->parameters()) o.grads.emplace_back(p.name, p.grad);
    ours.push_back(std::move(o));
    nlohmann::json peer = c.peer;
    peer["name"] = c.name;
    manifest.push_back(peer);
    ++seed;
  }
  if (!run_peer(dir, manifest)) GTEST_SKIP() << "PyTorch is not installed for /usr/bin/python3";
  auto got = [&](const std::string& c, const std::string& t) {
    return io::read_npy(dir.path() / (c + "__" + t + ".npy")).to_tensor();
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& c = all[i];
    SCOPED_TRACE(c.name);
    const Tensor ty = got(c.name, "y"), tdx = got(c.name, "dx");
    std::string diffs = fmt::format("{}: max |Δ| y {:.2e}, dx {:.2e}", c.name, test::max_abs_diff(ours[i].y, ty),
                                    test::max_abs_diff(ours[i].dx, tdx));
    EXPECT_TRUE(torch_close(ours[i].y, ty, 1e-5, 1e-6)) << "forward";
    EXPECT_TRUE(torch_close(ours[i].dx, tdx, 1e-4, 1e-5)) << "input gradient";
    for (const auto& [pname, g] : ours[i].grads) {
      const Tensor tg = got(c.name, std::string("d").append(file_name(pname)));
      diffs += fmt::format(", d{} {:.2e}", pname, test::max_abs_diff(g, tg));
      EXPECT_TRUE(torch_close(g, tg, 1e-4, 1e-5)) << pname;
    }
    std::cout << diffs << "\n";
  }
}

// One epoch (8 Adam steps, batches in order) of recurrent(5) → Dense(1, sigmoid) with
// binary_crossentropy on 128 sequences of 6 × 3 ends at the same weights as torch.
TEST(NnRnnParity, OneEpochOfAdamGivesTheSameWeights) {
  test::TempDir dir;
  nlohmann::json manifest = nlohmann::json::array();
  const Tensor x = test::uniform_tensor(Shape{128, 6, 3}, 31, -1.5, 1.5);
  Tensor y(Shape{128, 1});
  for (std::int64_t i = 0; i < 128; ++i) {
    float s = 0;
    for (std::int64_t t = 0; t < 6; ++t) s += x[(i * 6 + t) * 3] - 0.5f * x[(i * 6 + t) * 3 + 2];
    y[i] = s > 0 ? 1.0f : 0.0f;
  }
  std::vector<std::pair<std::string, std::vector<Tensor>>> trained;
  for (const std::string kind : {"lstm", "gru"}) {
    const std::string name = kind + "_training";
    Sequential m(name, 4);
    m.add(InputLayer(Shape{6, 3}));
    if (kind == "lstm") {
      m.add(LSTM({.units = 5}));
    } else {
      m.add(GRU({.units = 5}));
    }
    m.add(Dense({.units = 1, .activation = "sigmoid"}));
    m.build(Shape{core::kUnknownDim, 6, 3});
    m.compile({.optimizer = {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.01}}}},
               .loss = "binary_crossentropy"});
    const auto initial = m.get_weights();
    io::write_npy(dir.path() / (name + "__x.npy"), x);
    io::write_npy(dir.path() / (name + "__y.npy"), y);
    for (std::size_t i = 0; i < initial.size(); ++i) io::write_npy(dir.path() / fmt::format("{}__w{}.npy", name, i), initial[i]);
    manifest.push_back({{"name", name}, {"kind", kind}, {"units", 5}, {"training", true}, {"learning_rate", 0.01},
                        {"batch_size", 16}});
    m.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0, .shuffle = false});
    trained.emplace_back(name, m.get_weights());
  }
  if (!run_peer(dir, manifest)) GTEST_SKIP() << "PyTorch is not installed for /usr/bin/python3";
  for (const auto& [name, weights] : trained) {
    SCOPED_TRACE(name);
    std::string diffs = name + ": max |Δ| after one epoch";
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const Tensor want = io::read_npy(dir.path() / fmt::format("{}__final_w{}.npy", name, i)).to_tensor();
      diffs += fmt::format(" w{} {:.2e}", i, test::max_abs_diff(weights[i], want));
      EXPECT_TRUE(torch_close(weights[i], want, 1e-4, 1e-5)) << "weight " << i;
    }
    std::cout << diffs << "\n";
  }
}

}  // namespace
}  // namespace fitcheck::nn
