#include "http/session.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <hornet/hornet.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "http/ascii.hpp"
#include "http/request_writer.hpp"

namespace hornet {
namespace {

using SteadyClock = std::chrono::steady_clock;

double epoch_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::chrono::microseconds since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds);
  return text;
}

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// requests' HTTPError text: "404 Client Error: Not Found for url: http://host/missing".
std::string http_error(int status, std::string_view reason, std::string_view url) {
  const char* kind = status < 500 ? "Client Error" : status < 600 ? "Server Error" : "Error";
  return "HTTPError(" +
         net::python_repr(std::to_string(status) + " " + kind + ": " + std::string(reason) +
                          " for url: " + std::string(url)) +
         ")";
}

// requests' should_strip_auth: credentials follow a redirect only to the same host, scheme and
// port, or from http on port 80 to https on port 443 of the same host.
bool should_strip_auth(const http::Url& from, const http::Url& to) {
  if (from.host() != to.host()) return true;
  if (!from.is_https() && from.port() == 80 && to.is_https() && to.port() == 443) return false;
  return from.scheme() != to.scheme() || from.port() != to.port();
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The content decoder keeps ~40 KB of zlib state once used: one per worker thread.
http::ContentDecoder& thread_decoder() {
  thread_local http::ContentDecoder decoder;
  return decoder;
}

// Reports a catch_response request when its Response goes away (Locust's `with` block exit).
class CatchResponseReport final : public detail::PendingReport {
 public:
  CatchResponseReport(stats::Shard& shard, std::string method, std::string name,
                      std::uint64_t micros, std::uint64_t length, std::string default_error)
      : shard_(shard),
        method_(std::move(method)),
        name_(std::move(name)),
        micros_(micros),
        length_(length),
        default_error_(std::move(default_error)),
        uncaught_(std::uncaught_exceptions()) {}

  void decide(std::optional<std::string> failure) { decision_ = std::move(failure); }
  bool decided() const { return decision_.has_value(); }

  void report(std::optional<std::string> failure) override {
    auto& entry = shard_.entry(method_, name_);
    if (failure) {
      shard_.record_failure(entry, micros_, length_, *failure, epoch_now());
    } else {
      shard_.record(entry, micros_, length_, epoch_now());
    }
  }

  // Called by ~Response: what the task decided, else what the status says. An exception
  // unwinding through the task (other than a decision) means the request is not reported.
  // `even_unwinding`: report even while an exception unwinds (an explicit report_now()).
  void finish(bool even_unwinding = false) {
    if (decision_) {
      report(decision_->empty() ? std::nullopt : std::optional<std::string>(*decision_));
      return;
    }
    if (!even_unwinding && std::uncaught_exceptions() > uncaught_) return;
    report(default_error_.empty() ? std::nullopt : std::optional<std::string>(default_error_));
  }

 private:
  stats::Shard& shard_;
  std::string method_;
  std::string name_;
  std::uint64_t micros_;
  std::uint64_t length_;
  std::string default_error_;
  int uncaught_;
  std::optional<std::string> decision_;  // "" success, else the failure message
};

}  // namespace

// --- Fields, ResponseHeaders, Response: the public value types -------------------------------

