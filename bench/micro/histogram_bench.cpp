// The response-time histogram: record() (once per request, on the worker thread) over values in
// the exact linear range and over the log range, and the percentile and median walks the console
// table, CSV and web UI run on merged histograms (every 2 s per entry), on a histogram holding a
// realistic spread of a million values.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "stats/histogram.hpp"

namespace {

using hornet::stats::Histogram;
using hornet::stats::Micros;

// Pseudo-random values in [lo, lo + span), cycled by the benchmarks.
std::vector<Micros> values(Micros lo, Micros span) {
  std::vector<Micros> out;
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out.push_back(lo + x % span);
  }
  return out;
}

void record_loop(benchmark::State& state, const std::vector<Micros>& v) {
  Histogram h;
  std::size_t i = 0;
  for (auto _ : state) h.record(v[i++ & 4095]);
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}

void BM_HistogramRecordLinear(benchmark::State& state) {
  record_loop(state, values(1, 255));
}
BENCHMARK(BM_HistogramRecordLinear);

// 0.1 ms to 200 ms: loopback to a slow application.
void BM_HistogramRecordLog(benchmark::State& state) {
  record_loop(state, values(100, 200000));
}
BENCHMARK(BM_HistogramRecordLog);

Histogram filled() {
  Histogram h;
  const auto v = values(100, 200000);
  for (int i = 0; i < 1'000'000; ++i) h.record(v[i & 4095] + (i >> 12));
  return h;
}

void BM_HistogramPercentile95(benchmark::State& state) {
  const Histogram h = filled();
  for (auto _ : state) benchmark::DoNotOptimize(h.locust_percentile(h.count(), 0.95));
}
BENCHMARK(BM_HistogramPercentile95);

// The percentile table: 50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100 %.
void BM_HistogramPercentileTable(benchmark::State& state) {
  const Histogram h = filled();
  const double ps[] = {0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0};
  for (auto _ : state) {
    for (double p : ps) benchmark::DoNotOptimize(h.locust_percentile(h.count(), p));
  }
}
BENCHMARK(BM_HistogramPercentileTable);

void BM_HistogramMedian(benchmark::State& state) {
  const Histogram h = filled();
  for (auto _ : state) benchmark::DoNotOptimize(h.locust_median(h.count()));
}
BENCHMARK(BM_HistogramMedian);

void BM_HistogramMerge(benchmark::State& state) {
  const Histogram h = filled();
  Histogram into;
  for (auto _ : state) {
    into.merge(h);
    benchmark::DoNotOptimize(into.count());
  }
}
BENCHMARK(BM_HistogramMerge);

}  // namespace
