#include "http/cookie_jar.hpp"

#include <algorithm>
#include <cstdint>

#include "http/ascii.hpp"

namespace hornet::http {
namespace {

// §5.1.1 delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
bool is_date_delimiter(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b == 0x09 || (b >= 0x20 && b <= 0x2f) || (b >= 0x3b && b <= 0x40) ||
         (b >= 0x5b && b <= 0x60) || (b >= 0x7b && b <= 0x7e);
}

// Reads min..max digits at the start of `token`; the digit run must end there (what follows, if
// anything, is a non-digit, which "1*2DIGIT ( non-digit *OCTET )" allows).
bool leading_number(std::string_view token, std::size_t min, std::size_t max, int& value) {
  std::size_t n = 0;
  value = 0;
  while (n < token.size() && ascii::is_digit(token[n])) {
    if (n == max) return false;
    value = value * 10 + (token[n] - '0');
    ++n;
  }
  return n >= min;
}

bool parse_time(std::string_view token, int& hour, int& minute, int& second) {
  int* fields[] = {&hour, &minute, &second};
  for (int i = 0; i < 3; ++i) {
    std::size_t n = 0;
    int value = 0;
    while (n < token.size() && ascii::is_digit(token[n])) {
      if (n == 2) return false;
      value = value * 10 + (token[n] - '0');
      ++n;
    }
    if (n == 0) return false;
    *fields[i] = value;
    token.remove_prefix(n);
    if (i < 2) {
      if (token.empty() || token.front() != ':') return false;
      token.remove_prefix(1);
    }
  }
  return true;
}

bool parse_month(std::string_view token, int& month) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return false;
  for (int i = 0; i < 12; ++i) {
    if (ascii::iequals(token.substr(0, 3), kMonths[i])) {
      month = i + 1;
      return true;
    }
  }
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<std::int64_t>(y - era * 400);
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// §5.2.2: an optional '-' then digits; anything else makes the attribute ignored.
std::optional<double> parse_max_age(std::string_view value) {
  const bool negative = value.starts_with('-');
  const std::string_view digits = negative ? value.substr(1) : value;
  if (digits.empty()) return std::nullopt;
  double seconds = 0;
  for (char c : digits) {
    if (!ascii::is_digit(c)) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return negative ? -seconds : seconds;
}

// §5.1.3
bool domain_matches(std::string_view host, std::string_view domain, bool host_is_ip) {
  if (host == domain) return true;
  return !host_is_ip && host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

// §5.1.4
bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (!request_path.starts_with(cookie_path)) return false;
  return request_path.size() == cookie_path.size() || cookie_path.ends_with('/') ||
         request_path[cookie_path.size()] == '/';
}

// §5.1.4 default-path
std::string_view default_path(std::string_view uri_path) {
  if (!uri_path.starts_with('/')) return "/";
  const std::size_t last = uri_path.rfind('/');
  return last == 0 ? std::string_view("/") : uri_path.substr(0, last);
}

std::string lower_domain(std::string_view domain) {
  if (domain.starts_with('.')) domain.remove_prefix(1);
  std::string lower(domain);
  for (char& c : lower) c = ascii::to_lower(c);
  return lower;
}

bool has_control_or_semicolon(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x20 || b == 0x7f || c == ';';
  });
}

}  // namespace

std::optional<double> parse_cookie_date(std::string_view date) {
  int hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;
  bool found_time = false, found_day = false, found_month = false, found_year = false;
  std::size_t i = 0;
  while (i < date.size()) {
    while (i < date.size() && is_date_delimiter(date[i])) ++i;
    std::size_t end = i;
    while (end < date.size() && !is_date_delimiter(date[end])) ++end;
    const std::string_view token = date.substr(i, end - i);
    i = end;
    if (token.empty()) break;
    if (!found_time && parse_time(token, hour, minute, second)) {
      found_time = true;
    } else if (!found_day && leading_number(token, 1, 2, day)) {
      found_day = true;
    } else if (!found_month && parse_month(token, month)) {
      found_month = true;
    } else if (!found_year && leading_number(token, 2, 4, year)) {
      found_year = true;
    }
  }
  if (!found_time || !found_day || !found_month || !found_year) return std::nullopt;
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (day > days_in_month(year, month)) return std::nullopt;  // "the date does not exist"
  return double(days_from_civil(year, month, day)) * 86400.0 + hour * 3600.0 + minute * 60.0 +
         second;
}

