// The HTTP session of an HttpUser, like a `requests.Session` in a locustfile.
//
//   auto response = co_await client().get("/accounts/login/");
//   std::string token(response.cookies().get("csrftoken").value_or(""));
//   co_await client().post("/accounts/login/")
//       .form({{"username", "user"}, {"password", "secret"}})
//       .header("X-CSRFToken", token);
//
// A request is built by chaining on what get()/post()/... return, and sent when awaited. (Not
// with a designated-initialiser options struct: g++ 12 miscompiles aggregate temporaries inside a
// co_await expression, copying them bitwise and destroying them twice; a builder is safe.)
//
// Every request is recorded in the statistics under (method, name): a success, or a failure with
// a message for a status >= 400 and for every transport error (refused, reset, timeout, malformed
// response, TLS). Requests never throw for such failures: look at Response::ok() and error().
// Thread affinity: a session belongs to its user and is used only on that user's worker thread.
#pragma once

#include <hornet/task.hpp>

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hornet {

class HttpSession;

namespace detail {
class SessionImpl;
/// The outcome of a catch_response request, reported once (engine-side).
class PendingReport {
 public:
  virtual ~PendingReport() = default;
  /// `failure` empty means success.
  virtual void report(std::optional<std::string> failure) = 0;
};
}  // namespace detail

/// An ordered list of name/value pairs; names compare case-insensitively for headers.
class Fields {
 public:
  using Field = std::pair<std::string, std::string>;

  /// Up to 16 fields written as a braced list: `{{"Accept", "text/html"}, {"X-Id", id}}`. Fields
  /// with an empty name are skipped. (Not an initializer_list constructor on purpose: g++ 12
  /// rejects an initializer_list temporary inside a co_await expression, "array used as
  /// initializer", and requests are always written inside one.) Use add() for more.
  Fields() = default;
  Fields(Field f1, Field f2 = {}, Field f3 = {}, Field f4 = {}, Field f5 = {}, Field f6 = {},
         Field f7 = {}, Field f8 = {}, Field f9 = {}, Field f10 = {}, Field f11 = {},
         Field f12 = {}, Field f13 = {}, Field f14 = {}, Field f15 = {}, Field f16 = {}) {
    for (Field* f : {&f1, &f2, &f3, &f4, &f5, &f6, &f7, &f8, &f9, &f10, &f11, &f12, &f13, &f14,
                     &f15, &f16}) {
      if (!f->first.empty()) fields_.push_back(std::move(*f));
    }
  }

  /// Appends a field (duplicates are kept, in order).
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// Replaces every field called `name` by one with `value`.
  void set(std::string name, std::string value);
  /// Removes every field called `name`; returns whether there was one.
  bool erase(std::string_view name);
  /// The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

/// A response's header fields, kept as the raw header block plus an index into it (no copy per
/// field). Lookups are case-insensitive; iteration is in arrival order.
class ResponseHeaders {
 public:
  /// Where one field's name and value lie in the block.
  struct Span {
    std::uint32_t name_offset = 0, name_size = 0, value_offset = 0, value_size = 0;
  };
  using Field = std::pair<std::string_view, std::string_view>;

  ResponseHeaders() = default;
  ResponseHeaders(std::string block, std::vector<Span> spans)
      : block_(std::move(block)), spans_(std::move(spans)) {}

  /// The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  std::size_t size() const noexcept { return spans_.size(); }
  bool empty() const noexcept { return spans_.empty(); }
  Field operator[](std::size_t i) const {
    const Span& s = spans_[i];
    std::string_view block(block_);
    return {block.substr(s.name_offset, s.name_size), block.substr(s.value_offset, s.value_size)};
  }

  class Iterator {
   public:
    Iterator(const ResponseHeaders* headers, std::size_t i) : headers_(headers), i_(i) {}
    Field operator*() const { return (*headers_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const ResponseHeaders* headers_;
    std::size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, spans_.size()}; }

 private:
  std::string block_;
  std::vector<Span> spans_;
};

namespace detail {

/// Everything a request carries besides method and URL (what a Request builds).
struct RequestOptions {
  /// Query parameters appended to the URL (percent-encoded).
  Fields params;
  /// A form body, sent as application/x-www-form-urlencoded.
  Fields form;
  /// A raw body, sent as is (set Content-Type in headers).
  std::optional<std::string> body;
  /// A JSON body (already serialised text), sent as application/json.
  std::optional<std::string> json;
  /// Extra headers for this request, over the session's default headers.
  Fields headers;
  /// Cookies for this request only (not stored), over the jar's of the same name.
  Fields cookies;
  /// HTTP Basic credentials (user, password).
  std::optional<std::pair<std::string, std::string>> auth;
  /// Seconds to wait for the response once sent (default: the session's, --request-timeout).
  std::optional<double> timeout;
  /// Follow redirects (301/302/303/307/308), as requests does.
  bool allow_redirects = true;
  /// The statistics entry's name; default: the path and query of the URL as requested.
  std::string name;
  /// Let the task decide: the request is recorded when the Response is destroyed, as a success
  /// unless failure() was called (or as its status says if neither was called).
  bool catch_response = false;
};

}  // namespace detail

/// Timings of one request, in microseconds from its start (0 when the step did not happen).
struct Timings {
  std::chrono::microseconds connect{0};     // TCP (and TLS) connection established
  std::chrono::microseconds sent{0};        // request fully written
  std::chrono::microseconds first_byte{0};  // first byte of the response head
  std::chrono::microseconds done{0};        // body complete
};

/// A received response (or the failure to receive one: status_code() 0 and error() set).
class Response {
 public:
  Response();
  Response(Response&&) noexcept;
  Response& operator=(Response&&) noexcept;
  Response(const Response&) = delete;
  Response& operator=(const Response&) = delete;
  /// With catch_response, records the request now (see Request::catch_response).
  ~Response();

  /// HTTP status, or 0 when no response was received.
  int status_code() const noexcept { return status_code_; }
  std::string_view reason() const noexcept { return reason_; }
  /// No transport error and status < 400.
  bool ok() const noexcept { return error_.empty() && status_code_ > 0 && status_code_ < 400; }
  /// Why the request failed, as recorded in the failures table ("" when it did not fail).
  const std::string& error() const noexcept { return error_; }

  /// Response headers (case-insensitive lookups).
  const ResponseHeaders& headers() const noexcept { return headers_; }
  std::optional<std::string_view> header(std::string_view name) const {
    return headers_.get(name);
  }
  /// The cookies this response set (Set-Cookie), name -> value.
  const Fields& cookies() const noexcept { return cookies_; }

  /// The body, decoded (chunked, gzip, deflate).
  const std::string& text() const noexcept { return body_; }
  /// The body parsed as JSON; throws nlohmann::json::parse_error if it is not. Needs
  /// <hornet/json.hpp> (or <nlohmann/json.hpp>) where the result is used.
  nlohmann::json json() const;

  /// The final URL, after redirects.
  const std::string& url() const noexcept { return url_; }
  /// Time from sending the request to the complete response (redirects included).
  std::chrono::microseconds elapsed() const noexcept { return timings_.done; }
  const Timings& timings() const noexcept { return timings_; }

  /// With catch_response: mark the request a success / a failure with `message`.
  /// Without catch_response these throw std::logic_error (as Locust raises LocustError).
  void success();
  void failure(std::string message);
  /// With catch_response: a failure shown in the failures table as `text` exactly (failure()
  /// wraps its message in Locust's `CatchResponseError('...')`). For script bindings that
  /// format errors themselves.
  void failure_verbatim(std::string text);
  /// With catch_response: records the request now, as decided (or as its status says if
  /// neither success() nor failure() was called), instead of when the Response is destroyed.
  /// Later calls, and the destructor, record nothing more. Without catch_response: nothing.
  void report_now();
  /// With catch_response: the request is not recorded at all (Locust's rule for an exception
  /// that leaves the with-block undecided). Without catch_response: nothing.
  void discard_report();

  // Engine side: filled by the session.
  struct Parts;
  explicit Response(Parts&& parts);

 private:
  int status_code_ = 0;
  std::string reason_;
  std::string error_;
  ResponseHeaders headers_;
  Fields cookies_;
  std::string body_;
  std::string url_;
  Timings timings_;
  std::unique_ptr<detail::PendingReport> pending_;
};

struct Response::Parts {
  int status_code = 0;
  std::string reason;
  std::string error;
  ResponseHeaders headers;
  Fields cookies;
  std::string body;
  std::string url;
  Timings timings;
  std::unique_ptr<detail::PendingReport> pending;
};

/// A request being built: what get(), post()... return. Chain its setters, then await it (or
/// its send()) to send it; the Response comes back. Awaiting consumes the request.
class [[nodiscard]] Request {
 public:
  Request(HttpSession& session, std::string method, std::string url)
      : session_(&session), method_(std::move(method)), url_(std::move(url)) {}
  Request(Request&&) noexcept = default;
  Request& operator=(Request&&) noexcept = default;

  /// Adds a header (over the session's default headers; a same-named default is replaced).
  Request& header(std::string name, std::string value) {
    options_.headers.add(std::move(name), std::move(value));
    return *this;
  }
  /// Adds several headers: `.headers({{"Accept", "application/json"}, {"X-Id", id}})`.
  Request& headers(Fields headers) {
    for (auto& [name, value] : headers) options_.headers.add(name, value);
    return *this;
  }
  /// Sends a cookie with this request only (the jar keeps it not); replaces the jar's cookie
  /// of the same name for this request.
  Request& cookie(std::string name, std::string value) {
    options_.cookies.add(std::move(name), std::move(value));
    return *this;
  }
  /// Adds a query parameter (percent-encoded): `.param("page", "2")`.
  Request& param(std::string name, std::string value) {
    options_.params.add(std::move(name), std::move(value));
    return *this;
  }
  Request& params(Fields params) {
    for (auto& [name, value] : params) options_.params.add(name, value);
    return *this;
  }
  /// A form body, sent as application/x-www-form-urlencoded.
  Request& form(Fields form) {
    options_.form = std::move(form);
    return *this;
  }
  /// A raw body, sent as is, with `content_type` unless empty.
  Request& body(std::string body, std::string content_type = "") {
    options_.body = std::move(body);
    if (!content_type.empty()) options_.headers.set("Content-Type", std::move(content_type));
    return *this;
  }
  /// A JSON body (serialised JSON text), sent as application/json.
  Request& json(std::string json_text) {
    options_.json = std::move(json_text);
    return *this;
  }
  /// HTTP Basic credentials.
  Request& auth(std::string user, std::string password) {
    options_.auth.emplace(std::move(user), std::move(password));
    return *this;
  }
  /// Seconds to wait for the response once sent (default: --request-timeout).
  Request& timeout(double seconds) {
    options_.timeout = seconds;
    return *this;
  }
  /// Follow redirects (default true: 301, 302, 303, 307 and 308, as requests does).
  Request& allow_redirects(bool follow) {
    options_.allow_redirects = follow;
    return *this;
  }
  /// The statistics entry's name (default: the path and query of the URL as requested); groups
  /// URLs such as "/item?id=1" and "/item?id=2" under one "/item?id=[id]".
  Request& name(std::string name) {
    options_.name = std::move(name);
    return *this;
  }
  /// Let the task judge the response (Locust's catch_response=True): the request is recorded
  /// when the Response is destroyed, as a success unless Response::failure() was called, or as
  /// its status says if neither success() nor failure() was.
  Request& catch_response() {
    options_.catch_response = true;
    return *this;
  }

  /// Sends the request; the Task completes with the response.
  Task<Response> send();
  /// Awaiting a Request sends it.
  detail::OwningAwaiter<Response> operator co_await() {
    return detail::OwningAwaiter<Response>(send());
  }

 private:
  HttpSession* session_;
  std::string method_;
  std::string url_;
  detail::RequestOptions options_;
};

/// A user's HTTP/1.1 session: keep-alive connections, a cookie jar (RFC 6265), default headers,
/// redirects, gzip/deflate, TLS with verification (--insecure turns it off).
class HttpSession {
 public:
  explicit HttpSession(std::unique_ptr<detail::SessionImpl> impl);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  /// A request to `url` (absolute, or relative to the user's host), to refine by chaining and
  /// to send by awaiting it: `co_await client().get("/").header("Accept", "text/html")`.
  Request request(std::string method, std::string url);
  Request get(std::string url);
  Request post(std::string url);
  Request put(std::string url);
  Request patch(std::string url);
  Request delete_(std::string url);
  Request head(std::string url);
  Request options(std::string url);

  /// Headers sent with every request of this session (a request's own headers win).
  Fields& headers();

  /// The value of a cookie in the session's jar (any domain/path), if present.
  std::optional<std::string> cookie(std::string_view name) const;
  /// Puts a cookie in the jar for `domain` (default: the host's) and `path`.
  void set_cookie(std::string name, std::string value, std::string domain = "",
                  std::string path = "/");
  /// Empties the cookie jar.
  void clear_cookies();

  detail::SessionImpl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<detail::SessionImpl> impl_;
};

}  // namespace hornet
