#include "http/request_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace hornet::http {

Result<void> append_request_line(std::string& out, std::string_view method, const Url& url) {
  if (!ascii::is_token(method)) {
    return Error{"invalid HTTP method " + ascii::quote_for_message(method) +
                 " (methods are tokens: letters, digits and !#$%&'*+-.^_`|~)"};
  }
  for (char c : method) out += ascii::to_upper(c);
  out += ' ';
  out += url.target();
  out += " HTTP/1.1\r\n";
  return {};
}

void append_host_header(std::string& out, const Url& url) {
  out += "Host: ";
  out += url.host_header();
  out += "\r\n";
}

Result<void> append_header(std::string& out, std::string_view name, std::string_view value) {
  if (!ascii::is_token(name)) {
    return Error{"invalid header name " + ascii::quote_for_message(name) +
                 " (header names are tokens: letters, digits and !#$%&'*+-.^_`|~)"};
  }
  // One pass with plain compares: find_first_of over a 3-character set calls memchr per byte.
  const bool injects = std::any_of(value.begin(), value.end(),
                                   [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
  if (injects) {
    return Error{"the value of header " + ascii::quote_for_message(name) +
                 " contains CR, LF or NUL, which would inject headers"};
  }
  if (ascii::iequals(name, "content-length")) return {};
  if (ascii::iequals(name, "transfer-encoding")) {
    return Error{
        "header 'Transfer-Encoding' is not supported: bodies are sent with "
        "Content-Length"};
  }
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
  return {};
}

void append_body(std::string& out, std::string_view method, std::string_view body) {
  if (!body.empty() || !(ascii::iequals(method, "GET") || ascii::iequals(method, "HEAD"))) {
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), body.size());
    out += "Content-Length: ";
    out.append(digits.data(), result.ptr);
    out += "\r\n";
  }
  out += "\r\n";
  out += body;
}

}  // namespace hornet::http
