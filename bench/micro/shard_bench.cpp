// The stats Shard's record path, as a worker thread runs it once per request: look the entry up
// by (method, name) and record a response time, size and timestamp. Also the same with the entry
// reference kept (the lookup's cost is the difference), a failure (a second hash lookup, into
// the errors table), and take_delta every 1000 requests (a busy thread's once-a-second hand-off).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "stats/shard.hpp"

namespace {

using hornet::stats::Micros;
using hornet::stats::Shard;

constexpr double kStart = 1.8e9;  // epoch seconds
// Requests 100 µs apart in time, so the per-second counters roll over every 10,000 requests.
constexpr double kStep = 100e-6;

// Response times spread over the histogram's linear and log ranges (µs), cycled.
std::vector<Micros> response_times() {
  std::vector<Micros> times;
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    times.push_back(50 + x % 20000);
  }
  return times;
}

void BM_ShardEntryAndRecord(benchmark::State& state) {
  Shard shard(kStart);
  const auto times = response_times();
  // The session's names: a handful of entries, as in the seed-like case.
  const std::string_view names[] = {"/", "/heavy_url/", "/another_heavy_ajax_url/",
                                    "/accounts/login/"};
  for (auto name : names) shard.entry("GET", name);
  double now = kStart;
  std::size_t i = 0;
  for (auto _ : state) {
    Shard::Entry& entry = shard.entry("GET", names[i & 3]);
    shard.record(entry, times[i & 4095], 1856, now);
    now += kStep;
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShardEntryAndRecord);

void BM_ShardRecordKeptEntry(benchmark::State& state) {
  Shard shard(kStart);
  const auto times = response_times();
  Shard::Entry& entry = shard.entry("GET", "/hello.txt");
  double now = kStart;
  std::size_t i = 0;
  for (auto _ : state) {
    shard.record(entry, times[i++ & 4095], 86, now);
    now += kStep;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShardRecordKeptEntry);

void BM_ShardRecordFailure(benchmark::State& state) {
  Shard shard(kStart);
  const auto times = response_times();
  Shard::Entry& entry = shard.entry("GET", "/heavy_url/");
  double now = kStart;
  std::size_t i = 0;
  for (auto _ : state) {
    shard.record_failure(entry, times[i++ & 4095], 0, "HTTPError('403 Client Error: Forbidden')",
                         now);
    now += kStep;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShardRecordFailure);

void BM_ShardRecordWithDeltas(benchmark::State& state) {
  Shard shard(kStart);
  const auto times = response_times();
  Shard::Entry& entry = shard.entry("GET", "/hello.txt");
  double now = kStart;
  std::size_t i = 0;
  for (auto _ : state) {
    shard.record(entry, times[i & 4095], 86, now);
    now += kStep;
    if ((++i % 1000) == 0) benchmark::DoNotOptimize(shard.take_delta(now));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ShardRecordWithDeltas);

}  // namespace
