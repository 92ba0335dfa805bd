// Absolute http/https URLs: parsing, reference resolution (RFC 3986 §5.2, for redirects and for
// paths relative to the user's host) and form/query encoding as Python's urllib.parse does it.
//
// A Url is kept normalised in one string, "scheme://authority/path?query", with offsets to its
// parts, so every accessor is a view and the origin, the Host header value and the request target
// are substrings of it:
//   - scheme and host are lower-cased; the port is omitted when it is the scheme's default;
//   - the fragment is dropped (it is never sent);
//   - the path has its dot segments removed and is never empty ("/" at least);
//   - characters that may not appear in a request target (space, controls, non-ASCII bytes,
//     '"', '<', '>', '\', '^', '`', '{', '|', '}', a '%' not followed by two hex digits) are
//     percent-encoded, as requests does; existing %XX escapes are kept as they are. The target is
//     therefore always safe to write on a request line;
//   - an empty query ("/a?") is dropped, as requests does.
// Rejected: schemes other than http and https, a missing or invalid host, userinfo
// ("user:pass@host": credentials in URLs are not supported, send an Authorization header
// instead), non-numeric or out-of-range ports (0 and above 65535), non-ASCII host names (give
// them IDNA-encoded, "xn--..."), invalid IPv6 literals.
//
// Nothing here does I/O or throws on bad input; errors are values with a message that quotes the
// input. Not thread-safe for writing; const access from several threads is fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <hornet/result.hpp>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace hornet::http {

enum class Scheme : std::uint8_t { kHttp, kHttps };

constexpr std::uint16_t default_port(Scheme scheme) noexcept {
  return scheme == Scheme::kHttps ? 443 : 80;
}

class Url {
 public:
  /// An empty Url (empty() is true, every view is empty, port() is 0): a placeholder to assign
  /// or to pass to parse_into/resolve_into.
  Url() = default;

  /// Parses an absolute http or https URL.
  [[nodiscard]] static Result<Url> parse(std::string_view text);
  /// As parse(), into `out`, reusing its storage (no allocation once `out` is warm). On error
  /// `out` is empty.
  [[nodiscard]] static Result<void> parse_into(std::string_view text, Url& out);

  /// Resolves `reference` against this URL per RFC 3986 §5.2.2 (strict): "https://h/x",
  /// "//h/x", "/x", "x", "../x", "?q", "" and "#f" all work; dot segments are removed; a
  /// scheme other than http/https is an error. Precondition: !empty().
  [[nodiscard]] Result<Url> resolve(std::string_view reference) const;
  /// As resolve(), into `out`, reusing its storage. Precondition: &out != this. On error `out`
  /// is empty.
  [[nodiscard]] Result<void> resolve_into(std::string_view reference, Url& out) const;

  bool empty() const noexcept { return text_.empty(); }
  Scheme scheme() const noexcept { return scheme_; }
  bool is_https() const noexcept { return scheme_ == Scheme::kHttps; }
  /// "http" or "https".
  std::string_view scheme_name() const noexcept { return view(0, scheme_end()); }
  /// The host as given to the resolver: lower-case, IPv6 literals without brackets ("::1").
  std::string_view host() const noexcept {
    return host_is_ipv6_ ? view(host_begin_ + 1, host_end_ - 1) : view(host_begin_, host_end_);
  }
  /// True for IPv4 and IPv6 address literals (cookies of IP hosts are host-only).
  bool host_is_ip() const noexcept { return host_is_ip_; }
  /// The port to connect to (the scheme's default when the URL has none).
  std::uint16_t port() const noexcept { return port_; }
  /// The Host header value: host[:port], IPv6 in brackets, the default port omitted.
  std::string_view host_header() const noexcept { return view(host_begin_, target_begin_); }
  /// "scheme://host[:port]", the default port omitted: the connection pool's key.
  std::string_view origin() const noexcept { return view(0, target_begin_); }
  /// The request target: path and query ("/a/b?x=1"); "/" at least.
  std::string_view target() const noexcept { return view(target_begin_, text_.size()); }
  /// The path, "/" at least.
  std::string_view path() const noexcept { return view(target_begin_, query_begin_); }
  /// The query without its '?'; empty when there is none.
  std::string_view query() const noexcept {
    return query_begin_ < text_.size() ? view(query_begin_ + 1, text_.size()) : std::string_view();
  }
  /// The whole normalised URL.
  std::string_view str() const noexcept { return text_; }