void Fields::set(std::string name, std::string value) {
  erase(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

bool Fields::erase(std::string_view name) {
  return std::erase_if(fields_,
                       [&](const Field& f) { return http::ascii::iequals(f.first, name); }) > 0;
}

std::optional<std::string_view> Fields::get(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (http::ascii::iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> ResponseHeaders::get(std::string_view name) const {
  return http::find_header(block_, spans_, name);
}

Response::Response() = default;
Response::Response(Response&&) noexcept = default;
Response& Response::operator=(Response&& other) noexcept {
  if (this != &other) {
    if (pending_) static_cast<CatchResponseReport&>(*pending_).finish();
    status_code_ = other.status_code_;
    reason_ = std::move(other.reason_);
    error_ = std::move(other.error_);
    headers_ = std::move(other.headers_);
    cookies_ = std::move(other.cookies_);
    body_ = std::move(other.body_);
    url_ = std::move(other.url_);
    timings_ = other.timings_;
    pending_ = std::move(other.pending_);
  }
  return *this;
}

Response::Response(Parts&& parts)
    : status_code_(parts.status_code),
      reason_(std::move(parts.reason)),
      error_(std::move(parts.error)),
      headers_(std::move(parts.headers)),
      cookies_(std::move(parts.cookies)),
      body_(std::move(parts.body)),
      url_(std::move(parts.url)),
      timings_(parts.timings),
      pending_(std::move(parts.pending)) {}

Response::~Response() {
  if (pending_) static_cast<CatchResponseReport&>(*pending_).finish();
}

nlohmann::json Response::json() const {
  return nlohmann::json::parse(body_);
}

void Response::success() {
  if (!pending_) {
    throw std::logic_error(
        "Response::success() needs the request to be made with catch_response = true");
  }
  static_cast<CatchResponseReport&>(*pending_).decide(std::string());
}

void Response::failure(std::string message) {
  if (!pending_) {
    throw std::logic_error(
        "Response::failure() needs the request to be made with catch_response = true");
  }
  // Locust wraps a non-exception failure message in CatchResponseError.
  static_cast<CatchResponseReport&>(*pending_).decide("CatchResponseError(" +
                                                      net::python_repr(message) + ")");
}

void Response::failure_verbatim(std::string text) {
  if (!pending_) {
    throw std::logic_error(
        "Response::failure() needs the request to be made with catch_response = true");
  }
  static_cast<CatchResponseReport&>(*pending_).decide(std::move(text));
}

void Response::discard_report() { pending_.reset(); }

void Response::report_now() {
  if (!pending_) return;
  static_cast<CatchResponseReport&>(*pending_).finish(true);
  pending_.reset();
}

// --- HttpSession: the public facade --------------------------------------------------------------

HttpSession::HttpSession(std::unique_ptr<detail::SessionImpl> impl) : impl_(std::move(impl)) {}
HttpSession::~HttpSession() = default;

Request HttpSession::request(std::string method, std::string url) {
  return Request(*this, std::move(method), std::move(url));
}
Request HttpSession::get(std::string url) {
  return Request(*this, "GET", std::move(url));
}
Request HttpSession::post(std::string url) {
  return Request(*this, "POST", std::move(url));
}
Request HttpSession::put(std::string url) {
  return Request(*this, "PUT", std::move(url));
}
Request HttpSession::patch(std::string url) {
  return Request(*this, "PATCH", std::move(url));
}
Request HttpSession::delete_(std::string url) {
  return Request(*this, "DELETE", std::move(url));
}
Request HttpSession::head(std::string url) {
  return Request(*this, "HEAD", std::move(url));
}
Request HttpSession::options(std::string url) {
  return Request(*this, "OPTIONS", std::move(url));
}

Task<Response> Request::send() {
  return session_->impl().request(std::move(method_), std::move(url_), std::move(options_));
}

Fields& HttpSession::headers() {
  return impl_->headers();
}

std::optional<std::string> HttpSession::cookie(std::string_view name) const {
  auto value = impl_->cookies().get(name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

void HttpSession::set_cookie(std::string name, std::string value, std::string domain,
                             std::string path) {
  if (auto result = impl_->cookies().set(name, value, domain, path); !result) {
    throw std::invalid_argument(result.error().message);
  }
}

void HttpSession::clear_cookies() {
  impl_->cookies().clear();
}

}  // namespace hornet

namespace hornet::http {

std::unique_ptr<detail::SessionImpl> make_session(net::ThreadContext& net, stats::Shard& shard,
                                                  net::StopToken& stop, IntendedSend& intended_send,
                                                  std::string base_url) {
  return std::make_unique<detail::SessionImpl>(net, shard, stop, intended_send,
                                               std::move(base_url));
}

}  // namespace hornet::http

namespace hornet::detail {

/// The result of one request/response exchange on one connection (no redirects).
struct SessionImpl::Outcome {
  std::string error;  // transport or protocol failure; empty when a response arrived
  http::ResponseHead head;
  std::string body;
  Timings timings;
};

SessionImpl::SessionImpl(net::ThreadContext& net, stats::Shard& shard, net::StopToken& stop,
                         http::IntendedSend& intended_send, std::string base_url)
    : net_(net),
      shard_(shard),
      stop_(stop),
      intended_send_(intended_send),
      base_text_(std::move(base_url)) {
  // requests.Session's defaults, with Hornet's own User-Agent.
  static const std::string user_agent = std::string("hornet/") + hornet::version();
  default_headers_.add("User-Agent", user_agent);
  default_headers_.add("Accept-Encoding", "gzip, deflate");
  default_headers_.add("Accept", "*/*");
  default_headers_.add("Connection", "keep-alive");
}

SessionImpl::~SessionImpl() = default;

Result<void> SessionImpl::build_url(std::string_view url, const Fields& params, http::Url& out) {
  std::string text(url);
  http::append_query_params(text, params);
  const bool absolute = (text.size() >= 7 && http::ascii::iequals(text.substr(0, 7), "http://")) ||
                        (text.size() >= 8 && http::ascii::iequals(text.substr(0, 8), "https://"));
  if (absolute) return http::Url::parse_into(text, out);
  if (!base_) base_.emplace(http::Url::parse(base_text_));
  if (!*base_) {
    if (base_text_.empty()) {
      return Error{"MissingSchema(" +
                   net::python_repr("Invalid URL '" + text +
                                    "': no host supplied; set the user class's host or --host") +
                   ")"};
    }
    return Error{"InvalidURL(" +
                 net::python_repr("invalid host " + base_text_ + ": " + base_->error().message) +
                 ")"};
  }
  // Relative to the host: "/x" is appended to the host's path, as Locust's _build_url does.
  const http::Url& base = (*base_).value();
  if (!text.empty() && text.front() == '/') {
    std::string joined(base.origin());
    std::string_view base_path = base.path();
    if (base_path.size() > 1 && base_path.back() == '/') base_path.remove_suffix(1);
    if (base_path.size() > 1) joined += base_path;
    joined += text;
    return http::Url::parse_into(joined, out);
  }
  return base.resolve_into(text, out);
}

const SessionImpl::Target* SessionImpl::target_for(std::string_view url) {
  // Load tests request the same few URLs over and over: parsing and joining them once per session
  // saves most of the per-request URL work. Round-robin replacement keeps it bounded.
  for (const Target& target : targets_) {
    if (target.valid && target.key == url) return &target;
  }
  Target& slot = targets_[next_target_++ % targets_.size()];
  slot.valid = false;
  if (!build_url(url, Fields(), slot.url)) return nullptr;  // not cached: the caller reports it
  slot.key.assign(url);
  slot.name.assign(slot.url.target());
  slot.entry = nullptr;
  slot.valid = true;
  return &slot;
}

std::unique_ptr<net::Connection> SessionImpl::take_connection(std::string_view origin) {
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if ((*it)->origin() == origin) {
      auto connection = std::move(*it);
      idle_.erase(std::next(it).base());
      return connection;
    }
  }
  return nullptr;
}

void SessionImpl::give_back(std::unique_ptr<net::Connection> connection) {
  // requests keeps up to 10 connections per host; a user sends one request at a time, so a
  // few are plenty. The oldest goes first.
  constexpr std::size_t kMaxIdle = 10;
  if (idle_.size() >= kMaxIdle) idle_.erase(idle_.begin());
  idle_.push_back(std::move(connection));
}

// Writes the header fields of a request: the session's defaults (minus those the request
// overrides), the body's Content-Type, Basic credentials, then the request's own fields.
// Header names compare case-insensitively, as requests' CaseInsensitiveDict does.
Result<void> SessionImpl::append_headers(std::string& out, const HeaderPlan& plan) const {
  const auto overridden = [&](std::string_view name) {
    return plan.request.contains(name) ||
           (!plan.content_type.empty() && http::ascii::iequals(name, "Content-Type")) ||
           (!plan.authorization.empty() && http::ascii::iequals(name, "Authorization"));
  };
  const auto dropped = [&](std::string_view name) {
    return (plan.drop_body_headers && (http::ascii::iequals(name, "Content-Type") ||
                                       http::ascii::iequals(name, "Transfer-Encoding"))) ||
           (plan.drop_authorization && http::ascii::iequals(name, "Authorization"));
  };
  for (const auto& [name, value] : default_headers_) {
    if (overridden(name) || dropped(name)) continue;
    if (auto added = http::append_header(out, name, value); !added) return added;
  }
  if (!plan.content_type.empty() && !plan.drop_body_headers &&
      !plan.request.contains("Content-Type")) {
    if (auto added = http::append_header(out, "Content-Type", plan.content_type); !added) {
      return added;
    }
  }
  if (!plan.authorization.empty() && !plan.drop_authorization) {
    if (auto added = http::append_header(out, "Authorization", plan.authorization); !added) {
      return added;
    }
  }
  for (const auto& [name, value] : plan.request) {
    if (dropped(name) ||
        (!plan.authorization.empty() && http::ascii::iequals(name, "Authorization"))) {
      continue;
    }
    if (auto added = http::append_header(out, name, value); !added) return added;
  }
  return {};
}

Task<SessionImpl::Outcome> SessionImpl::send_once(std::string_view method, const http::Url& url,
                                                  const HeaderPlan& headers, std::string_view body,
                                                  double timeout_seconds) {
  const auto started = SteadyClock::now();
  Outcome outcome;

  // The request bytes: request line, Host, headers, cookies, body.
  request_buffer_.clear();
  if (auto line = http::append_request_line(request_buffer_, method, url); !line) {
    outcome.error = "InvalidRequest(" + net::python_repr(line.error().message) + ")";
    co_return outcome;
  }
  if (!headers.request.contains("Host") && !default_headers_.contains("Host")) {
    http::append_host_header(request_buffer_, url);
  }
  if (auto added = append_headers(request_buffer_, headers); !added) {
    outcome.error = "InvalidHeader(" + net::python_repr(added.error().message) + ")";
    co_return outcome;
  }
  if (!jar_.empty() || headers.cookies != nullptr) {
    jar_.append_cookie_header(request_buffer_, url, epoch_now(), headers.cookies);
  }
  http::append_body(request_buffer_, method, body);

  const auto security =
      url.is_https() ? net::Connection::Security::kTls : net::Connection::Security::kPlain;
  const std::string_view origin = url.origin();
  const auto timeout = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(timeout_seconds));

  std::unique_ptr<net::Connection> connection = take_connection(origin);
  // A kept-alive connection the server has closed meanwhile fails before any response byte:
  // then the request is sent again once on a fresh connection (the server never saw it).
  for (int attempt = 0;; ++attempt) {
    const bool reused = connection != nullptr;
    if (!connection) {
      connection = std::make_unique<net::Connection>(net_, security, origin);
      auto connected = co_await connection->connect(std::string(url.host()), url.port(), &active_stop());
      if (!connected) {
        outcome.error = connected.error().message;
        co_return outcome;
      }
      outcome.timings.connect = since(started);
    }

    net::Deadline deadline;
    deadline.arm(net_.deadlines(), SteadyClock::now() + timeout, *connection);
    auto timed_out = [&] {
      return "ReadTimeout(" +
             net::python_repr("no response from " + std::string(url.host_header()) + " within " +
                              seconds_text(timeout_seconds) + " s") +
             ")";
    };

    const net::ErrorCode write_error = co_await connection->write_all(request_buffer_, &active_stop());
    if (write_error) {
      connection.reset();
      if (reused && attempt == 0 && !deadline.expired()) continue;
      outcome.error = deadline.expired() ? timed_out() : net::describe_error(write_error);
      co_return outcome;
    }
    outcome.timings.sent = since(started);

    parser_.reset(method == "HEAD" ? http::ResponseTo::kHead : http::ResponseTo::kOtherMethod);
    http::ParseState state = http::ParseState::kNeedMore;
    bool leftover = false;
    while (state == http::ParseState::kNeedMore) {
      auto read = co_await connection->read_some(&active_stop());
      if (deadline.expired()) {
        outcome.error = timed_out();
        co_return outcome;
      }
      if (read.error == boost::asio::error::eof) {
        if (!parser_.started() && reused && attempt == 0) break;  // stale keep-alive: retry
        if (!parser_.started()) {
          outcome.error = net::describe_error(read.error);
          co_return outcome;
        }
        state = parser_.finish_at_eof();
        if (state == http::ParseState::kError) {
          outcome.error = "IncompleteRead(" + net::python_repr(parser_.error()) + ")";
          co_return outcome;
        }
        break;
      }
      if (read.error) {
        if (!parser_.started() && reused && attempt == 0 &&
            read.error == boost::asio::error::connection_reset) {
          break;
        }
        outcome.error = net::describe_error(read.error);
        co_return outcome;
      }
      if (outcome.timings.first_byte.count() == 0) outcome.timings.first_byte = since(started);
      std::string_view bytes(read.data.data(), read.data.size());
      const auto parsed = parser_.parse(bytes);
      state = parsed.state;
      if (state == http::ParseState::kError) {
        outcome.error = "InvalidResponse(" + net::python_repr(parser_.error()) + ")";
        co_return outcome;
      }
      if (state == http::ParseState::kComplete && parsed.consumed < bytes.size()) leftover = true;
    }
    if (state == http::ParseState::kNeedMore) {  // stale connection, first attempt
      connection.reset();
      continue;
    }

    outcome.timings.done = since(started);
    const bool keep = parser_.keep_alive() && !leftover;
    parser_.take_head(outcome.head);
    parser_.take_body(outcome.body);
    connection->count_response();
    if (keep) give_back(std::move(connection));
    co_return outcome;
  }
}

Task<Response> SessionImpl::request_with_stop(std::string method, std::string url,
                                              RequestOptions options, net::StopToken& stop) {
  struct Restore {
    net::StopToken*& slot;
    net::StopToken* previous;
    ~Restore() { slot = previous; }
  } restore{stop_override_, std::exchange(stop_override_, &stop)};
  co_return co_await request(std::move(method), std::move(url), std::move(options));
}

Task<Response> SessionImpl::request(std::string method, std::string url, RequestOptions options) {
  // Coordinated omission: a request a paced user sends late is timed from when it was due.
  const auto started =
      intended_send_ ? std::min(*intended_send_, SteadyClock::now()) : SteadyClock::now();
  intended_send_.reset();
  for (char& c : method) c = http::ascii::to_upper(c);
  // Statistics keep the method as requested, even when a redirect turns a POST into a GET.
  const std::string requested_method = method;

  Response::Parts parts;
  std::string error;
  std::uint64_t content_length = 0;

  // The URL: from the session's cache unless the request has query parameters.
  const Target* target = options.params.empty() ? target_for(url) : nullptr;
  http::Url built;  // the URL when not cached, then each redirect's
  std::string name = options.name;
  if (target == nullptr) {
    if (auto made = build_url(url, options.params, built); !made) {
      const std::string& message = made.error().message;
      error = message.starts_with("MissingSchema") || message.starts_with("InvalidURL")
                  ? message
                  : "InvalidURL(" + net::python_repr(message) + ")";
    }
  }
  const http::Url* current = target != nullptr ? &target->url : &built;
  if (name.empty()) {
    if (target != nullptr) {
      name = target->name;
    } else if (!built.empty()) {
      name = std::string(built.target());
    } else {
      name = url;
      http::append_query_params(name, options.params);
    }
  }

  if (error.empty()) {
    // The body and what it implies for the headers.
    std::string body;
    HeaderPlan headers{.request = options.headers};
    if (!options.cookies.empty()) headers.cookies = &options.cookies;
    if (!options.form.empty()) {
      body = http::urlencode(options.form);
      headers.content_type = "application/x-www-form-urlencoded";
    } else if (options.json) {
      body = std::move(*options.json);
      headers.content_type = "application/json";
    } else if (options.body) {
      body = std::move(*options.body);
    }
    if (options.auth) {
      headers.authorization = "Basic " + base64(options.auth->first + ":" + options.auth->second);
    }
    const double timeout = options.timeout.value_or(net_.settings().request_timeout.count());

    for (int redirects = 0;; ++redirects) {
      Outcome outcome = co_await send_once(method, *current, headers, body, timeout);
      parts.timings = outcome.timings;
      if (!outcome.error.empty()) {
        error = std::move(outcome.error);
        break;
      }
      const auto& head = outcome.head;
      if (head.find("Set-Cookie")) {
        parts.cookies = Fields();
        jar_.store_response_cookies(head, *current, epoch_now(), &parts.cookies);
      }

      const int status = head.status_code();
      const auto location = head.find("Location");
      if (options.allow_redirects && is_redirect(status) && location) {
        if (redirects >= http::kMaxRedirects) {
          error =
              "TooManyRedirects('Exceeded " + std::to_string(http::kMaxRedirects) + " redirects.')";
          break;
        }
        http::Url next;
        if (auto resolved = current->resolve_into(*location, next); !resolved) {
          error = "InvalidURL(" +
                  net::python_repr("bad redirect location: " + resolved.error().message) + ")";
          break;
        }
        // requests' rebuild_method: 303 (not HEAD) and 302 (not HEAD) become GET, 301 POST too.
        if ((status == 303 && method != "HEAD") || (status == 302 && method != "HEAD") ||
            (status == 301 && method == "POST")) {
          method = "GET";
        }
        // requests' resolve_redirects: only 307 and 308 resend the body.
        if (status != 307 && status != 308) {
          body.clear();
          headers.drop_body_headers = true;
        }
        if (should_strip_auth(*current, next)) headers.drop_authorization = true;
        built = std::move(next);
        current = &built;
        continue;
      }

      // The final response.
      parts.status_code = status;
      parts.reason = std::string(head.reason());
      std::string body_text = std::move(outcome.body);
      if (const auto coding = head.find("Content-Encoding"); coding && !coding->empty()) {
        const std::string coding_text(*coding);
        if (auto decoded = thread_decoder().decode(coding_text, body_text); !decoded) {
          error = "ContentDecodingError(" + net::python_repr(decoded.error().message) + ")";
        }
      }
      content_length = body_text.size();
      parts.body = std::move(body_text);
      parts.headers = outcome.head.take_headers();
      if (error.empty() && status >= 400) {
        error = http_error(status, parts.reason,
                           options.name.empty() ? std::string_view(current->str()) : name);
      }
      break;
    }
  }

  parts.url = current->empty() ? url : std::string(current->str());
  const auto elapsed = since(started);
  parts.timings.done = elapsed;
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(elapsed.count(), 0));

  if (options.catch_response) {
    // Locust's ResponseContextManager raises for the status with the response's own URL
    // (only a request without catch_response shows its name= in the error instead).
    std::string default_error = error;
    if (error.starts_with("HTTPError(")) {
      default_error = http_error(parts.status_code, parts.reason, current->str());
    }
    parts.pending = std::make_unique<CatchResponseReport>(shard_, requested_method, name, micros,
                                                          content_length, std::move(default_error));
  } else {
    // The stats entry: remembered with the cached URL when the name is the URL's own.
    stats::Shard::Entry* entry = nullptr;
    Target* cached = const_cast<Target*>(target);
    if (cached != nullptr && options.name.empty() && cached->entry != nullptr &&
        cached->entry->method() == requested_method) {
      entry = cached->entry;
    } else {
      entry = &shard_.entry(requested_method, name);
      if (cached != nullptr && options.name.empty()) cached->entry = entry;
    }
    if (error.empty()) {
      shard_.record(*entry, micros, content_length, epoch_now());
    } else {
      shard_.record_failure(*entry, micros, content_length, error, epoch_now());
    }
  }
  parts.error = std::move(error);
  co_return Response(std::move(parts));
}

}  // namespace hornet::detail
