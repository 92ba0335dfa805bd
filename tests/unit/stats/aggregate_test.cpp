#include "stats/aggregate.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "stats/shard.hpp"

namespace hornet::stats {
namespace {

double rep_ms(Micros value) {
  return static_cast<double>(Histogram::bucket_representative(Histogram::bucket_index(value))) /
         1000.0;
}

// A delta with one entry, built by hand for counters a Shard cannot produce.
Delta one_entry_delta(EntryDelta entry) {
  Delta delta;
  delta.total.name = "Aggregated";
  delta.total.start_time = entry.start_time;
  delta.total.extend(entry);
  delta.entries.push_back(std::move(entry));
  return delta;
}

std::vector<std::string> sorted_keys(const Aggregate& aggregate) {
  std::vector<std::string> keys;
  for (const StatsEntry& e : aggregate.entries()) keys.push_back(e.name() + " " + *e.method());
  return keys;
}

TEST(AggregateTest, FreshAggregateHasLocustsIdleValues) {
  const Aggregate aggregate(1000.0);
  const StatsEntry& total = aggregate.total();
  EXPECT_EQ(total.name(), "Aggregated");
  EXPECT_FALSE(total.method().has_value());  // Locust's null before the first test start
  EXPECT_EQ(total.start_time(), 1000.0);
  EXPECT_EQ(total.num_requests(), 0u);
  EXPECT_EQ(total.fail_ratio(), 0.0);
  EXPECT_EQ(total.avg_response_time(), 0.0);
  EXPECT_FALSE(total.min_response_time().has_value());
  EXPECT_EQ(total.max_response_time(), 0.0);
  EXPECT_EQ(total.median_response_time(), 0.0);
  EXPECT_EQ(total.response_time_percentile(0.95), 0.0);
  EXPECT_EQ(total.current_rps(), 0.0);
  EXPECT_EQ(total.current_fail_per_sec(), 0.0);
  EXPECT_EQ(total.total_rps(), 0.0);
  EXPECT_EQ(total.avg_content_length(), 0.0);
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1001.9), std::nullopt);
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1002.0), std::optional<double>(0.0));
  EXPECT_EQ(aggregate.entry_count(), 0u);
  EXPECT_TRUE(aggregate.errors().empty());
}

