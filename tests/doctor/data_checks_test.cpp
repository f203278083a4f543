// The lead's data checks, each shown firing on constructed data and staying silent on data
// without the problem.
#include <cmath>
#include <cstring>
#include <functional>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using test::fires;
using test::run_category;

template <typename T>
io::DataBlock typed_array(core::DType dtype, const std::vector<std::int64_t>& shape, const std::vector<T>& values,
                          std::string source = "x.npy") {
  io::DataBlock b;
  b.kind = io::DataBlock::Kind::Array;
  b.array.dtype = dtype;
  b.array.shape = core::Shape(shape);
  b.array.bytes.resize(values.size() * sizeof(T));
  // memcpy from an empty vector's null data() is undefined even for 0 bytes.
  if (!values.empty()) std::memcpy(b.array.bytes.data(), values.data(), b.array.bytes.size());
  b.array.source = source;
  b.source = std::move(source);
  return b;
}

// n rows of k standard-ish features (deterministic), labels alternating 0/1.
std::vector<float> features(std::int64_t n, std::int64_t k, float scale = 1.0f, float offset = 0.0f) {
  std::vector<float> v(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < n * k; ++i) v[static_cast<std::size_t>(i)] = offset + scale * std::sin(0.7f * static_cast<float>(i) + 0.3f * static_cast<float>(i % 7));
  return v;
}
std::vector<float> binary_labels(std::int64_t n, std::int64_t every = 2) {
  std::vector<float> y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) y[static_cast<std::size_t>(i)] = i % every == 0 ? 1.0f : 0.0f;
  return y;
}

struct Ctx {
  io::RunSpec run;
  doctor::CheckContext ctx;
};

std::unique_ptr<Ctx> context(io::DataBlock x, io::DataBlock y, const nlohmann::json& run_patch = nlohmann::json::object(),
                             std::optional<io::ModelSpec> model = std::nullopt) {
  auto c = std::make_unique<Ctx>();
  c->run = test::make_run(run_patch);
  c->ctx.run = &c->run;
  c->ctx.model = std::move(model);
  c->ctx.train = test::make_split(std::move(x), std::move(y));
  auto dims = c->ctx.train->data.x.shape().dims();
  dims[0] = core::kUnknownDim;
  c->ctx.data_input_shape = core::Shape(dims);
  return c;
}

TEST(DataDtype, IntegerFeaturesWarnFloat64IsOnlyANote) {
  std::vector<std::int32_t> ints(200);
  for (int i = 0; i < 200; ++i) ints[static_cast<std::size_t>(i)] = i % 9;
  auto c = context(typed_array(core::DType::Int32, {50, 4}, ints), test::array_block({50}, binary_labels(50), "y.npy"));
  EXPECT_TRUE(fires(run_category(c->ctx, "data.dtype")));
  std::vector<double> doubles(200, 0.5);
  auto d = context(typed_array(core::DType::Float64, {50, 4}, doubles), test::array_block({50}, binary_labels(50), "y.npy"));
  EXPECT_FALSE(fires(run_category(d->ctx, "data.dtype")));
  auto f = context(test::array_block({50, 4}, features(50, 4)), test::array_block({50}, binary_labels(50), "y.npy"));
  EXPECT_TRUE(run_category(f->ctx, "data.dtype").empty());
  // With preprocessing the pipeline outputs float32: nothing to say about the input dtype.
  auto p = context(typed_array(core::DType::Int32, {50, 4}, ints), test::array_block({50}, binary_labels(50), "y.npy"),
                   {{"preprocess", "auto"}});
  EXPECT_FALSE(fires(run_category(p->ctx, "data.dtype")));
}

