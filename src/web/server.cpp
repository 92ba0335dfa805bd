#include "web/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <set>

#include "http/ascii.hpp"

namespace hornet::web {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// A browser keeps connections open between polls; an idle one is closed after this.
constexpr auto kIdleTimeout = std::chrono::seconds(60);

Reply plain_error(int status, std::string message) {
  Reply reply;
  reply.status = status;
  reply.content_type = "text/plain; charset=utf-8";
  reply.body = std::move(message) + "\n";
  return reply;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (http::ascii::iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

// The open connections' streams, so stop() can close them. Shared with the coroutines, which
// outlive neither it nor the server's io_context.
struct Server::Connections {
  std::set<beast::tcp_stream*> open;
  bool stopped = false;
};

namespace {

using BeastRequest = beast::http::request<beast::http::string_body>;
using BeastResponse = beast::http::response<beast::http::string_body>;

BeastResponse to_beast(const Reply& reply, unsigned version, bool keep_alive) {
  BeastResponse response{static_cast<beast::http::status>(reply.status), version};
  response.set(beast::http::field::server, "hornet");
  response.set(beast::http::field::content_type, reply.content_type);
  // Locust's flask-cors: any origin may read the JSON (tools and dashboards poll it).
  response.set(beast::http::field::access_control_allow_origin, "*");
  for (const auto& [name, value] : reply.headers) response.insert(name, value);
  response.body() = reply.body;
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

Request from_beast(const BeastRequest& request) {
  Request out;
  out.method = std::string(request.method_string());
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  for (const auto& field : request) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = request.body();
  return out;
}

asio::awaitable<void> serve(tcp::socket socket, std::shared_ptr<Server::Handler> handler,
                            std::shared_ptr<Server::Connections> connections) {
  beast::tcp_stream stream(std::move(socket));
  connections->open.insert(&stream);
  struct Forget {
    Server::Connections& connections;
    beast::tcp_stream* stream;
    ~Forget() { connections.open.erase(stream); }
  } forget{*connections, &stream};

  beast::flat_buffer buffer;
  while (!connections->stopped) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    parser.body_limit(kMaxBodyBytes);
    stream.expires_after(kIdleTimeout);
    auto [error, bytes] = co_await beast::http::async_read(stream, buffer, parser, kUseTuple);
    if (error == beast::http::error::end_of_stream || error == asio::error::operation_aborted ||
        error == beast::error::timeout || error == asio::error::eof ||
        error == asio::error::connection_reset) {
      break;
    }
    Reply reply;
    bool keep_alive = false;
    unsigned version = 11;
    if (error == beast::http::error::body_limit) {
      reply = plain_error(413, "Request body too large (the limit is 1 MiB)");
    } else if (error == beast::http::error::header_limit) {
      reply = plain_error(431, "Request header fields too large");
    } else if (error) {
      reply = plain_error(400, "Bad request: " + error.message());
    } else {
      const BeastRequest& request = parser.get();
      version = request.version();
      keep_alive = request.keep_alive();
      try {
        reply = (*handler)(from_beast(request));
      } catch (const std::exception& e) {
        reply = plain_error(500, std::string("Internal error: ") + e.what());
      }
      if (request.method() == beast::http::verb::head) reply.body.clear();
    }
    auto response = to_beast(reply, version, keep_alive);
    stream.expires_after(kIdleTimeout);
    auto [write_error, written] = co_await beast::http::async_write(stream, response, kUseTuple);
    if (write_error || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

}  // namespace

Server::Server(asio::io_context& io, Handler handler)
    : io_(io),
      handler_(std::make_shared<Handler>(std::move(handler))),
      connections_(std::make_shared<Connections>()) {}

Server::~Server() {
  stop();
}

Result<void> Server::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code error;
  const std::string bind_host = (host.empty() || host == "*") ? "0.0.0.0" : host;
  std::string address_text = bind_host;
  if (address_text.size() >= 2 && address_text.front() == '[' && address_text.back() == ']') {
    address_text = address_text.substr(1, address_text.size() - 2);
  }
  auto address = asio::ip::make_address(address_text, error);
  if (error) {
    tcp::resolver resolver(io_);
    auto results = resolver.resolve(address_text, std::to_string(port), error);
    if (error || results.empty()) {
      return Error{"cannot resolve the web host '" + host + "': " + error.message()};
    }
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, port);
  acceptor_.emplace(io_);
  acceptor_->open(endpoint.protocol(), error);
  if (!error) acceptor_->set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor_->bind(endpoint, error);
  if (!error) acceptor_->listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    acceptor_.reset();
    return Error{"cannot listen on " + address_text + ":" + std::to_string(port) + ": " +
                 error.message()};
  }
  bound_host_ = (host.empty() || host == "*" || address.is_unspecified()) ? "127.0.0.1" : host;
  return {};
}

void Server::start() {
  asio::co_spawn(io_, accept(), asio::detached);
}

asio::awaitable<void> Server::accept() {
  auto connections = connections_;
  while (acceptor_ && acceptor_->is_open()) {
    auto [error, socket] = co_await acceptor_->async_accept(kUseTuple);
    if (connections->stopped) co_return;
    if (error) {
      if (error == asio::error::operation_aborted) co_return;
      continue;  // a failed accept (EMFILE, a reset) must not end the server
    }
    asio::co_spawn(io_, serve(std::move(socket), handler_, connections), asio::detached);
  }
}

void Server::stop() {
  connections_->stopped = true;
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  for (beast::tcp_stream* stream : connections_->open) stream->socket().close(ignored);
}

std::uint16_t Server::port() const {
  return acceptor_ ? acceptor_->local_endpoint().port() : 0;
}

std::string Server::url() const {
  const std::string host = bound_host_.find(':') != std::string::npos && bound_host_[0] != '['
                               ? "[" + bound_host_ + "]"
                               : bound_host_;
  return "http://" + host + ":" + std::to_string(port());
}

}  // namespace hornet::web
