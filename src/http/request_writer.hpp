// Writing HTTP/1.1 requests into a caller-owned buffer: the connection keeps one std::string,
// clears it before each request and appends, so nothing is allocated once it has grown to the
// size of the largest request. No I/O; nothing throws on bad input.
//
// A request is, in order:
//   "METHOD target HTTP/1.1"  method upper-cased (as requests does) and checked to be a token;
//                              the target comes from a Url, which is already percent-encoded
//   "Host: host[:port]"        unless the caller's headers have a Host field (virtual hosts)
//   the caller's headers      in the caller's order, each checked (see append_header)
//   "Content-Length: N"       when there is a body, and "Content-Length: 0" for a request
//                              without one unless the method is GET or HEAD (as requests does:
//                              POST, PUT, PATCH, DELETE, OPTIONS... all get it)
//   blank line, body
// The session may insert its own lines (a Cookie header) between the pieces by calling them one
// at a time instead of append_request.
#pragma once

#include <hornet/result.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "http/ascii.hpp"
#include "http/url.hpp"

namespace hornet::http {

/// Appends "METHOD target HTTP/1.1\r\n". Error (nothing appended) when `method` is not a token.
/// Precondition: !url.empty().
[[nodiscard]] Result<void> append_request_line(std::string& out, std::string_view method,
                                               const Url& url);

/// Appends "Host: <url.host_header()>\r\n".
void append_host_header(std::string& out, const Url& url);

/// Appends "name: value\r\n". Errors (nothing appended) for a name that is not a token and for
/// a value containing CR, LF or NUL (header injection); the message names the header.
/// Content-Length is skipped (append_body writes the true one, as requests overrides a given
/// one); Transfer-Encoding is an error (bodies are always sent with a Content-Length).
[[nodiscard]] Result<void> append_header(std::string& out, std::string_view name,
                                         std::string_view value);

/// Appends the Content-Length line when one is due (see above), the blank line ending the head,
/// then `body`.
void append_body(std::string& out, std::string_view method, std::string_view body);

/// Appends a whole request. `headers` is any range of pair-likes whose members convert to
/// string_view (hornet::Fields, a vector of pairs, an initializer list). On error `out` is left
/// as it was and the message names the offending method or header.
template <class Headers>
[[nodiscard]] Result<void> append_request(std::string& out, std::string_view method, const Url& url,
                                          const Headers& headers, std::string_view body) {
  const std::size_t start = out.size();
  Result<void> result = append_request_line(out, method, url);
  if (result) {
    bool has_host = false;
    for (const auto& [name, value] : headers) {
      if (ascii::iequals(name, "host")) {
        has_host = true;
        break;
      }
    }
    if (!has_host) append_host_header(out, url);
    for (const auto& [name, value] : headers) {
      result = append_header(out, name, value);
      if (!result) break;
    }
  }
  if (!result) {
    out.resize(start);
    return result;
  }
  append_body(out, method, body);
  return result;
}

[[nodiscard]] inline Result<void> append_request(
    std::string& out, std::string_view method, const Url& url,
    std::initializer_list<std::pair<std::string_view, std::string_view>> headers,
    std::string_view body) {
  return append_request<decltype(headers)>(out, method, url, headers, body);
}

}  // namespace hornet::http
