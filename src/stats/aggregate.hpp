// The merged statistics model on the control thread, and Locust's views of it (reference §2).
#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stats/delta.hpp"
#include "stats/histogram.hpp"
#include "stats/per_second_counts.hpp"

namespace hornet::stats {

/// Locust's PERCENTILES_TO_REPORT and their readable labels (console and CSV columns).
inline constexpr std::array<double, 11> kPercentilesToReport = {
    0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0};
inline constexpr std::array<std::string_view, 11> kPercentileLabels = {
    "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"};

/// Seconds covered by the current (windowed) response-time percentiles.
inline constexpr int kCurrentWindowSeconds = 10;
/// Per-second request/failure counts older than the last request's second minus this are
/// dropped (current_rps reads 12 seconds back), so long runs stay bounded.
inline constexpr int kPerSecondRetentionSeconds = 20;

/// An exception row: Locust's runner.exceptions value (reference §2.11).
struct ExceptionRecord {
  std::uint64_t count = 0;
  std::string message;
  std::string traceback;
  std::vector<std::string> nodes;  // nodes that reported it, in order of first report
};

/// One merged stats entry (or the "Aggregated" total) and Locust's views of it.
///
/// Units: every view returns milliseconds (double) where Locust does; raw accessors say theirs.
/// Views that Locust anchors on the whole RequestStats (current_rps, total_rps, ...) read the
/// owning Aggregate's total. Thread affinity: the control thread, like its Aggregate.
class StatsEntry {
 public:
  StatsEntry(const StatsEntry&) = delete;
  StatsEntry& operator=(const StatsEntry&) = delete;

  const std::string& name() const noexcept { return data_.name; }
  /// nullopt only for the total before the Aggregate's first clear_all() (Locust's None).
  const std::optional<std::string>& method() const noexcept { return method_; }

  // Raw cumulative values (Locust's StatsEntry fields; response times in microseconds). data()
  // has the entry's name and method ("" for a null method), ready for a wire encoder.
  const EntryDelta& data() const noexcept { return data_; }
  std::uint64_t num_requests() const noexcept { return data_.num_requests; }
  std::uint64_t num_none_requests() const noexcept { return data_.num_none_requests; }
  std::uint64_t num_failures() const noexcept { return data_.num_failures; }
  std::optional<double> last_request_timestamp() const noexcept {
    return data_.last_request_timestamp;
  }
  double start_time() const noexcept { return data_.start_time; }
  const Histogram& histogram() const noexcept { return data_.response_times; }

  // Locust's views (reference §2.4), milliseconds.
  /// failures / requests; with no requests 1.0 if there are failures, else 0.0.
  double fail_ratio() const noexcept;
  /// total response time / (requests - none requests); 0.0 when that is 0.
  double avg_response_time() const noexcept;
  /// Exact; nullopt before the first response time (Locust's None).
  std::optional<double> min_response_time() const noexcept;
  /// Exact; 0 before the first response time.
  double max_response_time() const noexcept;
  /// Locust's median_from_dict over the fine histogram (a bucket representative), clamped to
  /// [min, max] as Locust clamps; 0 if the histogram is empty.
  double median_response_time() const noexcept;
  /// Locust's descending percentile walk, n = int(num_requests * p); 0 if nothing qualifies.
  double response_time_percentile(double p) const noexcept;
  /// The percentile over the histogram deltas merged in the last kCurrentWindowSeconds seconds
  /// (merge seconds > int(now) - 10). nullopt while int(now) - int(start/reset) < 2 (Locust's
  /// None); 0 for an empty window. `now` is epoch seconds.
  std::optional<double> current_response_time_percentile(double p, double now) const;
  /// The same for several percentiles at once (one window merge); nullopt as above.
  std::optional<std::vector<double>> current_response_time_percentiles(std::span<const double> ps,
                                                                       double now) const;
  /// Average requests per second over seconds L-12 … L-3, L = int(total's last request time),
  /// not before int(total's start time); sum / max(seconds, 1). 0 before any request.
  double current_rps() const noexcept;
  /// The same over failures.
  double current_fail_per_sec() const noexcept;
  /// num_requests / (total's last request time - total's start time); 0.0 if either is 0/absent
  /// or the span is 0.
  double total_rps() const noexcept;
  double total_fail_per_sec() const noexcept;
  /// Bytes per request; 0 with no requests.
  double avg_content_length() const noexcept;

 private:
  friend class Aggregate;

  // One second of merged histogram deltas, keyed by the (epoch) second of the merge.
  struct WindowSlot {
    std::int64_t second = std::numeric_limits<std::int64_t>::min();
    std::uint64_t num_requests = 0;
    CompactHistogram histogram;
  };

  StatsEntry(std::string_view name, std::optional<std::string> method, const StatsEntry* total,
             double now);
  void extend(const EntryDelta& delta, double now);
  void reset(double now);
  void drop_seconds_before(std::int64_t second) noexcept;
  // Merged window histogram and its request count; nullopt while the window is too young.
  std::optional<std::pair<Histogram, std::uint64_t>> current_window(double now) const;
  double windowed_average(const PerSecondCounts& counts) const noexcept;
  double per_second_of_run(std::uint64_t count) const noexcept;

