// Per-worker-thread recording of request statistics.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stats/delta.hpp"
#include "stats/histogram.hpp"

namespace hornet::stats {

/// The statistics one worker thread records. Owned by that thread and never shared: no locks, no
/// atomics. Every member function must be called on the owning thread. About once a second the
/// thread calls take_delta() and posts the Delta to the control thread's Aggregate.
///
/// Hot path: entry() on an existing entry does not allocate; record() allocates only the first
/// time an entry records (its histogram) and when a delta spans more seconds than ever before.
/// record_failure()/record_exception() allocate the first time an error/exception is seen in an
/// interval. Recording never throws; an allocation failure terminates.
class Shard {
 public:
  /// One (method, name) stats entry. Obtain with entry(); the reference stays valid for the
  /// Shard's lifetime (entries are reset in place by take_delta(), never destroyed).
  class Entry {
   public:
    const std::string& method() const noexcept { return data_.method; }
    const std::string& name() const noexcept { return data_.name; }

   private:
    friend class Shard;
    Entry(std::string_view method, std::string_view name);
    EntryDelta data_;  // what was recorded since the last take_delta()
  };

  /// `now`: epoch seconds; the start_time of the first delta.
  explicit Shard(double now);
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;
  ~Shard();

  /// Finds or creates the entry for (method, name). Allocates only when creating it.
  Entry& entry(std::string_view method, std::string_view name);

  /// A successful request. `response_time` in microseconds, `content_length` in bytes, `now` in
  /// epoch seconds (the caller's one clock read for this request; per-second counters use
  /// floor(now)).
  void record(Entry& entry, Micros response_time, std::uint64_t content_length,
              double now) noexcept;

  /// A failed request: counted as a request and as a failure of `entry`, and as one occurrence of
  /// `error` in the errors table (keyed by method, name, error).
  void record_failure(Entry& entry, Micros response_time, std::uint64_t content_length,
                      std::string_view error, double now) noexcept;

  /// An exception raised by user code, keyed by (message, traceback), counted.
  void record_exception(std::string_view message, std::string_view traceback) noexcept;

  /// Everything recorded since the previous take_delta() (or construction/reset), and resets the
  /// shard in place: entries are kept (zeroed), errors and exceptions are handed over.
  /// Entries without traffic are omitted; every entry delta and the total get start_time = time
  /// of the previous take/reset; the total is always present. `now` is epoch seconds.
  Delta take_delta(double now);

  /// Discards everything recorded since the previous take (for a stats reset or a new test);
  /// the next delta starts at `now`.
  void reset(double now) noexcept;

  /// Number of entries ever created.
  std::size_t entry_count() const noexcept { return entries_.size(); }

 private:
  struct EntryKey {
    std::string_view method;
    std::string_view name;
    friend bool operator==(const EntryKey&, const EntryKey&) = default;
  };
  struct ErrorKey {
    std::string_view method;
    std::string_view name;
    std::string_view error;
    friend bool operator==(const ErrorKey&, const ErrorKey&) = default;
  };
  struct ExceptionKey {
    std::string_view message;
    std::string_view traceback;
    friend bool operator==(const ExceptionKey&, const ExceptionKey&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const EntryKey& k) const noexcept;
    std::size_t operator()(const ErrorKey& k) const noexcept;
    std::size_t operator()(const ExceptionKey& k) const noexcept;
  };

  static void count_request(Entry& entry, Micros response_time, std::uint64_t content_length,
                            double now) noexcept;
  static void reset_entry(Entry& entry) noexcept;

  double interval_start_;
  // Entries in creation order; the index's keys view into the entries' own strings.
  std::vector<std::unique_ptr<Entry>> entries_;
  std::unordered_map<EntryKey, Entry*, KeyHash> entry_index_;
  // Errors and exceptions of the current interval; deques keep the keys' views stable.
  std::deque<StatsError> errors_;
  std::unordered_map<ErrorKey, StatsError*, KeyHash> error_index_;
  std::deque<ExceptionDelta> exceptions_;
  std::unordered_map<ExceptionKey, ExceptionDelta*, KeyHash> exception_index_;
};

}  // namespace hornet::stats
