// What the connections of one worker thread share: its event loop, deadlines, TLS context, DNS
// cache and a read buffer. Thread affinity: everything here belongs to that thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/deadlines.hpp"

namespace hornet::net {

/// How clients connect; the same for every thread of a run.
struct ClientSettings {
  /// Time allowed to resolve, connect and (for TLS) handshake.
  std::chrono::duration<double> connect_timeout{60.0};
  /// Time allowed for a response, from the request being sent to the body's last byte.
  std::chrono::duration<double> request_timeout{60.0};
  /// Verify TLS certificates and host names (--insecure turns it off).
  bool verify_tls = true;
};

class ThreadContext {
 public:
  ThreadContext(boost::asio::io_context& io, ClientSettings settings);
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;

  boost::asio::io_context& io() noexcept { return io_; }
  DeadlineList& deadlines() noexcept { return deadlines_; }
  const ClientSettings& settings() const noexcept { return settings_; }
  /// Created on first use (a plain-HTTP run never loads certificates).
  boost::asio::ssl::context& tls_context();

  /// A buffer plain connections read into. Safe to share because a plain read happens in the
  /// same handler that resumes its coroutine, which consumes the bytes before suspending again.
  std::span<char> read_buffer() noexcept { return read_buffer_; }

  /// Cached DNS answers for host:port, or nullptr if absent or older than the TTL.
  const std::vector<boost::asio::ip::tcp::endpoint>* cached_endpoints(const std::string& host,
                                                                      unsigned short port);
  void cache_endpoints(const std::string& host, unsigned short port,
                       std::vector<boost::asio::ip::tcp::endpoint> endpoints);

 private:
  struct CachedAnswer {
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
    std::chrono::steady_clock::time_point expires;
  };

  boost::asio::io_context& io_;
  ClientSettings settings_;
  DeadlineList deadlines_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::vector<char> read_buffer_;
  std::unordered_map<std::string, CachedAnswer> dns_cache_;
};

}  // namespace hornet::net
