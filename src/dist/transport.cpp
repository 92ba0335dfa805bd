#include "dist/transport.hpp"

#include <boost/asio/post.hpp>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

namespace hornet::dist {
namespace asio = boost::asio;

namespace {

/// "tcp://host:port"; port 0 is ZeroMQ's "*" (any free port), host "" or "*" every interface.
std::string endpoint(const std::string& host, int port) {
  const std::string h = host.empty() ? "*" : host;
  // IPv6 literals need brackets in a ZeroMQ TCP endpoint.
  const bool ipv6 = h.find(':') != std::string::npos && h.front() != '[';
  return "tcp://" + (ipv6 ? "[" + h + "]" : h) + ":" + (port == 0 ? "*" : std::to_string(port));
}

int next_monitor_id() {
  static int id = 0;
  return ++id;
}

}  // namespace

zmq::context_t& zmq_context() {
  static zmq::context_t context(1);
  return context;
}

Socket::Socket(asio::io_context& io, Kind kind)
    : io_(io),
      kind_(kind),
      socket_(zmq_context(),
              kind == Kind::kRouter ? zmq::socket_type::router : zmq::socket_type::dealer),
      descriptor_(io) {
  // As Locust (rpc/zmqrpc.py): TCP keep-alive, so a silent peer behind a dead link is noticed.
  socket_.set(zmq::sockopt::tcp_keepalive, 1);
  socket_.set(zmq::sockopt::tcp_keepalive_idle, 30);
  // A ROUTER must not silently drop messages to an unknown identity: send() reports it.
  if (kind == Kind::kRouter) socket_.set(zmq::sockopt::router_mandatory, 1);
  // IPv6 endpoints (::1) as well as IPv4 ones.
  socket_.set(zmq::sockopt::ipv6, 1);
  // A peer cannot make this process buffer a huge frame: the biggest real message is a stats
  // report of a few hundred entries (well under a megabyte), and the decoder may hold ~40 bytes
  // of values per byte received.
  socket_.set(zmq::sockopt::maxmsgsize, std::int64_t{8} << 20);
}

Socket::~Socket() {
  close(0);
}

Result<void> Socket::use_curve_server(const CurveKeys& own) {
  try {
    socket_.set(zmq::sockopt::curve_server, 1);
    socket_.set(zmq::sockopt::curve_secretkey, own.secret_key);
    socket_.set(zmq::sockopt::curve_publickey, own.public_key);
  } catch (const zmq::error_t& e) {
    return Error{std::string("CurveZMQ: ") + e.what()};
  }
  return {};
}

Result<void> Socket::use_curve_client(const CurveKeys& own, const std::string& server_public_key) {
  try {
    socket_.set(zmq::sockopt::curve_serverkey, server_public_key);
    socket_.set(zmq::sockopt::curve_publickey, own.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, own.secret_key);
  } catch (const zmq::error_t& e) {
    return Error{std::string("CurveZMQ: ") + e.what()};
  }
  return {};
}

Result<int> Socket::bind(const std::string& host, int port) {
  const std::string address = endpoint(host, port);
  try {
    socket_.bind(address);
  } catch (const zmq::error_t& e) {
    return Error{"cannot bind " + address + ": " + e.what()};
  }
  const std::string bound = socket_.get(zmq::sockopt::last_endpoint);
  const std::size_t colon = bound.rfind(':');
  int bound_port = 0;
  try {
    bound_port = std::stoi(bound.substr(colon + 1));
  } catch (const std::exception&) {
    return Error{"cannot read the bound port of " + bound};
  }
  watch(socket_, descriptor_, &Socket::drain_messages);
  return bound_port;
}

Result<void> Socket::connect(const std::string& host, int port, const std::string& identity) {
  socket_.set(zmq::sockopt::routing_id, identity);
  // Queue only on a live connection: while the master is away sends fail instead of piling up
  // stale heartbeats and reports for whoever listens next.
  socket_.set(zmq::sockopt::immediate, 1);
  // ZMTP heartbeats: a master whose machine vanished (no FIN, no RST) is noticed within a few
  // seconds as a disconnect, instead of never. The peer's libzmq answers the pings itself, so
  // this works against Locust's master too.
  socket_.set(zmq::sockopt::heartbeat_ivl, 1000);
  socket_.set(zmq::sockopt::heartbeat_timeout, 4000);
  // Link events, so a worker notices its master going away (Locust 2.12's master sends nothing
  // a worker could miss) and knows when a message can go out (with ZMQ_IMMEDIATE, only once the
  // handshake is done).
  const std::string monitor_address =
      "inproc://hornet-monitor-" + std::to_string(next_monitor_id());
  constexpr int kHandshakeFailed = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
  if (zmq_socket_monitor(socket_.handle(), monitor_address.c_str(),
                         ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                             kHandshakeFailed) != 0) {
    return Error{std::string("cannot monitor the socket: ") + zmq_strerror(zmq_errno())};
  }
  monitor_ = std::make_unique<zmq::socket_t>(zmq_context(), zmq::socket_type::pair);
  monitor_->connect(monitor_address);
  monitor_descriptor_ = std::make_unique<asio::posix::stream_descriptor>(io_);
  try {
    socket_.connect(endpoint(host, port));
  } catch (const zmq::error_t& e) {
    return Error{"cannot connect to " + endpoint(host, port) + ": " + e.what()};
  }
  watch(socket_, descriptor_, &Socket::drain_messages);
  watch(*monitor_, *monitor_descriptor_, &Socket::drain_monitor);
  return {};
}

void Socket::watch(zmq::socket_t& socket, asio::posix::stream_descriptor& descriptor,
                   void (Socket::*drain)()) {
  if (!descriptor.is_open()) descriptor.assign(socket.get(zmq::sockopt::fd));
  descriptor.async_wait(
      asio::posix::stream_descriptor::wait_read,
      [this, &socket, &descriptor, drain, alive = alive_](boost::system::error_code error) {
        if (error || !*alive || closed_) return;
        (this->*drain)();
        if (!*alive || closed_) return;
        watch(socket, descriptor, drain);
      });
  // Events may already be pending: the descriptor only signals changes.
  (this->*drain)();
}

void Socket::drain_messages() {
  auto alive = alive_;
  while (*alive && !closed_ && (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN)) {
    std::string identity;
    std::string payload;
    zmq::message_t frame;
    int frames = 0;
    bool more = true;
    while (more) {
      if (!socket_.recv(frame, zmq::recv_flags::dontwait)) break;
      more = frame.more();
      // ROUTER: [identity, payload]; DEALER: [payload]. Extra frames are not Locust's: ignored.
      if (kind_ == Kind::kRouter && frames == 0) {
        identity = frame.to_string();
      } else if (frames == (kind_ == Kind::kRouter ? 1 : 0)) {
        payload = frame.to_string();
      }
      ++frames;
    }
    if (on_message) on_message(std::move(identity), std::move(payload));
  }
}

void Socket::drain_monitor() {
  auto alive = alive_;
  zmq::message_t event;
  while (*alive && !closed_ && monitor_ && (monitor_->get(zmq::sockopt::events) & ZMQ_POLLIN)) {
    if (!monitor_->recv(event, zmq::recv_flags::dontwait)) break;
    std::uint16_t id = 0;
    if (event.size() >= sizeof id) std::memcpy(&id, event.data(), sizeof id);
    // The second frame is the endpoint address.
    while (event.more() && monitor_->recv(event, zmq::recv_flags::dontwait)) {
    }
    if (!on_link) continue;
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      on_link(Link::kUp);
    } else if (id == ZMQ_EVENT_DISCONNECTED) {
      on_link(Link::kDown);
    } else {
      on_link(Link::kHandshakeFailed);
    }
  }
}

