#include "net/thread_context.hpp"

namespace hornet::net {
namespace {
constexpr std::size_t kReadBufferSize = 64 * 1024;
// Load tests hit the same few hosts for the whole run; a short TTL still follows DNS changes.
constexpr auto kDnsTtl = std::chrono::seconds(60);

std::string cache_key(const std::string& host, unsigned short port) {
  return host + ':' + std::to_string(port);
}
}  // namespace

ThreadContext::ThreadContext(boost::asio::io_context& io, ClientSettings settings)
    : io_(io), settings_(settings), deadlines_(io), read_buffer_(kReadBufferSize) {}

boost::asio::ssl::context& ThreadContext::tls_context() {
  if (!tls_context_) {
    namespace ssl = boost::asio::ssl;
    tls_context_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    tls_context_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                              ssl::context::no_sslv3);
    boost::system::error_code ignored;  // without system CAs every verification fails, clearly
    tls_context_->set_default_verify_paths(ignored);
    tls_context_->set_verify_mode(settings_.verify_tls ? ssl::verify_peer : ssl::verify_none);
  }
  return *tls_context_;
}

const std::vector<boost::asio::ip::tcp::endpoint>* ThreadContext::cached_endpoints(
    const std::string& host, unsigned short port) {
  auto it = dns_cache_.find(cache_key(host, port));
  if (it == dns_cache_.end()) return nullptr;
  if (it->second.expires < std::chrono::steady_clock::now()) {
    dns_cache_.erase(it);
    return nullptr;
  }
  return &it->second.endpoints;
}

void ThreadContext::cache_endpoints(const std::string& host, unsigned short port,
                                    std::vector<boost::asio::ip::tcp::endpoint> endpoints) {
  dns_cache_[cache_key(host, port)] = {std::move(endpoints),
                                       std::chrono::steady_clock::now() + kDnsTtl};
}

}  // namespace hornet::net
