#include "server.hpp"

#include <openssl/ssl.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <ctime>
#include <exception>
#include <functional>
#include <iostream>
#include <thread>
#include <utility>

namespace hornet::demo {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Errors are values on the request path: no exception for a reset or a timeout.
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// How long a drain waits for requests in flight before closing their connections.
constexpr auto kDrainGrace = 5s;
// How long a closing connection waits for the client to close its side (see close_gracefully).
constexpr auto kLingerTime = 2s;
constexpr std::size_t kLingerLimit = 8 * 1024 * 1024;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Completion of a detached coroutine: an exception that escaped it is reported rather than
// rethrown into the event loop, so that one broken connection cannot stop the server.
struct ReportEscapedException {
  const char* where;

  void operator()(const std::exception_ptr& escaped) const {
    if (!escaped) return;
    try {
      std::rethrow_exception(escaped);
    } catch (const std::exception& error) {
      std::cerr << "hornet-demo: " << where << ": " << error.what() << '\n';
    } catch (...) {
      std::cerr << "hornet-demo: " << where << ": unknown exception\n";
    }
  }
};

// The Date header, formatted at most once a second. One per worker thread.
class HttpDate {
 public:
  std::string_view now() {
    const std::time_t time = std::time(nullptr);
    if (time != second_) {
      second_ = time;
      std::tm utc{};
      gmtime_r(&time, &utc);
      length_ = std::strftime(text_.data(), text_.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    }
    return {text_.data(), length_};
  }

 private:
  std::time_t second_ = -1;
  std::array<char, 64> text_{};
  std::size_t length_ = 0;
};

// How a connection's request loop ended, which decides how it is closed.
enum class End {
  kDrop,             // the client closed or reset, a timeout or a stop: close at once
  kCloseAfterReply,  // the last reply said "Connection: close": close gracefully
};

const boost::system::error_category& http_error_category() {
  static const boost::system::error_category& category =
      http::make_error_code(http::error::end_of_stream).category();
  return category;
}

// ALPN: this server speaks HTTP/1.1 only; a client that offers nothing else gets no ALPN.
int select_http11(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_length,
                  const unsigned char* offered, unsigned int offered_length, void* /*arg*/) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kHttp11, sizeof kHttp11, offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

// One thread's share of the server: its io_context, connections and WorkerSlot. Everything here
// runs on that thread, except adopt() and stop(), which post to it.
class Worker {
 public:
  Worker(Site& site, WorkerSlot& slot, std::chrono::seconds idle_timeout, ssl::context* tls)
      : site_(site), slot_(slot), idle_timeout_(idle_timeout), tls_(tls) {}

  asio::any_io_executor executor() { return io_context_.get_executor(); }

  /// Thread-safe. Serves `socket`, which must belong to this worker's io_context.
  void adopt(tcp::socket socket) {
    // co_spawn runs the coroutine on this worker's thread (it starts by dispatching there).
    asio::co_spawn(io_context_, serve(std::move(socket)), ReportEscapedException{"connection"});
  }

  /// Thread-safe. Starts this worker's part of the drain described at Server::run.
  void stop() { asio::post(io_context_, std::bind_front(&Worker::drain, this)); }

  /// Runs the event loop on the calling thread until stop() has drained every connection.
  void run() { io_context_.run(); }

