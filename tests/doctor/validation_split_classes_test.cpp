// FC-D120: the classes of Keras' validation rows (the last fraction, unshuffled) against the
// training rows'.
#include <memory>

#include <gtest/gtest.h>

#include "doctor/check_fixture.hpp"

namespace fitcheck {
namespace {

struct Ctx {
  io::RunSpec run;
  doctor::CheckContext ctx;
};

// 3 classes of `per_class` rows each, labels stored as `labels` orders them.
std::unique_ptr<Ctx> context(const std::vector<float>& labels, double validation_split, bool one_hot = false) {
  auto c = std::make_unique<Ctx>();
  c->run = test::make_run({{"fit", {{"validation_split", validation_split}}}});
  c->ctx.run = &c->run;
  const auto n = static_cast<std::int64_t>(labels.size());
  std::vector<float> x(static_cast<std::size_t>(n * 2));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 13) * 0.1f;
  io::DataBlock y;
  if (one_hot) {
    std::vector<float> rows(static_cast<std::size_t>(n * 3), 0.0f);
    for (std::int64_t i = 0; i < n; ++i) rows[static_cast<std::size_t>(i * 3 + static_cast<std::int64_t>(labels[static_cast<std::size_t>(i)]))] = 1.0f;
    y = test::array_block({n, 3}, rows, "y.npy");
  } else {
    y = test::array_block({n}, labels, "y.npy");
  }
  c->ctx.train = test::make_split(test::array_block({n, 2}, x), std::move(y));
  return c;
}

std::vector<doctor::Finding> d120(const doctor::CheckContext& ctx) {
  std::vector<doctor::Finding> out;
  for (auto& f : test::run_category(ctx, "data.class_imbalance")) {
    if (f.code == "FC-D120") out.push_back(std::move(f));
  }
  return out;
}

std::vector<float> sorted_labels(int per_class) {
  std::vector<float> y;
  for (int c = 0; c < 3; ++c) y.insert(y.end(), static_cast<std::size_t>(per_class), static_cast<float>(c));
  return y;
}

std::vector<float> interleaved_labels(int per_class) {
  std::vector<float> y;
  for (int i = 0; i < 3 * per_class; ++i) y.push_back(static_cast<float>(i % 3));
  return y;
}

TEST(ValidationSplitClasses, LabelSortedRowsValidateOnTheLastClass) {
  auto c = context(sorted_labels(50), 0.2);  // the last 30 rows: class 2 only
  const auto found = d120(c->ctx);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Warning);
  EXPECT_NE(found[0].title.find("class \"2\" only"), std::string::npos) << found[0].title;
  EXPECT_EQ(found[0].evidence["validation_rows"], 30);
  // The same with one-hot rows.
  auto h = context(sorted_labels(50), 0.2, true);
  EXPECT_TRUE(test::fires(d120(h->ctx)));
}

TEST(ValidationSplitClasses, AClassOnlyInTheValidationRowsIsNamed) {
  auto c = context(sorted_labels(50), 0.4);  // the last 60 rows: 10 of class 1, all 50 of class 2
  const auto found = d120(c->ctx);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Warning);
  EXPECT_NE(found[0].title.find("never contain (2)"), std::string::npos) << found[0].title;
}

TEST(ValidationSplitClasses, SilentOnMixedRowsOrWithoutAValidationSplit) {
  EXPECT_TRUE(d120(context(interleaved_labels(50), 0.2)->ctx).empty());
  EXPECT_TRUE(d120(context(sorted_labels(50), 0.0)->ctx).empty());
}

TEST(ValidationSplitClasses, AMilderShiftIsANote) {
  // Validation rows with twice as many of class 2 as the training rows: a distance of ~0.3.
  std::vector<float> y = interleaved_labels(40);
  std::vector<float> tail = {2, 2, 0, 2, 2, 1, 2, 2, 2, 0, 2, 1, 2, 2, 2, 2, 0, 2, 1, 2, 2, 2, 2, 2, 2, 0, 1, 2, 2, 2};
  y.insert(y.end(), tail.begin(), tail.end());  // 150 rows; validation_split 0.2 = these 30
  const auto found = d120(context(y, 0.2)->ctx);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Info);
  EXPECT_GE(found[0].evidence["total_variation_distance"].get<double>(), 0.25);
}

}  // namespace
}  // namespace fitcheck
