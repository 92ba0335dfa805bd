#include "stats/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace hornet::stats {

namespace {

std::unique_ptr<std::uint64_t[]> zeroed(std::uint32_t n) {
  // make_unique<T[]> value-initialises, i.e. zeroes the counters.
  return std::make_unique<std::uint64_t[]>(n);
}

}  // namespace

std::uint32_t Histogram::bucket_index(Micros value) noexcept {
  value = std::min(value, kMaxTrackable);
  if (value < kLinearLimit) return static_cast<std::uint32_t>(value);
  const int magnitude = std::bit_width(value) - 1;  // value in [2^magnitude, 2^(magnitude+1))
  const int shift = magnitude - kSubBucketBits;
  const auto sub = static_cast<std::uint32_t>(value >> shift) - kSubBuckets;
  return kLinearLimit + static_cast<std::uint32_t>(magnitude - (kSubBucketBits + 1)) * kSubBuckets +
         sub;
}

Micros Histogram::bucket_lowest(std::uint32_t index) noexcept {
  if (index < kLinearLimit) return index;
  const std::uint32_t offset = index - kLinearLimit;
  const std::uint32_t level = offset >> kSubBucketBits;  // magnitude - 8
  const std::uint32_t sub = offset & (kSubBuckets - 1);
  return Micros{kSubBuckets + sub} << (level + 1);
}

Micros Histogram::bucket_width(std::uint32_t index) noexcept {
  if (index < kLinearLimit) return 1;
  return Micros{1} << (((index - kLinearLimit) >> kSubBucketBits) + 1);
}

Micros Histogram::bucket_representative(std::uint32_t index) noexcept {
  return bucket_lowest(index) + bucket_width(index) / 2;
}