 private:
  // A live connection, as the worker sees it to close it when stopping. Lives in the frame of
  // the connection's coroutine (serve) and is registered with the worker for all its life.
  struct Connection : boost::intrusive::list_base_hook<> {
    explicit Connection(Worker& owner) : worker(owner), delay_timer(owner.io_context_) {
      worker.connections_.push_back(*this);
      worker.slot_.stats.count(Event::kConnectionAccepted);
    }
    ~Connection() {
      worker.connections_.erase(worker.connections_.iterator_to(*this));
      worker.slot_.stats.count(Event::kConnectionClosed);
      if (worker.stopping_ && worker.connections_.empty()) worker.grace_timer_.cancel();
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void force_close() {
      force_closed = true;
      if (stream != nullptr) stream->close();
      delay_timer.cancel();
    }

    // Idle: waiting for a request of which nothing has arrived (Beast keeps a request head in
    // the buffer until it is complete). A drain closes idle connections at once.
    bool idle() const noexcept { return reading_head && buffer.size() == 0; }

    Worker& worker;
    beast::tcp_stream* stream = nullptr;  // lowest layer of serve's stream, while it exists
    // Bounded, so that what Beast must see whole before parsing it (a request head, a chunk-size
    // line) cannot grow it without end: past the limit the read fails, and the reply is a 400.
    // Body bytes move out of it into the request as they are parsed.
    beast::flat_buffer buffer{kHeaderLimit + 64 * 1024};
    asio::steady_timer delay_timer;  // the wait before a delayed reply
    bool reading_head = false;
    bool force_closed = false;
  };

  void drain() {
    if (stopping_) return;
    stopping_ = true;
    work_.reset();  // run() returns once the connections are done
    for (Connection& connection : connections_) {
      if (connection.idle() && connection.stream != nullptr) connection.stream->cancel();
    }
    if (!connections_.empty()) {
      asio::co_spawn(io_context_, force_close_after_grace(), ReportEscapedException{"drain"});
    }
  }

  asio::awaitable<void> force_close_after_grace() {
    grace_timer_.expires_after(kDrainGrace);
    const auto [cancelled] = co_await grace_timer_.async_wait(kUseTuple);
    if (cancelled) co_return;  // the last connection closed in time
    for (Connection& connection : connections_) connection.force_close();
  }

  // The connection's coroutine: owns the socket, and the stream built on it, until it returns.
  asio::awaitable<void> serve(tcp::socket socket) {
    Connection connection(*this);
    if (stopping_) co_return;  // accepted just as the drain began
    boost::system::error_code ignored;
    // Replies go out in one write; waiting for ACKs (Nagle) would only add latency.
    socket.set_option(tcp::no_delay(true), ignored);
    if (tls_ == nullptr) {
      PlainStream stream(std::move(socket));
      connection.stream = &stream;
      if (co_await serve_requests(stream, connection) == End::kCloseAfterReply) {
        co_await close_gracefully(stream);
      }
      connection.stream = nullptr;
    } else {
      TlsStream stream(std::move(socket), *tls_);
      connection.stream = &beast::get_lowest_layer(stream);
      beast::get_lowest_layer(stream).expires_after(idle_timeout_);
      const auto [error] = co_await stream.async_handshake(ssl::stream_base::server, kUseTuple);
      if (error) {
        slot_.stats.count(error == beast::error::timeout ? Event::kConnectionTimedOut
                                                         : Event::kTlsHandshakeFailed);
      } else if (co_await serve_requests(stream, connection) == End::kCloseAfterReply) {
        co_await close_gracefully(stream);
      }
      connection.stream = nullptr;
    }
  }

