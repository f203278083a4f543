#include "fitcheck/profile/label_profile.hpp"

#include <gtest/gtest.h>

namespace fitcheck::profile {
namespace {

LabelProfile label_of(const core::Column& c) {
  ColumnStats s(c.name);
  ChunkScratch scratch;
  s.add(c, scratch);
  return label_profile(s);
}

TEST(LabelProfile, ImbalancedBinaryClassification) {
  std::vector<std::int64_t> y(1000, 0);
  for (int i = 0; i < 50; ++i) y[static_cast<std::size_t>(i * 20)] = 1;
  const auto p = label_of(core::Column::int64("y", y));
  EXPECT_EQ(p.task, LabelTask::Classification);
  ASSERT_EQ(p.classes.size(), 2u);
  EXPECT_EQ(p.classes[0].value, "0");
  EXPECT_EQ(p.classes[0].count, 950);
  EXPECT_EQ(p.classes[1].value, "1");
  EXPECT_DOUBLE_EQ(p.imbalance_ratio, 19.0);
  EXPECT_DOUBLE_EQ(p.minority_share, 0.05);
  EXPECT_DOUBLE_EQ(p.majority_share, 0.95);
}

TEST(LabelProfile, TextLabelsAreClasses) {
  const auto p = label_of(core::Column::categorical("y", {0, 1, 2, 0}, {"cat", "dog", "emu"}));
  EXPECT_EQ(p.task, LabelTask::Classification);
  EXPECT_EQ(p.classes.size(), 3u);
  EXPECT_DOUBLE_EQ(p.imbalance_ratio, 2.0);
}

TEST(LabelProfile, FractionalValuesAreRegression) {
  const auto p = label_of(core::Column::float64("y", {0.5, 1.25, 3.0, 2.0}));
  EXPECT_EQ(p.task, LabelTask::Regression);
  EXPECT_TRUE(p.classes.empty());
  EXPECT_DOUBLE_EQ(*p.mean, 1.6875);
  EXPECT_EQ(p.quantiles.size(), kReportedQuantiles.size());
}

TEST(LabelProfile, ManyWholeNumbersAreRegression) {
  std::vector<std::int64_t> y(500);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<std::int64_t>(i % 120);
  const auto p = label_of(core::Column::int64("y", y));
  EXPECT_EQ(p.task, LabelTask::Regression);
}

TEST(LabelProfile, MissingLabelsAreCounted) {
  const auto p = label_of(core::Column::float64("y", {1.0, 0.0, 1.0, 0.0}, {1, 0, 1, 1}));
  EXPECT_EQ(p.task, LabelTask::Classification);
  EXPECT_EQ(p.missing, 1);
  EXPECT_EQ(p.classes[0].count, 2);
}

TEST(LabelProfile, NoValuesSaySo) {
  const auto p = label_of(core::Column::float64("y", {1.0, 2.0}, {0, 0}));
  EXPECT_EQ(p.reason, "no finite label values to judge from");
  EXPECT_EQ(p.missing, 2);
  EXPECT_TRUE(p.classes.empty());
}

}  // namespace
}  // namespace fitcheck::profile