TEST(MissingValues, NaNInRawFeaturesIsAnErrorNamingTheColumn) {
  auto x = features(40, 3);
  x[5] = NAN;
  x[3 * 10 + 2] = NAN;
  auto c = context(test::array_block({40, 3}, x), test::array_block({40}, binary_labels(40), "y.npy"));
  auto found = run_category(c->ctx, "data.missing_values");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Error);
  EXPECT_EQ(found[0].evidence["rows_with_missing"], 2);
  EXPECT_EQ(found[0].where["columns"], nlohmann::json({"x2"}));
  auto clean = context(test::array_block({40, 3}, features(40, 3)), test::array_block({40}, binary_labels(40), "y.npy"));
  EXPECT_TRUE(run_category(clean->ctx, "data.missing_values").empty());
  auto imputed = context(test::array_block({40, 3}, x), test::array_block({40}, binary_labels(40), "y.npy"), {{"preprocess", "auto"}});
  EXPECT_TRUE(run_category(imputed->ctx, "data.missing_values").empty());
}

TEST(NonFiniteAndMissingLabels, InfinityAndNaNLabels) {
  auto x = features(30, 2);
  x[7] = INFINITY;
  auto y = binary_labels(30);
  y[4] = NAN;
  auto c = context(test::array_block({30, 2}, x), test::array_block({30}, y, "y.npy"));
  EXPECT_TRUE(fires(run_category(c->ctx, "data.non_finite")));
  auto labels = run_category(c->ctx, "data.missing_labels");
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_EQ(labels[0].evidence["missing_labels"], 1);
  auto clean = context(test::array_block({30, 2}, features(30, 2)), test::array_block({30}, binary_labels(30), "y.npy"));
  EXPECT_TRUE(run_category(clean->ctx, "data.non_finite").empty());
  EXPECT_TRUE(run_category(clean->ctx, "data.missing_labels").empty());
}

TEST(CategoricalUnencoded, TextColumnsAndNamedCodes) {
  std::vector<std::int32_t> codes;
  std::vector<double> size, store;
  for (int i = 0; i < 60; ++i) {
    codes.push_back(i % 3);
    size.push_back(0.1 * i);
    store.push_back(static_cast<double>(100 + i % 12));
  }
  auto text = test::table_of({core::Column::categorical("colour", codes, {"red", "green", "blue"}),
                              core::Column::float64("size", size)});
  auto labels = test::table_of({core::Column::float64("label", std::vector<double>(60, 1.0))});
  auto c = context(test::table_block(text), test::table_block(labels));
  auto found = run_category(c->ctx, "data.categorical_unencoded");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].severity, doctor::Severity::Error);
  EXPECT_EQ(found[0].where["columns"], nlohmann::json({"colour"}));

  std::vector<std::int64_t> store_ids;
  for (double s : store) store_ids.push_back(static_cast<std::int64_t>(s));
  auto coded = test::table_of({core::Column::int64("store_id", store_ids), core::Column::float64("size", size)});
  auto d = context(test::table_block(coded), test::table_block(labels));
  EXPECT_TRUE(fires(run_category(d->ctx, "data.categorical_unencoded")));
  // The same integers under a quantity's name are left alone.
  auto counts = test::table_of({core::Column::int64("visits", store_ids), core::Column::float64("size", size)});
  auto e = context(test::table_block(counts), test::table_block(labels));
  EXPECT_FALSE(fires(run_category(e->ctx, "data.categorical_unencoded")));
}

TEST(UnnormalizedImages, BytePixelsFireScaledPixelsDoNot) {
  std::vector<std::uint8_t> pixels(20 * 8 * 8);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>((i * 37) % 256);
  auto c = context(typed_array(core::DType::UInt8, {20, 8, 8}, pixels), test::array_block({20}, binary_labels(20), "y.npy"));
  EXPECT_TRUE(fires(run_category(c->ctx, "data.unnormalized_images")));
  std::vector<float> scaled(pixels.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) scaled[i] = static_cast<float>(pixels[i]) / 255.0f;
  auto d = context(test::array_block({20, 8, 8}, scaled), test::array_block({20}, binary_labels(20), "y.npy"));
  EXPECT_TRUE(run_category(d->ctx, "data.unnormalized_images").empty());
}

