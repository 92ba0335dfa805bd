#include "dist/wire_reader.hpp"

#include <climits>
#include <cmath>

namespace hornet::dist {

namespace {

const Map kEmptyMap;
const Array kEmptyArray;

}  // namespace

std::optional<stats::Micros> millis_to_micros(const Value& value) noexcept {
  if (const auto u = value.as_uint()) {
    if (*u > UINT64_MAX / 1000) return std::nullopt;
    return *u * 1000;
  }
  if (!value.is_float()) return std::nullopt;
  const double micros = std::round(*value.as_double() * 1000.0);
  // NaN fails both comparisons; 2^64 is the first double a uint64 cannot hold.
  if (!(micros >= 0.0 && micros < 18446744073709551616.0)) return std::nullopt;
  return static_cast<stats::Micros>(micros);
}

WireReader::WireReader(const Value& value, std::string where)
    : value_(value), where_(std::move(where)) {
  if (!value.is_map()) type_error("", "a map", value);
}

void WireReader::fail(std::string_view key, std::string_view message) {
  if (!error_.empty()) return;
  error_ = key.empty() ? where_ : path(key);
  error_ += ": ";
  error_ += message;
}

std::string WireReader::path(std::string_view key) const {
  std::string p = where_;
  if (!key.empty()) {
    p += '.';
    p += key;
  }
  return p;
}

void WireReader::type_error(std::string_view what, std::string_view expected, const Value& got) {
  std::string message = "expected ";
  message += expected;
  message += ", got ";
  message += kind_name(got.kind());
  if (const auto i = got.as_int()) {
    message += ' ';
    message += std::to_string(*i);
  }
  fail(what, message);
}

const Value* WireReader::optional(std::string_view key) const noexcept {
  return value_.find(key);
}

const Value* WireReader::required(std::string_view key) {
  if (!ok()) return nullptr;
  const Value* v = value_.find(key);
  if (v == nullptr) fail(key, "missing");
  return v;
}

std::string WireReader::string(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr) return {};
  if (const std::string* s = v->as_string()) return *s;
  type_error(key, "a str", *v);
  return {};
}

std::string WireReader::string_or_nil(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr || v->is_nil()) return {};
  if (const std::string* s = v->as_string()) return *s;
  type_error(key, "a str or nil", *v);
  return {};
}

std::uint64_t WireReader::count(std::string_view key) {
  const Value* v = required(key);
  return v == nullptr ? 0 : count_of(*v, key);
}

std::uint64_t WireReader::count_of(const Value& v, std::string_view what) {
  if (!ok()) return 0;
  if (const auto u = v.as_uint()) return *u;
  type_error(what, "a non-negative int", v);
  return 0;
}

int WireReader::small_count(std::string_view key) {
  const std::uint64_t n = count(key);
  if (n > static_cast<std::uint64_t>(INT_MAX)) {
    fail(key, "too large: " + std::to_string(n));
    return 0;
  }
  return static_cast<int>(n);
}

double WireReader::number(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr) return 0;
  const auto d = v->as_double();
  if (!d || !std::isfinite(*d)) {
    type_error(key, "a finite number", *v);
    return 0;
  }
  return *d;
}

std::optional<double> WireReader::number_or_nil(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr || v->is_nil()) return std::nullopt;
  const auto d = v->as_double();
  if (!d || !std::isfinite(*d)) {
    type_error(key, "a finite number or nil", *v);
    return std::nullopt;
  }
  return d;
}

stats::Micros WireReader::millis(std::string_view key) {
  const Value* v = required(key);
  return v == nullptr ? 0 : millis_of(*v, key);
}

stats::Micros WireReader::millis_of(const Value& v, std::string_view what) {
  if (!ok()) return 0;
  if (const auto micros = millis_to_micros(v)) return *micros;
  type_error(what, "a non-negative number of milliseconds", v);
  return 0;
}

std::optional<stats::Micros> WireReader::millis_or_nil(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr || v->is_nil()) return std::nullopt;
  return millis_of(*v, key);
}

std::int64_t WireReader::second_of(const Value& v, std::string_view what) {
  if (!ok()) return 0;
  if (const auto i = v.as_int()) return *i;
  if (v.is_float()) {
    const double d = *v.as_double();
    // Range check before the cast (out-of-range float → int is UB); 2^63 is exact.
    if (d == std::floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
      return static_cast<std::int64_t>(d);
    }
  }
  type_error(what, "an epoch second (int)", v);
  return 0;
}

const Map& WireReader::map(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr) return kEmptyMap;
  if (const Map* m = v->as_map()) return *m;
  type_error(key, "a map", *v);
  return kEmptyMap;
}

const Array& WireReader::array(std::string_view key) {
  const Value* v = required(key);
  if (v == nullptr) return kEmptyArray;
  if (const Array* a = v->as_array()) return *a;
  type_error(key, "an array", *v);
  return kEmptyArray;
}

std::map<std::string, int> WireReader::class_counts(std::string_view key) {
  std::map<std::string, int> out;
  for (const auto& [name, count] : map(key)) {
    const std::string* s = name.as_string();
    if (s == nullptr) {
      type_error(key, "str keys", name);
      return {};
    }
    const std::uint64_t n = count_of(count, std::string(key) + "." + *s);
    if (n > static_cast<std::uint64_t>(INT_MAX)) {
      fail(key, "count of " + *s + " too large: " + std::to_string(n));
    }
    if (!ok()) return {};
    out[*s] = static_cast<int>(n);
  }
  return out;
}

}  // namespace hornet::dist
