// The session ids issued by successful logins, shared by all worker threads.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hornet::demo {

/// A set of session ids. Thread-safe and lock-light: ids are spread by hash over kShardCount
/// independently locked shards, so two workers rarely wait for each other, and each lock is held
/// for one hash-table operation. Bounded: a shard keeps at most kMaxIdsPerShard ids and forgets
/// the oldest first, so a long load test that logs in again and again cannot grow the server
/// without limit (a forgotten id behaves like an expired Django session: 302 to the login page).
class SessionStore {
 public:
  static constexpr std::size_t kShardCount = 16;
  static constexpr std::size_t kMaxIdsPerShard = 1 << 16;  // about a million sessions in all

  void add(std::string id);
  [[nodiscard]] bool contains(std::string_view id) const;

 private:
  // Transparent hashing lets contains() look a string_view up without building a string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct alignas(64) Shard {  // one cache line apart, so shards do not share lines
    mutable std::mutex mutex;
    std::unordered_set<std::string, Hash, std::equal_to<>> ids;
    std::deque<std::string_view> oldest_first;  // views of the keys in `ids` (nodes are stable)
  };

  Shard& shard_for(std::string_view id) const noexcept;

  mutable std::array<Shard, kShardCount> shards_;
};

}  // namespace hornet::demo
