#include "session_store.hpp"

#include <utility>

namespace hornet::demo {

SessionStore::Shard& SessionStore::shard_for(std::string_view id) const noexcept {
  // The low bits of std::hash are fine for this spread; the table inside uses the full hash.
  return shards_[Hash{}(id) % kShardCount];
}

void SessionStore::add(std::string id) {
  Shard& shard = shard_for(id);
  const std::lock_guard lock(shard.mutex);
  const auto [position, inserted] = shard.ids.insert(std::move(id));
  if (!inserted) return;
  shard.oldest_first.emplace_back(*position);
  if (shard.ids.size() > kMaxIdsPerShard) {
    const auto oldest = shard.ids.find(shard.oldest_first.front());
    shard.oldest_first.pop_front();
    shard.ids.erase(oldest);
  }
}

bool SessionStore::contains(std::string_view id) const {
  const Shard& shard = shard_for(id);
  const std::lock_guard lock(shard.mutex);
  return shard.ids.find(id) != shard.ids.end();
}

}  // namespace hornet::demo