  // Reads requests and writes replies until one side ends the connection. `stream` and
  // `connection` live in serve's frame, which awaits this at once: they outlive it.
  template <class Stream>
  asio::awaitable<End> serve_requests(Stream& stream, Connection& connection) {
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer& buffer = connection.buffer;
    while (!stopping_) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(kBodyLimit);

      connection.reading_head = true;
      lowest.expires_after(idle_timeout_);
      const auto [header_error, header_bytes] =
          co_await http::async_read_header(stream, buffer, parser, kUseTuple);
      connection.reading_head = false;
      if (header_error) co_return co_await refuse(stream, header_error, parser.get());

      const Request& request = parser.get();
      if (!parser.is_done()) {
        if (beast::iequals(request[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on(http::status::continue_, request.version());
          lowest.expires_after(idle_timeout_);
          const auto [error, bytes] = co_await http::async_write(stream, go_on, kUseTuple);
          if (error) co_return End::kDrop;
        }
        lowest.expires_after(idle_timeout_);
        const auto [body_error, body_bytes] =
            co_await http::async_read(stream, buffer, parser, kUseTuple);
        if (body_error) co_return co_await refuse(stream, body_error, parser.get());
      }

      Outcome outcome = site_.handle(request, slot_);
      if (outcome.delay > std::chrono::milliseconds::zero()) {
        // The server's own wait (a timer, the thread serves others meanwhile), not a stall.
        connection.delay_timer.expires_after(outcome.delay);
        co_await connection.delay_timer.async_wait(kUseTuple);
        if (connection.force_closed) co_return End::kDrop;
      }
      if (stopping_) outcome.reply.keep_alive(false);  // the last reply of a drain
      const bool keep_alive = outcome.reply.keep_alive();
      if (!co_await send(stream, outcome.reply, outcome.route, request.method())) {
        co_return End::kDrop;
      }
      if (!keep_alive) co_return End::kCloseAfterReply;
    }
    co_return End::kDrop;
  }

  // After a failed read: replies to a request that cannot be served (400, 413, 431), or gives
  // up on a connection the client closed, reset or let time out. `request` is what the parser
  // got of the request.
  template <class Stream>
  asio::awaitable<End> refuse(Stream& stream, beast::error_code error, const Request& request) {
    if (error == beast::error::timeout) {
      slot_.stats.count(Event::kConnectionTimedOut);
      co_return End::kDrop;
    }
    if (error.category() != http_error_category() || error == http::error::end_of_stream ||
        error == http::error::partial_message) {
      co_return End::kDrop;  // closed or reset by the client, or cancelled by a drain
    }
    http::status status = http::status::bad_request;
    Route route = Route::kMalformed;
    http::verb method = http::verb::unknown;
    if (error == http::error::header_limit) {
      status = http::status::request_header_fields_too_large;
    } else if (error == http::error::body_limit) {
      // The request head was read whole: count it where it was going.
      status = http::status::payload_too_large;
      route = Site::route_of(request.target());
      method = request.method();
    }
    Reply reply = Site::reject(status, request.version());
    co_return co_await send(stream, reply, route, method) ? End::kCloseAfterReply : End::kDrop;
  }

  // Writes `reply` (owned by the awaiting caller) and counts it. False if the write failed.
  template <class Stream>
  asio::awaitable<bool> send(Stream& stream, Reply& reply, Route route, http::verb method) {
    reply.set(http::field::server, "hornet-demo");
    reply.set(http::field::date, date_.now());
    // Counted before it is written: a client that has the reply and then reads /__demo/stats
    // finds it counted.
    slot_.stats.count_response(route, method, reply.result());
    beast::get_lowest_layer(stream).expires_after(idle_timeout_);
    const auto [error, bytes] = co_await http::async_write(stream, reply, kUseTuple);
    co_return !error;
  }

  // Closes after a "Connection: close" reply without losing it. Closing a socket that still has
  // unread input makes the kernel send a reset, which can destroy the reply before the client
  // reads it (a 413 sent before the body was read, a pipelined request); so: send FIN, then read
  // and discard until the client closes too, for at most kLingerTime and kLingerLimit bytes.
  asio::awaitable<void> close_gracefully(PlainStream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(kLingerTime);
    std::array<char, 4096> discard;
    for (std::size_t drained = 0; drained < kLingerLimit;) {
      const auto [error, bytes] = co_await stream.async_read_some(asio::buffer(discard), kUseTuple);
      if (error) break;
      drained += bytes;
    }
  }

  // TLS: send close_notify and wait (at most kLingerTime) for the client's, or for it to close.
  asio::awaitable<void> close_gracefully(TlsStream& stream) {
    beast::get_lowest_layer(stream).expires_after(kLingerTime);
    co_await stream.async_shutdown(kUseTuple);
  }

  Site& site_;
  WorkerSlot& slot_;
  const std::chrono::seconds idle_timeout_;
  ssl::context* const tls_;  // null: plain HTTP
  HttpDate date_;
  boost::intrusive::list<Connection> connections_;
  bool stopping_ = false;
  // One thread runs it; others only post to it. run() returns only when every coroutine spawned
  // on it has finished (each holds work until then), so its destructor has no frames to destroy.
  asio::io_context io_context_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_context_.get_executor()};
  asio::steady_timer grace_timer_{io_context_};
};

Server::Server(const Options& options, Site& site)
    : options_(options), tls_(ssl::context::tls_server) {
  for (unsigned i = 0; i < options_.threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(site, site.slot(i), options_.idle_timeout,
                                                options_.tls() ? &tls_ : nullptr));
  }
  acceptor_.emplace(workers_[0]->executor());
  accept_backoff_.emplace(workers_[0]->executor());
}

Server::~Server() = default;

std::optional<std::string> Server::open() {
  boost::system::error_code error;
  if (options_.tls()) {
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (tls_.use_certificate_chain_file(options_.tls_cert, error); error) {
      return "cannot load the TLS certificate " + options_.tls_cert + ": " + error.message();
    }
    if (tls_.use_private_key_file(options_.tls_key, ssl::context::pem, error); error) {
      return "cannot load the TLS key " + options_.tls_key + ": " + error.message();
    }
    if (SSL_CTX_check_private_key(tls_.native_handle()) != 1) {
      return "the TLS key " + options_.tls_key + " does not match the certificate " +
             options_.tls_cert;
    }
    // Any SNI name is accepted: there is one certificate, served whatever the client asks for.
    SSL_CTX_set_alpn_select_cb(tls_.native_handle(), select_http11, nullptr);
  }

  tcp::resolver resolver(workers_[0]->executor());
  const auto endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) {
    return "cannot resolve --host " + options_.host + ": " +
           (error ? error.message() : std::string("no address"));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  const std::string where = "cannot listen on " + endpoint_text(endpoint) + ": ";
  if (acceptor_->open(endpoint.protocol(), error); error) return where + error.message();
  if (acceptor_->set_option(tcp::acceptor::reuse_address(true), error); error) {
    return where + error.message();
  }
  if (acceptor_->bind(endpoint, error); error) return where + error.message();
  if (acceptor_->listen(tcp::acceptor::max_listen_connections, error); error) {
    return where + error.message();
  }
  // Registered now, before the listening line is printed: a signal sent as soon as a test has
  // read that line must stop the server cleanly, not kill it.
  signals_.emplace(workers_[0]->executor(), SIGINT, SIGTERM);
  return std::nullopt;
}

std::string Server::url() const {
  boost::system::error_code error;
  const tcp::endpoint endpoint = acceptor_->local_endpoint(error);
  return (options_.tls() ? "https://" : "http://") + endpoint_text(endpoint);
}

void Server::run() {
  const asio::any_io_executor main = workers_[0]->executor();
  asio::co_spawn(main, accept_connections(), ReportEscapedException{"accept"});
  asio::co_spawn(main, stop_on_signal(), ReportEscapedException{"signals"});
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < workers_.size(); ++i) {
    threads.emplace_back(&Worker::run, workers_[i].get());
  }
  workers_[0]->run();
}  // the jthreads join here

asio::awaitable<void> Server::accept_connections() {
  // Round robin over the workers: the socket is accepted straight onto its worker's io_context.
  for (std::size_t next = 0;; next = (next + 1) % workers_.size()) {
    auto [error, socket] = co_await acceptor_->async_accept(workers_[next]->executor(), kUseTuple);
    if (!acceptor_->is_open()) co_return;  // stopped
    if (error) {
      // Out of file descriptors, or a connection reset before it was accepted: report, pause
      // rather than spin, and go on.
      std::cerr << "hornet-demo: accept: " << error.message() << '\n';
      accept_backoff_->expires_after(100ms);
      co_await accept_backoff_->async_wait(kUseTuple);
      continue;
    }
    workers_[next]->adopt(std::move(socket));
  }
}

asio::awaitable<void> Server::stop_on_signal() {
  const auto [error, signal] = co_await signals_->async_wait(kUseTuple);
  if (!error) stop();
}

void Server::stop() {
  boost::system::error_code ignored;
  acceptor_->close(ignored);
  accept_backoff_->cancel();
  for (const auto& worker : workers_) worker->stop();
}

}  // namespace hornet::demo