TEST(UnscaledFeatures, LargeMagnitudesAndSpreadRatios) {
  auto y = test::array_block({100}, binary_labels(100), "y.npy");
  auto big = context(test::array_block({100, 2}, features(100, 2, 300.0f, 500.0f)), y);
  EXPECT_TRUE(fires(run_category(big->ctx, "data.unscaled_features")));
  auto x = features(100, 2);
  for (std::size_t i = 0; i < x.size(); i += 2) x[i] *= 0.001f;  // column 0 a thousand times narrower
  auto spread = context(test::array_block({100, 2}, x), y);
  auto found = run_category(spread->ctx, "data.unscaled_features");
  ASSERT_TRUE(fires(found));
  EXPECT_GE(found[0].evidence["scale_ratio"].get<double>(), 100.0);
  auto fine = context(test::array_block({100, 2}, features(100, 2)), y);
  EXPECT_TRUE(run_category(fine->ctx, "data.unscaled_features").empty());
  auto scaled = context(test::array_block({100, 2}, features(100, 2, 300.0f, 500.0f)), y, {{"preprocess", "auto"}});
  EXPECT_TRUE(run_category(scaled->ctx, "data.unscaled_features").empty());
}

TEST(ClassImbalance, RatioAndAddressedImbalance) {
  auto x = test::array_block({200, 2}, features(200, 2));
  auto skewed = context(x, test::array_block({200}, binary_labels(200, 25), "y.npy"));
  auto found = run_category(skewed->ctx, "data.class_imbalance");
  ASSERT_TRUE(fires(found));
  EXPECT_NEAR(found[0].evidence["majority_only_accuracy"].get<double>(), 192.0 / 200.0, 1e-9);
  auto weighted = context(x, test::array_block({200}, binary_labels(200, 25), "y.npy"), {{"fit", {{"class_weight", "balanced"}}}});
  EXPECT_FALSE(fires(run_category(weighted->ctx, "data.class_imbalance")));
  auto balanced = context(x, test::array_block({200}, binary_labels(200, 2), "y.npy"));
  EXPECT_TRUE(run_category(balanced->ctx, "data.class_imbalance").empty());
  // Counts under poisson (or msle) are quantities: a rare count is not a rare class.
  for (const char* loss : {"poisson", "msle"}) {
    auto counts = context(x, test::array_block({200}, binary_labels(200, 25), "y.npy"), {{"compile", {{"loss", loss}}}});
    EXPECT_TRUE(run_category(counts->ctx, "data.class_imbalance").empty()) << loss;
  }
}

TEST(LeakageOverlap, CopiedTestRowsButNotCoincidences) {
  auto train_x = features(100, 3);
  auto c = context(test::array_block({100, 3}, train_x), test::array_block({100}, binary_labels(100), "y.npy"));
  std::vector<float> test_x(train_x.begin(), train_x.begin() + 30);  // 10 copied rows
  auto more = features(30, 3, 1.0f, 5.0f);
  test_x.insert(test_x.end(), more.begin(), more.end());           // 10 new rows
  c->ctx.test = test::make_split(test::array_block({20, 3}, std::vector<float>(test_x.begin(), test_x.begin() + 60), "x_test.npy"),
                                 test::array_block({20}, binary_labels(20), "y_test.npy"), "", "test");
  EXPECT_TRUE(fires(run_category(c->ctx, "data.leakage_overlap")));
  c->ctx.test = test::make_split(test::array_block({10, 3}, features(10, 3, 1.0f, 5.0f), "x_test.npy"),
                                 test::array_block({10}, binary_labels(10), "y_test.npy"), "", "test");
  EXPECT_TRUE(run_category(c->ctx, "data.leakage_overlap").empty());
  // Coarse binary features repeat by chance: a training split that repeats itself as often is no
  // evidence of copying.
  std::vector<float> coarse(200 * 2);
  for (std::size_t i = 0; i < coarse.size(); ++i) coarse[i] = static_cast<float>((i / 2 + i % 2) % 2);
  auto d = context(test::array_block({200, 2}, coarse), test::array_block({200}, binary_labels(200), "y.npy"));
  d->ctx.test = test::make_split(test::array_block({20, 2}, std::vector<float>(coarse.begin(), coarse.begin() + 40), "x_test.npy"),
                                 test::array_block({20}, binary_labels(20), "y_test.npy"), "", "test");
  EXPECT_TRUE(run_category(d->ctx, "data.leakage_overlap").empty());
}

