#include "dist/msgpack.hpp"

#include <bit>
#include <cstring>
#include <exception>
#include <limits>
#include <new>

namespace hornet::dist {

// ---- Value ---------------------------------------------------------------------------------

std::string_view kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::kNil:
      return "nil";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
    case Kind::kBinary:
      return "bin";
    case Kind::kArray:
      return "array";
    case Kind::kMap:
      return "map";
  }
  return "?";
}

Kind Value::kind() const noexcept {
  switch (v_.index()) {
    case 0:
      return Kind::kNil;
    case 1:
      return Kind::kBool;
    case 2:
    case 3:
      return Kind::kInt;
    case 4:
      return Kind::kFloat;
    case 5:
      return Kind::kString;
    case 6:
      return Kind::kBinary;
    case 7:
      return Kind::kArray;
    default:
      return Kind::kMap;
  }
}

std::optional<bool> Value::as_bool() const noexcept {
  if (const bool* b = std::get_if<bool>(&v_)) return *b;
  return std::nullopt;
}

std::optional<std::int64_t> Value::as_int() const noexcept {
  // A uint64 alternative always exceeds INT64_MAX (the constructors keep smaller values int64).
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  return std::nullopt;
}

std::optional<std::uint64_t> Value::as_uint() const noexcept {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    if (*i >= 0) return static_cast<std::uint64_t>(*i);
    return std::nullopt;
  }
  if (const auto* u = std::get_if<std::uint64_t>(&v_)) return *u;
  return std::nullopt;
}

std::optional<double> Value::as_double() const noexcept {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&v_)) return static_cast<double>(*u);
  return std::nullopt;
}

const Value* Value::find(std::string_view key) const noexcept {
  const Map* map = as_map();
  if (map == nullptr) return nullptr;
  const Value* found = nullptr;
  for (const auto& [k, v] : *map) {
    if (const std::string* s = k.as_string(); s != nullptr && *s == key) found = &v;
  }
  return found;
}

// ---- Encoding ------------------------------------------------------------------------------

namespace {

template <class T>
void put_be(std::string& out, T value) {
  // Big-endian, as msgpack stores every multi-byte number.
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<std::uint8_t>(value >> shift)));
  }
}

void put_byte(std::string& out, std::uint8_t b) {
  out.push_back(static_cast<char>(b));
}

void put_uint(std::string& out, std::uint64_t u) {
  if (u < 0x80) {
    put_byte(out, static_cast<std::uint8_t>(u));
  } else if (u <= 0xff) {
    put_byte(out, 0xcc);
    put_be(out, static_cast<std::uint8_t>(u));
  } else if (u <= 0xffff) {
    put_byte(out, 0xcd);
    put_be(out, static_cast<std::uint16_t>(u));
  } else if (u <= 0xffffffff) {
    put_byte(out, 0xce);
    put_be(out, static_cast<std::uint32_t>(u));
  } else {
    put_byte(out, 0xcf);
    put_be(out, u);
  }
}

void put_int(std::string& out, std::int64_t i) {
  if (i >= 0) {
    put_uint(out, static_cast<std::uint64_t>(i));
  } else if (i >= -32) {
    put_byte(out, static_cast<std::uint8_t>(i));  // negative fixint 0xe0..0xff
  } else if (i >= INT8_MIN) {
    put_byte(out, 0xd0);
    put_be(out, static_cast<std::uint8_t>(i));
  } else if (i >= INT16_MIN) {
    put_byte(out, 0xd1);
    put_be(out, static_cast<std::uint16_t>(i));
  } else if (i >= INT32_MIN) {
    put_byte(out, 0xd2);
    put_be(out, static_cast<std::uint32_t>(i));
  } else {
    put_byte(out, 0xd3);
    put_be(out, static_cast<std::uint64_t>(i));
  }
}

