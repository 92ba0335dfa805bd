// ASCII helpers shared by the HTTP pieces: case-insensitive comparison, RFC 9110 character
// classes, whitespace trimming and quoting untrusted text for error messages. Locale-independent
// (never std::tolower), allocation-free except quote_for_message().
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace hornet::http::ascii {

constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
constexpr bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}

/// The value of a hex digit, or -1.
constexpr int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  const char lower = char(c | 0x20);
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

namespace detail {
constexpr std::array<bool, 256> make_tchar_table() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = is_alnum(char(c));
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
inline constexpr std::array<bool, 256> kTchar = make_tchar_table();
}  // namespace detail

/// RFC 9110 §5.6.2 tchar: the characters of header names and methods.
constexpr bool is_tchar(char c) noexcept {
  return detail::kTchar[static_cast<unsigned char>(c)];
}

/// A non-empty sequence of tchar.
constexpr bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

/// Case-insensitive (ASCII) equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

/// SP or HTAB (RFC 9110 OWS).
constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

/// `s` without leading and trailing SP/HTAB.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

/// Calls `f(element)` for each element of a comma-separated list (RFC 9110 §5.6.1), with OWS
/// trimmed and empty elements skipped. Stops early and returns false when `f` returns false.
template <class F>
constexpr bool for_each_list_element(std::string_view list, F&& f) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !f(element)) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

/// `text` in single quotes for an error message: at most `max_chars` characters (then "..."),
/// with control and non-ASCII bytes shown as \xNN so that a message stays one printable line.
std::string quote_for_message(std::string_view text, std::size_t max_chars = 64);

}  // namespace hornet::http::ascii
