#include "stats/aggregate.hpp"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <utility>

namespace hornet::stats {

namespace {

constexpr double kMicrosPerMilli = 1000.0;

double to_ms(Micros micros) noexcept {
  return static_cast<double>(micros) / kMicrosPerMilli;
}

// Length-prefixed concatenation: an unambiguous map key for a tuple of strings.
std::string composite_key(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// StatsEntry

StatsEntry::StatsEntry(std::string_view name, std::optional<std::string> method,
                       const StatsEntry* total, double now)
    : method_(std::move(method)),
      total_(total != nullptr ? total : this),
      window_origin_(epoch_second(now)) {
  data_.name = name;
  data_.method = method_.value_or("");
  data_.start_time = now;
}

void StatsEntry::extend(const EntryDelta& delta, double now) {
  data_.extend(delta);
  if (delta.num_requests == 0 && delta.response_times.empty()) return;
  const std::int64_t second = epoch_second(now);
  WindowSlot& slot = window_[static_cast<std::size_t>(
      ((second % kCurrentWindowSeconds) + kCurrentWindowSeconds) % kCurrentWindowSeconds)];
  if (slot.second > second) return;  // older than the whole window: nothing to keep
  if (slot.second < second) {
    slot.second = second;
    slot.num_requests = 0;
    slot.histogram.release();
  }
  slot.num_requests += delta.num_requests;
  slot.histogram.add(delta.response_times);
}

void StatsEntry::reset(double now) {
  EntryDelta fresh;
  fresh.name = std::move(data_.name);
  fresh.method = method_.value_or("");
  data_ = std::move(fresh);
  data_.start_time = now;
  window_origin_ = epoch_second(now);
  for (WindowSlot& slot : window_) {
    slot.second = std::numeric_limits<std::int64_t>::min();
    slot.num_requests = 0;
    slot.histogram.release();
  }
}

void StatsEntry::drop_seconds_before(std::int64_t second) noexcept {
  data_.num_reqs_per_sec.drop_before(second);
  data_.num_fail_per_sec.drop_before(second);
}

double StatsEntry::fail_ratio() const noexcept {
  if (data_.num_requests == 0) return data_.num_failures > 0 ? 1.0 : 0.0;
  return static_cast<double>(data_.num_failures) / static_cast<double>(data_.num_requests);
}

double StatsEntry::avg_response_time() const noexcept {
  const auto timed = static_cast<std::int64_t>(data_.num_requests) -
                     static_cast<std::int64_t>(data_.num_none_requests);
  if (timed == 0) return 0.0;
  return to_ms(data_.total_response_time) / static_cast<double>(timed);
}

std::optional<double> StatsEntry::min_response_time() const noexcept {
  if (!data_.min_response_time) return std::nullopt;
  return to_ms(*data_.min_response_time);
}

double StatsEntry::max_response_time() const noexcept {
  return to_ms(data_.max_response_time);
}

double StatsEntry::median_response_time() const noexcept {
  const Histogram& h = data_.response_times;
  if (h.empty()) return 0;
  Micros median = h.locust_median(data_.num_requests - data_.num_none_requests);
  // Locust clamps because its histogram keys are rounded while min/max are exact; a bucket
  // representative can likewise lie just outside [min, max].
  if (median > data_.max_response_time) {
    median = data_.max_response_time;
  } else if (data_.min_response_time && median < *data_.min_response_time) {
    median = *data_.min_response_time;
  }
  return to_ms(median);
}

double StatsEntry::response_time_percentile(double p) const noexcept {
  return to_ms(data_.response_times.locust_percentile(data_.num_requests, p));
}

std::optional<std::pair<Histogram, std::uint64_t>> StatsEntry::current_window(double now) const {
  const std::int64_t t = epoch_second(now);
  if (t - window_origin_ < 2) return std::nullopt;
  std::pair<Histogram, std::uint64_t> window;
  for (const WindowSlot& slot : window_) {
    if (slot.second > t - kCurrentWindowSeconds && slot.second <= t) {
      window.first.merge(slot.histogram);
      window.second += slot.num_requests;
    }
  }
  return window;
}

std::optional<double> StatsEntry::current_response_time_percentile(double p, double now) const {
  auto window = current_window(now);
  if (!window) return std::nullopt;
  return to_ms(window->first.locust_percentile(window->second, p));
}

std::optional<std::vector<double>> StatsEntry::current_response_time_percentiles(
    std::span<const double> ps, double now) const {
  auto window = current_window(now);
  if (!window) return std::nullopt;
  std::vector<double> out;
  out.reserve(ps.size());
  for (double p : ps) out.push_back(to_ms(window->first.locust_percentile(window->second, p)));
  return out;
}

double StatsEntry::windowed_average(const PerSecondCounts& counts) const noexcept {
  const auto& last = total_->data_.last_request_timestamp;
  if (!last) return 0;
  // Python int() truncates; timestamps are positive, so this is floor as well.
  const auto last_second = static_cast<std::int64_t>(*last);
  const auto start_second = static_cast<std::int64_t>(total_->data_.start_time);
  const std::int64_t from = std::max(last_second - 12, start_second);
  const std::int64_t to = last_second - 2;  // exclusive, like Python's range()
  double sum = 0.0;
  for (std::int64_t t = from; t < to; ++t) sum += static_cast<double>(counts.get(t));
  const std::int64_t n = std::max<std::int64_t>(to - from, 1);
  return sum / static_cast<double>(n);
}

double StatsEntry::current_rps() const noexcept {
  return windowed_average(data_.num_reqs_per_sec);
}

double StatsEntry::current_fail_per_sec() const noexcept {
  return windowed_average(data_.num_fail_per_sec);
}

double StatsEntry::per_second_of_run(std::uint64_t count) const noexcept {
  const auto& last = total_->data_.last_request_timestamp;
  const double start = total_->data_.start_time;
  if (!last || *last == 0.0 || start == 0.0) return 0.0;
  const double span = *last - start;
  if (span == 0.0) return 0.0;
  return static_cast<double>(count) / span;
}

double StatsEntry::total_rps() const noexcept {
  return per_second_of_run(data_.num_requests);
}

double StatsEntry::total_fail_per_sec() const noexcept {
  return per_second_of_run(data_.num_failures);
}

double StatsEntry::avg_content_length() const noexcept {
  if (data_.num_requests == 0) return 0;
  return static_cast<double>(data_.total_content_length) / static_cast<double>(data_.num_requests);
}

// ---------------------------------------------------------------------------------------------
// Aggregate

Aggregate::Aggregate(double now)
    : total_(new StatsEntry("Aggregated", std::nullopt, nullptr, now)) {}

Aggregate::Aggregate(Aggregate&&) noexcept = default;
Aggregate& Aggregate::operator=(Aggregate&&) noexcept = default;
Aggregate::~Aggregate() = default;

void Aggregate::merge(const Delta& delta, double now, std::string_view node) {
  // The seconds current_rps can still read, once this delta is in.
  std::optional<double> last = total_->data_.last_request_timestamp;
  if (delta.total.last_request_timestamp &&
      (!last || *delta.total.last_request_timestamp > *last)) {
    last = delta.total.last_request_timestamp;
  }
  // Without any request yet there is nothing to drop (a plain sentinel: GCC 12 warns falsely on
  // an optional here).
  const std::int64_t keep_from =
      last ? static_cast<std::int64_t>(*last) - kPerSecondRetentionSeconds
           : std::numeric_limits<std::int64_t>::min();

  for (const EntryDelta& d : delta.entries) {
    auto it = entries_.find(EntryKeyView{d.name, d.method});
    if (it == entries_.end()) {
      it = entries_
               .emplace(EntryKey{d.name, d.method}, std::unique_ptr<StatsEntry>(new StatsEntry(
                                                        d.name, d.method, total_.get(), now)))
               .first;
    }
    StatsEntry& entry = *it->second;
    entry.extend(d, now);
    entry.drop_seconds_before(keep_from);
  }

  for (const StatsError& e : delta.errors) {
    auto [it, inserted] =
        error_index_.try_emplace(composite_key({e.method, e.name, e.error}), errors_.size());
    if (inserted) {
      errors_.push_back(e);
    } else {
      errors_[it->second].occurrences += e.occurrences;
    }
  }

  total_->extend(delta.total, now);
  total_->drop_seconds_before(keep_from);

  for (const ExceptionDelta& e : delta.exceptions) add_exception(e, node);
}

void Aggregate::add_exception(const ExceptionDelta& e, std::string_view node) {
  auto [it, inserted] =
      exception_index_.try_emplace(composite_key({e.message, e.traceback}), exceptions_.size());
  if (inserted) exceptions_.push_back(ExceptionRecord{0, e.message, e.traceback, {}});
  ExceptionRecord& record = exceptions_[it->second];
  record.count += e.count;
  if (std::find(record.nodes.begin(), record.nodes.end(), node) == record.nodes.end()) {
    record.nodes.emplace_back(node);
  }
}

void Aggregate::reset_all(double now) {
  total_->reset(now);
  for (auto& [key, entry] : entries_) entry->reset(now);
  errors_.clear();
  error_index_.clear();
}

void Aggregate::clear_all(double now) {
  entries_.clear();
  total_->method_ = "";
  total_->reset(now);
  errors_.clear();
  error_index_.clear();
  clear_exceptions();
}

void Aggregate::clear_exceptions() noexcept {
  exceptions_.clear();
  exception_index_.clear();
}

const StatsEntry* Aggregate::find(std::string_view name, std::string_view method) const {
  auto it = entries_.find(EntryKeyView{name, method});
  return it == entries_.end() ? nullptr : it->second.get();
}

}  // namespace hornet::stats
