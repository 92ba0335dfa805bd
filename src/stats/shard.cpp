#include "stats/shard.hpp"

#include <functional>
#include <utility>

namespace hornet::stats {

namespace {

std::size_t combine(std::size_t seed, std::string_view s) noexcept {
  return seed ^
         (std::hash<std::string_view>{}(s) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace

std::size_t Shard::KeyHash::operator()(const EntryKey& k) const noexcept {
  return combine(std::hash<std::string_view>{}(k.method), k.name);
}

std::size_t Shard::KeyHash::operator()(const ErrorKey& k) const noexcept {
  return combine(combine(std::hash<std::string_view>{}(k.method), k.name), k.error);
}

std::size_t Shard::KeyHash::operator()(const ExceptionKey& k) const noexcept {
  return combine(std::hash<std::string_view>{}(k.message), k.traceback);
}

Shard::Entry::Entry(std::string_view method, std::string_view name) {
  data_.method = method;
  data_.name = name;
}

Shard::Shard(double now) : interval_start_(now) {}

Shard::~Shard() = default;

Shard::Entry& Shard::entry(std::string_view method, std::string_view name) {
  if (auto it = entry_index_.find(EntryKey{method, name}); it != entry_index_.end()) {
    return *it->second;
  }
  auto& created = entries_.emplace_back(std::unique_ptr<Entry>(new Entry(method, name)));
  entry_index_.emplace(EntryKey{created->data_.method, created->data_.name}, created.get());
  return *created;
}

void Shard::count_request(Entry& entry, Micros response_time, std::uint64_t content_length,
                          double now) noexcept {
  EntryDelta& d = entry.data_;
  ++d.num_requests;
  d.num_reqs_per_sec.add(epoch_second(now));
  d.last_request_timestamp = now;
  d.total_response_time += response_time;
  if (!d.min_response_time || response_time < *d.min_response_time) {
    d.min_response_time = response_time;
  }
  if (response_time > d.max_response_time) d.max_response_time = response_time;
  d.response_times.record(response_time);
  d.total_content_length += content_length;
}

void Shard::record(Entry& entry, Micros response_time, std::uint64_t content_length,
                   double now) noexcept {
  count_request(entry, response_time, content_length, now);
}

void Shard::record_failure(Entry& entry, Micros response_time, std::uint64_t content_length,
                           std::string_view error, double now) noexcept {
  count_request(entry, response_time, content_length, now);
  EntryDelta& d = entry.data_;
  ++d.num_failures;
  d.num_fail_per_sec.add(epoch_second(now));

  const ErrorKey key{d.method, d.name, error};
  if (auto it = error_index_.find(key); it != error_index_.end()) {
    ++it->second->occurrences;
    return;
  }
  StatsError& created = errors_.emplace_back(StatsError{d.method, d.name, std::string(error), 1});
  error_index_.emplace(ErrorKey{created.method, created.name, created.error}, &created);
}

void Shard::record_exception(std::string_view message, std::string_view traceback) noexcept {
  if (auto it = exception_index_.find(ExceptionKey{message, traceback});
      it != exception_index_.end()) {
    ++it->second->count;
    return;
  }
  ExceptionDelta& created =
      exceptions_.emplace_back(ExceptionDelta{std::string(message), std::string(traceback), 1});
  exception_index_.emplace(ExceptionKey{created.message, created.traceback}, &created);
}

void Shard::reset_entry(Entry& entry) noexcept {
  EntryDelta& d = entry.data_;
  d.last_request_timestamp.reset();
  d.num_requests = 0;
  d.num_none_requests = 0;
  d.num_failures = 0;
  d.total_response_time = 0;
  d.min_response_time.reset();
  d.max_response_time = 0;
  d.total_content_length = 0;
  // clear() keeps the storage, so the next interval records without allocating.
  d.response_times.clear();
  d.num_reqs_per_sec.clear();
  d.num_fail_per_sec.clear();
}

Delta Shard::take_delta(double now) {
  Delta delta;
  delta.total.name = "Aggregated";
  delta.total.start_time = interval_start_;
  for (const auto& entry : entries_) {
    if (entry->data_.idle()) continue;
    // Copying holds only the touched histogram range, so the delta stays small.
    EntryDelta& d = delta.entries.emplace_back(entry->data_);
    d.start_time = interval_start_;
    delta.total.extend(d);
    reset_entry(*entry);
  }

  error_index_.clear();
  delta.errors.reserve(errors_.size());
  for (auto& e : errors_) delta.errors.push_back(std::move(e));
  errors_.clear();

  exception_index_.clear();
  delta.exceptions.reserve(exceptions_.size());
  for (auto& e : exceptions_) delta.exceptions.push_back(std::move(e));
  exceptions_.clear();

  interval_start_ = now;
  return delta;
}

void Shard::reset(double now) noexcept {
  for (const auto& entry : entries_) reset_entry(*entry);
  error_index_.clear();
  errors_.clear();
  exception_index_.clear();
  exceptions_.clear();
  interval_start_ = now;
}

}  // namespace hornet::stats
