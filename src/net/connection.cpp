#include "net/connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdio>

namespace hornet::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kTlsBufferSize = 16 * 1024;

std::string seconds_text(std::chrono::duration<double> d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", d.count());
  return text;
}

// "[::1]" -> "::1": URLs bracket IPv6 literals, resolvers and SNI do not want the brackets.
std::string unbracket(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::string tls_error_text(const ErrorCode& error, SSL* ssl) {
  std::string text = error.message();
  if (error.category() == asio::error::get_ssl_category()) {
    // OpenSSL's reason string ("certificate verify failed") plus, for verification failures,
    // the X.509 reason ("self-signed certificate"), which is what a user needs to act.
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(error.value()));
    if (reason != nullptr) text = reason;
    long verify = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify != X509_V_OK) {
      text += ": ";
      text += X509_verify_cert_error_string(verify);
    }
  } else if (error == asio::ssl::error::stream_truncated || error == asio::error::eof) {
    text = "connection closed during the TLS handshake";
  }
  return "SSLError(" + python_repr(text) + ")";
}
}  // namespace

std::string python_repr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c == quote) {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
          out += hex;
        } else {
          out += c;
        }
    }
  }
  out += quote;
  return out;
}

std::string describe_error(const ErrorCode& error) {
  if (error.category() == boost::system::system_category() ||
      error.category() == boost::system::generic_category()) {
    const char* type = "OSError";
    switch (error.value()) {
      case ECONNREFUSED:
        type = "ConnectionRefusedError";
        break;
      case ECONNRESET:
        type = "ConnectionResetError";
        break;
      case ECONNABORTED:
        type = "ConnectionAbortedError";
        break;
      case EPIPE:
      case ESHUTDOWN:
        type = "BrokenPipeError";
        break;
      case ETIMEDOUT:
        type = "TimeoutError";
        break;
      default:
        break;
    }
    return std::string(type) + "(" + std::to_string(error.value()) + ", " +
           python_repr(error.message()) + ")";
  }
  if (error == asio::error::eof) {
    return "RemoteDisconnected('Remote end closed connection without response')";
  }
  return "OSError(" + python_repr(error.message()) + ")";
}

Connection::Connection(ThreadContext& context, Security security, std::string_view origin)
    : context_(context), security_(security), origin_(origin) {
  if (security == Security::kTls) {
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket>>(context.io(), context.tls_context());
    tls_buffer_.resize(kTlsBufferSize);
  } else {
    plain_ = std::make_unique<tcp::socket>(context.io());
  }
}

Connection::~Connection() {
  close();
}

tcp::socket& Connection::socket() noexcept {
  return plain_ ? *plain_ : tls_->next_layer();
}

bool Connection::is_open() const noexcept {
  return plain_ ? plain_->is_open() : tls_->next_layer().is_open();
}

void Connection::cancel() noexcept {
  if (resolver_) resolver_->cancel();
  ErrorCode ignored;
  socket().cancel(ignored);
}

void Connection::close() noexcept {
  ErrorCode ignored;
  socket().close(ignored);
  may_have_data_ = false;
}

