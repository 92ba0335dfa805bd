// `hornet URL`: no scenario file, users that request one URL in a loop with no wait, the quick
// check people reach for wrk, hey or oha to make. -X, --header and -d as curl takes them.
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hornet::script {

/// The one request every user of a URL run sends.
struct UrlRequest {
  std::string method = "GET";
  std::string origin;  // "http://host:port": the class's host (--host overrides it)
  std::string target;  // "/path?query": requested relative to the host, and the stats name
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
};

/// Builds the request from the command line: `url` absolute http(s); `method` (-X) upper-cased,
/// default GET, POST when there is a body; `header_lines` (--header) "Name: value" each; `data`
/// (-d) the body, or "@file" for a file's content (curl's syntax). Errors name the bad value.
Result<UrlRequest> make_url_request(const std::string& url, const std::optional<std::string>& method,
                                    const std::vector<std::string>& header_lines,
                                    const std::optional<std::string>& data);

/// An HttpUser class, "UrlUser", whose one task sends `request`.
std::shared_ptr<const detail::ClassInfo> url_user_class(UrlRequest request);

}  // namespace hornet::script
