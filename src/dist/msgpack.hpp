// A small MessagePack codec for Locust's distributed protocol (reference §3.2).
//
// Written by hand rather than taken from a library: Debian 12's libmsgpack-cxx-dev conflicts
// with the Boost 1.81 development packages this project builds against, and the protocol needs
// only the core types. Ext types (and so msgpack timestamps) are not supported: Locust never sends
// them, and decode() rejects them.
//
// Encoding matches msgpack-python 1.0's defaults (Locust's `msgpack.dumps`, use_bin_type=True)
// byte for byte: integers in their smallest encoding (positive fixint/uint8..uint64 for values
// >= 0, negative fixint/int8..int64 below), floats always float64 (0xcb), strings as
// fixstr/str8/str16/str32, binary as bin8/bin16/bin32, arrays and maps in the smallest header.
//
// Decoding takes untrusted bytes from the network and never crashes, throws or hangs: every
// length is checked against the bytes that remain before anything is allocated, and the values
// all containers claim together may not exceed the input size (so a decode allocates at most
// about sizeof(Value) = 40 bytes per input byte), nesting is limited to kMaxDepth, strings must be
// valid UTF-8 (msgpack-python's raw=False rejects anything else, and Hornet's JSON views need
// it), trailing bytes are an error, and so are ext types and the never-used byte 0xc1.
//
// Thread affinity: none; Values are plain values.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "hornet/result.hpp"

namespace hornet::dist {

class Value;

/// A msgpack array.
using Array = std::vector<Value>;
/// A msgpack map: key/value pairs in wire (insertion) order. Keys may be any Value: Locust's
/// histograms and per-second counts are keyed by ints and floats.
using Map = std::vector<std::pair<Value, Value>>;

/// Raw bytes (msgpack bin, Python `bytes`), distinct from a UTF-8 string.
struct Binary {
  std::string bytes;
  friend bool operator==(const Binary&, const Binary&) = default;
};

/// The kinds of msgpack value. Integers are one kind whatever their sign or width.
enum class Kind { kNil, kBool, kInt, kFloat, kString, kBinary, kArray, kMap };

/// Lower-case name of a kind ("nil", "bool", "int", "float", "str", "bin", "array", "map"), for
/// error messages.
std::string_view kind_name(Kind kind) noexcept;

/// One msgpack value. Integers cover the full int64 and uint64 ranges: a value that fits int64 is
/// held as int64 whatever type it was constructed from, so equal numbers compare equal.
class Value {
 public:
  Value() noexcept = default;        // nil
  Value(std::nullptr_t) noexcept {}  // NOLINT: implicit, like Python's None
  Value(bool b) noexcept : v_(b) {}  // NOLINT
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T i)
  noexcept {  // NOLINT
    if constexpr (std::is_signed_v<T>) {
      v_ = static_cast<std::int64_t>(i);
    } else if (static_cast<std::uint64_t>(i) <= static_cast<std::uint64_t>(INT64_MAX)) {
      v_ = static_cast<std::int64_t>(i);
    } else {
      v_ = static_cast<std::uint64_t>(i);
    }
  }
  Value(double d) noexcept : v_(d) {}                  // NOLINT
  Value(std::string s) noexcept : v_(std::move(s)) {}  // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}    // NOLINT
  Value(const char* s) : v_(std::string(s)) {}         // NOLINT
  Value(Binary b) noexcept : v_(std::move(b)) {}       // NOLINT
  Value(Array a) noexcept : v_(std::move(a)) {}        // NOLINT
  Value(Map m) noexcept : v_(std::move(m)) {}          // NOLINT

  Kind kind() const noexcept;
  bool is_nil() const noexcept { return std::holds_alternative<std::monostate>(v_); }
  bool is_bool() const noexcept { return std::holds_alternative<bool>(v_); }
  bool is_int() const noexcept {
    return std::holds_alternative<std::int64_t>(v_) || std::holds_alternative<std::uint64_t>(v_);
  }
  bool is_float() const noexcept { return std::holds_alternative<double>(v_); }
  bool is_number() const noexcept { return is_int() || is_float(); }
  bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
  bool is_binary() const noexcept { return std::holds_alternative<Binary>(v_); }
  bool is_array() const noexcept { return std::holds_alternative<Array>(v_); }
  bool is_map() const noexcept { return std::holds_alternative<Map>(v_); }

  std::optional<bool> as_bool() const noexcept;
  /// Any integer that fits int64; nullopt for floats (even integral ones) and other kinds.
  std::optional<std::int64_t> as_int() const noexcept;
  /// Any integer >= 0 (up to uint64 max); nullopt for negatives, floats and other kinds.
  std::optional<std::uint64_t> as_uint() const noexcept;
  /// A float, or an integer converted to double (rounded to nearest beyond 2^53).
  std::optional<double> as_double() const noexcept;

  /// The held string/bytes/array/map, or nullptr if the value is of another kind.
  const std::string* as_string() const noexcept { return std::get_if<std::string>(&v_); }
  std::string* as_string() noexcept { return std::get_if<std::string>(&v_); }
  const Binary* as_binary() const noexcept { return std::get_if<Binary>(&v_); }
  const Array* as_array() const noexcept { return std::get_if<Array>(&v_); }
  Array* as_array() noexcept { return std::get_if<Array>(&v_); }
  const Map* as_map() const noexcept { return std::get_if<Map>(&v_); }
  Map* as_map() noexcept { return std::get_if<Map>(&v_); }

  /// In a map, the value under the string key `key`; nullptr if this is not a map or the key is
  /// absent. With duplicate keys the last one wins, as in the Python dict msgpack-python builds.
  const Value* find(std::string_view key) const noexcept;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, Binary,
               Array, Map>
      v_;

  friend void encode_to(const Value& value, std::string& out);
  friend struct ValueBuilder;  // the decoder builds values in place (msgpack.cpp)
};

/// Nesting limit of decode(): arrays and maps deeper than this are rejected. Locust's deepest
/// message (a stats report) nests 4 levels.
inline constexpr int kMaxDepth = 64;

/// msgpack-python's packb(value) for the equivalent Python object.
std::string encode(const Value& value);
/// Appends the encoding of `value` to `out`.
void encode_to(const Value& value, std::string& out);

/// Decodes exactly one value that spans all of `bytes`. Errors say what was wrong and at which
/// byte offset ("msgpack: truncated str32 at offset 7: needs 80 bytes, 3 left").
Result<Value> decode(std::string_view bytes);

}  // namespace hornet::dist
