#include "site.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

namespace hornet::demo {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::string_view kCsrfCookie = "csrftoken";
constexpr std::string_view kSessionCookie = "sessionid";
constexpr std::string_view kCsrfHeader = "X-CSRFToken";
constexpr std::string_view kCsrfFormField = "csrfmiddlewaretoken";
constexpr std::string_view kUsername = "username";
constexpr std::string_view kPassword = "P455w0rd";
constexpr std::size_t kTokenLength = 32;
constexpr std::size_t kMaxTokenLength = 64;  // Django's masked tokens are 64 characters

constexpr std::string_view kLoginPath = "/accounts/login/";
constexpr std::string_view kIndexPath = "/";
constexpr std::string_view kHeavyPath = "/heavy_url/";
constexpr std::string_view kAjaxPath = "/another_heavy_ajax_url/";
constexpr std::string_view kStatsPath = "/__demo/stats";

constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kNeverCache = "max-age=0, no-cache, no-store, must-revalidate, private";

constexpr std::string_view kAllowRead = "GET, HEAD";
constexpr std::string_view kAllowLogin = "GET, HEAD, POST";

std::string_view trim(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string_view path_of(std::string_view target) noexcept {
  return target.substr(0, target.find('?'));
}

std::string_view query_of(std::string_view target) noexcept {
  const auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
}

// Calls visit(name, value) for each `name=value` (or bare `name`) in a list split by
// `separator`, both trimmed, until visit returns true.
template <class Visit>
void for_each_pair(std::string_view list, char separator, Visit&& visit) {
  while (!list.empty()) {
    const auto end = list.find(separator);
    const std::string_view item = trim(list.substr(0, end));
    list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos) {
      if (visit(item, std::string_view())) return;
    } else if (visit(trim(item.substr(0, equals)), trim(item.substr(equals + 1)))) {
      return;
    }
  }
}

// The value of cookie `name` (the first, if sent twice), quotes removed.
std::optional<std::string_view> cookie(const Request& request, std::string_view name) {
  std::optional<std::string_view> found;
  const auto [first, last] = request.equal_range(http::field::cookie);
  for (auto field = first; field != last && !found; ++field) {
    for_each_pair(field->value(), ';', [&](std::string_view key, std::string_view value) {
      if (key != name) return false;
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      found = value;
      return true;
    });
  }
  return found;
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; a '%' not followed by two hex digits stays as is.
std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The decoded value of field `name` in a urlencoded form or query string.
std::optional<std::string> form_field(std::string_view form, std::string_view name) {
  std::optional<std::string> found;
  for_each_pair(form, '&', [&](std::string_view key, std::string_view value) {
    if (url_decode(key) != name) return false;
    found = url_decode(value);
    return true;
  });
  return found;
}

std::string_view form_of(const Request& request) {
  const std::string_view type = request[http::field::content_type];
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (type.size() < kForm.size() || !beast::iequals(type.substr(0, kForm.size()), kForm)) return {};
  return request.body();
}

// Whether a parameter list such as "q=0" or "q=0.000" gives a q-value of zero.
bool is_zero_q(std::string_view parameters) noexcept {
  if (parameters.size() < 2 || (parameters[0] != 'q' && parameters[0] != 'Q') ||
      parameters[1] != '=') {
    return false;
  }
  const std::string_view value = trim(parameters.substr(2));
  return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
}

// Whether Accept-Encoding allows gzip (RFC 9110 12.5.3): "gzip" with a q-value above zero, or
// failing an explicit "gzip", "*" with one.
bool accepts_gzip(const Request& request) {
  std::optional<bool> gzip;
  std::optional<bool> any;
  std::string_view header = request[http::field::accept_encoding];
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view coding = trim(item.substr(0, semicolon));
    const bool allowed =
        semicolon == std::string_view::npos || !is_zero_q(trim(item.substr(semicolon + 1)));
    if (beast::iequals(coding, "gzip") || beast::iequals(coding, "x-gzip")) {
      gzip = allowed;
    } else if (coding == "*") {
      any = allowed;
    }
  }
  return gzip.value_or(any.value_or(false));
}

bool is_token(std::string_view text) noexcept {
  return !text.empty() && text.size() <= kMaxTokenLength && std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

std::string random_token(std::mt19937_64& random, std::string_view alphabet) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string token(kTokenLength, '\0');
  for (char& c : token) c = alphabet[pick(random)];
  return token;
}

// A redirect target from the `next` parameter only if it stays on this site, like Django's
// url_has_allowed_host_and_scheme: a path, not "//host" nor "/\host", and no control characters.
std::string safe_next(const std::optional<std::string>& next) {
  if (!next || next->empty() || next->front() != '/') return std::string(kIndexPath);
  if (next->size() > 1 && ((*next)[1] == '/' || (*next)[1] == '\\')) return std::string(kIndexPath);
  if (std::ranges::any_of(
          *next, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return std::string(kIndexPath);
  }
  return *next;
}

Reply make_reply(const Request& request, http::status status, std::string_view content_type,
                 ReplyBody::value_type body) {
  Reply reply(status, request.version());
  reply.set(http::field::content_type, content_type);
  reply.keep_alive(request.keep_alive());
  reply.body() = std::move(body);
  reply.prepare_payload();
  return reply;
}

Reply text_reply(const Request& request, http::status status, std::string_view text) {
  return make_reply(request, status, kText, std::string(text));
}

Reply redirect(const Request& request, std::string_view location) {
  Reply reply = make_reply(request, http::status::found, kHtml, std::string_view());
  reply.set(http::field::location, location);
  return reply;
}

Outcome not_allowed(const Request& request, Route route, std::string_view allow) {
  Reply reply = text_reply(request, http::status::method_not_allowed, "405 Method Not Allowed\n");
  reply.set(http::field::allow, allow);
  return {std::move(reply), {}, route};
}

bool is_read(http::verb method) noexcept {
  return method == http::verb::get || method == http::verb::head;
}

}  // namespace

Site::Site(HeavyDelay heavy_delay, unsigned worker_count) : heavy_delay_(heavy_delay) {
  std::random_device entropy;
  slots_.reserve(worker_count);
  for (unsigned i = 0; i < worker_count; ++i) {
    const std::uint64_t seed = (std::uint64_t{entropy()} << 32) ^ entropy();
    slots_.push_back(std::make_unique<WorkerSlot>(seed));
  }
}

Route Site::route_of(std::string_view target) noexcept {
  const std::string_view path = path_of(target);
  if (path == kLoginPath) return Route::kLogin;
  if (path == kIndexPath) return Route::kIndex;
  if (path == kHeavyPath) return Route::kHeavy;
  if (path == kAjaxPath) return Route::kAjax;
  if (path == kStatsPath) return Route::kStats;
  return Route::kUnknown;
}

Outcome Site::handle(const Request& request, WorkerSlot& slot) {
  const Route route = route_of(request.target());
  const http::verb method = request.method();
  Outcome outcome;
  switch (route) {
    case Route::kLogin:
      if (is_read(method)) {
        outcome = login_page(request, slot);
      } else if (method == http::verb::post) {
        outcome = login_submit(request, slot);
      } else {
        outcome = not_allowed(request, route, kAllowLogin);
      }
      break;
    case Route::kIndex:
      outcome = is_read(method) ? index(request) : not_allowed(request, route, kAllowRead);
      break;
    case Route::kHeavy:
      outcome = is_read(method) ? heavy(request, slot) : not_allowed(request, route, kAllowRead);
      break;
    case Route::kAjax:
      outcome = is_read(method) ? ajax(request) : not_allowed(request, route, kAllowRead);
      break;
    case Route::kStats:
      outcome = is_read(method) ? stats(request) : not_allowed(request, route, kAllowRead);
      break;
    case Route::kUnknown:
    case Route::kMalformed:
      outcome = {
          text_reply(request, http::status::not_found, "404 Not Found\n"), {}, Route::kUnknown};
      break;
  }
  if (method == http::verb::head) {
    // HEAD: the headers GET would send, Content-Length included, and no body.
    outcome.reply.body() = std::string_view();
  }
  return outcome;
}

Reply Site::reject(http::status status, unsigned version) {
  std::string_view text = "400 Bad Request: the request could not be parsed\n";
  if (status == http::status::payload_too_large) {
    text = "413 Payload Too Large: request bodies are limited to 1 MiB\n";
  } else if (status == http::status::request_header_fields_too_large) {
    text = "431 Request Header Fields Too Large: the request head is limited to 16 KiB\n";
  }
  Reply reply(status, version == 10 ? 10 : 11);
  reply.set(http::field::content_type, kText);
  reply.keep_alive(false);
  reply.body() = text;
  reply.prepare_payload();
  return reply;
}

Outcome Site::login_page(const Request& request, WorkerSlot& slot) const {
  const std::optional<std::string_view> sent = cookie(request, kCsrfCookie);
  const bool has_token = sent && is_token(*sent);
  const std::string token = has_token ? std::string(*sent)
                                      : random_token(slot.random,
                                                     "abcdefghijklmnopqrstuvwxyz"
                                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  Reply reply = make_reply(request, http::status::ok, kHtml, content_.login_html(token));
  reply.set(http::field::cache_control, kNeverCache);
  reply.set(http::field::vary, "Cookie");
  if (!has_token) {
    reply.set(http::field::set_cookie,
              std::string(kCsrfCookie) + "=" + token + "; Path=/; SameSite=Lax");
  }
  return {std::move(reply), {}, Route::kLogin};
}

Outcome Site::login_submit(const Request& request, WorkerSlot& slot) {
  // Django's CsrfViewMiddleware runs before the view: the token (header, else form field) must
  // equal the cookie.
  const std::string_view form = form_of(request);
  const std::optional<std::string_view> csrf_cookie = cookie(request, kCsrfCookie);
  std::string token(request[kCsrfHeader]);
  if (token.empty()) token = form_field(form, kCsrfFormField).value_or(std::string());
  std::string_view reason;
  if (!csrf_cookie || !is_token(*csrf_cookie)) {
    reason = "CSRF cookie not set.";
  } else if (token.empty()) {
    reason = "CSRF token missing.";
  } else if (token != *csrf_cookie) {
    reason = "CSRF token incorrect.";
  }
  if (!reason.empty()) {
    slot.stats.count(Event::kCsrfRejected);
    const std::string text = "403 Forbidden: CSRF verification failed. Request aborted.\nReason: " +
                             std::string(reason) + "\n";
    return {text_reply(request, http::status::forbidden, text), {}, Route::kLogin};
  }

  // Django re-renders the form with 200 on bad credentials; a load target makes it a 401 so
  // that a broken login shows up as failures.
  if (form_field(form, "username") != kUsername || form_field(form, "password") != kPassword) {
    slot.stats.count(Event::kBadCredentials);
    Reply reply = text_reply(request, http::status::unauthorized,
                             "401 Unauthorized: Please enter a correct username and password.\n");
    // A 401 must carry a challenge (RFC 9110 15.5.2); this one names the login form.
    reply.set(http::field::www_authenticate, "Form realm=\"hornet-demo\"");
    return {std::move(reply), {}, Route::kLogin};
  }

  std::string session = random_token(slot.random, "abcdefghijklmnopqrstuvwxyz0123456789");
  // Like LoginView: `next` from the form, else from the query string, if it is safe.
  std::optional<std::string> next = form_field(form, "next");
  if (!next) next = form_field(query_of(request.target()), "next");
  Reply reply = redirect(request, safe_next(next));
  reply.set(http::field::set_cookie,
            std::string(kSessionCookie) + "=" + session + "; HttpOnly; Path=/; SameSite=Lax");
  reply.set(http::field::cache_control, kNeverCache);
  sessions_.add(std::move(session));
  slot.stats.count(Event::kLoginSucceeded);
  return {std::move(reply), {}, Route::kLogin};
}

Outcome Site::index(const Request& request) const {
  const std::optional<std::string_view> session = cookie(request, kSessionCookie);
  if (!session || !sessions_.contains(*session)) {
    // Django's login_required.
    return {redirect(request, "/accounts/login/?next=/"), {}, Route::kIndex};
  }
  const bool gzip = accepts_gzip(request);
  Reply reply = make_reply(request, http::status::ok, kHtml,
                           gzip ? content_.index_gzip() : content_.index_html());
  if (gzip) reply.set(http::field::content_encoding, "gzip");
  reply.set(http::field::vary, "Accept-Encoding, Cookie");
  reply.set(http::field::cache_control, "private");
  return {std::move(reply), {}, Route::kIndex};
}

Outcome Site::heavy(const Request& request, WorkerSlot& slot) const {
  std::uniform_int_distribution<std::chrono::milliseconds::rep> pick(heavy_delay_.min.count(),
                                                                     heavy_delay_.max.count());
  return {make_reply(request, http::status::ok, kHtml, content_.heavy_html()),
          std::chrono::milliseconds(pick(slot.random)), Route::kHeavy};
}

Outcome Site::ajax(const Request& request) const {
  // Django's request.is_ajax(): exactly this header value.
  if (request["X-Requested-With"] != "XMLHttpRequest") {
    constexpr std::string_view kNotAjax = R"({"error":"this endpoint answers AJAX requests only: )"
                                          R"(send the header X-Requested-With: XMLHttpRequest"})";
    return {make_reply(request, http::status::bad_request, kJson, kNotAjax), {}, Route::kAjax};
  }
  return {make_reply(request, http::status::ok, kJson, content_.ajax_json()), {}, Route::kAjax};
}

Outcome Site::stats(const Request& request) const {
  StatsSnapshot snapshot;
  for (const auto& slot : slots_) snapshot.add(slot->stats);
  Reply reply = make_reply(request, http::status::ok, kJson, to_json(snapshot));
  reply.set(http::field::cache_control, "no-store");
  return {std::move(reply), {}, Route::kStats};
}

}  // namespace hornet::demo
