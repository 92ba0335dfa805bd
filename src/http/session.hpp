// The engine side of hornet::HttpSession: one user's connections, cookie jar and default
// headers, and the request procedure (connect, write, parse, redirects, decoding, statistics).
//
// Thread affinity: a session, its connections and its requests live on the user's worker thread.
#pragma once

#include <array>
#include <chrono>
#include <hornet/http.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/content_decoding.hpp"
#include "http/cookie_jar.hpp"
#include "http/response_parser.hpp"
#include "http/url.hpp"
#include "net/cancellation.hpp"
#include "net/connection.hpp"
#include "net/thread_context.hpp"
#include "stats/shard.hpp"

namespace hornet::http {

/// When set, the time the next request should have been sent (a paced user behind schedule): the
/// session times that request from here, then clears it.
using IntendedSend = std::optional<std::chrono::steady_clock::time_point>;

/// Creates the session of a user whose requests go to `base_url` (the user's host; may be empty
/// when every request uses an absolute URL). The references must outlive the session.
std::unique_ptr<detail::SessionImpl> make_session(net::ThreadContext& net, stats::Shard& shard,
                                                  net::StopToken& stop, IntendedSend& intended_send,
                                                  std::string base_url);

/// requests' redirect limit (Session.max_redirects).
inline constexpr int kMaxRedirects = 30;

}  // namespace hornet::http

namespace hornet::detail {

class SessionImpl {
 public:
  SessionImpl(net::ThreadContext& net, stats::Shard& shard, net::StopToken& stop,
              http::IntendedSend& intended_send, std::string base_url);
  ~SessionImpl();
  SessionImpl(const SessionImpl&) = delete;
  SessionImpl& operator=(const SessionImpl&) = delete;

  /// Sends a request and records it in the statistics (now, or when the Response is destroyed
  /// with catch_response). Never throws for request failures; throws UserStopped when the user
  /// is stopped meanwhile (the request is then not recorded, as in Locust).
  Task<Response> request(std::string method, std::string url, RequestOptions options);
  /// As request(), but a stop request on `stop` (not the user's token) ends it: for code that
  /// runs beside the user's own tasks on its session (a script's spawned greenlets). The session
  /// still serves one request at a time; callers serialise.
  Task<Response> request_with_stop(std::string method, std::string url, RequestOptions options,
                                   net::StopToken& stop);

  Fields& headers() noexcept { return default_headers_; }
  http::CookieJar& cookies() noexcept { return jar_; }
  /// The user's host, as a URL ("" when it has none).
  const std::string& base_url() const noexcept { return base_text_; }

 private:
  struct Outcome;
  /// What to write after the request line: the session's defaults, the request's own fields,
  /// and what the body and credentials imply; redirects may drop some.
  struct HeaderPlan {
    const Fields& request;
    std::string content_type;
    std::string authorization;
    const Fields* cookies = nullptr;  // this request's own cookies, over the jar's
    bool drop_body_headers = false;
    bool drop_authorization = false;
  };
  /// A URL as the user wrote it, parsed and joined to the host once.
  struct Target {
    std::string key;  // the url argument (no query parameters added)
    http::Url url;
    std::string name;                      // the default stats name: path and query
    stats::Shard::Entry* entry = nullptr;  // the stats entry for `name` and the last method
    bool valid = false;
  };

  Task<Outcome> send_once(std::string_view method, const http::Url& url, const HeaderPlan& headers,
                          std::string_view body, double timeout_seconds);
  Result<void> append_headers(std::string& out, const HeaderPlan& plan) const;
  std::unique_ptr<net::Connection> take_connection(std::string_view origin);
  void give_back(std::unique_ptr<net::Connection> connection);
  Result<void> build_url(std::string_view url, const Fields& params, http::Url& out);
  /// The cached Target for `url` (built and cached if new), or nullptr if it does not parse.
  const Target* target_for(std::string_view url);

  net::ThreadContext& net_;
  stats::Shard& shard_;
  net::StopToken& active_stop() noexcept {
    return stop_override_ != nullptr ? *stop_override_ : stop_;
  }

  net::StopToken& stop_;
  net::StopToken* stop_override_ = nullptr;  // set by request_with_stop for its request
  http::IntendedSend& intended_send_;
  std::string base_text_;
  std::optional<Result<http::Url>> base_;  // parsed on first relative request
  Fields default_headers_;
  http::CookieJar jar_;
  http::ResponseParser parser_;
  std::string request_buffer_;
  std::array<Target, 8> targets_;
  std::size_t next_target_ = 0;
  std::vector<std::unique_ptr<net::Connection>> idle_;  // keep-alive connections not in use
};

}  // namespace hornet::detail
