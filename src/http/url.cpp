#include "http/url.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>

#include "http/ascii.hpp"

namespace hornet::http {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

// Characters kept as they are in a path segment: RFC 3986 pchar minus pct-encoded, plus '[' and
// ']' because requests leaves those alone too (JSON:API's "filter[name]=x" relies on it).
constexpr std::array<bool, 256> make_path_safe() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = ascii::is_alnum(char(c));
  for (char c : std::string_view("-._~!$&'()*+,;=:@[]"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> make_query_safe() {
  std::array<bool, 256> table = make_path_safe();
  table['/'] = true;
  table['?'] = true;
  return table;
}
constexpr std::array<bool, 256> kPathSafe = make_path_safe();
constexpr std::array<bool, 256> kQuerySafe = make_query_safe();

bool is_escape_at(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '%' && ascii::hex_value(s[i + 1]) >= 0 &&
         ascii::hex_value(s[i + 2]) >= 0;
}

void append_percent_encoded(std::string& out, std::string_view s,
                            const std::array<bool, 256>& safe) {
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (safe[c] || is_escape_at(s, i)) continue;
    out.append(s.data() + run, i - run);
    out += '%';
    out += kHexUpper[c >> 4];
    out += kHexUpper[c & 0xf];
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

// Appends the segments of `segments` (a path after its leading '/', or a relative path to merge)
// to the path that starts at out[path_start], removing dot segments as RFC 3986 §5.2.4 does. The
// output is kept as a list of "/segment" elements, so removing the last segment is truncating at
// the last '/'; that also lets ".." climb into a base path already in `out`.
void append_path_segments(std::string& out, std::size_t path_start, std::string_view segments) {
  while (true) {
    const std::size_t slash = segments.find('/');
    const std::string_view segment = segments.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (segment == "." || segment == "..") {
      if (segment.size() == 2) {
        const std::size_t previous = out.rfind('/');
        if (previous != std::string::npos && previous >= path_start) out.resize(previous);
      }
      // A trailing dot segment still names a directory: "/a/b/.." is "/a/".
      if (last) out += '/';
    } else {
      out += '/';
      append_percent_encoded(out, segment, kPathSafe);
    }
    if (last) break;
    segments.remove_prefix(slash + 1);
  }
  if (out.size() == path_start) out += '/';
}

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string_view trim_whitespace(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kWhitespace) - begin + 1);
}

// The five components of RFC 3986 Appendix B (the fragment is not needed).
struct Components {
  std::string_view scheme;
  std::string_view authority;
  std::string_view path;
  std::string_view query;
  bool has_scheme = false;
  bool has_authority = false;
  bool has_query = false;
};

Components split(std::string_view ref) {
  Components parts;
  if (const std::size_t colon = ref.find_first_of(":/?#");
      colon != std::string_view::npos && colon > 0 && ref[colon] == ':') {
    parts.scheme = ref.substr(0, colon);
    parts.has_scheme = true;
    ref.remove_prefix(colon + 1);
  }
  if (ref.starts_with("//")) {
    const std::size_t end = std::min(ref.find_first_of("/?#", 2), ref.size());
    parts.authority = ref.substr(2, end - 2);
    parts.has_authority = true;
    ref.remove_prefix(end);
  }
  const std::size_t path_end = std::min(ref.find_first_of("?#"), ref.size());
  parts.path = ref.substr(0, path_end);
  ref.remove_prefix(path_end);
  if (ref.starts_with('?')) {
    parts.query = ref.substr(1, ref.find('#') - 1);
    parts.has_query = true;
  }
  return parts;
}

Error url_error(std::string_view url, std::string_view reason) {
  std::string message = "invalid URL ";
  message += ascii::quote_for_message(url, 200);
  message += ": ";
  message += reason;
  return Error{std::move(message)};
}

bool is_host_char(char c) {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_';
}

// WHATWG's rule: a host whose last label is numeric is an IPv4 address ("10.0.0.1", "10.1").
bool looks_like_ipv4(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  const std::string_view label = host.substr(host.rfind('.') + 1);
  if (label.empty()) return false;
  for (char c : label) {
    if (!ascii::is_digit(c)) return false;
  }
  return true;
}

}  // namespace

void Url::clear() noexcept {
  text_.clear();
  host_begin_ = host_end_ = target_begin_ = query_begin_ = 0;
  port_ = 0;
  scheme_ = Scheme::kHttp;
  host_is_ip_ = host_is_ipv6_ = false;
}

Result<Url> Url::parse(std::string_view text) {
  Url url;
  if (Result<void> parsed = parse_into(text, url); !parsed) return parsed.error();
  return url;
}

Result<void> Url::parse_into(std::string_view text, Url& out) {
  const std::string_view trimmed = trim_whitespace(text);
  const Components parts = split(trimmed);
  if (!parts.has_scheme) {
    out.clear();
    return url_error(text, "not an absolute URL (expected http://host/... or https://host/...)");
  }
  Scheme scheme;
  if (ascii::iequals(parts.scheme, "http")) {
    scheme = Scheme::kHttp;
  } else if (ascii::iequals(parts.scheme, "https")) {
    scheme = Scheme::kHttps;
  } else {
    out.clear();
    return url_error(text, "unsupported scheme " + ascii::quote_for_message(parts.scheme) +
                               " (only http and https are supported)");
  }
  if (!parts.has_authority) {
    out.clear();
    return url_error(text, "expected '//' and a host after the scheme");
  }
  return out.assign(scheme, parts.authority, parts.path, parts.query, parts.has_query, text);
}

Result<Url> Url::resolve(std::string_view reference) const {
  Url url;
  if (Result<void> resolved = resolve_into(reference, url); !resolved) return resolved.error();
  return url;
}

Result<void> Url::resolve_into(std::string_view reference, Url& out) const {
  const Components parts = split(trim_whitespace(reference));
  if (parts.has_scheme) return parse_into(reference, out);
  if (parts.has_authority) {
    return out.assign(scheme_, parts.authority, parts.path, parts.query, parts.has_query,
                      reference);
  }
  // Same origin: copy it and its offsets, then merge the path (RFC 3986 §5.2.2 and §5.2.3).
  out.text_.assign(origin());
  out.host_begin_ = host_begin_;
  out.host_end_ = host_end_;
  out.target_begin_ = target_begin_;
  out.port_ = port_;
  out.scheme_ = scheme_;
  out.host_is_ip_ = host_is_ip_;
  out.host_is_ipv6_ = host_is_ipv6_;
  if (parts.path.empty()) {
    out.text_ += path();
    if (parts.has_query) {
      out.append_query(parts.query, true);
    } else {
      out.append_query(query(), query_begin_ < text_.size());
    }
    return {};
  }
  if (parts.path.front() == '/') {
    append_path_segments(out.text_, target_begin_, parts.path.substr(1));
  } else {
    // The base path always starts with '/', so its directory is everything before the last one.
    const std::string_view base_path = path();
    out.text_.append(base_path.substr(0, base_path.rfind('/')));
    append_path_segments(out.text_, target_begin_, parts.path);
  }
  out.append_query(parts.query, parts.has_query);
  return {};
}

Result<void> Url::assign(Scheme scheme, std::string_view authority, std::string_view path,
                         std::string_view query, bool has_query, std::string_view original) {
  clear();
  if (authority.find('@') != std::string_view::npos) {
    return url_error(original,
                     "credentials in URLs (user:password@host) are not supported; send an "
                     "Authorization header instead");
  }
  std::string_view host = authority;
  std::string_view port_text;
  bool has_port = false;
  bool ipv6 = false;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return url_error(original, "unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return url_error(original, "unexpected characters after the IPv6 address");
    }
    has_port = !rest.empty();
    port_text = has_port ? rest.substr(1) : rest;
    ipv6 = true;
  } else if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return url_error(original, "missing host");

