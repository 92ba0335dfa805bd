// ZeroMQ sockets on the control thread's event loop, as Locust's rpc/zmqrpc.py uses them: the
// master binds a ROUTER, each worker connects a DEALER whose identity is its client id. One
// message is one msgpack payload (a dist::Message); the ROUTER adds the peer's identity frame.
//
// Readiness comes from the socket's ZMQ_FD, watched by Asio. That descriptor is edge-triggered
// and says only "look at ZMQ_EVENTS": every wake-up, and every send, drains the socket until
// ZMQ_EVENTS has no POLLIN, or messages could sit unread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <hornet/result.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <zmq.hpp>

namespace hornet::dist {

/// CurveZMQ keys (Z85 text, 40 characters each), for --dist-key: one pair shared by the master
/// (its server keys) and every worker (their client keys, checked by the master's ZapHandler).
struct CurveKeys {
  std::string public_key;
  std::string secret_key;
};

class Socket {
 public:
  enum class Kind { kRouter, kDealer };

  /// `on_message(identity, payload)`: identity is the peer's for a ROUTER, "" for a DEALER.
  using MessageHandler = std::function<void(std::string identity, std::string payload)>;
  /// A DEALER's link to its peer: up (ZeroMQ's handshake done: messages now go out), down, or
  /// refused by the peer's handshake (for CurveZMQ: the wrong key).
  enum class Link { kUp, kDown, kHandshakeFailed };
  using LinkHandler = std::function<void(Link)>;

  Socket(boost::asio::io_context& io, Kind kind);
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  /// A ROUTER's curve server keys, or a DEALER's own keys plus the server's public key. Call
  /// before bind/connect.
  Result<void> use_curve_server(const CurveKeys& own);
  Result<void> use_curve_client(const CurveKeys& own, const std::string& server_public_key);

  /// Binds a ROUTER to host:port ("*" for every interface; port 0 for any free port) and
  /// returns the port bound.
  Result<int> bind(const std::string& host, int port);
  /// Connects a DEALER with identity `identity` to host:port (ZeroMQ reconnects by itself).
  Result<void> connect(const std::string& host, int port, const std::string& identity);

  /// Queues a message; false if ZeroMQ refused it (no such peer on a ROUTER, queue full).
  bool send(std::string_view identity, std::string_view payload);
  bool send(std::string_view payload) { return send({}, payload); }

  /// Closes the socket, waiting at most `linger_ms` for queued messages to go out.
  void close(int linger_ms);

  MessageHandler on_message;
  LinkHandler on_link;

 private:
  void watch(zmq::socket_t& socket, boost::asio::posix::stream_descriptor& descriptor,
             void (Socket::*drain)());
  void drain_messages();
  void drain_monitor();
  void schedule_drain();

  boost::asio::io_context& io_;
  Kind kind_;
  zmq::socket_t socket_;
  boost::asio::posix::stream_descriptor descriptor_;
  std::unique_ptr<zmq::socket_t> monitor_;  // DEALER: connect/disconnect events
  std::unique_ptr<boost::asio::posix::stream_descriptor> monitor_descriptor_;
  bool drain_scheduled_ = false;
  bool closed_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// ZeroMQ's authentication hook (ZAP, RFC 27) for a CurveZMQ master: only clients that present
/// `allowed` (the --dist-key file's public key) as their own key get through, which proves they
/// hold the file's secret key too. One per process; start it before the master binds.
class ZapHandler {
 public:
  ZapHandler(boost::asio::io_context& io, CurveKeys allowed);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  [[nodiscard]] Result<void> start();

 private:
  void wait();
  void answer();

  zmq::socket_t socket_;
  boost::asio::posix::stream_descriptor descriptor_;
  std::string allowed_key_;  // 32 bytes
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// The process's ZeroMQ context (one I/O thread).
zmq::context_t& zmq_context();

/// Reads a --dist-key file: two lines, the Z85 public key then the secret key, as `hornet
/// make-dist-key` writes them. Both are required.
Result<CurveKeys> read_curve_keys(const std::string& path);

/// A new CurveZMQ key pair.
CurveKeys make_curve_keys();

}  // namespace hornet::dist
