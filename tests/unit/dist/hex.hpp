// Hex helpers for the wire tests: expected bytes are written as msgpack-python prints them
// (`msgpack.packb(x).hex()`).
#pragma once

#include <string>
#include <string_view>

namespace hornet::dist::testing {

/// "93a4" → "\x93\xa4". Spaces are skipped, so vectors can be grouped for reading.
inline std::string unhex(std::string_view hex) {
  auto nibble = [](char c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    i += 2;
  }
  return out;
}

/// "\x93\xa4" → "93a4".
inline std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

/// "heartbeat" → its hex, for writing vectors with readable strings.
inline std::string text_hex(std::string_view text) {
  return hex(text);
}

}  // namespace hornet::dist::testing
