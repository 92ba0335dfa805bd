#include "dist/error_key.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>

namespace hornet::dist {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xf];
}

// Code points above U+007F that Python's str.isprintable() rejects (the common ones; see the
// header for what is approximated).
bool non_printable(std::uint32_t cp) noexcept {
  if (cp <= 0xa0 || cp == 0xad) return true;  // C1 controls, NBSP, soft hyphen
  if (cp == 0x1680 || cp == 0x180e) return true;
  if (cp >= 0x2000 && cp <= 0x200f) return true;  // spaces, zero-width, directional marks
  if (cp >= 0x2028 && cp <= 0x202f) return true;  // separators, embeddings, narrow NBSP
  if (cp >= 0x205f && cp <= 0x206f) return true;
  if (cp == 0x3000 || cp == 0xfeff) return true;
  if (cp >= 0xd800 && cp <= 0xf8ff) return true;  // surrogates, private use
  if (cp >= 0xfff9 && cp <= 0xfffb) return true;
  if (cp >= 0xf0000) return true;  // supplementary private use planes
  return false;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if it is not valid.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  return n;
}

}  // namespace

std::string python_str_repr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if (c == static_cast<unsigned char>(quote) || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        out += "\\x";
        append_hex(out, c, 2);
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t n = utf8_sequence(text, i, cp);
    if (n == 0) {  // not UTF-8: keep the byte
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (non_printable(cp)) {
      if (cp <= 0xff) {
        out += "\\x";
        append_hex(out, cp, 2);
      } else if (cp <= 0xffff) {
        out += "\\u";
        append_hex(out, cp, 4);
      } else {
        out += "\\U";
        append_hex(out, cp, 8);
      }
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  out += quote;
  return out;
}

std::string locust_error_key(std::string_view method, std::string_view name,
                             std::string_view error) {
  std::string text;
  text.reserve(method.size() + name.size() + error.size() + 8);
  text.append(method).append(".").append(name).append(".").append(python_str_repr(error));

  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // One-shot EVP digest; it only fails on allocation failure inside OpenSSL, in which case the
  // (zeroed) digest still gives a well-formed, if useless, key.
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  if (length == 0) length = 32;
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace hornet::dist