const Cookie* CookieJar::set_from_header(std::string_view set_cookie, const Url& request_url,
                                         double now) {
  // §5.2
  const std::size_t semicolon = set_cookie.find(';');
  const std::string_view name_value = set_cookie.substr(0, semicolon);
  const std::size_t equals = name_value.find('=');
  if (equals == std::string_view::npos) return nullptr;
  const std::string_view name = ascii::trim_ows(name_value.substr(0, equals));
  if (name.empty()) return nullptr;

  Cookie cookie;
  cookie.name = name;
  cookie.value = ascii::trim_ows(name_value.substr(equals + 1));
  std::optional<double> expires;
  std::optional<double> max_age;
  std::optional<std::string_view> domain;
  std::optional<std::string_view> path;
  std::string_view attributes =
      semicolon == std::string_view::npos ? std::string_view() : set_cookie.substr(semicolon + 1);
  while (!attributes.empty()) {
    const std::size_t next = attributes.find(';');
    const std::string_view av = attributes.substr(0, next);
    attributes = next == std::string_view::npos ? std::string_view() : attributes.substr(next + 1);
    const std::size_t eq = av.find('=');
    const std::string_view key = ascii::trim_ows(av.substr(0, eq));
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : ascii::trim_ows(av.substr(eq + 1));
    if (ascii::iequals(key, "expires")) {
      if (std::optional<double> parsed = parse_cookie_date(value)) expires = parsed;
    } else if (ascii::iequals(key, "max-age")) {
      if (std::optional<double> parsed = parse_max_age(value)) max_age = parsed;
    } else if (ascii::iequals(key, "domain")) {
      if (!value.empty()) domain = value;
    } else if (ascii::iequals(key, "path")) {
      path = value;
    } else if (ascii::iequals(key, "secure")) {
      cookie.secure = true;
    } else if (ascii::iequals(key, "httponly")) {
      cookie.http_only = true;
    }
  }

  // §5.3
  if (max_age) {
    cookie.expires = *max_age <= 0 ? -Cookie::kNeverExpires : now + *max_age;
  } else if (expires) {
    cookie.expires = *expires;
  }
  const std::string_view host = request_url.host();
  std::string domain_attribute = domain ? lower_domain(*domain) : std::string();
  if (domain_attribute.empty()) {
    cookie.host_only = true;
    cookie.domain = host;
  } else if (domain_attribute == host) {
    // Covers IP hosts and single-label hosts, which only take host-only cookies, and is an
    // ordinary domain cookie otherwise.
    cookie.host_only = request_url.host_is_ip() || domain_attribute.find('.') == std::string::npos;
    cookie.domain = std::move(domain_attribute);
  } else if (domain_attribute.find('.') == std::string::npos ||
             !domain_matches(host, domain_attribute, request_url.host_is_ip())) {
    return nullptr;
  } else {
    cookie.host_only = false;
    cookie.domain = std::move(domain_attribute);
  }
  cookie.path = path && path->starts_with('/') ? *path : default_path(request_url.path());
  return store(std::move(cookie), now);
}

const Cookie* CookieJar::store(Cookie cookie, double now) {
  const auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& c) {
    return c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path;
  });
  if (cookie.expires <= now) {
    if (same != cookies_.end()) cookies_.erase(same);
    return nullptr;
  }
  if (same != cookies_.end()) {
    // Same path, same creation: its place in the §5.4 order does not change.
    cookie.creation = same->creation;
    *same = std::move(cookie);
    return &*same;
  }
  if (cookies_.size() >= kMaxCookies) {
    remove_expired(now);
    if (cookies_.size() >= kMaxCookies) {
      cookies_.erase(std::min_element(
          cookies_.begin(), cookies_.end(),
          [](const Cookie& a, const Cookie& b) { return a.creation < b.creation; }));
    }
  }
  cookie.creation = next_creation_++;
  // The jar stays sorted by path length (longest first), then creation; the new cookie is the
  // newest, so it goes after every cookie whose path is at least as long.
  const auto position = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& c) {
    return c.path.size() < cookie.path.size();
  });
  return &*cookies_.insert(position, std::move(cookie));
}

void CookieJar::append_cookie_header(std::string& out, const Url& url, double now,
                                     const Fields* request_cookies) const {
  const std::string_view host = url.host();
  const std::string_view path = url.path();
  bool first = true;
  const auto overridden = [&](const std::string& name) {
    if (request_cookies == nullptr) return false;
    for (const auto& [request_name, value] : *request_cookies) {
      if (request_name == name) return true;
    }
    return false;
  };
  for (const Cookie& cookie : cookies_) {
    if (overridden(cookie.name)) continue;
    if (cookie.expires <= now || (cookie.secure && !url.is_https())) continue;
    if (!cookie.domain.empty() &&
        !(cookie.host_only ? host == cookie.domain
                           : domain_matches(host, cookie.domain, url.host_is_ip()))) {
      continue;
    }
    if (!path_matches(path, cookie.path)) continue;
    out += first ? "Cookie: " : "; ";
    first = false;
    out += cookie.name;
    out += '=';
    out += cookie.value;
  }
  if (request_cookies != nullptr) {
    for (const auto& [name, value] : *request_cookies) {
      out += first ? "Cookie: " : "; ";
      first = false;
      out += name;
      out += '=';
      out += value;
    }
  }
  if (!first) out += "\r\n";
}

std::optional<std::string_view> CookieJar::get(std::string_view name) const {
  for (const Cookie& cookie : cookies_) {
    if (cookie.name == name) return cookie.value;
  }
  return std::nullopt;
}

Result<void> CookieJar::set(std::string_view name, std::string_view value, std::string_view domain,
                            std::string_view path) {
  if (name.empty() || has_control_or_semicolon(name) || name.find('=') != std::string_view::npos ||
      ascii::trim_ows(name).size() != name.size()) {
    return Error{"invalid cookie name " + ascii::quote_for_message(name)};
  }
  if (has_control_or_semicolon(value)) {
    return Error{"invalid value for cookie " + ascii::quote_for_message(name) +
                 ": control characters and ';' are not allowed"};
  }
  Cookie cookie;
  cookie.name = name;
  cookie.value = value;
  cookie.domain = lower_domain(domain);
  cookie.path = path.empty() ? std::string_view("/") : path;
  // No clock here: a session cookie is never expired, and with no "now" a full jar evicts
  // its oldest cookie rather than the expired ones.
  store(std::move(cookie), -Cookie::kNeverExpires);
  return {};
}

void CookieJar::remove_expired(double now) {
  std::erase_if(cookies_, [now](const Cookie& cookie) { return cookie.expires <= now; });
}

}  // namespace hornet::http
