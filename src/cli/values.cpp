#include "cli/values.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace hornet::cli {
namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<bool> parse_bool(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kTrue{"true", "yes", "on", "1"};
  static constexpr std::array<std::string_view, 4> kFalse{"false", "no", "off", "0"};
  for (std::string_view word : kTrue) {
    if (equals_ignore_case(text, word)) return true;
  }
  for (std::string_view word : kFalse) {
    if (equals_ignore_case(text, word)) return false;
  }
  return Error{"invalid boolean value: " + single_quoted(text) +
               " (use true/false, yes/no, on/off or 1/0)"};
}

Result<int> parse_int(std::string_view text) {
  // from_chars takes '-' but not '+'; Python's int() takes both.
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  if (digits.empty() || (digits.size() < text.size() && !is_digit(digits.front()))) {
    return Error{"invalid int value: " + single_quoted(text)};
  }
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range && end == digits.data() + digits.size()) {
    return Error{"invalid value: " + single_quoted(text) + " (must be between " +
                 std::to_string(std::numeric_limits<int>::min()) + " and " +
                 std::to_string(std::numeric_limits<int>::max()) + ")"};
  }
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return Error{"invalid int value: " + single_quoted(text)};
  }
  return value;
}

Result<double> parse_float(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || (digits.size() < text.size() && digits.front() == '-') ||
      error != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    return Error{"invalid float value: " + single_quoted(text)};
  }
  return value;
}

std::string single_quoted(std::string_view text) {
  // Appended piecewise: `"'" + std::string(...)` trips GCC 12's -Wrestrict false positive.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '\'';
  quoted += text;
  quoted += '\'';
  return quoted;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

std::vector<std::string> split_list(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::vector<std::string> items;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = unquote(trim(text.substr(0, comma)));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

}  // namespace hornet::cli
