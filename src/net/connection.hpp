// One client connection, plain TCP or TLS, owned by an HTTP session and used on its thread only.
//
// Plain connections are driven reactor-style, as wrk drives its sockets: reads and writes are
// attempted without blocking and the coroutine suspends only on would_block, waiting for the
// socket to become ready. That avoids a queued completion per read and per write. TLS connections
// use Asio's SSL stream operations.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <coroutine>
#include <cstdint>
#include <hornet/result.hpp>
#include <hornet/task.hpp>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/awaitables.hpp"
#include "net/cancellation.hpp"
#include "net/thread_context.hpp"

namespace hornet::net {

/// A socket error in the form Hornet's failure tables use: the Python exception a Locust user
/// would see for it, e.g. "ConnectionRefusedError(111, 'Connection refused')".
std::string describe_error(const ErrorCode& error);

/// Python's repr() of a string: 'text' in single quotes (double quotes if it contains a single
/// quote and no double quote), backslashes and control characters escaped.
std::string python_repr(std::string_view text);

class Connection final : public Cancellable {
 public:
  enum class Security { kPlain, kTls };

  /// `origin` ("http://host:port") is what a session's pool finds the connection by.
  Connection(ThreadContext& context, Security security, std::string_view origin);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Resolves `host` (cached per thread), connects to the first address that accepts and, for
  /// TLS, handshakes (SNI, and certificate and host name verification unless --insecure), all
  /// within the connect timeout. The error message says which step failed and why.
  Task<Result<void>> connect(std::string host, std::uint16_t port, StopToken* stop);

  /// Awaitable result of read_some(): the bytes read (empty with an error, or at end of stream).
  struct ReadResult {
    ErrorCode error;
    std::span<const char> data;
  };
  class ReadSome;
  /// Reads what is available (waiting for at least one byte). Plain connections read into the
  /// thread's shared buffer: consume the bytes before the coroutine suspends again.
  ReadSome read_some(StopToken* stop);

  class WriteAll;
  /// Writes all of `data`, which must stay valid until the await completes.
  WriteAll write_all(std::string_view data, StopToken* stop);

  /// Cancels the operation in flight (it completes with operation_aborted). Used by deadlines
  /// and stop requests.
  void cancel() noexcept override;
  /// Closes the socket; the connection cannot be reused.
  void close() noexcept;
  bool is_open() const noexcept;

  Security security() const noexcept { return security_; }
  const std::string& origin() const noexcept { return origin_; }
  /// Responses received on this connection so far (0 for a fresh one).
  std::uint64_t responses() const noexcept { return responses_; }
  void count_response() noexcept { ++responses_; }

 private:
  boost::asio::ip::tcp::socket& socket() noexcept;

  ThreadContext& context_;
  Security security_;
  std::string origin_;
  std::unique_ptr<boost::asio::ip::tcp::socket> plain_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;  // only while resolving
  std::vector<char> tls_buffer_;  // TLS reads complete asynchronously: they need their own buffer
  std::uint64_t responses_ = 0;
  bool may_have_data_ = false;  // the last plain read filled the buffer: read again before waiting
};

class Connection::ReadSome {
 public:
  ReadSome(Connection& connection, StopToken* stop) : connection_(connection), stop_(stop) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> awaiting);
  ReadResult await_resume();

 private:
  bool try_plain_read();
  Connection& connection_;
  StopToken* stop_;
  std::coroutine_handle<> awaiting_;
  ReadResult result_;
};

class Connection::WriteAll {
 public:
  WriteAll(Connection& connection, std::string_view data, StopToken* stop)
      : connection_(connection), data_(data), stop_(stop) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> awaiting);
  ErrorCode await_resume();

 private:
  bool try_plain_write();
  Connection& connection_;
  std::string_view data_;
  StopToken* stop_;
  std::coroutine_handle<> awaiting_;
  ErrorCode error_;
};

inline Connection::ReadSome Connection::read_some(StopToken* stop) {
  return {*this, stop};
}
inline Connection::WriteAll Connection::write_all(std::string_view data, StopToken* stop) {
  return {*this, data, stop};
}

}  // namespace hornet::net
