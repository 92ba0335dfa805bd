// Typed, validating reads of the dicts Locust puts in message data (internal to src/dist).
//
// A WireReader wraps one decoded map and reads fields by key. The first problem (missing key,
// wrong type, negative count, non-finite number, out-of-range value) is recorded and every later
// read returns a neutral default, so a parser reads all fields straight through and checks ok()
// once at the end. Messages name the path of the bad field: "stats: stats[2].num_requests:
// expected a non-negative int, got str".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dist/msgpack.hpp"
#include "hornet/result.hpp"
#include "stats/histogram.hpp"

namespace hornet::dist {

class WireReader {
 public:
  /// `where` names `value` in messages ("spawn", "stats: stats[3]"). Records an error unless
  /// `value` is a map.
  WireReader(const Value& value, std::string where);

  bool ok() const noexcept { return error_.empty(); }
  /// Precondition: !ok().
  Error error() const { return Error{error_}; }
  /// Records `message` about the field `key` (or about the whole map if `key` is empty), unless
  /// an error is recorded already.
  void fail(std::string_view key, std::string_view message);
  /// "where.key".
  std::string path(std::string_view key) const;

  /// The value under `key`; nullptr (and an error) if absent.
  const Value* required(std::string_view key);
  /// The value under `key`, or nullptr if absent (no error).
  const Value* optional(std::string_view key) const noexcept;

  // Required fields of one type each; on error they return "", 0, an empty map/array.
  std::string string(std::string_view key);
  /// A str, or nil read as "" (Locust's method of the total before clear_all is None).
  std::string string_or_nil(std::string_view key);
  /// An int >= 0.
  std::uint64_t count(std::string_view key);
  /// An int in [0, INT_MAX] (user counts).
  int small_count(std::string_view key);
  /// A finite int or float.
  double number(std::string_view key);
  /// nil, or a finite int or float.
  std::optional<double> number_or_nil(std::string_view key);
  /// Milliseconds (finite, >= 0, int or float) converted to whole microseconds, rounded to
  /// nearest. Values beyond what a Micros counter can hold are errors.
  stats::Micros millis(std::string_view key);
  std::optional<stats::Micros> millis_or_nil(std::string_view key);
  const Map& map(std::string_view key);
  const Array& array(std::string_view key);
  /// A map of str → int in [0, INT_MAX] (Locust's user_classes_count).
  std::map<std::string, int> class_counts(std::string_view key);

  // The same checks on a value that is not a field (an item of a list or of a map).
  std::uint64_t count_of(const Value& v, std::string_view what);
  stats::Micros millis_of(const Value& v, std::string_view what);
  /// An epoch second as Locust keys num_reqs_per_sec: an int, or an integral float.
  std::int64_t second_of(const Value& v, std::string_view what);

 private:
  void type_error(std::string_view what, std::string_view expected, const Value& got);

  const Value& value_;
  std::string where_;
  std::string error_;
};

/// `value` as milliseconds → whole microseconds (see WireReader::millis); nullopt if it is not a
/// finite, non-negative number within range.
std::optional<stats::Micros> millis_to_micros(const Value& value) noexcept;

}  // namespace hornet::dist