TEST(AggregateTest, FailRatioEdgeCases) {
  Aggregate aggregate(0.0);
  EntryDelta only_failures;
  only_failures.name = "/f";
  only_failures.method = "GET";
  only_failures.num_failures = 2;  // failures without requests (a Locust worker can send this)
  aggregate.merge(one_entry_delta(only_failures), 1.0);
  EXPECT_EQ(aggregate.find("/f", "GET")->fail_ratio(), 1.0);

  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/q");
  for (int i = 0; i < 3; ++i) shard.record(e, 1'000, 0, 0.5);
  shard.record_failure(e, 1'000, 0, "x", 0.5);
  aggregate.merge(shard.take_delta(1.0), 1.0);
  EXPECT_EQ(aggregate.find("/q", "GET")->fail_ratio(), 0.25);

  EntryDelta none;
  none.name = "/n";
  none.method = "GET";
  aggregate.merge(one_entry_delta(none), 1.0);
  EXPECT_EQ(aggregate.find("/n", "GET")->fail_ratio(), 0.0);
}

TEST(AggregateTest, AverageExcludesRequestsWithoutResponseTime) {
  Aggregate aggregate(0.0);
  EntryDelta d;
  d.name = "/";
  d.method = "GET";
  d.num_requests = 4;
  d.num_none_requests = 1;
  d.total_response_time = 3'000;
  d.total_content_length = 10;
  aggregate.merge(one_entry_delta(d), 1.0);
  const StatsEntry& e = *aggregate.find("/", "GET");
  EXPECT_DOUBLE_EQ(e.avg_response_time(), 1.0);
  EXPECT_DOUBLE_EQ(e.avg_content_length(), 2.5);
}

TEST(AggregateTest, ExactMinMaxAndMedianClampedToThem) {
  Aggregate aggregate(0.0);
  Shard shard(0.0);
  // One request: its bucket's representative (100.096 ms) lies above the exact value.
  shard.record(shard.entry("GET", "/above"), 100'001, 0, 0.5);
  // Here the representative (100.608 ms) lies below the exact value.
  shard.record(shard.entry("GET", "/below"), 100'700, 0, 0.5);
  aggregate.merge(shard.take_delta(1.0), 1.0);

  const StatsEntry& above = *aggregate.find("/above", "GET");
  ASSERT_GT(rep_ms(100'001), 100.001);
  EXPECT_EQ(above.max_response_time(), 100.001);
  EXPECT_EQ(above.min_response_time(), std::optional<double>(100.001));
  EXPECT_EQ(above.median_response_time(), 100.001);

  const StatsEntry& below = *aggregate.find("/below", "GET");
  ASSERT_LT(rep_ms(100'700), 100.7);
  EXPECT_EQ(below.median_response_time(), 100.7);

  // The total holds both: pos = 0.5 → the first bucket; inside [min, max], so not clamped.
  EXPECT_EQ(aggregate.total().median_response_time(), rep_ms(100'001));
}

TEST(AggregateTest, PercentilesWalkExactSmallData) {
  Aggregate aggregate(0.0);
  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/");
  // Values below 256 µs are stored exactly: 10, 20, ..., 100 µs.
  for (Micros v = 10; v <= 100; v += 10) shard.record(e, v, 0, 0.5);
  aggregate.merge(shard.take_delta(1.0), 1.0);
  const StatsEntry& s = *aggregate.find("/", "GET");
  EXPECT_EQ(s.response_time_percentile(0.5), 0.06);  // n = 5 → 6th value
  EXPECT_EQ(s.response_time_percentile(0.9), 0.1);   // n = 9 → 10th value
  EXPECT_EQ(s.response_time_percentile(0.66), 0.07);
  EXPECT_EQ(s.response_time_percentile(1.0), 0.1);
  EXPECT_EQ(s.response_time_percentile(0.0), 0.01);
  EXPECT_EQ(s.median_response_time(), 0.05);  // pos = 4.5 → 5th value
  EXPECT_EQ(s.min_response_time(), std::optional<double>(0.01));
  EXPECT_EQ(s.max_response_time(), 0.1);
  EXPECT_DOUBLE_EQ(s.avg_response_time(), 0.055);
}

TEST(AggregateTest, CurrentRpsAveragesSecondsLminus12ToLminus3) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& e = shard.entry("GET", "/");
  // Second t gets t - 999 requests (1, 2, ..., 20) and half as many failures (rounded down).
  for (int t = 1000; t < 1020; ++t) {
    for (int i = 0; i < t - 999; ++i) {
      if (i < (t - 999) / 2) {
        shard.record_failure(e, 1'000, 0, "x", t + 0.5);
      } else {
        shard.record(e, 1'000, 0, t + 0.5);
      }
    }
  }
  aggregate.merge(shard.take_delta(1020.0), 1020.0);
  // L = 1019, S = 1000: seconds 1007 … 1016, i.e. 8 … 17 requests.
  const StatsEntry& entry = *aggregate.find("/", "GET");
  EXPECT_DOUBLE_EQ(entry.current_rps(), (8 + 17) * 10 / 2 / 10.0);
  EXPECT_DOUBLE_EQ(aggregate.total().current_rps(), 12.5);
  // Failures: floor(n / 2) for n = 8 … 17 → 4,4,5,5,6,6,7,7,8,8.
  EXPECT_DOUBLE_EQ(entry.current_fail_per_sec(), 6.0);
}

TEST(AggregateTest, CurrentRpsWindowStartsNoEarlierThanStartTime) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& e = shard.entry("GET", "/");
  for (int i = 0; i < 4; ++i) shard.record(e, 1'000, 0, 1000.5);
  for (int i = 0; i < 6; ++i) shard.record(e, 1'000, 0, 1001.5);
  shard.record(e, 1'000, 0, 1004.2);
  aggregate.merge(shard.take_delta(1005.0), 1005.0);
  // L = 1004: range(max(992, 1000), 1002) = 1000, 1001 → (4 + 6) / 2.
  EXPECT_DOUBLE_EQ(aggregate.total().current_rps(), 5.0);

  Aggregate early(1000.0);
  Shard shard2(1000.0);
  shard2.record(shard2.entry("GET", "/"), 1'000, 0, 1002.5);
  early.merge(shard2.take_delta(1003.0), 1003.0);
  // L = 1002: range(1000, 1000) is empty → 0 / max(0, 1).
  EXPECT_EQ(early.total().current_rps(), 0.0);
}

TEST(AggregateTest, CurrentRpsIsAnchoredOnTheTotalsLastRequest) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& old_entry = shard.entry("GET", "/old");
  for (int t = 1000; t < 1010; ++t) shard.record(old_entry, 1'000, 0, t + 0.5);
  aggregate.merge(shard.take_delta(1010.0), 1010.0);
  const StatsEntry& old_stats = *aggregate.find("/old", "GET");
  // L = 1009: seconds 1000 … 1006, one request each.
  EXPECT_DOUBLE_EQ(old_stats.current_rps(), 1.0);

  // Another entry moves the global L to 1030; /old's window moves with it and is empty now.
  shard.record(shard.entry("GET", "/new"), 1'000, 0, 1030.5);
  aggregate.merge(shard.take_delta(1031.0), 1031.0);
  EXPECT_EQ(old_stats.current_rps(), 0.0);
  // total_rps uses the global span as well: 10 / (1030.5 - 1000).
  EXPECT_DOUBLE_EQ(old_stats.total_rps(), 10 / 30.5);
}

TEST(AggregateTest, TotalRpsOverTheRun) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& e = shard.entry("GET", "/");
  for (int i = 0; i < 40; ++i) shard.record(e, 1'000, 0, 1005.0);
  for (int i = 0; i < 10; ++i) shard.record_failure(e, 1'000, 0, "x", 1010.0);
  aggregate.merge(shard.take_delta(1011.0), 1011.0);
  EXPECT_DOUBLE_EQ(aggregate.total().total_rps(), 5.0);
  EXPECT_DOUBLE_EQ(aggregate.total().total_fail_per_sec(), 1.0);
  EXPECT_DOUBLE_EQ(aggregate.find("/", "GET")->total_rps(), 5.0);
}

TEST(AggregateTest, CurrentPercentilesUseTheLastTenSecondsOfMerges) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& e = shard.entry("GET", "/");
  for (int i = 0; i < 10; ++i) shard.record(e, 1'000, 0, 1000.2);
  aggregate.merge(shard.take_delta(1000.5), 1000.5);
  for (int i = 0; i < 10; ++i) shard.record(e, 50'000, 0, 1005.2);
  aggregate.merge(shard.take_delta(1005.5), 1005.5);
  const StatsEntry& total = aggregate.total();

  EXPECT_EQ(total.current_response_time_percentile(0.5, 1001.9), std::nullopt);  // < 2 s old
  // At 1006 both merges (seconds 1000 and 1005) are inside (996, 1006].
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1006.0), rep_ms(50'000));
  EXPECT_EQ(total.current_response_time_percentile(0.25, 1006.0), rep_ms(1'000));
  // At 1010.9 the window is (1000, 1010]: only the 50 ms requests.
  EXPECT_EQ(total.current_response_time_percentile(0.25, 1010.9), rep_ms(50'000));
  const auto all = total.current_response_time_percentiles(kPercentilesToReport, 1010.9);
  ASSERT_TRUE(all.has_value());
  for (double v : *all) EXPECT_EQ(v, rep_ms(50'000));
  // At 1016 nothing is left: an empty window gives 0.
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1016.0), std::optional<double>(0.0));
  // The cumulative percentile still sees everything.
  EXPECT_EQ(total.response_time_percentile(0.25), rep_ms(1'000));

  // A merge ten seconds later lands in the same ring slot and replaces the old second.
  for (int i = 0; i < 10; ++i) shard.record(e, 7'000, 0, 1010.2);
  aggregate.merge(shard.take_delta(1010.5), 1010.5);
  EXPECT_EQ(total.current_response_time_percentile(0.1, 1010.9), rep_ms(7'000));
  EXPECT_EQ(total.current_response_time_percentile(0.9, 1010.9), rep_ms(50'000));

  // After a reset the window is young again.
  aggregate.reset_all(1020.0);
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1021.5), std::nullopt);
  EXPECT_EQ(total.current_response_time_percentile(0.5, 1022.0), std::optional<double>(0.0));
  EXPECT_EQ(aggregate.find("/", "GET")->current_response_time_percentile(0.5, 1021.0),
            std::nullopt);
}

TEST(AggregateTest, LongRunsKeepPerSecondCountsBounded) {
  Aggregate aggregate(0.0);
  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/");
  for (int t = 0; t < 5'000; ++t) {
    shard.record(e, 1'000 + static_cast<Micros>(t % 100), 0, t + 0.5);
    shard.record_failure(e, 2'000, 0, "x", t + 0.5);
    aggregate.merge(shard.take_delta(t + 1.0), t + 1.0);
  }
  const StatsEntry& entry = *aggregate.find("/", "GET");
  EXPECT_LE(entry.data().num_reqs_per_sec.size(), kPerSecondRetentionSeconds + 1u);
  EXPECT_LE(entry.data().num_fail_per_sec.size(), kPerSecondRetentionSeconds + 1u);
  EXPECT_LE(aggregate.total().data().num_reqs_per_sec.size(), kPerSecondRetentionSeconds + 1u);
  EXPECT_DOUBLE_EQ(entry.current_rps(), 2.0);
  EXPECT_EQ(entry.num_requests(), 10'000u);
  ASSERT_EQ(aggregate.errors().size(), 1u);
  EXPECT_EQ(aggregate.errors()[0].occurrences, 5'000u);
}

TEST(AggregateTest, ResetAllKeepsEntriesAndClearAllRemovesThem) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  shard.record_failure(shard.entry("GET", "/a"), 1'000, 3, "boom", 1000.5);
  shard.record(shard.entry("GET", "/b"), 2'000, 3, 1000.5);
  shard.record_exception("ValueError()", "tb");
  aggregate.merge(shard.take_delta(1001.0), 1001.0);

  aggregate.reset_all(1010.0);
  EXPECT_EQ(aggregate.entry_count(), 2u);
  const StatsEntry& a = *aggregate.find("/a", "GET");
  EXPECT_EQ(a.num_requests(), 0u);
  EXPECT_EQ(a.num_failures(), 0u);
  EXPECT_EQ(a.start_time(), 1010.0);
  EXPECT_FALSE(a.last_request_timestamp().has_value());
  EXPECT_TRUE(a.histogram().empty());
  EXPECT_FALSE(a.min_response_time().has_value());
  EXPECT_EQ(aggregate.total().num_requests(), 0u);
  EXPECT_EQ(aggregate.total().start_time(), 1010.0);
  EXPECT_FALSE(aggregate.total().method().has_value());  // reset keeps the method
  EXPECT_TRUE(aggregate.errors().empty());
  EXPECT_EQ(aggregate.exceptions().size(), 1u);  // Locust's reset_all leaves exceptions alone

  aggregate.clear_exceptions();
  EXPECT_TRUE(aggregate.exceptions().empty());

  shard.record_failure(shard.entry("GET", "/a"), 1'000, 3, "boom", 1011.5);
  shard.record_exception("ValueError()", "tb");
  aggregate.merge(shard.take_delta(1012.0), 1012.0);
  aggregate.clear_all(1020.0);
  EXPECT_EQ(aggregate.entry_count(), 0u);
  EXPECT_EQ(aggregate.find("/a", "GET"), nullptr);
  EXPECT_TRUE(aggregate.errors().empty());
  EXPECT_TRUE(aggregate.exceptions().empty());
  EXPECT_EQ(aggregate.total().method(), std::optional<std::string>(""));
  EXPECT_EQ(aggregate.total().start_time(), 1020.0);
  EXPECT_EQ(aggregate.total().num_requests(), 0u);
}

TEST(AggregateTest, EntriesAreSortedByNameThenMethod) {
  Aggregate aggregate(0.0);
  Shard shard(0.0);
  for (const auto& [method, name] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/b"}, {"POST", "/a"}, {"GET", "/a"}, {"DELETE", "/b"}, {"GET", "/A"}}) {
    shard.record(shard.entry(method, name), 1'000, 0, 0.5);
  }
  aggregate.merge(shard.take_delta(1.0), 1.0);
  EXPECT_EQ(sorted_keys(aggregate),
            (std::vector<std::string>{"/A GET", "/a GET", "/a POST", "/b DELETE", "/b GET"}));
  EXPECT_EQ(aggregate.find("/a", "POST")->data().method, "POST");
  EXPECT_EQ(aggregate.find("/a", "POST")->data().name, "/a");
  EXPECT_EQ(aggregate.find("/a", "PUT"), nullptr);
}

TEST(AggregateTest, EntryCreatedByMergeStartsAtTheEarlierOfNowAndItsDelta) {
  Aggregate aggregate(900.0);
  Shard shard(950.0);
  shard.record(shard.entry("GET", "/"), 1'000, 0, 990.0);
  aggregate.merge(shard.take_delta(999.0), 1000.0);
  EXPECT_EQ(aggregate.find("/", "GET")->start_time(), 950.0);
  EXPECT_EQ(aggregate.total().start_time(), 900.0);
}

TEST(AggregateTest, MergingSeveralDeltasEqualsRecordingAllIntoOneShard) {
  std::mt19937_64 rng(99);
  std::lognormal_distribution<double> latency(std::log(30'000.0), 1.0);
  std::uniform_int_distribution<int> pick(0, 3);
  const std::pair<const char*, const char*> keys[] = {
      {"GET", "/"}, {"POST", "/login"}, {"GET", "/slow"}, {"GET", "/missing"}};

  Aggregate merged(0.0);
  Shard shards[3] = {Shard(0.0), Shard(0.0), Shard(0.0)};
  Shard single(0.0);
  for (int second = 0; second < 30; ++second) {
    for (int i = 0; i < 300; ++i) {
      const double now = second + i / 300.0;
      const auto& [method, name] = keys[pick(rng)];
      const auto rt = static_cast<Micros>(latency(rng));
      Shard& shard = shards[i % 3];
      if (i % 17 == 0) {
        shard.record_failure(shard.entry(method, name), rt, 0, "HTTPError(500)", now);
        single.record_failure(single.entry(method, name), rt, 0, "HTTPError(500)", now);
      } else {
        shard.record(shard.entry(method, name), rt, 120, now);
        single.record(single.entry(method, name), rt, 120, now);
      }
    }
    for (Shard& shard : shards) merged.merge(shard.take_delta(second + 1.0), second + 1.0);
  }
  Aggregate reference(0.0);
  reference.merge(single.take_delta(30.0), 30.0);

  ASSERT_EQ(merged.entry_count(), reference.entry_count());
  auto expect_same = [](const StatsEntry& a, const StatsEntry& b) {
    SCOPED_TRACE(a.name());
    EXPECT_EQ(a.num_requests(), b.num_requests());
    EXPECT_EQ(a.num_failures(), b.num_failures());
    EXPECT_EQ(a.histogram(), b.histogram());
    EXPECT_EQ(a.min_response_time(), b.min_response_time());
    EXPECT_EQ(a.max_response_time(), b.max_response_time());
    EXPECT_DOUBLE_EQ(a.avg_response_time(), b.avg_response_time());
    EXPECT_EQ(a.median_response_time(), b.median_response_time());
    for (double p : kPercentilesToReport) {
      EXPECT_EQ(a.response_time_percentile(p), b.response_time_percentile(p));
    }
    EXPECT_EQ(a.data().total_content_length, b.data().total_content_length);
    EXPECT_EQ(a.last_request_timestamp(), b.last_request_timestamp());
    EXPECT_EQ(a.start_time(), b.start_time());
    EXPECT_DOUBLE_EQ(a.current_rps(), b.current_rps());
    EXPECT_DOUBLE_EQ(a.current_fail_per_sec(), b.current_fail_per_sec());
    EXPECT_DOUBLE_EQ(a.total_rps(), b.total_rps());
  };
  auto a = merged.entries().begin();
  for (const StatsEntry& b : reference.entries()) expect_same(*a++, b);
  expect_same(merged.total(), reference.total());
  ASSERT_EQ(merged.errors().size(), reference.errors().size());
  std::uint64_t merged_occurrences = 0;
  std::uint64_t reference_occurrences = 0;
  for (const StatsError& e : merged.errors()) merged_occurrences += e.occurrences;
  for (const StatsError& e : reference.errors()) reference_occurrences += e.occurrences;
  EXPECT_EQ(merged_occurrences, reference_occurrences);
  EXPECT_EQ(merged_occurrences, merged.total().num_failures());
}

TEST(AggregateTest, ErrorsKeepInsertionOrderAndSumOccurrences) {
  Aggregate aggregate(0.0);
  Delta first;
  first.errors = {{"GET", "/b", "e1", 2}, {"GET", "/a", "e2", 1}};
  Delta second;
  second.errors = {{"GET", "/a", "e2", 3}, {"POST", "/a", "e2", 1}, {"GET", "/b", "e1", 1}};
  aggregate.merge(first, 1.0);
  aggregate.merge(second, 2.0, "worker-2");
  ASSERT_EQ(aggregate.errors().size(), 3u);
  EXPECT_EQ(aggregate.errors()[0].name, "/b");
  EXPECT_EQ(aggregate.errors()[0].occurrences, 3u);
  EXPECT_EQ(aggregate.errors()[1].name, "/a");
  EXPECT_EQ(aggregate.errors()[1].occurrences, 4u);
  EXPECT_EQ(aggregate.errors()[2].method, "POST");
}

TEST(AggregateTest, ExceptionsRememberTheNodesThatReportedThem) {
  Aggregate aggregate(0.0);
  Delta delta;
  delta.exceptions = {{"ZeroDivisionError('division by zero')", "File x, line 1", 2}};
  aggregate.merge(delta, 1.0, "worker-a");
  aggregate.merge(delta, 2.0, "worker-b");
  aggregate.merge(delta, 3.0, "worker-a");
  Delta other;
  other.exceptions = {{"ZeroDivisionError('division by zero')", "File y, line 2", 1}};
  aggregate.merge(other, 4.0);

  ASSERT_EQ(aggregate.exceptions().size(), 2u);
  const ExceptionRecord& first = aggregate.exceptions()[0];
  EXPECT_EQ(first.count, 6u);
  EXPECT_EQ(first.message, "ZeroDivisionError('division by zero')");
  EXPECT_EQ(first.traceback, "File x, line 1");
  EXPECT_EQ(first.nodes, (std::vector<std::string>{"worker-a", "worker-b"}));
  EXPECT_EQ(aggregate.exceptions()[1].nodes, (std::vector<std::string>{"local"}));
}

TEST(AggregateTest, MovedAggregateKeepsEntriesAnchoredOnItsTotal) {
  Aggregate original(1000.0);
  Shard shard(1000.0);
  for (int i = 0; i < 20; ++i) shard.record(shard.entry("GET", "/"), 1'000, 0, 1010.0);
  original.merge(shard.take_delta(1011.0), 1011.0);
  Aggregate moved(std::move(original));
  EXPECT_DOUBLE_EQ(moved.find("/", "GET")->total_rps(), 2.0);
}

}  // namespace
}  // namespace hornet::stats
