// Log-linear response-time histogram over integer microseconds (HdrHistogram-like).
//
// Layout: values below kLinearLimit (256 µs) have one bucket each (exact); above that, every power
// of two [2^k, 2^(k+1)) is split into kSubBuckets (128) equal buckets. A bucket's representative is
// its midpoint, which is within 1/256 (0.39%) of every value in the bucket. Values above
// kMaxTrackable (2^32 - 1 µs, about 71.6 minutes) are clamped into the top bucket; exact min/max
// are tracked by the stats entries, not here.
//
// Thread affinity: none. A Histogram is a plain value; callers keep it on one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace hornet::stats {

/// Response times in the stats layer are integer microseconds.
using Micros = std::uint64_t;

/// One key of Locust's rounded response-time dict (reference §2.3): `key_ms` is the response time
/// in whole milliseconds after Locust's rounding, `count` the number of requests with that key.
struct RoundedBucket {
  std::int64_t key_ms = 0;
  std::uint64_t count = 0;
  friend bool operator==(const RoundedBucket&, const RoundedBucket&) = default;
};

class CompactHistogram;

/// Counts of response times, in buckets of bounded relative width.
///
/// Storage is allocated lazily: a histogram that never held a value owns no memory. The first
/// record() allocates the full bucket array (kBucketCount counters, about 26 KB) once; later
/// records never allocate, and clear() keeps the array. Copies and merge() targets hold only the
/// touched bucket range, so snapshots are small. clear(), merge() and iteration cost is
/// proportional to the touched range [lowest non-empty bucket, highest non-empty bucket], not to
/// the full array.
class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint32_t kSubBuckets = 1u << kSubBucketBits;  // per power of two
  static constexpr std::uint32_t kLinearLimit = 2 * kSubBuckets;      // exact below this value
  static constexpr int kMaxMagnitude = 32;
  static constexpr Micros kMaxTrackable = (Micros{1} << kMaxMagnitude) - 1;
  static constexpr std::uint32_t kBucketCount =
      kLinearLimit + (kMaxMagnitude - (kSubBucketBits + 1)) * kSubBuckets;

  Histogram() noexcept = default;
  /// Copies hold only the source's touched range (allocation proportional to it).
  Histogram(const Histogram& other);
  Histogram& operator=(const Histogram& other);
  Histogram(Histogram&& other) noexcept;
  Histogram& operator=(Histogram&& other) noexcept;
  ~Histogram() = default;

  /// Adds `count` observations of `value` (clamped to kMaxTrackable). O(1); allocates only the
  /// first time this histogram ever records (an allocation failure terminates: noexcept).
  void record(Micros value, std::uint64_t count = 1) noexcept {
    if (count == 0) return;
    const std::uint32_t index = bucket_index(value);
    if (index - base_ >= capacity_) [[unlikely]] {
      grow_to_full();
    }
    counts_[index - base_] += count;
    total_ += count;
    if (index < lowest_) lowest_ = index;
    if (index > highest_) highest_ = index;
  }

  /// Adds every bucket of `other`. May allocate (only the union of the touched ranges).
  void merge(const Histogram& other);
  void merge(const CompactHistogram& other);

  /// Empties the histogram, keeping its storage. O(touched range).
  void clear() noexcept;

  /// Number of recorded observations.
  std::uint64_t count() const noexcept { return total_; }
  bool empty() const noexcept { return total_ == 0; }

  /// Calls f(representative_micros, count) for every non-empty bucket, ascending.
  template <class F>
  void for_each(F&& f) const {
    if (total_ == 0) return;
    for (std::uint32_t i = lowest_; i <= highest_; ++i) {
      if (const std::uint64_t c = counts_[i - base_]; c != 0) f(bucket_representative(i), c);
    }
  }

  /// Calls f(representative_micros, count) for every non-empty bucket, descending.
  template <class F>
  void for_each_descending(F&& f) const {
    if (total_ == 0) return;
    for (std::uint32_t i = highest_ + 1; i-- > lowest_;) {
      if (const std::uint64_t c = counts_[i - base_]; c != 0) f(bucket_representative(i), c);
    }
  }

  /// Locust's median_from_dict(total, buckets) walk (reference §2.4): with pos = (total - 1) / 2,
  /// the first bucket (ascending) whose count exceeds the remaining pos; the last bucket if the
  /// walk falls through. Returns the bucket's representative; 0 if the histogram is empty.
  /// `total` is Locust's num_requests - num_none_requests.
  Micros locust_median(std::uint64_t total) const noexcept;

  /// Locust's calculate_response_time_percentile walk (reference §2.4): with
  /// n = int(num_requests * p), the first bucket, walking down from the top, where
  /// num_requests - (observations at or above it) <= n. Returns the bucket's representative;
  /// 0 if no bucket qualifies. For num_requests == count() this is the sorted sample at index
  /// min(n, count() - 1), to within the bucket width.
  Micros locust_percentile(std::uint64_t num_requests, double p) const noexcept;

  /// The histogram as Locust's rounded-millisecond dict (reference §2.3), ascending by key, each
  /// key once. Derived from every bucket's representative with locust_round_ms().
  std::vector<RoundedBucket> locust_response_times() const;

  /// Locust's key for a response time of `micros`: round(ms) below 100 ms, round(ms, -1) below
  /// 1000, round(ms, -2) below 10000, else round(ms, -3), with Python's round-half-even.
  static std::int64_t locust_round_ms(Micros micros) noexcept;

  /// Bucket geometry, public for tests and for CompactHistogram.
  static std::uint32_t bucket_index(Micros value) noexcept;
  static Micros bucket_lowest(std::uint32_t index) noexcept;
  static Micros bucket_width(std::uint32_t index) noexcept;
  static Micros bucket_representative(std::uint32_t index) noexcept;

  /// Number of bucket counters this histogram currently owns (0 until storage is needed).
  std::size_t allocated_buckets() const noexcept { return capacity_; }

  /// Same buckets and counts (storage layout is not compared).
  friend bool operator==(const Histogram& a, const Histogram& b) noexcept;

 private:
  friend class CompactHistogram;

  void grow_to_full();
  // Makes storage cover bucket indices [lo, hi], keeping existing counts.
  void ensure_covers(std::uint32_t lo, std::uint32_t hi);
  std::uint64_t at(std::uint32_t index) const noexcept { return counts_[index - base_]; }

  std::unique_ptr<std::uint64_t[]> counts_;
  std::uint32_t base_ = 0;               // bucket index held by counts_[0]
  std::uint32_t capacity_ = 0;           // number of counters in counts_
  std::uint32_t lowest_ = kBucketCount;  // touched range; valid only when total_ > 0
  std::uint32_t highest_ = 0;
  std::uint64_t total_ = 0;
};

/// A histogram holding only its non-empty buckets: cheap to keep many of (the per-second windows
/// of the aggregate). Not for recording; fill it with add() and read it back by merging it into a
/// Histogram.
class CompactHistogram {
 public:
  /// Adds every bucket of `h`. Allocates.
  void add(const Histogram& h);
  /// Empties the histogram and releases its memory.
  void release() noexcept;
  std::uint64_t count() const noexcept { return total_; }
  bool empty() const noexcept { return total_ == 0; }
  /// Number of non-empty buckets held.
  std::size_t bucket_count() const noexcept { return buckets_.size(); }

 private:
  friend class Histogram;
  struct Bucket {
    std::uint32_t index;
    std::uint64_t count;
  };
  std::vector<Bucket> buckets_;  // ascending by index, counts non-zero
  std::uint64_t total_ = 0;
};

}  // namespace hornet::stats