  if (ipv6) {
    // inet_pton wants a NUL-terminated string; an IPv6 literal is at most 45 characters.
    const std::string_view literal = host.substr(1, host.size() - 2);
    std::array<char, 64> buffer{};
    std::array<unsigned char, 16> address{};
    if (literal.size() >= buffer.size()) return url_error(original, "invalid IPv6 address");
    literal.copy(buffer.data(), literal.size());
    if (inet_pton(AF_INET6, buffer.data(), address.data()) != 1) {
      return url_error(original, "invalid IPv6 address " + ascii::quote_for_message(literal));
    }
  } else {
    for (char c : host) {
      if (is_host_char(c)) continue;
      if (static_cast<unsigned char>(c) >= 0x80) {
        return url_error(original, "non-ASCII host names must be given IDNA-encoded (\"xn--...\")");
      }
      return url_error(original, "invalid character " + ascii::quote_for_message({&c, 1}) +
                                     " in host " + ascii::quote_for_message(host));
    }
  }

  std::uint16_t port = default_port(scheme);
  if (has_port && !port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() ||
        !ascii::is_digit(port_text.front())) {
      return url_error(original, "invalid port " + ascii::quote_for_message(port_text));
    }
    if (value == 0 || value > 65535) {
      return url_error(original,
                       "port " + ascii::quote_for_message(port_text) + " is out of range 1-65535");
    }
    port = static_cast<std::uint16_t>(value);
  }

  scheme_ = scheme;
  port_ = port;
  host_is_ipv6_ = ipv6;
  host_is_ip_ = ipv6 || looks_like_ipv4(host);
  text_.append(scheme == Scheme::kHttps ? "https://" : "http://");
  host_begin_ = text_.size();
  for (char c : host) text_ += ascii::to_lower(c);
  host_end_ = text_.size();
  if (port != default_port(scheme)) {
    std::array<char, 8> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), port);
    text_ += ':';
    text_.append(digits.data(), result.ptr);
  }
  target_begin_ = text_.size();
  // With an authority the path is empty or starts with '/' (RFC 3986 path-abempty).
  append_path_segments(text_, target_begin_, path.empty() ? path : path.substr(1));
  append_query(query, has_query);
  return {};
}

void Url::append_query(std::string_view query, bool has_query) {
  query_begin_ = text_.size();
  if (!has_query || query.empty()) return;
  text_ += '?';
  append_percent_encoded(text_, query, kQuerySafe);
}

void append_quote_plus(std::string& out, std::string_view text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (ascii::is_alnum(c) || c == '_' || c == '.' || c == '-' || c == '~') continue;
    out.append(text.data() + run, i - run);
    if (c == ' ') {
      out += '+';
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHexUpper[byte >> 4];
      out += kHexUpper[byte & 0xf];
    }
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

}  // namespace hornet::http