TEST(LabelLossMismatch, SparseVersusOneHotAndBinaryRanges) {
  auto x = test::array_block({40, 3}, features(40, 3));
  std::vector<float> onehot(40 * 4, 0.0f);
  std::vector<float> ids(40);
  for (int i = 0; i < 40; ++i) {
    onehot[static_cast<std::size_t>(i * 4 + i % 4)] = 1.0f;
    ids[static_cast<std::size_t>(i)] = static_cast<float>(i % 4);
  }
  auto sparse_onehot = context(x, test::array_block({40, 4}, onehot, "y.npy"), {{"compile", {{"loss", "sparse_categorical_crossentropy"}}}});
  auto found = run_category(sparse_onehot->ctx, "data.label_loss_mismatch");
  ASSERT_TRUE(fires(found));
  EXPECT_EQ(found[0].repair->at("compile").at("loss"), "categorical_crossentropy");
  auto sparse_ids = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "sparse_categorical_crossentropy"}}}});
  EXPECT_TRUE(run_category(sparse_ids->ctx, "data.label_loss_mismatch").empty());
  auto cce_ids = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "categorical_crossentropy"}}}});
  EXPECT_TRUE(fires(run_category(cce_ids->ctx, "data.label_loss_mismatch")));
  auto bce_multi = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "binary_crossentropy"}}}});
  EXPECT_TRUE(fires(run_category(bce_multi->ctx, "data.label_loss_mismatch")));
  auto bce_binary = context(x, test::array_block({40}, binary_labels(40), "y.npy"), {{"compile", {{"loss", "binary_crossentropy"}}}});
  EXPECT_TRUE(run_category(bce_binary->ctx, "data.label_loss_mismatch").empty());
}