  friend bool operator==(const Url& a, const Url& b) noexcept { return a.text_ == b.text_; }

 private:
  std::string_view view(std::size_t begin, std::size_t end) const noexcept {
    return std::string_view(text_).substr(begin, end - begin);
  }
  std::size_t scheme_end() const noexcept { return scheme_ == Scheme::kHttps ? 5 : 4; }
  Result<void> assign(Scheme scheme, std::string_view authority, std::string_view path,
                      std::string_view query, bool has_query, std::string_view original);
  void append_query(std::string_view query, bool has_query);
  void clear() noexcept;

  std::string text_;
  std::size_t host_begin_ = 0;    // after "://"
  std::size_t host_end_ = 0;      // end of the host, brackets included
  std::size_t target_begin_ = 0;  // the path's '/'
  std::size_t query_begin_ = 0;   // the '?', or text_.size() when there is no query
  std::uint16_t port_ = 0;
  Scheme scheme_ = Scheme::kHttp;
  bool host_is_ip_ = false;
  bool host_is_ipv6_ = false;
};

/// Appends `text` encoded like Python's urllib.parse.quote_plus(text, safe=''): ASCII letters,
/// digits and "_.-~" unchanged, space as '+', every other byte as %XX (upper-case hex).
void append_quote_plus(std::string& out, std::string_view text);

/// Appends "name=value&name=value..." (urlencode of an ordered list of pairs), each part
/// quote_plus-encoded. `pairs` is any range of pair-likes whose members convert to string_view
/// (hornet::Fields, std::vector<std::pair<std::string, std::string>>, ...).
template <class Pairs>
void append_urlencoded(std::string& out, const Pairs& pairs) {
  bool first = true;
  for (const auto& [name, value] : pairs) {
    if (!first) out += '&';
    first = false;
    append_quote_plus(out, name);
    out += '=';
    append_quote_plus(out, value);
  }
}
inline void append_urlencoded(
    std::string& out, std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  append_urlencoded<decltype(pairs)>(out, pairs);
}

/// urlencode as a new string (for a form body).
template <class Pairs>
std::string urlencode(const Pairs& pairs) {
  std::string out;
  append_urlencoded(out, pairs);
  return out;
}
inline std::string urlencode(
    std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  return urlencode<decltype(pairs)>(pairs);
}

/// Appends `pairs` as query parameters to `url_or_target` (a URL or a "/path?query" target),
/// as requests does with `params=`: after '&' when there is a non-empty query already, after '?'
/// otherwise; nothing when `pairs` is empty. A fragment ("#...") is dropped first, since it is
/// never sent and the parameters must come before it.
template <class Pairs>
void append_query_params(std::string& url_or_target, const Pairs& pairs) {
  if (std::begin(pairs) == std::end(pairs)) return;
  if (const std::size_t hash = url_or_target.find('#'); hash != std::string::npos) {
    url_or_target.resize(hash);
  }
  const std::size_t question = url_or_target.find('?');
  if (question == std::string::npos) {
    url_or_target += '?';
  } else if (question + 1 < url_or_target.size()) {
    url_or_target += '&';
  }
  append_urlencoded(url_or_target, pairs);
}
inline void append_query_params(
    std::string& url_or_target,
    std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  append_query_params<decltype(pairs)>(url_or_target, pairs);
}

}  // namespace hornet::http
