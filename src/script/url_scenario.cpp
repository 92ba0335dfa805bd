#include "script/url_scenario.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <hornet/http.hpp>
#include <iterator>

#include "http/ascii.hpp"
#include "http/url.hpp"

namespace hornet::script {
namespace {

/// The task: one request, its response recorded by the session as any other.
Task<> send(HttpUser& user, std::shared_ptr<const UrlRequest> request) {
  Request pending = user.client().request(request->method, request->target);
  for (const auto& [name, value] : request->headers) pending.header(name, value);
  if (request->body) pending.body(*request->body);
  co_await pending;
}

class UrlUser : public HttpUser {};

}  // namespace

Result<UrlRequest> make_url_request(const std::string& url, const std::optional<std::string>& method,
                                    const std::vector<std::string>& header_lines,
                                    const std::optional<std::string>& data) {
  UrlRequest request;
  auto parsed = http::Url::parse(url);
  if (!parsed) return Error{"Invalid URL '" + url + "': " + parsed.error().message};
  request.origin = std::string(parsed.value().origin());
  request.target = std::string(parsed.value().target());

  if (data) {
    if (!data->empty() && data->front() == '@') {
      const std::string file = data->substr(1);
      std::ifstream in(file, std::ios::binary);
      if (!in) return Error{"-d/--data: cannot read '" + file + "': " + std::strerror(errno)};
      request.body.emplace((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    } else {
      request.body = *data;
    }
  }
  request.method = method ? *method : (request.body ? "POST" : "GET");
  for (char& c : request.method) c = http::ascii::to_upper(c);
  if (!http::ascii::is_token(request.method)) {
    return Error{"-X/--method: invalid value: '" + request.method + "' (not an HTTP method)"};
  }

  for (const std::string& line : header_lines) {
    const std::size_t colon = line.find(':');
    const std::string name = colon == std::string::npos ? line : line.substr(0, colon);
    if (colon == std::string::npos || !http::ascii::is_token(name)) {
      return Error{"--header: invalid value: '" + line + "' (expected 'Name: value')"};
    }
    std::string value(http::ascii::trim_ows(std::string_view(line).substr(colon + 1)));
    if (value.find_first_of("\r\n") != std::string::npos) {
      return Error{"--header: invalid value: '" + line + "' (line breaks in a header value)"};
    }
    request.headers.emplace_back(name, std::move(value));
  }
  return request;
}

std::shared_ptr<const detail::ClassInfo> url_user_class(UrlRequest request) {
  auto info = describe<UrlUser>("UrlUser");
  info->host = request.origin;
  auto& task = info->tasks.emplace_back();
  task.name = request.method + " " + request.target;
  task.run = [shared = std::make_shared<const UrlRequest>(std::move(request))](TaskScope& self) {
    return send(static_cast<HttpUser&>(self), shared);
  };
  return info;
}

}  // namespace hornet::script