// The label contracts of the losses added after the cross-entropies: each fires on labels the
// formula cannot take and stays silent on labels it can.
TEST(LabelLossMismatch, PoissonMsleHingeAndTheCategoricalVariants) {
  auto x = test::array_block({40, 3}, features(40, 3));
  auto labels = [](std::function<float(int)> f) {
    std::vector<float> y(40);
    for (int i = 0; i < 40; ++i) y[static_cast<std::size_t>(i)] = f(i);
    return test::array_block({40}, y, "y.npy");
  };
  auto findings = [&](const nlohmann::json& loss, io::DataBlock y) {
    auto c = context(x, std::move(y), {{"compile", {{"loss", loss}}}});
    return run_category(c->ctx, "data.label_loss_mismatch");
  };
  const auto counts = labels([](int i) { return static_cast<float>(i % 5); });
  const auto signed_ones = labels([](int i) { return i % 2 ? 1.0f : -1.0f; });
  const auto three_signs = labels([](int i) { return static_cast<float>(i % 3 - 1); });
  const auto ids = labels([](int i) { return static_cast<float>(i % 4); });
  const auto continuous = labels([](int i) { return 0.37f * static_cast<float>(i) - 3.1f; });

  EXPECT_TRUE(findings("poisson", counts).empty());
  auto poisson = findings("Poisson", labels([](int i) { return i == 3 ? -1.0f : static_cast<float>(i % 5); }));
  ASSERT_TRUE(fires(poisson));
  EXPECT_EQ(poisson[0].severity, doctor::Severity::Error);

  EXPECT_TRUE(findings("msle", counts).empty());
  auto msle_small = findings("msle", labels([](int i) { return 0.1f * static_cast<float>(i) - 0.5f; }));
  ASSERT_TRUE(fires(msle_small));
  EXPECT_EQ(msle_small[0].severity, doctor::Severity::Warning);  // above -1: clamped to 0, not undefined
  auto msle_below = findings("mean_squared_logarithmic_error", continuous);
  ASSERT_TRUE(fires(msle_below));
  EXPECT_EQ(msle_below[0].severity, doctor::Severity::Error);

  for (const char* hinge : {"hinge", "squared_hinge"}) {
    SCOPED_TRACE(hinge);
    EXPECT_TRUE(findings(hinge, signed_ones).empty());
    EXPECT_TRUE(findings(hinge, labels([](int i) { return static_cast<float>(i % 2); })).empty());  // 0/1: converted
    EXPECT_TRUE(fires(findings(hinge, three_signs)));
    EXPECT_TRUE(fires(findings(hinge, ids)));
    EXPECT_TRUE(fires(findings(hinge, continuous)));
    EXPECT_TRUE(fires(findings(hinge, labels([](int i) { return static_cast<float>(1 + i % 2); }))));  // 1/2
  }

  std::vector<float> onehot(40 * 4, 0.0f);
  for (int i = 0; i < 40; ++i) onehot[static_cast<std::size_t>(i * 4 + i % 4)] = 1.0f;
  const auto onehot_block = test::array_block({40, 4}, onehot, "y.npy");
  for (const char* loss : {"categorical_hinge", "CategoricalFocalCrossentropy"}) {
    SCOPED_TRACE(loss);
    EXPECT_TRUE(findings(loss, onehot_block).empty());
    auto f = findings(loss, ids);
    ASSERT_TRUE(fires(f));
    EXPECT_FALSE(f[0].repair.has_value());  // no sparse twin to switch to, unlike categorical_crossentropy
  }
  EXPECT_TRUE(findings("categorical_generalized_cross_entropy", ids).empty());
  EXPECT_TRUE(fires(findings("CategoricalGeneralizedCrossEntropy", onehot_block)));
  // Regression losses without a label contract stay silent on any real values.
  for (const char* loss : {"log_cosh", "mape", "cosine_similarity"}) EXPECT_TRUE(findings(loss, continuous).empty()) << loss;
}