void Socket::schedule_drain() {
  // After a send ZMQ_EVENTS may have consumed the descriptor's edge; look again, later (not
  // re-entrantly from inside a handler).
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    drain_scheduled_ = false;
    if (!closed_) drain_messages();
  });
}

bool Socket::send(std::string_view identity, std::string_view payload) {
  if (closed_) return false;
  try {
    if (kind_ == Kind::kRouter) {
      if (!socket_.send(zmq::buffer(identity),
                        zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
        return false;
      }
    }
    const bool sent = socket_.send(zmq::buffer(payload), zmq::send_flags::dontwait).has_value();
    schedule_drain();
    return sent;
  } catch (const zmq::error_t&) {
    // EHOSTUNREACH (ROUTER, unknown peer) and the like: the caller decides.
    schedule_drain();
    return false;
  }
}

void Socket::close(int linger_ms) {
  if (closed_) return;
  closed_ = true;
  *alive_ = false;
  // The descriptors belong to ZeroMQ: release them rather than close them.
  if (descriptor_.is_open()) {
    descriptor_.cancel();
    descriptor_.release();
  }
  if (monitor_descriptor_ && monitor_descriptor_->is_open()) {
    monitor_descriptor_->cancel();
    monitor_descriptor_->release();
  }
  if (monitor_) {
    zmq_socket_monitor(socket_.handle(), nullptr, 0);
    monitor_->set(zmq::sockopt::linger, 0);
    monitor_->close();
  }
  socket_.set(zmq::sockopt::linger, linger_ms);
  socket_.close();
}

ZapHandler::ZapHandler(asio::io_context& io, CurveKeys allowed)
    : socket_(zmq_context(), zmq::socket_type::rep), descriptor_(io) {
  allowed_key_.resize(32);
  zmq_z85_decode(reinterpret_cast<std::uint8_t*>(allowed_key_.data()), allowed.public_key.c_str());
}

ZapHandler::~ZapHandler() {
  *alive_ = false;
  if (descriptor_.is_open()) {
    descriptor_.cancel();
    descriptor_.release();
  }
  socket_.set(zmq::sockopt::linger, 0);
  socket_.close();
}

Result<void> ZapHandler::start() {
  try {
    socket_.bind("inproc://zeromq.zap.01");
  } catch (const zmq::error_t& e) {
    return Error{std::string("cannot start the CurveZMQ authentication handler: ") + e.what()};
  }
  descriptor_.assign(socket_.get(zmq::sockopt::fd));
  wait();
  return {};
}

void ZapHandler::wait() {
  answer();  // requests may be pending already: the descriptor only signals changes
  descriptor_.async_wait(asio::posix::stream_descriptor::wait_read,
                         [this, alive = alive_](boost::system::error_code error) {
                           if (error || !*alive) return;
                           wait();
                         });
}

void ZapHandler::answer() {
  while (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) {
    // Request: version, request id, domain, address, identity, mechanism, credentials...
    std::vector<std::string> frames;
    zmq::message_t frame;
    do {
      if (!socket_.recv(frame, zmq::recv_flags::dontwait)) return;
      frames.push_back(frame.to_string());
    } while (frame.more());
    const bool allowed = frames.size() >= 7 && frames[5] == "CURVE" && frames[6] == allowed_key_;
    const std::string request_id = frames.size() > 1 ? frames[1] : std::string();
    const std::string reply[] = {"1.0", request_id, allowed ? "200" : "400",
                                 allowed ? "OK" : "unknown key", "", ""};
    for (std::size_t i = 0; i < std::size(reply); ++i) {
      socket_.send(zmq::buffer(reply[i]),
                   i + 1 < std::size(reply) ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
  }
}

Result<CurveKeys> read_curve_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"--dist-key: cannot read '" + path + "': " + std::strerror(errno)};
  CurveKeys keys;
  std::getline(in, keys.public_key);
  std::getline(in, keys.secret_key);
  auto valid = [](const std::string& key) {
    std::uint8_t decoded[32];
    return key.size() == 40 && zmq_z85_decode(decoded, key.c_str()) != nullptr;
  };
  if (!valid(keys.public_key)) {
    return Error{"--dist-key: '" + path + "' does not start with a Z85 public key (40 characters)"};
  }
  if (!valid(keys.secret_key)) {
    return Error{"--dist-key: the second line of '" + path +
                 "' is not a Z85 secret key (make the file with `hornet make-dist-key FILE`)"};
  }
  return keys;
}

CurveKeys make_curve_keys() {
  char public_key[41] = {};
  char secret_key[41] = {};
  zmq_curve_keypair(public_key, secret_key);
  return {public_key, secret_key};
}

}  // namespace hornet::dist
