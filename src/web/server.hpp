// The web UI's HTTP server (Boost.Beast): one coroutine per connection on the control thread's
// event loop, never on a worker thread, so serving the UI cannot slow the load. Every request
// goes to one handler, a function of the request; the server only does HTTP.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <hornet/result.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hornet::web {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/stats/requests", percent-decoding not applied
  std::string query;   // after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header called `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Reply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// Limits on what a client may send (Locust has none; a UI has no reason for more).
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

class Server {
 public:
  using Handler = std::function<Reply(const Request&)>;

  /// The handler runs on `io`'s thread for every request; it must not block.
  Server(boost::asio::io_context& io, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens. `host` "" or "*" means every interface; port 0 picks a free one.
  [[nodiscard]] Result<void> listen(const std::string& host, std::uint16_t port);
  /// Starts accepting connections. Precondition: listen() succeeded.
  void start();
  /// Stops accepting and closes every connection.
  void stop();

  std::uint16_t port() const;
  /// "http://127.0.0.1:8089": the address to open, with a wildcard host shown as 127.0.0.1.
  std::string url() const;

  // The open connections (shared with their coroutines).
  struct Connections;

 private:
  boost::asio::awaitable<void> accept();

  boost::asio::io_context& io_;
  std::shared_ptr<Handler> handler_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::shared_ptr<Connections> connections_;
  std::string bound_host_;
};

}  // namespace hornet::web