TEST(LabelOutputMismatch, ClassIdsBeyondTheOutputUnits) {
  auto x = test::array_block({40, 3}, features(40, 3));
  std::vector<float> ids(40);
  for (int i = 0; i < 40; ++i) ids[static_cast<std::size_t>(i)] = static_cast<float>(1 + i % 4);  // 1..4
  auto model = test::make_model(nlohmann::json::array({test::dense("h", 8, "relu"), test::dense("out", 4, "softmax")}), {3});
  auto one_based = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "sparse_categorical_crossentropy"}}}}, model);
  auto found = run_category(one_based->ctx, "data.label_output_mismatch");
  ASSERT_TRUE(fires(found));
  EXPECT_NE(found[0].title.find("1-based"), std::string::npos) << found[0].title;
  for (auto& v : ids) v -= 1.0f;
  auto zero_based = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "sparse_categorical_crossentropy"}}}}, model);
  EXPECT_TRUE(run_category(zero_based->ctx, "data.label_output_mismatch").empty());
  auto wide = test::make_model(nlohmann::json::array({test::dense("out", 3, "linear")}), {3});
  auto mse = context(x, test::array_block({40}, binary_labels(40), "y.npy"), nlohmann::json::object(), wide);
  EXPECT_TRUE(fires(run_category(mse->ctx, "data.label_output_mismatch")));
  // The generalized cross-entropy takes one id per sample like the sparse loss: ids 0..3 against 4
  // units are right, 1..4 are not.
  auto gce = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "CategoricalGeneralizedCrossEntropy"}}}}, model);
  EXPECT_TRUE(run_category(gce->ctx, "data.label_output_mismatch").empty());
  for (auto& v : ids) v += 1.0f;
  auto gce_one_based = context(x, test::array_block({40}, ids, "y.npy"), {{"compile", {{"loss", "CategoricalGeneralizedCrossEntropy"}}}}, model);
  EXPECT_TRUE(fires(run_category(gce_one_based->ctx, "data.label_output_mismatch")));
  // One-hot rows of 4 classes against 3 units, with the focal and hinge variants of the categorical loss.
  std::vector<float> onehot(40 * 4, 0.0f);
  for (int i = 0; i < 40; ++i) onehot[static_cast<std::size_t>(i * 4 + i % 4)] = 1.0f;
  for (const char* loss : {"categorical_focal_crossentropy", "categorical_hinge"}) {
    auto narrow = context(x, test::array_block({40, 4}, onehot, "y.npy"), {{"compile", {{"loss", loss}}}}, wide);
    auto found_narrow = run_category(narrow->ctx, "data.label_output_mismatch");
    ASSERT_TRUE(fires(found_narrow)) << loss;
    EXPECT_EQ(found_narrow[0].repair->at("model").at("layers")[0].at("config").at("units"), 4) << loss;
    auto right = context(x, test::array_block({40, 4}, onehot, "y.npy"), {{"compile", {{"loss", loss}}}}, model);
    EXPECT_TRUE(run_category(right->ctx, "data.label_output_mismatch").empty()) << loss;
  }
}

TEST(ShapeMismatch, ChannelAxisFeatureCountAndTestSplit) {
  auto y = test::array_block({10}, binary_labels(10), "y.npy");
  auto model = test::make_model(nlohmann::json::array({nlohmann::json{{"class_name", "Flatten"}, {"config", {{"name", "f"}}}}, test::dense("out", 1, "sigmoid")}), {4, 4, 1});
  auto c = context(test::array_block({10, 4, 4}, features(10, 16)), y, nlohmann::json::object(), model);
  auto found = run_category(c->ctx, "data.shape_mismatch");
  ASSERT_TRUE(fires(found));
  EXPECT_EQ(found[0].repair->at("data").at("train").at("reshape"), nlohmann::json({4, 4, 1}));
  auto ok = context(test::array_block({10, 4, 4, 1}, features(10, 16)), y, nlohmann::json::object(), model);
  EXPECT_TRUE(run_category(ok->ctx, "data.shape_mismatch").empty());
  auto dense_model = test::make_model(nlohmann::json::array({test::dense("out", 1, "sigmoid")}), {6});
  auto count = context(test::array_block({10, 5}, features(10, 5)), y, nlohmann::json::object(), dense_model);
  EXPECT_TRUE(fires(run_category(count->ctx, "data.shape_mismatch")));
  ok->ctx.test = test::make_split(test::array_block({5, 4, 4}, features(5, 16), "x_test.npy"),
                                  test::array_block({5}, binary_labels(5), "y_test.npy"), "", "test");
  EXPECT_TRUE(fires(run_category(ok->ctx, "data.shape_mismatch")));
}

}  // namespace

namespace {
// Padded token ids: 200 sequences of 80 positions, ids 1..250, the last 10 positions padding (0).
io::DataBlock token_ids() {
  std::vector<std::int32_t> ids(200 * 80, 0);
  for (std::int64_t i = 0; i < 200; ++i) {
    for (std::int64_t j = 0; j < 70; ++j) ids[static_cast<std::size_t>(i * 80 + j)] = static_cast<std::int32_t>((i * 31 + j * j * 7) % 250 + 1);
  }
  return typed_array(core::DType::Int32, {200, 80}, ids, "tokens.npy");
}
nlohmann::json embedding(int input_dim) {
  return {{"class_name", "Embedding"}, {"config", {{"name", "embedding"}, {"input_dim", input_dim}, {"output_dim", 8}}}};
}
}  // namespace

