#include "stats/per_second_counts.hpp"

#include <algorithm>
#include <cmath>

namespace hornet::stats {

std::int64_t epoch_second(double epoch_seconds) noexcept {
  return static_cast<std::int64_t>(std::floor(epoch_seconds));
}

void PerSecondCounts::add(std::int64_t second, std::uint64_t count) {
  if (count == 0) return;
  if (items_.empty() || items_.back().first < second) {
    items_.emplace_back(second, count);
    return;
  }
  if (items_.back().first == second) {
    items_.back().second += count;
    return;
  }
  // An older second (a clock step back, or a late report): rare, keep the order.
  auto it = std::lower_bound(items_.begin(), items_.end(), second,
                             [](const Item& item, std::int64_t s) { return item.first < s; });
  if (it->first == second) {
    it->second += count;
  } else {
    items_.insert(it, Item{second, count});
  }
}

std::uint64_t PerSecondCounts::get(std::int64_t second) const noexcept {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (it->first == second) return it->second;
    if (it->first < second) break;
  }
  return 0;
}

void PerSecondCounts::merge(const PerSecondCounts& other) {
  for (const auto& [second, count] : other.items_) add(second, count);
}

void PerSecondCounts::drop_before(std::int64_t second) noexcept {
  auto it = std::lower_bound(items_.begin(), items_.end(), second,
                             [](const Item& item, std::int64_t s) { return item.first < s; });
  items_.erase(items_.begin(), it);
}

}  // namespace hornet::stats
