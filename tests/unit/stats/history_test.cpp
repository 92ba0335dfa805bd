#include "stats/history.hpp"

#include <gtest/gtest.h>

#include "stats/shard.hpp"

namespace hornet::stats {
namespace {

HistoryPoint at(double time) {
  HistoryPoint point;
  point.time = time;
  point.state = "running";
  return point;
}

TEST(History, KeepsEveryPointUntilFull) {
  History history(8);
  for (int t = 0; t < 8; ++t) history.append(at(t));
  ASSERT_EQ(history.size(), 8u);
  for (int t = 0; t < 8; ++t) EXPECT_EQ(history.points()[t].time, t);
}

TEST(History, ThinsTheOlderHalfWhenFull) {
  History history(8);
  for (int t = 0; t < 9; ++t) history.append(at(t));
  // Older half 0..3 thinned to 0, 2; newer half 4..7 kept; then 8.
  std::vector<double> times;
  for (const auto& p : history.points()) times.push_back(p.time);
  EXPECT_EQ(times, (std::vector<double>{0, 2, 4, 5, 6, 7, 8}));
}

TEST(History, StaysBoundedOnALongRun) {
  History history(64);
  for (int t = 0; t < 100000; ++t) history.append(at(t));
  EXPECT_LE(history.size(), 64u);
  // Time still runs forward, the newest point is the last appended, the oldest the first.
  const auto& points = history.points();
  for (std::size_t i = 1; i < points.size(); ++i) EXPECT_LT(points[i - 1].time, points[i].time);
  EXPECT_EQ(points.back().time, 99999);
  EXPECT_EQ(points.front().time, 0);
}

TEST(History, SampleReadsTheAggregatedRow) {
  const double start = 1'000'000;
  Shard shard(start);
  auto& entry = shard.entry("GET", "/");
  for (int i = 0; i < 10; ++i) shard.record(entry, 2000 + i * 1000, 100, start + 0.5);
  shard.record_failure(entry, 50000, 0, "boom", start + 0.6);
  Aggregate aggregate(start);
  aggregate.merge(shard.take_delta(start + 1), start + 1);
  const HistoryPoint point = sample(aggregate, start + 5, "running", 7);
  EXPECT_EQ(point.state, "running");
  EXPECT_EQ(point.user_count, 7);
  EXPECT_EQ(point.num_requests, 11u);
  EXPECT_EQ(point.num_failures, 1u);
  ASSERT_TRUE(point.min_response_time);
  EXPECT_DOUBLE_EQ(*point.min_response_time, 2.0);
  EXPECT_DOUBLE_EQ(point.max_response_time, 50.0);
  EXPECT_NEAR(point.avg_response_time, (2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 50) / 11.0, 1e-9);
  ASSERT_TRUE(point.p99);
  EXPECT_NEAR(*point.p99, 50.0, 0.5);
}

}  // namespace
}  // namespace hornet::stats