// Header of a str/bin/array/map of `n` items. `fix` is the fix-form base (0 if none) and
// `fix_limit` its exclusive bound; `b8` the 8-bit form (0 if none); 16/32-bit forms follow.
void put_length(std::string& out, std::size_t n, std::uint8_t fix, std::size_t fix_limit,
                std::uint8_t b8, std::uint8_t b16, std::uint8_t b32) {
  if (fix != 0 && n < fix_limit) {
    put_byte(out, static_cast<std::uint8_t>(fix | n));
  } else if (b8 != 0 && n <= 0xff) {
    put_byte(out, b8);
    put_be(out, static_cast<std::uint8_t>(n));
  } else if (n <= 0xffff) {
    put_byte(out, b16);
    put_be(out, static_cast<std::uint16_t>(n));
  } else {
    // Larger than 4 GiB cannot be represented; callers never build such values.
    put_byte(out, b32);
    put_be(out, static_cast<std::uint32_t>(n));
  }
}

}  // namespace

void encode_to(const Value& value, std::string& out) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          put_byte(out, 0xc0);
        } else if constexpr (std::is_same_v<T, bool>) {
          put_byte(out, v ? 0xc3 : 0xc2);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          put_int(out, v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          put_uint(out, v);
        } else if constexpr (std::is_same_v<T, double>) {
          put_byte(out, 0xcb);
          put_be(out, std::bit_cast<std::uint64_t>(v));
        } else if constexpr (std::is_same_v<T, std::string>) {
          put_length(out, v.size(), 0xa0, 32, 0xd9, 0xda, 0xdb);
          out += v;
        } else if constexpr (std::is_same_v<T, Binary>) {
          put_length(out, v.bytes.size(), 0, 0, 0xc4, 0xc5, 0xc6);
          out += v.bytes;
        } else if constexpr (std::is_same_v<T, Array>) {
          put_length(out, v.size(), 0x90, 16, 0, 0xdc, 0xdd);
          for (const Value& item : v) encode_to(item, out);
        } else {
          static_assert(std::is_same_v<T, Map>);
          put_length(out, v.size(), 0x80, 16, 0, 0xde, 0xdf);
          for (const auto& [key, item] : v) {
            encode_to(key, out);
            encode_to(item, out);
          }
        }
      },
      value.v_);
}

std::string encode(const Value& value) {
  std::string out;
  encode_to(value, out);
  return out;
}

// ---- Decoding ------------------------------------------------------------------------------

// Constructs alternatives directly inside a Value: decoding large messages is dominated by
// moving Values around otherwise.
struct ValueBuilder {
  template <class T, class... Args>
  static T& emplace(Value& value, Args&&... args) {
    return value.v_.emplace<T>(std::forward<Args>(args)...);
  }
};

