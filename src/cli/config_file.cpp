#include "cli/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cli/values.hpp"

namespace hornet::cli {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool is_key_char(char c) {
  return !is_space(c) && c != ':' && c != '=' && c != ';' && c != '#';
}

// Whether `after` (what follows a closing quote) is nothing but spaces and an optional comment.
bool only_comment_left(std::string_view after) {
  const std::string_view rest = trim(after);
  return rest.empty() || (is_space(after.front()) && (rest.front() == '#' || rest.front() == ';'));
}

// `"value" # comment` -> value: a quoted value may hold '#' and ';', so it ends at the first
// matching quote that only spaces or a comment follow, not at the first '#'.
std::optional<std::string_view> quoted_value(std::string_view rest) {
  if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) return std::nullopt;
  for (std::size_t close = rest.find(rest.front(), 1); close != std::string_view::npos;
       close = rest.find(rest.front(), close + 1)) {
    if (only_comment_left(rest.substr(close + 1))) return rest.substr(1, close - 1);
  }
  return std::nullopt;
}

// Parses one trimmed, non-empty, non-comment line the way configargparse's regex does:
// ^key\s*(?:[:=\s]\s*(['"]?)value?\1)?\s*(?:\s[;#]\s*comment)?$
std::optional<ConfigEntry> parse_line(std::string_view line) {
  std::size_t pos = 0;
  while (pos < line.size() && is_key_char(line[pos])) ++pos;
  if (pos == 0) return std::nullopt;
  ConfigEntry entry;
  entry.key = std::string(line.substr(0, pos));

  const std::size_t after_key = pos;
  while (pos < line.size() && is_space(line[pos])) ++pos;
  bool explicit_separator = false;
  if (pos < line.size() && (line[pos] == '=' || line[pos] == ':')) {
    explicit_separator = true;
    ++pos;
    while (pos < line.size() && is_space(line[pos])) ++pos;
  } else if (pos == after_key && pos < line.size()) {
    return std::nullopt;  // "key#x": neither a separator nor a space after the key
  }

  std::string_view rest = line.substr(pos);
  if (std::optional<std::string_view> inside = quoted_value(rest)) {
    entry.value = std::string(*inside);
    return entry;
  }
  // A comment starts at the first '#' or ';' that follows a space; the line is trimmed, so a
  // space before `rest` means the separator or the key was followed by one.
  const bool space_before_rest = pos > 0 && is_space(line[pos - 1]);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if ((rest[i] == '#' || rest[i] == ';') &&
        (i == 0 ? space_before_rest : is_space(rest[i - 1]))) {
      rest = rest.substr(0, i);
      break;
    }
  }
  rest = trim(rest);
  if (rest.empty()) {
    entry.value = explicit_separator ? "" : "true";
  } else {
    entry.value = std::string(rest);
  }
  return entry;
}

}  // namespace

Result<std::vector<ConfigEntry>> parse_config_text(std::string_view text, std::string_view name) {
  std::vector<ConfigEntry> entries;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // editors' UTF-8 marker
  int number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t newline = text.find('\n');
    const std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '[' ||
        line.substr(0, 3) == "---") {
      continue;
    }
    std::optional<ConfigEntry> entry = parse_line(line);
    if (!entry) {
      return Error{"invalid line: '" + std::string(line) + "' (from " + std::string(name) +
                   " line " + std::to_string(number) + ")"};
    }
    entry->line = number;
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<std::optional<ConfigFile>> read_config_file(const std::filesystem::path& path,
                                                   std::string name, IfMissing if_missing) {
  const auto cannot_open = [&name](int error_number) {
    return Error{"can't open '" + name + "': " + std::strerror(error_number)};
  };
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    if (if_missing == IfMissing::kSkip) return std::optional<ConfigFile>();
    return cannot_open(ENOENT);
  }
  if (error) return cannot_open(error.value());
  // Opening a directory for reading succeeds on Linux; reading it would then fail quietly.
  if (status.type() == std::filesystem::file_type::directory) return cannot_open(EISDIR);

  errno = 0;
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return cannot_open(errno != 0 ? errno : EIO);
  std::ostringstream contents;
  contents << stream.rdbuf();
  if (stream.bad()) return cannot_open(EIO);

  Result<std::vector<ConfigEntry>> entries = parse_config_text(contents.str(), name);
  if (!entries) return entries.error();
  return std::optional<ConfigFile>(ConfigFile{std::move(name), std::move(*entries)});
}

}  // namespace hornet::cli