Task<Result<void>> Connection::connect(std::string host, std::uint16_t port, StopToken* stop) {
  const auto& settings = context_.settings();
  Deadline deadline;
  deadline.arm(context_.deadlines(),
               SteadyClock::now() +
                   std::chrono::duration_cast<SteadyClock::duration>(settings.connect_timeout),
               *this);
  const std::string address_text = unbracket(host);
  const std::string where = host + ':' + std::to_string(port);
  auto timed_out = [&] {
    return Error{"ConnectTimeout(" +
                 python_repr("connection to " + where + " timed out after " +
                             seconds_text(settings.connect_timeout) + " s") +
                 ")"};
  };

  std::vector<tcp::endpoint> endpoints;
  ErrorCode error;
  const auto address = asio::ip::make_address(address_text, error);
  const bool is_ip_literal = !error;
  if (is_ip_literal) {
    endpoints.emplace_back(address, port);
  } else if (const auto* cached = context_.cached_endpoints(address_text, port)) {
    endpoints = *cached;
  } else {
    resolver_ = std::make_unique<tcp::resolver>(context_.io());
    tcp::resolver::results_type results;
    auto resolved = co_await async_op(
        [&](auto handler) {
          resolver_->async_resolve(address_text, std::to_string(port),
                                   [&results, handler = std::move(handler)](
                                       ErrorCode e, tcp::resolver::results_type r) mutable {
                                     results = std::move(r);
                                     handler(e);
                                   });
        },
        stop, this);
    resolver_.reset();
    if (deadline.expired()) co_return timed_out();
    if (resolved.error || results.empty()) {
      co_return Error{
          "NameResolutionError(" +
          python_repr("failed to resolve '" + address_text + "': " + resolved.error.message()) +
          ")"};
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    context_.cache_endpoints(address_text, port, endpoints);
  }

  ErrorCode last_error = asio::error::host_not_found;
  for (const auto& endpoint : endpoints) {
    ErrorCode ignored;
    socket().close(ignored);
    socket().open(endpoint.protocol(), last_error);
    if (last_error) continue;
    socket().set_option(tcp::no_delay(true), ignored);
    auto connected = co_await async_op(
        [&](auto handler) { socket().async_connect(endpoint, std::move(handler)); }, stop, this);
    last_error = connected.error;
    if (!last_error || deadline.expired()) break;
  }
  if (deadline.expired()) co_return timed_out();
  if (last_error) co_return Error{describe_error(last_error)};
  socket().non_blocking(true, error);
  if (error) co_return Error{describe_error(error)};

  if (tls_) {
    SSL* ssl = tls_->native_handle();
    if (!is_ip_literal) SSL_set_tlsext_host_name(ssl, address_text.c_str());
    if (settings.verify_tls) {
      // OpenSSL's own host check (not a verify callback): a mismatch then has its X.509 reason,
      // "hostname mismatch" / "IP address mismatch", for the failure message.
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (is_ip_literal) {
        X509_VERIFY_PARAM_set1_ip_asc(param, address_text.c_str());
      } else {
        X509_VERIFY_PARAM_set1_host(param, address_text.c_str(), address_text.size());
      }
    }
    auto handshake = co_await async_op(
        [&](auto handler) {
          tls_->async_handshake(asio::ssl::stream_base::client, std::move(handler));
        },
        stop, this);
    if (deadline.expired()) co_return timed_out();
    if (handshake.error) co_return Error{tls_error_text(handshake.error, ssl)};
  }
  co_return Result<void>{};
}

// --- reads -------------------------------------------------------------------------------------

bool Connection::ReadSome::try_plain_read() {
  auto buffer = connection_.context_.read_buffer();
  ErrorCode error;
  const std::size_t n =
      connection_.plain_->read_some(asio::buffer(buffer.data(), buffer.size()), error);
  if (error == asio::error::would_block || error == asio::error::try_again) return false;
  connection_.may_have_data_ = !error && n == buffer.size();
  result_ = {error, {buffer.data(), n}};
  return true;
}

bool Connection::ReadSome::await_ready() {
  if (stop_ != nullptr && stop_->pending()) return true;
  if (connection_.plain_ && connection_.may_have_data_) return try_plain_read();
  return false;
}

void Connection::ReadSome::await_suspend(std::coroutine_handle<> awaiting) {
  awaiting_ = awaiting;
  if (stop_ != nullptr) stop_->arm(&connection_);
  auto finish = [this] {
    if (stop_ != nullptr) stop_->disarm();
    awaiting_.resume();
  };
  if (connection_.tls_) {
    auto& buffer = connection_.tls_buffer_;
    connection_.tls_->async_read_some(asio::buffer(buffer),
                                      [this, finish](ErrorCode error, std::size_t n) {
                                        result_ = {error, {connection_.tls_buffer_.data(), n}};
                                        finish();
                                      });
    return;
  }
  // Wait for readability, then read; a spurious wake-up (would_block) waits again.
  struct WaitThenRead {
    ReadSome* self;
    decltype(finish) done;
    void operator()(ErrorCode error) {
      if (error) {
        self->result_ = {error, {}};
        done();
      } else if (self->try_plain_read()) {
        done();
      } else {
        self->connection_.plain_->async_wait(tcp::socket::wait_read, std::move(*this));
      }
    }
  };
  connection_.plain_->async_wait(tcp::socket::wait_read, WaitThenRead{this, finish});
}

Connection::ReadResult Connection::ReadSome::await_resume() {
  if (stop_ != nullptr && stop_->take()) throw UserStopped{};
  return result_;
}

// --- writes ------------------------------------------------------------------------------------

bool Connection::WriteAll::try_plain_write() {
  while (!data_.empty()) {
    ErrorCode error;
    const std::size_t n = connection_.plain_->write_some(asio::buffer(data_), error);
    if (error == asio::error::would_block || error == asio::error::try_again) return false;
    if (error) {
      error_ = error;
      return true;
    }
    data_.remove_prefix(n);
  }
  return true;
}

bool Connection::WriteAll::await_ready() {
  if (stop_ != nullptr && stop_->pending()) return true;
  // A fresh request is usually far smaller than the socket's send buffer: this completes it
  // without suspending.
  return connection_.plain_ && try_plain_write();
}

void Connection::WriteAll::await_suspend(std::coroutine_handle<> awaiting) {
  awaiting_ = awaiting;
  if (stop_ != nullptr) stop_->arm(&connection_);
  auto finish = [this] {
    if (stop_ != nullptr) stop_->disarm();
    awaiting_.resume();
  };
  if (connection_.tls_) {
    asio::async_write(*connection_.tls_, asio::buffer(data_),
                      [this, finish](ErrorCode error, std::size_t) {
                        error_ = error;
                        finish();
                      });
    return;
  }
  struct WaitThenWrite {
    WriteAll* self;
    decltype(finish) done;
    void operator()(ErrorCode error) {
      if (error) {
        self->error_ = error;
        done();
      } else if (self->try_plain_write()) {
        done();
      } else {
        self->connection_.plain_->async_wait(tcp::socket::wait_write, std::move(*this));
      }
    }
  };
  connection_.plain_->async_wait(tcp::socket::wait_write, WaitThenWrite{this, finish});
}

ErrorCode Connection::WriteAll::await_resume() {
  if (stop_ != nullptr && stop_->take()) throw UserStopped{};
  return error_;
}

}  // namespace hornet::net