namespace {

/// True if `s` is well-formed UTF-8 as Python's strict decoder defines it: no overlong forms, no
/// surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    std::uint32_t lo = 0x80;  // allowed range of the second byte
    std::uint32_t hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= extra; ++i) {
      if (p[i] < 0x80 || p[i] > 0xbf) return false;
    }
    p += extra + 1;
  }
  return true;
}

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  Result<Value> run() {
    Value value;
    if (!read(value, 0)) return Error{std::move(error_)};
    if (pos_ != in_.size()) {
      return Error{"msgpack: " + std::to_string(in_.size() - pos_) +
                   " trailing bytes after the value at offset " + std::to_string(pos_)};
    }
    return value;
  }

 private:
  // "msgpack: <what> at offset <at>[: <detail>]".
  bool fail(std::size_t at, const std::string& what, const std::string& detail = {}) {
    error_ = "msgpack: " + what + " at offset " + std::to_string(at);
    if (!detail.empty()) error_ += ": " + detail;
    return false;
  }

  std::size_t left() const noexcept { return in_.size() - pos_; }

  // Reads an n-byte big-endian unsigned number; the caller checked n bytes remain.
  std::uint64_t take_be(int n) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(in_[pos_++]);
    return v;
  }

  bool need(std::size_t at, std::size_t n, std::string_view what) {
    if (left() >= n) return true;
    return fail(at, "truncated " + std::string(what),
                "needs " + std::to_string(n) + " bytes, " + std::to_string(left()) + " left");
  }

  bool read(Value& out, int depth) {
    const std::size_t at = pos_;
    if (!need(at, 1, "input")) return false;
    const auto tag = static_cast<std::uint8_t>(in_[pos_++]);

    if (tag <= 0x7f) return set(out, static_cast<std::int64_t>(tag));
    if (tag >= 0xe0) return set(out, static_cast<std::int64_t>(static_cast<std::int8_t>(tag)));
    if (tag >= 0xa0 && tag <= 0xbf) return read_str(out, at, tag & 0x1f);
    if (tag >= 0x90 && tag <= 0x9f) return read_array(out, at, tag & 0x0f, depth);
    if (tag >= 0x80 && tag <= 0x8f) return read_map(out, at, tag & 0x0f, depth);

    switch (tag) {
      case 0xc0:
        return set(out, std::monostate());
      case 0xc2:
        return set(out, false);
      case 0xc3:
        return set(out, true);
      case 0xcc:
        return read_uint(out, at, 1, "uint8");
      case 0xcd:
        return read_uint(out, at, 2, "uint16");
      case 0xce:
        return read_uint(out, at, 4, "uint32");
      case 0xcf:
        return read_uint(out, at, 8, "uint64");
      case 0xd0:
        return read_int(out, at, 1, "int8");
      case 0xd1:
        return read_int(out, at, 2, "int16");
      case 0xd2:
        return read_int(out, at, 4, "int32");
      case 0xd3:
        return read_int(out, at, 8, "int64");
      case 0xca: {
        if (!need(at, 4, "float32")) return false;
        const auto bits = static_cast<std::uint32_t>(take_be(4));
        return set(out, static_cast<double>(std::bit_cast<float>(bits)));
      }
      case 0xcb: {
        if (!need(at, 8, "float64")) return false;
        return set(out, std::bit_cast<double>(take_be(8)));
      }
      case 0xd9:
      case 0xda:
      case 0xdb:
      case 0xc4:
      case 0xc5:
      case 0xc6:
      case 0xdc:
      case 0xdd:
      case 0xde:
      case 0xdf:
        return read_sized(out, at, tag, depth);
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
      case 0xc7:
      case 0xc8:
      case 0xc9:
        return fail(at, "ext type (tag 0x" + hex(tag) + ") is not supported");
      default:
        return fail(at, "invalid tag 0x" + hex(tag));  // 0xc1
    }
  }

  static std::string hex(std::uint8_t b) {
    static constexpr char kHex[] = "0123456789abcdef";
    return {kHex[b >> 4], kHex[b & 0xf]};
  }

  template <class T>
  static bool set(Value& out, T v) {
    if constexpr (std::is_same_v<T, std::uint64_t>) {
      if (v <= static_cast<std::uint64_t>(INT64_MAX)) {
        ValueBuilder::emplace<std::int64_t>(out, static_cast<std::int64_t>(v));
        return true;
      }
    }
    ValueBuilder::emplace<T>(out, std::move(v));
    return true;
  }

  bool read_uint(Value& out, std::size_t at, int n, std::string_view what) {
    if (!need(at, static_cast<std::size_t>(n), what)) return false;
    return set(out, take_be(n));
  }

  bool read_int(Value& out, std::size_t at, int n, std::string_view what) {
    if (!need(at, static_cast<std::size_t>(n), what)) return false;
    const std::uint64_t raw = take_be(n);
    // Sign-extend from n bytes (two's complement).
    const int unused = 64 - 8 * n;
    const auto v = static_cast<std::int64_t>(raw << unused) >> unused;
    return set(out, v);
  }

  // str8/16/32, bin8/16/32, array16/32, map16/32: a length field, then the body.
  bool read_sized(Value& out, std::size_t at, std::uint8_t tag, int depth) {
    int width = 0;
    std::string_view what;
    switch (tag) {
      case 0xd9:
        width = 1, what = "str8";
        break;
      case 0xda:
        width = 2, what = "str16";
        break;
      case 0xdb:
        width = 4, what = "str32";
        break;
      case 0xc4:
        width = 1, what = "bin8";
        break;
      case 0xc5:
        width = 2, what = "bin16";
        break;
      case 0xc6:
        width = 4, what = "bin32";
        break;
      case 0xdc:
        width = 2, what = "array16";
        break;
      case 0xdd:
        width = 4, what = "array32";
        break;
      case 0xde:
        width = 2, what = "map16";
        break;
      default:
        width = 4, what = "map32";
        break;
    }
    if (!need(at, static_cast<std::size_t>(width), what)) return false;
    const auto n = static_cast<std::size_t>(take_be(width));
    if (tag == 0xd9 || tag == 0xda || tag == 0xdb) return read_str(out, at, n);
    if (tag == 0xc4 || tag == 0xc5 || tag == 0xc6) {
      if (!need(at, n, what)) return false;
      ValueBuilder::emplace<Binary>(out, Binary{std::string(in_.substr(pos_, n))});
      pos_ += n;
      return true;
    }
    if (tag == 0xdc || tag == 0xdd) return read_array(out, at, n, depth);
    return read_map(out, at, n, depth);
  }

  bool read_str(Value& out, std::size_t at, std::size_t n) {
    if (!need(at, n, "str")) return false;
    const std::string_view s = in_.substr(pos_, n);
    if (!valid_utf8(s)) return fail(at, "str is not valid UTF-8");
    pos_ += n;
    ValueBuilder::emplace<std::string>(out, s);
    return true;
  }

  // Every value takes at least one byte, so a container claiming more values than the bytes
  // that remain is a lie; and so is one that, together with every container opened before it,
  // claims more values than the whole input holds (nested containers claim the same bytes). The
  // second bound keeps the total allocation of a decode within sizeof(Value) per input byte,
  // whatever the nesting.
  bool claim(std::size_t at, std::size_t n, std::size_t values, const std::string& what) {
    if (n > left() || values > left() || values > in_.size() - claimed_) {
      return fail(at, what + " in " + std::to_string(left()) + " remaining bytes");
    }
    claimed_ += values;
    return true;
  }

  bool read_array(Value& out, std::size_t at, std::size_t n, int depth) {
    if (depth >= kMaxDepth) return fail(at, "nesting deeper than " + std::to_string(kMaxDepth));
    if (!claim(at, n, n, "array of " + std::to_string(n) + " items")) return false;
    Array& items = ValueBuilder::emplace<Array>(out);
    items.resize(n);
    for (Value& item : items) {
      if (!read(item, depth + 1)) return false;
    }
    return true;
  }

  bool read_map(Value& out, std::size_t at, std::size_t n, int depth) {
    if (depth >= kMaxDepth) return fail(at, "nesting deeper than " + std::to_string(kMaxDepth));
    if (!claim(at, n, 2 * n, "map of " + std::to_string(n) + " pairs")) return false;
    Map& pairs = ValueBuilder::emplace<Map>(out);
    pairs.resize(n);
    for (auto& [key, item] : pairs) {
      if (!read(key, depth + 1) || !read(item, depth + 1)) return false;
    }
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t claimed_ = 0;  // values announced by the containers read so far
  std::string error_;
};

}  // namespace

Result<Value> decode(std::string_view bytes) {
  // Allocation is bounded by the input size, but a huge message could still exhaust memory:
  // report that as a decode error rather than letting bad_alloc escape to the caller.
  try {
    return Decoder(bytes).run();
  } catch (const std::bad_alloc&) {
    return Error{"msgpack: out of memory decoding " + std::to_string(bytes.size()) + " bytes"};
  } catch (const std::exception& e) {
    return Error{std::string("msgpack: ") + e.what()};
  }
}

}  // namespace hornet::dist
