// Counts per epoch second: Locust's num_reqs_per_sec / num_fail_per_sec dicts.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace hornet::stats {

/// Epoch second of `epoch_seconds` as Locust keys it: int64(floor(t)).
std::int64_t epoch_second(double epoch_seconds) noexcept;

/// second → count, kept sorted by second. Sized for the few seconds of a delta or of the current
/// window: lookups are linear from the back, where new seconds arrive. clear() keeps the capacity,
/// so a recorder that is cleared every second stops allocating after warm-up.
class PerSecondCounts {
 public:
  using Item = std::pair<std::int64_t, std::uint64_t>;  // (epoch second, count)

  /// Adds `count` to `second`. Allocates only when a new second exceeds the capacity.
  void add(std::int64_t second, std::uint64_t count = 1);
  /// The count for `second`, 0 if absent.
  std::uint64_t get(std::int64_t second) const noexcept;
  /// Adds every (second, count) of `other`.
  void merge(const PerSecondCounts& other);
  /// Forgets every second < `second`.
  void drop_before(std::int64_t second) noexcept;
  void clear() noexcept { items_.clear(); }

  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }
  /// Ascending by second, one item per second, counts non-zero.
  std::span<const Item> items() const noexcept { return items_; }

  friend bool operator==(const PerSecondCounts&, const PerSecondCounts&) = default;

 private:
  std::vector<Item> items_;
};

}  // namespace hornet::stats
