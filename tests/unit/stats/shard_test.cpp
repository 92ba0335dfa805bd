#include "stats/shard.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hornet::stats {
namespace {

using Items = std::vector<PerSecondCounts::Item>;

Items items(const PerSecondCounts& counts) {
  return Items(counts.items().begin(), counts.items().end());
}

TEST(ShardTest, EntryLookupFindsTheSameEntryAndReferencesStayValid) {
  Shard shard(1000.0);
  Shard::Entry& home = shard.entry("GET", "/");
  EXPECT_EQ(home.method(), "GET");
  EXPECT_EQ(home.name(), "/");
  // Enough entries to rehash the index several times.
  for (int i = 0; i < 1000; ++i) shard.entry("GET", "/item/" + std::to_string(i));
  EXPECT_EQ(&shard.entry("GET", "/"), &home);
  EXPECT_NE(&shard.entry("POST", "/"), &home);
  EXPECT_EQ(shard.entry_count(), 1002u);
  EXPECT_EQ(home.name(), "/");
}

TEST(ShardTest, RecordsSuccessesAndFailuresIntoOneDelta) {
  Shard shard(1000.25);
  Shard::Entry& e = shard.entry("GET", "/api");
  shard.record(e, 2'000, 100, 1001.5);
  shard.record(e, 8'000, 300, 1001.9);
  shard.record_failure(e, 5'000, 0, "HTTPError('500 Server Error')", 1002.1);

  const Delta delta = shard.take_delta(1003.0);
  ASSERT_EQ(delta.entries.size(), 1u);
  const EntryDelta& d = delta.entries[0];
  EXPECT_EQ(d.name, "/api");
  EXPECT_EQ(d.method, "GET");
  EXPECT_EQ(d.start_time, 1000.25);
  ASSERT_TRUE(d.last_request_timestamp.has_value());
  EXPECT_EQ(*d.last_request_timestamp, 1002.1);
  EXPECT_EQ(d.num_requests, 3u);  // a failure is also a request
  EXPECT_EQ(d.num_none_requests, 0u);
  EXPECT_EQ(d.num_failures, 1u);
  EXPECT_EQ(d.total_response_time, 15'000u);
  EXPECT_EQ(d.min_response_time, std::optional<Micros>(2'000));
  EXPECT_EQ(d.max_response_time, 8'000u);
  EXPECT_EQ(d.total_content_length, 400u);
  EXPECT_EQ(d.response_times.count(), 3u);
  EXPECT_EQ(items(d.num_reqs_per_sec), (Items{{1001, 2}, {1002, 1}}));
  EXPECT_EQ(items(d.num_fail_per_sec), (Items{{1002, 1}}));
}

TEST(ShardTest, PerSecondCountersUseFloorOfNow) {
  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/");
  shard.record(e, 1, 0, 41.999);
  shard.record(e, 1, 0, 42.0);
  const Delta delta = shard.take_delta(43.0);
  EXPECT_EQ(items(delta.entries[0].num_reqs_per_sec), (Items{{41, 1}, {42, 1}}));
}

TEST(ShardTest, ErrorsAreKeyedByMethodNameAndError) {
  Shard shard(0.0);
  Shard::Entry& get = shard.entry("GET", "/x");
  Shard::Entry& post = shard.entry("POST", "/x");
  shard.record_failure(get, 1, 0, "boom", 1.0);
  shard.record_failure(post, 1, 0, "boom", 1.0);
  shard.record_failure(get, 1, 0, "bang", 1.0);
  shard.record_failure(get, 1, 0, "boom", 1.0);

  const Delta delta = shard.take_delta(2.0);
  ASSERT_EQ(delta.errors.size(), 3u);
  EXPECT_EQ(delta.errors[0].method, "GET");
  EXPECT_EQ(delta.errors[0].name, "/x");
  EXPECT_EQ(delta.errors[0].error, "boom");
  EXPECT_EQ(delta.errors[0].occurrences, 2u);
  EXPECT_EQ(delta.errors[1].method, "POST");
  EXPECT_EQ(delta.errors[1].occurrences, 1u);
  EXPECT_EQ(delta.errors[2].error, "bang");
  EXPECT_EQ(delta.errors[2].occurrences, 1u);
}

TEST(ShardTest, ExceptionsAreKeyedByMessageAndTraceback) {
  Shard shard(0.0);
  shard.record_exception("ValueError('x')", "tb1");
  shard.record_exception("ValueError('x')", "tb1");
  shard.record_exception("ValueError('x')", "tb2");
  shard.record_exception("KeyError('k')", "tb1");
  const Delta delta = shard.take_delta(1.0);
  ASSERT_EQ(delta.exceptions.size(), 3u);
  EXPECT_EQ(delta.exceptions[0].message, "ValueError('x')");
  EXPECT_EQ(delta.exceptions[0].traceback, "tb1");
  EXPECT_EQ(delta.exceptions[0].count, 2u);
  EXPECT_EQ(delta.exceptions[1].traceback, "tb2");
  EXPECT_EQ(delta.exceptions[2].message, "KeyError('k')");
}

TEST(ShardTest, TakeDeltaResetsInPlaceAndOmitsIdleEntries) {
  Shard shard(100.0);
  Shard::Entry& a = shard.entry("GET", "/a");
  Shard::Entry& b = shard.entry("GET", "/b");
  shard.record(a, 1'000, 10, 100.5);
  shard.record_failure(b, 2'000, 0, "err", 100.7);
  shard.record_exception("m", "t");
  Delta first = shard.take_delta(101.0);
  EXPECT_EQ(first.entries.size(), 2u);
  EXPECT_EQ(first.errors.size(), 1u);
  EXPECT_EQ(first.exceptions.size(), 1u);

  shard.record(a, 3'000, 0, 101.5);
  Delta second = shard.take_delta(102.0);
  ASSERT_EQ(second.entries.size(), 1u);  // /b had no traffic
  const EntryDelta& d = second.entries[0];
  EXPECT_EQ(d.name, "/a");
  EXPECT_EQ(d.start_time, 101.0);  // time of the previous take
  EXPECT_EQ(d.num_requests, 1u);
  EXPECT_EQ(d.num_failures, 0u);
  EXPECT_EQ(d.min_response_time, std::optional<Micros>(3'000));
  EXPECT_EQ(d.max_response_time, 3'000u);
  EXPECT_EQ(d.total_content_length, 0u);
  EXPECT_EQ(d.response_times.count(), 1u);
  EXPECT_EQ(items(d.num_reqs_per_sec), (Items{{101, 1}}));
  EXPECT_TRUE(second.errors.empty());
  EXPECT_TRUE(second.exceptions.empty());

  // The same Entry objects keep working after takes.
  EXPECT_EQ(&shard.entry("GET", "/a"), &a);
  EXPECT_EQ(shard.entry_count(), 2u);
}

TEST(ShardTest, TotalIsAlwaysPresentAndSumsTheEntries) {
  Shard shard(10.0);
  const Delta idle = shard.take_delta(11.0);
  EXPECT_TRUE(idle.entries.empty());
  EXPECT_EQ(idle.total.name, "Aggregated");
  EXPECT_EQ(idle.total.method, "");
  EXPECT_EQ(idle.total.start_time, 10.0);
  EXPECT_FALSE(idle.total.last_request_timestamp.has_value());
  EXPECT_EQ(idle.total.num_requests, 0u);
  EXPECT_FALSE(idle.total.min_response_time.has_value());

  Shard::Entry& a = shard.entry("GET", "/a");
  Shard::Entry& b = shard.entry("POST", "/b");
  shard.record(a, 4'000, 5, 11.2);
  shard.record_failure(b, 9'000, 0, "e", 12.4);
  shard.record(b, 1'000, 7, 12.6);
  const Delta delta = shard.take_delta(13.0);
  const EntryDelta& t = delta.total;
  EXPECT_EQ(t.start_time, 11.0);
  EXPECT_EQ(t.last_request_timestamp, std::optional<double>(12.6));
  EXPECT_EQ(t.num_requests, 3u);
  EXPECT_EQ(t.num_failures, 1u);
  EXPECT_EQ(t.total_response_time, 14'000u);
  EXPECT_EQ(t.min_response_time, std::optional<Micros>(1'000));
  EXPECT_EQ(t.max_response_time, 9'000u);
  EXPECT_EQ(t.total_content_length, 12u);
  EXPECT_EQ(t.response_times.count(), 3u);
  EXPECT_EQ(items(t.num_reqs_per_sec), (Items{{11, 1}, {12, 2}}));
  EXPECT_EQ(items(t.num_fail_per_sec), (Items{{12, 1}}));
}

TEST(ShardTest, ResetDiscardsTheCurrentInterval) {
  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/");
  shard.record_failure(e, 1, 0, "x", 0.5);
  shard.record_exception("m", "t");
  shard.reset(5.0);
  const Delta delta = shard.take_delta(6.0);
  EXPECT_TRUE(delta.entries.empty());
  EXPECT_TRUE(delta.errors.empty());
  EXPECT_TRUE(delta.exceptions.empty());
  EXPECT_EQ(delta.total.start_time, 5.0);
}

TEST(ShardTest, DeltaHistogramIsCompactAndShardKeepsItsStorage) {
  Shard shard(0.0);
  Shard::Entry& e = shard.entry("GET", "/");
  for (Micros v = 1'000; v < 1'100; ++v) shard.record(e, v, 0, 0.5);
  const Delta delta = shard.take_delta(1.0);
  EXPECT_LT(delta.entries[0].response_times.allocated_buckets(), 50u);
  EXPECT_EQ(delta.entries[0].response_times.count(), 100u);
}

}  // namespace
}  // namespace hornet::stats
