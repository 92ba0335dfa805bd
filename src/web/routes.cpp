#include "web/routes.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/clock.hpp"
#include "http/ascii.hpp"
#include "stats/csv.hpp"
#include "web/assets.hpp"

namespace hornet::web {
namespace {

Reply json_reply(const nlohmann::json& body, int status = 200) {
  Reply reply;
  reply.status = status;
  reply.content_type = "application/json";
  reply.body = dump_json(body);
  return reply;
}

Reply html_reply(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

std::string epoch_text() {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", core::epoch_seconds());
  return text;
}

// Locust's CSV downloads: text/csv, attachment;filename=<prefix>_<time>.csv.
Reply csv_reply(std::string body, const std::string& prefix) {
  Reply reply;
  reply.content_type = "text/csv";
  reply.headers.emplace_back("Content-Disposition",
                             "attachment;filename=" + prefix + "_" + epoch_text() + ".csv");
  reply.body = std::move(body);
  return reply;
}

Reply not_found() {
  return html_reply(404,
                    "<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                    "<p>The requested URL was not found on the server.</p>\n");
}

Reply method_not_allowed(const char* allow) {
  Reply reply = html_reply(405,
                           "<!doctype html>\n<title>405 Method Not Allowed</title>\n"
                           "<h1>Method Not Allowed</h1>\n");
  reply.headers.emplace_back("Allow", allow);
  return reply;
}

std::string decode_base64(std::string_view text) {
  std::string out(3 * ((text.size() + 3) / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  out.resize(static_cast<std::size_t>(n));
  // EVP_DecodeBlock keeps the zero bytes that '=' padding stands for.
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  out.resize(out.size() - std::min(padding, out.size()));
  return out;
}

bool authorized(const Request& request, const std::string& credentials) {
  const auto header = request.header("Authorization");
  if (!header) return false;
  std::string_view value = http::ascii::trim_ows(*header);
  if (value.size() < 6 || !http::ascii::iequals(value.substr(0, 6), "Basic ")) return false;
  return decode_base64(http::ascii::trim_ows(value.substr(6))) == credentials;
}

Reply unauthorized() {
  // As flask-basicauth answers: an empty body and a challenge.
  Reply reply;
  reply.status = 401;
  reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"\"");
  return reply;
}

Reply swarm(const Request& request, Backend& backend) {
  auto parsed = parse_swarm_form(request.body, backend.shape_test(), backend.custom_fields());
  if (!parsed) {
    return json_reply({{"success", false}, {"message", parsed.error().message}}, 400);
  }
  auto started = backend.swarm(*parsed);
  nlohmann::json body;
  body["host"] = backend.ui_config().value("host", "");
  if (!started) {
    body["success"] = false;
    body["message"] = started.error().message;
    return json_reply(body, 400);
  }
  body["success"] = true;
  body["message"] =
      backend.shape_test() ? "Swarming started using shape class" : "Swarming started";
  if (parsed->run_time) body["run_time"] = *parsed->run_time;
  return json_reply(body);
}

Reply full_history_csv(const Backend& backend) {
  const auto path = backend.full_history_csv_path();
  if (!path) {
    Reply reply =
        html_reply(404, "Error: Server was not started with option to generate full history.");
    return reply;
  }
  std::ifstream file(*path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  Reply reply = csv_reply(contents.str(), "requests_full_history");
  reply.content_type = "text/csv; charset=utf-8";
  reply.headers.clear();
  reply.headers.emplace_back("Content-Disposition",
                             "attachment; filename=requests_full_history_" + epoch_text() + ".csv");
  reply.headers.emplace_back("Cache-Control", "no-cache, max-age=0");
  return reply;
}

Reply report(const Request& request, const Backend& backend) {
  std::string html = backend.report_html();
  if (html.empty()) return not_found();  // `hornet plot` has no run to report
  Reply reply = html_reply(200, std::move(html));
  if (request.query.find("download=1") != std::string::npos) {
    reply.headers.emplace_back("Content-Disposition",
                               "attachment;filename=report_" + epoch_text() + ".html");
  }
  return reply;
}

Reply static_asset(std::string_view path) {
  const Asset* asset = find_asset(path);
  if (asset == nullptr) return not_found();
  Reply reply;
  // The asset table holds bare types (CMake lists cannot carry ';'); every text asset is UTF-8.
  reply.content_type = std::string(asset->content_type) + "; charset=utf-8";
  reply.body = std::string(asset->data);
  // The assets are compiled into this binary: a new build is a new URL only through the page,
  // so let the browser revalidate rather than trust a cached copy.
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

// The `since=` of /stats/history's query, if it is a number.
std::optional<double> since(std::string_view query) {
  for (const auto& [name, value] : parse_form(query)) {
    if (name != "since") continue;
    char* end = nullptr;
    const double parsed = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0' && std::isfinite(parsed)) return parsed;
  }
  return std::nullopt;
}

}  // namespace

Reply route(const Request& request, Backend& backend, const RouterOptions& options) {
  if (options.auth && !authorized(request, *options.auth)) return unauthorized();

  const std::string& path = request.path;
  const std::string& method = request.method;
  const bool get = method == "GET" || method == "HEAD";
  const auto only_get = [&](auto&& answer) -> Reply {
    if (!get) return method_not_allowed("HEAD, GET, OPTIONS");
    return answer();
  };
  if (method == "OPTIONS") {
    Reply reply;
    reply.headers.emplace_back("Allow", path == "/swarm" ? "POST, OPTIONS" : "HEAD, GET, OPTIONS");
    return reply;
  }

  if (path == "/") return only_get([&] { return static_asset("/"); });
  if (path.starts_with("/static/")) return only_get([&] { return static_asset(path); });
  if (path == "/swarm") {
    if (method != "POST") return method_not_allowed("POST, OPTIONS");
    return swarm(request, backend);
  }
  if (path == "/stop") {
    return only_get([&] {
      backend.stop();
      return json_reply({{"message", "Test stopped"}, {"success", true}});
    });
  }
  if (path == "/stats/reset") {
    return only_get([&] {
      backend.reset_stats();
      return html_reply(200, "ok");
    });
  }
  if (path == "/stats/requests") {
    return only_get([&] { return json_reply(backend.stats_requests(core::epoch_seconds())); });
  }
  const stats::Aggregate* aggregate = backend.stats();
  if (path == "/stats/requests/csv" && aggregate) {
    return only_get([&] { return csv_reply(stats::requests_csv(*aggregate), "requests"); });
  }
  if (path == "/stats/failures/csv" && aggregate) {
    return only_get([&] { return csv_reply(stats::failures_csv(*aggregate), "failures"); });
  }
  if (path == "/stats/requests_full_history/csv") {
    return only_get([&] { return full_history_csv(backend); });
  }
  if (path == "/exceptions" && aggregate) {
    return only_get([&] { return json_reply(exceptions(*aggregate)); });
  }
  if (path == "/exceptions/csv" && aggregate) {
    return only_get([&] { return csv_reply(stats::exceptions_csv(*aggregate), "exceptions"); });
  }
  if (path == "/tasks") {
    return only_get([&] {
      Reply reply = json_reply({});
      reply.body = backend.tasks().dump(2) + "\n";
      return reply;
    });
  }
  if (path == "/stats/report") return only_get([&] { return report(request, backend); });
  if (path == "/stats/history") {
    return only_get([&] { return json_reply(history(backend.history(), since(request.query))); });
  }
  if (path == "/ui/config") {
    return only_get([&] {
      nlohmann::json config = backend.ui_config();
      if (!config.contains("extra_options")) {
        config["extra_options"] = extra_options(backend.custom_fields());
      }
      return json_reply(config);
    });
  }
  if (auto extra = backend.extra_route(request)) return std::move(*extra);
  return not_found();
}

}  // namespace hornet::web
