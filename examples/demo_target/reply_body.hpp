// The body type of hornet-demo's responses: either text built for this response, or a view of a
// document built at start-up (the 17 KB index page) that is sent without being copied.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hornet::demo {

/// A Beast Body (writer only: responses are serialized, never parsed). A std::string_view body
/// must point at bytes that outlive the response, in practice the SiteContent.
struct ReplyBody {
  using value_type = std::variant<std::string, std::string_view>;

  static std::uint64_t size(const value_type& body) noexcept { return view(body).size(); }

  static std::string_view view(const value_type& body) noexcept {
    return std::visit([](const auto& text) { return std::string_view(text); }, body);
  }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool kIsRequest, class Fields>
    writer(const boost::beast::http::header<kIsRequest, Fields>& /*header*/, const value_type& body)
        : body_(view(body)) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      return {{boost::asio::buffer(body_.data(), body_.size()), false}};
    }

   private:
    std::string_view body_;
  };
};

}  // namespace hornet::demo