std::int64_t Histogram::locust_round_ms(Micros micros) noexcept {
  // Integer arithmetic on the exact microsecond value. Locust rounds the float in ms, but every
  // tie (x.5 ms, x5 ms, ...) is exactly representable in binary, so the decisions agree.
  Micros unit = 1'000;
  if (micros >= 10'000'000) {
    unit = 1'000'000;
  } else if (micros >= 1'000'000) {
    unit = 100'000;
  } else if (micros >= 100'000) {
    unit = 10'000;
  }
  Micros quotient = micros / unit;
  const Micros remainder = micros % unit;
  const Micros half = unit / 2;
  if (remainder > half || (remainder == half && (quotient & 1) != 0)) ++quotient;
  return static_cast<std::int64_t>(quotient * (unit / 1'000));
}

Histogram::Histogram(const Histogram& other)
    : lowest_(other.lowest_), highest_(other.highest_), total_(other.total_) {
  if (other.total_ == 0) {
    lowest_ = kBucketCount;
    highest_ = 0;
    return;
  }
  base_ = other.lowest_;
  capacity_ = other.highest_ - other.lowest_ + 1;
  counts_ = std::make_unique_for_overwrite<std::uint64_t[]>(capacity_);
  std::memcpy(counts_.get(), other.counts_.get() + (other.lowest_ - other.base_),
              capacity_ * sizeof(std::uint64_t));
}

Histogram& Histogram::operator=(const Histogram& other) {
  if (this != &other) {
    Histogram copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Histogram::Histogram(Histogram&& other) noexcept
    : counts_(std::move(other.counts_)),
      base_(std::exchange(other.base_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      lowest_(std::exchange(other.lowest_, kBucketCount)),
      highest_(std::exchange(other.highest_, 0)),
      total_(std::exchange(other.total_, 0)) {}

Histogram& Histogram::operator=(Histogram&& other) noexcept {
  if (this != &other) {
    counts_ = std::move(other.counts_);
    base_ = std::exchange(other.base_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    lowest_ = std::exchange(other.lowest_, kBucketCount);
    highest_ = std::exchange(other.highest_, 0);
    total_ = std::exchange(other.total_, 0);
  }
  return *this;
}

void Histogram::grow_to_full() {
  auto full = zeroed(kBucketCount);
  if (total_ != 0) {
    std::memcpy(full.get() + lowest_, counts_.get() + (lowest_ - base_),
                (highest_ - lowest_ + 1) * sizeof(std::uint64_t));
  }
  counts_ = std::move(full);
  base_ = 0;
  capacity_ = kBucketCount;
}

void Histogram::ensure_covers(std::uint32_t lo, std::uint32_t hi) {
  if (capacity_ != 0 && lo >= base_ && hi < base_ + capacity_) return;
  std::uint32_t new_lo = lo;
  std::uint32_t new_hi = hi;
  if (total_ != 0) {
    new_lo = std::min(new_lo, lowest_);
    new_hi = std::max(new_hi, highest_);
  }
  const std::uint32_t new_capacity = new_hi - new_lo + 1;
  auto storage = zeroed(new_capacity);
  if (total_ != 0) {
    std::memcpy(storage.get() + (lowest_ - new_lo), counts_.get() + (lowest_ - base_),
                (highest_ - lowest_ + 1) * sizeof(std::uint64_t));
  }
  counts_ = std::move(storage);
  base_ = new_lo;
  capacity_ = new_capacity;
}

void Histogram::merge(const Histogram& other) {
  if (other.total_ == 0) return;
  ensure_covers(other.lowest_, other.highest_);
  for (std::uint32_t i = other.lowest_; i <= other.highest_; ++i) {
    counts_[i - base_] += other.at(i);
  }
  total_ += other.total_;
  lowest_ = std::min(lowest_, other.lowest_);
  highest_ = std::max(highest_, other.highest_);
}

void Histogram::merge(const CompactHistogram& other) {
  if (other.total_ == 0) return;
  const std::uint32_t lo = other.buckets_.front().index;
  const std::uint32_t hi = other.buckets_.back().index;
  ensure_covers(lo, hi);
  for (const auto& bucket : other.buckets_) counts_[bucket.index - base_] += bucket.count;
  total_ += other.total_;
  lowest_ = std::min(lowest_, lo);
  highest_ = std::max(highest_, hi);
}

void Histogram::clear() noexcept {
  if (total_ != 0) {
    std::memset(counts_.get() + (lowest_ - base_), 0,
                (highest_ - lowest_ + 1) * sizeof(std::uint64_t));
  }
  lowest_ = kBucketCount;
  highest_ = 0;
  total_ = 0;
}

Micros Histogram::locust_median(std::uint64_t total) const noexcept {
  if (total_ == 0) return 0;
  // Locust's pos = (total - 1) / 2 is a float that may end in .5; twice it is an exact integer.
  auto twice_pos = static_cast<std::int64_t>(total) - 1;
  Micros last = 0;
  for (std::uint32_t i = lowest_; i <= highest_; ++i) {
    const std::uint64_t c = at(i);
    if (c == 0) continue;
    last = bucket_representative(i);
    const auto twice_count = static_cast<std::int64_t>(2 * c);
    if (twice_pos < twice_count) return last;
    twice_pos -= twice_count;
  }
  return last;
}

Micros Histogram::locust_percentile(std::uint64_t num_requests, double p) const noexcept {
  if (total_ == 0) return 0;
  // Python's int(num_requests * percent): a float product, truncated.
  const auto n = static_cast<std::int64_t>(static_cast<double>(num_requests) * p);
  const auto requests = static_cast<std::int64_t>(num_requests);
  std::int64_t processed = 0;
  for (std::uint32_t i = highest_ + 1; i-- > lowest_;) {
    const std::uint64_t c = at(i);
    if (c == 0) continue;
    processed += static_cast<std::int64_t>(c);
    if (requests - processed <= n) return bucket_representative(i);
  }
  return 0;
}

std::vector<RoundedBucket> Histogram::locust_response_times() const {
  std::vector<RoundedBucket> out;
  // Rounding is monotonic, so equal keys are adjacent in ascending order.
  for_each([&out](Micros representative, std::uint64_t c) {
    const std::int64_t key = locust_round_ms(representative);
    if (!out.empty() && out.back().key_ms == key) {
      out.back().count += c;
    } else {
      out.push_back({key, c});
    }
  });
  return out;
}

bool operator==(const Histogram& a, const Histogram& b) noexcept {
  if (a.total_ != b.total_) return false;
  if (a.total_ == 0) return true;
  if (a.lowest_ != b.lowest_ || a.highest_ != b.highest_) return false;
  for (std::uint32_t i = a.lowest_; i <= a.highest_; ++i) {
    if (a.at(i) != b.at(i)) return false;
  }
  return true;
}

void CompactHistogram::add(const Histogram& h) {
  if (h.total_ == 0) return;
  std::size_t incoming = 0;
  for (std::uint32_t i = h.lowest_; i <= h.highest_; ++i) incoming += h.at(i) != 0 ? 1 : 0;
  std::vector<Bucket> merged;
  merged.reserve(buckets_.size() + incoming);
  auto it = buckets_.begin();
  for (std::uint32_t i = h.lowest_; i <= h.highest_; ++i) {
    const std::uint64_t c = h.at(i);
    if (c == 0) continue;
    while (it != buckets_.end() && it->index < i) merged.push_back(*it++);
    if (it != buckets_.end() && it->index == i) {
      merged.push_back({i, it->count + c});
      ++it;
    } else {
      merged.push_back({i, c});
    }
  }
  merged.insert(merged.end(), it, buckets_.end());
  buckets_ = std::move(merged);
  total_ += h.total_;
}

void CompactHistogram::release() noexcept {
  std::vector<Bucket>().swap(buckets_);
  total_ = 0;
}

}  // namespace hornet::stats
