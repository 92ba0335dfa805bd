#include "stats/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

namespace hornet::stats {
namespace {

using Buckets = std::vector<std::pair<Micros, std::uint64_t>>;

Buckets buckets_of(const Histogram& h) {
  Buckets out;
  h.for_each([&out](Micros rep, std::uint64_t c) { out.emplace_back(rep, c); });
  return out;
}

double relative_error(Micros approx, Micros exact) {
  return std::abs(static_cast<double>(approx) - static_cast<double>(exact)) /
         static_cast<double>(exact);
}

TEST(HistogramTest, GeometryCoversRangeContiguously) {
  EXPECT_EQ(Histogram::bucket_index(0), 0u);
  EXPECT_EQ(Histogram::bucket_index(Histogram::kMaxTrackable), Histogram::kBucketCount - 1);
  EXPECT_GE(Histogram::kMaxTrackable, Micros{3'600'000'000});  // at least one hour
  for (std::uint32_t i = 0; i + 1 < Histogram::kBucketCount; ++i) {
    ASSERT_EQ(Histogram::bucket_index(Histogram::bucket_lowest(i)), i);
    ASSERT_EQ(Histogram::bucket_lowest(i) + Histogram::bucket_width(i),
              Histogram::bucket_lowest(i + 1))
        << i;
    const Micros last = Histogram::bucket_lowest(i + 1) - 1;
    ASSERT_EQ(Histogram::bucket_index(last), i);
  }
  const std::uint32_t top = Histogram::kBucketCount - 1;
  EXPECT_EQ(Histogram::bucket_lowest(top) + Histogram::bucket_width(top) - 1,
            Histogram::kMaxTrackable);
}

TEST(HistogramTest, ValuesBelowLinearLimitAreExact) {
  Histogram h;
  for (Micros v = 0; v < Histogram::kLinearLimit; ++v) h.record(v);
  Buckets expected;
  for (Micros v = 0; v < Histogram::kLinearLimit; ++v) expected.emplace_back(v, 1);
  EXPECT_EQ(buckets_of(h), expected);
}

TEST(HistogramTest, RepresentativeWithinHalfPercentOfEveryValueInItsBucket) {
  // The worst case of a bucket is its lowest and highest value; check both for every bucket.
  double worst = 0;
  for (std::uint32_t i = 0; i < Histogram::kBucketCount; ++i) {
    const Micros lo = Histogram::bucket_lowest(i);
    const Micros hi = lo + Histogram::bucket_width(i) - 1;
    const Micros rep = Histogram::bucket_representative(i);
    if (lo == 0) {
      EXPECT_EQ(rep, 0u);
      continue;
    }
    worst = std::max({worst, relative_error(rep, lo), relative_error(rep, hi)});
  }
  EXPECT_LE(worst, 0.005);
  EXPECT_LE(worst, 1.0 / 256 + 1e-12);
}

TEST(HistogramTest, PercentilesMatchExactSortedSamplesAcrossWideRange) {
  // Log-uniform samples from 1 µs to one hour, checked against the exact sorted samples at the
  // index Locust's walk selects: min(int(N * p), N - 1).
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> exponent(0.0, std::log(3.6e9));
  constexpr std::size_t kSamples = 200'000;
  std::vector<Micros> samples;
  samples.reserve(kSamples);
  Histogram h;
  for (std::size_t i = 0; i < kSamples; ++i) {
    const auto v = static_cast<Micros>(std::exp(exponent(rng)));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  ASSERT_EQ(h.count(), kSamples);

  for (double p = 0.0; p <= 1.0; p += 0.0025) {
    const auto n = static_cast<std::size_t>(static_cast<double>(kSamples) * p);
    const Micros exact = samples[std::min(n, kSamples - 1)];
    const Micros approx = h.locust_percentile(kSamples, p);
    ASSERT_LE(relative_error(approx, exact), 0.005) << "p=" << p << " exact=" << exact;
  }
  for (double p : {0.5, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0}) {
    const auto n = static_cast<std::size_t>(static_cast<double>(kSamples) * p);
    EXPECT_LE(relative_error(h.locust_percentile(kSamples, p), samples[std::min(n, kSamples - 1)]),
              0.005)
        << p;
  }
  EXPECT_LE(relative_error(h.locust_median(kSamples), samples[(kSamples - 1) / 2]), 0.005);
}

TEST(HistogramTest, LocustWalksOnSmallExactData) {
  Histogram h;
  for (Micros v = 1; v <= 10; ++v) h.record(v);
  // n = int(10 * p); the walk returns the sorted sample at index min(n, 9).
  EXPECT_EQ(h.locust_percentile(10, 0.0), 1u);
  EXPECT_EQ(h.locust_percentile(10, 0.5), 6u);
  EXPECT_EQ(h.locust_percentile(10, 0.66), 7u);
  EXPECT_EQ(h.locust_percentile(10, 0.95), 10u);
  EXPECT_EQ(h.locust_percentile(10, 1.0), 10u);
  // pos = 4.5: 1..4 consume 4, then 0.5 < 1 at value 5.
  EXPECT_EQ(h.locust_median(10), 5u);
  // pos = 4: value 5 as well; pos = 5 → 6.
  EXPECT_EQ(h.locust_median(9), 5u);
  EXPECT_EQ(h.locust_median(11), 6u);
  // A total larger than the histogram falls through to the last key (Locust's `return k`).
  EXPECT_EQ(h.locust_median(1000), 10u);
  // Locust uses num_requests, which may include requests without a response time: with 20
  // requests and p = 0.5, n = 10 and 20 - processed <= 10 holds only after all 10 values; with 30
  // requests it never holds.
  EXPECT_EQ(h.locust_percentile(20, 0.5), 1u);
  EXPECT_EQ(h.locust_percentile(30, 0.5), 0u);
}

TEST(HistogramTest, EmptyHistogramWalksReturnZero) {
  Histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.locust_median(5), 0u);
  EXPECT_EQ(h.locust_percentile(5, 0.5), 0u);
  EXPECT_TRUE(h.locust_response_times().empty());
}

TEST(HistogramTest, RecordWithCount) {
  Histogram a;
  Histogram b;
  a.record(12'345, 3);
  a.record(7, 0);  // no-op
  for (int i = 0; i < 3; ++i) b.record(12'345);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(buckets_of(a), buckets_of(b));
}

TEST(HistogramTest, MergeEqualsRecordingEverythingIntoOne) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(std::log(20'000.0), 1.5);
  Histogram parts[3];
  Histogram all;
  for (int i = 0; i < 30'000; ++i) {
    const auto v = static_cast<Micros>(latency(rng));
    parts[i % 3].record(v);
    all.record(v);
  }
  Histogram merged;
  for (const Histogram& part : parts) merged.merge(part);
  EXPECT_EQ(merged, all);
  EXPECT_EQ(buckets_of(merged), buckets_of(all));
  EXPECT_EQ(merged.count(), 30'000u);
  // Merged storage holds only the touched range.
  EXPECT_LT(merged.allocated_buckets(), Histogram::kBucketCount);

  // Merging into a histogram that records afterwards keeps working (storage grows to full).
  merged.record(1);
  all.record(1);
  EXPECT_EQ(merged, all);
}

TEST(HistogramTest, MergeIntoDisjointRangesGrowsStorage) {
  Histogram low;
  low.record(10);
  Histogram high;
  high.record(1'000'000'000);
  Histogram target(low);  // compact: one bucket
  EXPECT_EQ(target.allocated_buckets(), 1u);
  target.merge(high);
  target.merge(low);
  EXPECT_EQ(target.count(), 3u);
  EXPECT_EQ(
      buckets_of(target),
      (Buckets{{10, 2},
               {Histogram::bucket_representative(Histogram::bucket_index(1'000'000'000)), 1}}));
}

TEST(HistogramTest, ClearEmptiesAndKeepsStorage) {
  Histogram h;
  h.record(100);
  h.record(5'000'000);
  const std::size_t allocated = h.allocated_buckets();
  h.clear();
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.count(), 0u);
  EXPECT_TRUE(buckets_of(h).empty());
  EXPECT_EQ(h.allocated_buckets(), allocated);
  h.record(42);
  EXPECT_EQ(buckets_of(h), (Buckets{{42, 1}}));
}

TEST(HistogramTest, AllocatesLazilyAndCopiesCompactly) {
  Histogram h;
  EXPECT_EQ(h.allocated_buckets(), 0u);
  h.record(1'000);
  EXPECT_EQ(h.allocated_buckets(), Histogram::kBucketCount);
  h.record(2'000);
  EXPECT_EQ(h.allocated_buckets(), Histogram::kBucketCount);

  const Histogram copy(h);
  EXPECT_EQ(copy.allocated_buckets(),
            Histogram::bucket_index(2'000) - Histogram::bucket_index(1'000) + 1);
  EXPECT_EQ(copy, h);

  const Histogram empty_copy{Histogram{}};
  EXPECT_EQ(empty_copy.allocated_buckets(), 0u);

  Histogram moved(std::move(h));
  EXPECT_EQ(moved.count(), 2u);
  EXPECT_EQ(h.count(), 0u);  // NOLINT: moved-from state is specified (empty)
}

TEST(HistogramTest, ClampsAboveMaxTrackableIntoTopBucket) {
  Histogram h;
  h.record(Micros{10} * 3'600'000'000);  // ten hours
  h.record(Histogram::kMaxTrackable);
  const Buckets b = buckets_of(h);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].first, Histogram::bucket_representative(Histogram::kBucketCount - 1));
  EXPECT_EQ(b[0].second, 2u);
}

TEST(HistogramTest, IteratesDescending) {
  Histogram h;
  h.record(3);
  h.record(1);
  h.record(2, 2);
  Buckets down;
  h.for_each_descending([&down](Micros rep, std::uint64_t c) { down.emplace_back(rep, c); });
  EXPECT_EQ(down, (Buckets{{3, 1}, {2, 2}, {1, 1}}));
}

TEST(HistogramTest, LocustRoundingIsPythonRoundHalfEven) {
  // (microseconds, Locust key in ms): reference §2.3's verified Python examples and neighbours.
  const std::pair<Micros, std::int64_t> cases[] = {
      {0, 0},
      {499, 0},
      {500, 0},  // round(0.5) = 0
      {501, 1},
      {1'500, 2},  // round(1.5) = 2
      {2'500, 2},  // round(2.5) = 2
      {3'499, 3},
      {99'499, 99},
      {99'500, 100},  // round(99.5) = 100
      {100'000, 100},
      {145'000, 140},  // round(145.0, -1) = 140.0
      {155'000, 160},  // round(155.0, -1) = 160.0
      {147'000, 150},
      {999'900, 1'000},  // round(999.9, -1) = 1000.0
      {1'000'000, 1'000},
      {3'432'000, 3'400},
      {3'450'000, 3'400},
      {3'550'000, 3'600},
      {9'999'999, 10'000},
      {12'500'000, 12'000},  // round(12500.0, -3) = 12000.0
      {13'500'000, 14'000},
      {58'760'000, 59'000},
  };
  for (const auto& [micros, key] : cases) {
    EXPECT_EQ(Histogram::locust_round_ms(micros), key) << micros;
  }
}

TEST(HistogramTest, LocustResponseTimesFromRepresentatives) {
  Histogram h;
  h.record(100);      // 0.1 ms → 0
  h.record(200, 2);   // 0.2 ms → 0
  h.record(2'000);    // 2 ms → 2
  h.record(151'000);  // ~151 ms → 150
  h.record(149'000);  // ~149 ms → 150
  h.record(3'700'000, 4);
  const std::vector<RoundedBucket> expected = {{0, 3}, {2, 1}, {150, 2}, {3'700, 4}};
  EXPECT_EQ(h.locust_response_times(), expected);

  // Every key is the rounding of its buckets' representatives.
  std::uint64_t total = 0;
  for (const auto& bucket : h.locust_response_times()) total += bucket.count;
  EXPECT_EQ(total, h.count());
}

TEST(HistogramTest, CompactHistogramRoundTrips) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<Micros> value(1, 50'000'000);
  Histogram a;
  Histogram b;
  for (int i = 0; i < 2'000; ++i) {
    a.record(value(rng));
    b.record(value(rng) / 7);
  }
  CompactHistogram compact;
  EXPECT_TRUE(compact.empty());
  compact.add(a);
  compact.add(b);
  EXPECT_EQ(compact.count(), 4'000u);

  Histogram expected(a);
  expected.merge(b);
  Histogram restored;
  restored.merge(compact);
  EXPECT_EQ(restored, expected);
  EXPECT_LE(compact.bucket_count(), 4'000u);

  compact.release();
  EXPECT_TRUE(compact.empty());
  EXPECT_EQ(compact.bucket_count(), 0u);
}

}  // namespace
}  // namespace hornet::stats