  std::optional<std::string> method_;
  EntryDelta data_;          // cumulative; data_.method is method_.value_or("")
  const StatsEntry* total_;  // the Aggregate's total (this, for the total itself)
  std::int64_t window_origin_;
  std::array<WindowSlot, kCurrentWindowSeconds> window_;
};

/// All statistics of a run, merged from Deltas: entries keyed by (name, method), the total, the
/// errors and exceptions tables. Lives on the control thread; every member function must be
/// called there. Movable, not copyable (entries point at the total).
class Aggregate {
 private:
  struct EntryKey {
    std::string name;
    std::string method;
  };
  struct EntryKeyView {
    std::string_view name;
    std::string_view method;
  };
  struct EntryKeyLess {
    using is_transparent = void;
    static EntryKeyView view(const EntryKey& k) noexcept { return {k.name, k.method}; }
    static EntryKeyView view(const EntryKeyView& k) noexcept { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      const EntryKeyView x = view(a);
      const EntryKeyView y = view(b);
      if (x.name != y.name) return x.name < y.name;
      return x.method < y.method;
    }
  };

  using EntryMap = std::map<EntryKey, std::unique_ptr<StatsEntry>, EntryKeyLess>;

 public:
  /// A forward range over the sorted entries; iterators dereference to const StatsEntry&.
  class EntryRange {
   public:
    class iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = StatsEntry;
      using difference_type = std::ptrdiff_t;
      using pointer = const StatsEntry*;
      using reference = const StatsEntry&;

      iterator() = default;
      reference operator*() const noexcept { return *it_->second; }
      pointer operator->() const noexcept { return it_->second.get(); }
      iterator& operator++() noexcept {
        ++it_;
        return *this;
      }
      iterator operator++(int) noexcept {
        iterator before = *this;
        ++it_;
        return before;
      }
      friend bool operator==(const iterator&, const iterator&) = default;

     private:
      friend class EntryRange;
      explicit iterator(EntryMap::const_iterator it) : it_(it) {}
      EntryMap::const_iterator it_;
    };

    iterator begin() const noexcept { return iterator(map_->begin()); }
    iterator end() const noexcept { return iterator(map_->end()); }
    std::size_t size() const noexcept { return map_->size(); }
    bool empty() const noexcept { return map_->empty(); }

   private:
    friend class Aggregate;
    explicit EntryRange(const EntryMap& map) : map_(&map) {}
    const EntryMap* map_;
  };

  /// `now`: epoch seconds, the total's start time. The total's method starts as nullopt.
  explicit Aggregate(double now);
  Aggregate(Aggregate&&) noexcept;
  Aggregate& operator=(Aggregate&&) noexcept;
  Aggregate(const Aggregate&) = delete;
  Aggregate& operator=(const Aggregate&) = delete;
  ~Aggregate();

  /// Merges one Delta (Locust's worker_report + extend, reference §2.7): entries are created as
  /// needed (start_time = now, then min with the delta's), errors' occurrences summed, the
  /// delta's total merged into the total, exceptions counted and `node` added to their node set.
  /// `now` (epoch seconds) keys the current-percentile window.
  void merge(const Delta& delta, double now, std::string_view node = "local");

  /// Counts an exception reported on its own (a distributed worker's `exception` message).
  void add_exception(const ExceptionDelta& exception, std::string_view node);

  /// Locust's reset_all (reference §2.8): the total and every entry zeroed in place with
  /// start_time = now, errors cleared. Entries and exceptions are kept.
  void reset_all(double now);
  /// Locust's clear_all plus the exceptions reset of a test start: entries, errors and
  /// exceptions removed; a new total with method "" and start_time = now.
  void clear_all(double now);
  /// Clears the exceptions table (Locust's /stats/reset does this besides reset_all()).
  void clear_exceptions() noexcept;

  const StatsEntry& total() const noexcept { return *total_; }
  /// The entries (without the total), sorted by (name, method), as a range of const StatsEntry&.
  /// The range refers to this Aggregate (do not keep it across a move); its iterators stay valid
  /// until clear_all(). A merge() may add entries, so do not merge while iterating.
  EntryRange entries() const noexcept;
  std::size_t entry_count() const noexcept { return entries_.size(); }
  /// The entry for (name, method), or nullptr.
  const StatsEntry* find(std::string_view name, std::string_view method) const;

  /// Errors in order of first occurrence.
  std::span<const StatsError> errors() const noexcept { return errors_; }
  /// Exceptions in order of first occurrence, keyed by (message, traceback).
  std::span<const ExceptionRecord> exceptions() const noexcept { return exceptions_; }

 private:
  std::unique_ptr<StatsEntry> total_;
  EntryMap entries_;
  std::vector<StatsError> errors_;
  std::unordered_map<std::string, std::size_t> error_index_;  // composite key → errors_ index
  std::vector<ExceptionRecord> exceptions_;
  std::unordered_map<std::string, std::size_t> exception_index_;
};

inline Aggregate::EntryRange Aggregate::entries() const noexcept {
  return EntryRange(entries_);
}

}  // namespace hornet::stats