// Integer token ids into an Embedding are indices, not quantities: no dtype, scale, pixel,
// extreme-value, code or constant-padding findings. The same ids into a Dense layer are integers
// fed as magnitudes, and those findings stand; a large regression target is still unscaled.
TEST(EmbeddingInput, TokenIdsAreIndicesNotQuantities) {
  const auto y = test::array_block({200}, binary_labels(200), "y.npy");
  const auto emb = test::make_model({embedding(256), {{"class_name", "GlobalAveragePooling1D"}, {"config", {{"name", "pool"}}}},
                                     test::dense("out", 1, "sigmoid")}, {80});
  auto c = context(token_ids(), y, {{"compile", {{"loss", "binary_crossentropy"}}}}, emb);
  for (const char* category : {"data.dtype", "data.unscaled_features", "data.unnormalized_images", "data.outliers",
                               "data.categorical_unencoded", "data.constant_feature"}) {
    EXPECT_FALSE(fires(run_category(c->ctx, category))) << category;
  }
  const auto dense = test::make_model({test::dense("hidden", 16, "relu"), test::dense("out", 1, "sigmoid")}, {80});
  auto d = context(token_ids(), y, {{"compile", {{"loss", "binary_crossentropy"}}}}, dense);
  EXPECT_TRUE(fires(run_category(d->ctx, "data.dtype")));
  EXPECT_TRUE(fires(run_category(d->ctx, "data.unnormalized_images")));
  EXPECT_FALSE(run_category(d->ctx, "data.constant_feature").empty());  // info: 80 columns of 0..255 look like pixels
  std::vector<float> prices(200);
  for (std::size_t i = 0; i < prices.size(); ++i) prices[i] = 200000.0f + 30000.0f * std::sin(0.37f * static_cast<float>(i));
  auto r = context(token_ids(), test::array_block({200}, prices, "y.npy"), nlohmann::json::object(), test::make_model(
      {embedding(256), {{"class_name", "GlobalAveragePooling1D"}, {"config", {{"name", "pool"}}}}, test::dense("out", 1)}, {80}));
  EXPECT_TRUE(fires(run_category(r->ctx, "data.unscaled_features")));
}

// Ids into a first-layer Embedding must be rows of its table: [0, input_dim). The padded ids above
// reach 250: input_dim 256 holds them, 200 does not; the same ids into a Dense layer are not ids.
TEST(EmbeddingIds, IdsBeyondTheTableAreAnError) {
  const auto y = test::array_block({200}, binary_labels(200), "y.npy");
  auto model_with = [](int input_dim) {
    return test::make_model({embedding(input_dim), {{"class_name", "GlobalAveragePooling1D"}, {"config", {{"name", "pool"}}}},
                             test::dense("out", 1, "sigmoid")}, {80});
  };
  const nlohmann::json bce = {{"compile", {{"loss", "binary_crossentropy"}}}};
  auto fits = context(token_ids(), y, bce, model_with(256));
  EXPECT_TRUE(run_category(fits->ctx, "model.invalid_config").empty());
  auto small = context(token_ids(), y, bce, model_with(200));
  auto found = run_category(small->ctx, "model.invalid_config");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Error);
  EXPECT_EQ(found[0].evidence["largest_id"].get<double>(), 250.0);
  auto dense = context(token_ids(), y, bce,
                       test::make_model({test::dense("hidden", 4, "relu"), test::dense("out", 1, "sigmoid")}, {80}));
  EXPECT_TRUE(run_category(dense->ctx, "model.invalid_config").empty());
}
