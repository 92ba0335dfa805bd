// hornet-demo's network side: the listening socket, one worker thread per io_context, and a
// coroutine per connection that reads requests, asks the Site and writes the replies.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "site.hpp"

namespace hornet::demo {

class Worker;

/// Connection limits. Requests over them get a reply and the connection is closed.
inline constexpr std::size_t kHeaderLimit = 16 * 1024;    // request line and headers: 431
inline constexpr std::uint64_t kBodyLimit = 1024 * 1024;  // request body: 413

class Server {
 public:
  /// `site` must outlive the server. Nothing is opened until open().
  Server(const Options& options, Site& site);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the TLS certificate and key (if any), then binds and listens. Also installs the
  /// SIGINT/SIGTERM handling, so that a signal from now on stops the server cleanly. Returns a
  /// message for the user on failure ("cannot listen on 127.0.0.1:8000: Address already in use").
  [[nodiscard]] std::optional<std::string> open();

  /// Where it listens: "http://127.0.0.1:PORT" ("https://..." with TLS). Precondition: open().
  [[nodiscard]] std::string url() const;

  /// Serves until SIGINT or SIGTERM, then drains and returns: stops accepting, closes idle
  /// connections, lets requests in flight finish (each then closes), and after kDrainGrace
  /// closes whatever is left. Called once, on the main thread, which becomes worker 0; starts
  /// and joins the other workers' threads. Precondition: open() succeeded.
  void run();

 private:
  boost::asio::awaitable<void> accept_connections();
  boost::asio::awaitable<void> stop_on_signal();
  void stop();

  const Options options_;
  boost::asio::ssl::context tls_;
  std::vector<std::unique_ptr<Worker>> workers_;  // [0] runs on the main thread
  // On worker 0's io_context, so made once it exists; destroyed before it.
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::optional<boost::asio::steady_timer> accept_backoff_;
  std::optional<boost::asio::signal_set> signals_;  // made by open()
};

}  // namespace hornet::demo
