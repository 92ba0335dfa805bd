// A user's cookie jar, RFC 6265 §5 as a non-browser client applies it (Python's http.cookiejar
// behind requests.Session): Set-Cookie parsing, storage, and the Cookie header of each request.
//
// Rules, with the RFC sections they come from:
//   - §5.2: "name=value; attributes". A cookie without '=' or with an empty name is ignored;
//     name and value are trimmed of SP/HTAB, quotes are kept. Attribute names are
//     case-insensitive and unknown ones are ignored; for repeated attributes the last valid one
//     wins.
//   - Expires: parsed with the §5.1.1 cookie-date algorithm (an unparsable date is ignored).
//     Max-Age (an optional '-' and digits) takes precedence over Expires, wherever it stands;
//     Max-Age <= 0 or an Expires in the past deletes the stored cookie of that name, domain and
//     path, and stores nothing. Without either, the cookie lasts as long as the jar.
//   - Domain: a leading '.' is ignored, the value is lower-cased; it must domain-match the
//     request host (§5.1.3) or the cookie is ignored; the cookie is then sent to that domain
//     and its subdomains. Without Domain the cookie is host-only (sent to that exact host).
//     Hosts that are IP addresses only take host-only cookies (a Domain equal to the address is
//     accepted as host-only). Without a public suffix list, a single-label Domain ("com") is
//     treated as a public suffix: host-only if it equals the host ("localhost"), else ignored.
//   - Path: a value not starting with '/' (or none) means the default path of the request URL
//     (§5.1.4: its directory, "/" at least).
//   - Secure: sent only over https. HttpOnly: recorded (this jar is an HTTP API, so it applies).
//   - A cookie with the same name, domain and path replaces the stored one, keeping its
//     creation time.
//   - §5.4: a request gets the cookies whose domain and path match its URL, unexpired, Secure
//     ones only over https, ordered by longer path first, then earlier creation.
// The jar holds at most kMaxCookies; past that, expired cookies and then the oldest are evicted.
//
// Time is passed in as epoch seconds (so tests use a fake clock). Thread affinity: a jar belongs
// to one user's session and is used on its worker thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <hornet/http.hpp>
#include <hornet/result.hpp>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/ascii.hpp"
#include "http/url.hpp"

namespace hornet::http {

struct Cookie {
  static constexpr double kNeverExpires = std::numeric_limits<double>::infinity();

  std::string name;
  std::string value;
  /// Lower-case, without a leading dot. Empty only for a cookie put with CookieJar::set()
  /// without a domain, which is sent to every host (as requests' jar.set does).
  std::string domain;
  std::string path;
  /// Expiry in epoch seconds; kNeverExpires for a session cookie.
  double expires = kNeverExpires;
  /// The jar's creation counter: orders cookies of equal path length (§5.4).
  std::uint64_t creation = 0;
  bool host_only = false;
  bool secure = false;
  bool http_only = false;
};

/// The §5.1.1 cookie-date algorithm: epoch seconds (UTC), or nullopt when `date` has no valid
/// time, day, month and year (year >= 1601, 2-digit years mapped to 1970-2069).
std::optional<double> parse_cookie_date(std::string_view date);

class CookieJar {
 public:
  static constexpr std::size_t kMaxCookies = 3000;

  /// Processes one Set-Cookie header value from the response to `request_url` received at
  /// `now`. Returns the stored cookie (valid until the jar is next modified), or nullptr when
  /// the cookie was ignored or was a deletion.
  const Cookie* set_from_header(std::string_view set_cookie, const Url& request_url, double now);

  /// Processes every Set-Cookie field of a response's headers: any range of (name, value)
  /// pair-likes, such as a ResponseHead or a hornet::ResponseHeaders. When `accepted` is given,
  /// appends the name and value of each cookie stored (what requests' response.cookies holds).
  template <class HeaderRange>
  void store_response_cookies(const HeaderRange& headers, const Url& request_url, double now,
                              Fields* accepted = nullptr) {
    for (const auto& [name, value] : headers) {
      if (!ascii::iequals(name, "set-cookie")) continue;
      const Cookie* stored = set_from_header(value, request_url, now);
      if (stored != nullptr && accepted != nullptr) accepted->add(stored->name, stored->value);
    }
  }

  /// Appends "Cookie: a=1; b=2\r\n" for a request to `url` at `now`, or nothing when no cookie
  /// matches. Allocation-free apart from `out` growing; no sorting per request (the jar is kept
  /// in §5.4 order).
  /// `request_cookies`: cookies of this request only (requests' `cookies=`), sent after the
  /// jar's and replacing the jar's of the same name.
  void append_cookie_header(std::string& out, const Url& url, double now,
                            const Fields* request_cookies = nullptr) const;

  /// The value of the first cookie called `name` (any domain, any path), if any.
  std::optional<std::string_view> get(std::string_view name) const;

  /// Puts a session cookie in the jar, as requests' cookies.set(name, value, domain=, path=):
  /// `domain` empty means every host, otherwise that domain and its subdomains (a leading '.'
  /// is ignored); an empty `path` means "/". Error when the name is empty or either contains a
  /// control character or ';' (it would corrupt the Cookie header), or the name contains '='.
  [[nodiscard]] Result<void> set(std::string_view name, std::string_view value,
                                 std::string_view domain = {}, std::string_view path = "/");

  void clear() noexcept { cookies_.clear(); }
  /// Drops the cookies expired at `now`.
  void remove_expired(double now);

  std::size_t size() const noexcept { return cookies_.size(); }
  bool empty() const noexcept { return cookies_.empty(); }
  /// In §5.4 order: longer paths first, then earlier creation.
  auto begin() const noexcept { return cookies_.cbegin(); }
  auto end() const noexcept { return cookies_.cend(); }

 private:
  const Cookie* store(Cookie cookie, double now);

  std::vector<Cookie> cookies_;
  std::uint64_t next_creation_ = 0;
};

}  // namespace hornet::http
