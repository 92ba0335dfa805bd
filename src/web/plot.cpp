#include "web/plot.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <hornet/hornet.hpp>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace hornet::web {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t kMaxBody = 64 * 1024 * 1024;

std::optional<double> number(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  return std::nullopt;
}

// GET `url` once; the body of a 200, or why there is none.
asio::awaitable<Result<std::string>> fetch(const http::Url& url, std::chrono::milliseconds timeout,
                                           bool verify_tls) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_error, endpoints] = co_await resolver.async_resolve(
      std::string(url.host()), std::to_string(url.port()), kUseTuple);
  if (resolve_error) {
    co_return Error{"cannot resolve " + std::string(url.host()) + ": " + resolve_error.message()};
  }
  beast::http::request<beast::http::empty_body> request{beast::http::verb::get,
                                                        std::string(url.target()), 11};
  request.set(beast::http::field::host, std::string(url.host_header()));
  request.set(beast::http::field::user_agent, std::string("hornet-plot/") + hornet::version());
  request.set(beast::http::field::accept, "application/json");
  request.set(beast::http::field::connection, "close");

  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(kMaxBody);
  beast::error_code error;
  if (!url.is_https()) {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    std::tie(error, std::ignore) = co_await stream.async_connect(endpoints, kUseTuple);
    if (!error)
      std::tie(error, std::ignore) = co_await beast::http::async_write(stream, request, kUseTuple);
    if (!error)
      std::tie(error, std::ignore) =
          co_await beast::http::async_read(stream, buffer, parser, kUseTuple);
  } else {
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_default_verify_paths(error);
    tls.set_verify_mode(verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
    const std::string host(url.host());
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    if (verify_tls) stream.set_verify_callback(asio::ssl::host_name_verification(host));
    beast::get_lowest_layer(stream).expires_after(timeout);
    std::tie(error, std::ignore) =
        co_await beast::get_lowest_layer(stream).async_connect(endpoints, kUseTuple);
    if (!error)
      std::tie(error) = co_await stream.async_handshake(asio::ssl::stream_base::client, kUseTuple);
    if (!error)
      std::tie(error, std::ignore) = co_await beast::http::async_write(stream, request, kUseTuple);
    if (!error)
      std::tie(error, std::ignore) =
          co_await beast::http::async_read(stream, buffer, parser, kUseTuple);
  }
  if (error == beast::error::timeout) {
    co_return Error{"no answer within " + std::to_string(timeout.count()) + " ms"};
  }
  if (error) co_return Error{error.message()};
  const auto& response = parser.get();
  if (response.result_int() != 200) {
    co_return Error{"HTTP " + std::to_string(response.result_int()) + " " +
                    std::string(response.reason())};
  }
  co_return std::move(parser.release().body());
}

}  // namespace

Result<stats::HistoryPoint> point_from_stats_json(const nlohmann::json& body, double now) {
  if (!body.is_object()) return Error{"the answer is not a JSON object"};
  const auto stats = body.find("stats");
  if (stats == body.end() || !stats->is_array() || stats->empty() || !stats->back().is_object()) {
    return Error{"the answer has no \"stats\" list with an Aggregated row"};
  }
  const nlohmann::json& total = stats->back();
  stats::HistoryPoint point;
  point.time = now;
  point.state = body.value("state", std::string("unknown"));
  point.user_count = number(body.value("user_count", nlohmann::json())).value_or(0);
  const auto count = [&](const char* key) {
    return static_cast<std::uint64_t>(
        std::max(number(total.value(key, nlohmann::json())).value_or(0), 0.0));
  };
  const auto value = [&](const char* key) {
    return number(total.value(key, nlohmann::json()));
  };
  point.num_requests = count("num_requests");
  point.num_failures = count("num_failures");
  point.current_rps = value("current_rps").value_or(0);
  point.current_fail_per_sec = value("current_fail_per_sec").value_or(0);
  point.p50 = number(body.value("current_response_time_percentile_50", nlohmann::json()));
  point.p95 = number(body.value("current_response_time_percentile_95", nlohmann::json()));
  point.avg_response_time = value("avg_response_time").value_or(0);
  point.median_response_time = value("median_response_time").value_or(0);
  point.min_response_time = value("min_response_time");
  point.max_response_time = value("max_response_time").value_or(0);
  return point;
}

// Shared with the polling coroutine, which outlives a stop by at most one poll.
struct Plotter::State {
  bool stopped = false;
};

Plotter::Plotter(asio::io_context& io, PlotSettings settings)
    : io_(io), settings_(std::move(settings)), state_(std::make_shared<State>()) {}

Plotter::~Plotter() {
  stop_polling();
}

Result<void> Plotter::start() {
  auto url = http::Url::parse(settings_.url);
  if (!url) return Error{"--url: " + url.error().message};
  url_ = std::move(url).value();
  asio::co_spawn(io_, poll_loop(state_), asio::detached);
  return {};
}

void Plotter::stop_polling() {
  state_->stopped = true;
}

asio::awaitable<void> Plotter::poll_loop(std::shared_ptr<State> state) {
  asio::steady_timer timer(io_);
  auto next = std::chrono::steady_clock::now();
  while (!state->stopped) {
    auto body = co_await fetch(url_, settings_.timeout, settings_.verify_tls);
    if (state->stopped) co_return;
    ++polls_;
    if (body) {
      on_body(*body);
    } else {
      on_failure(body.error().message);
    }
    next += settings_.interval;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // a slow target: poll again at once, never in a burst
    timer.expires_at(next);
    co_await timer.async_wait(kUseTuple);
  }
}

void Plotter::on_body(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return on_failure("the answer is not JSON");
  auto point = point_from_stats_json(parsed, core::epoch_seconds());
  if (!point) return on_failure(point.error().message);
  // A new test on the target (its counts went down): start the history again, as the UI does.
  if (!history_.empty() && point->num_requests < history_.points().back().num_requests) {
    history_.clear();
  }
  history_.append(std::move(point).value());
  last_stats_ = std::move(parsed);
  if (!ok_) log::info("Polling " + settings_.url + ": OK");
  ok_ = true;
  message_ = "OK";
  last_success_ = core::epoch_seconds();
}

void Plotter::on_failure(std::string message) {
  ++failures_;
  if (ok_ || message != message_) log::warning("Polling " + settings_.url + " failed: " + message);
  ok_ = false;
  message_ = std::move(message);
}

nlohmann::json Plotter::status() const {
  return {{"url", settings_.url},
          {"ok", ok_},
          {"message", message_},
          {"last_success", last_success_ ? nlohmann::json(*last_success_) : nlohmann::json()},
          {"polls", polls_},
          {"failures", failures_}};
}

nlohmann::json Plotter::stats_requests(double) const {
  if (!last_stats_.is_null()) return last_stats_;
  // Locust's answer when there is no runner: the page shows an empty table.
  return {{"stats", nlohmann::json::array()},
          {"errors", nlohmann::json::array()},
          {"total_rps", 0.0},
          {"fail_ratio", 0.0},
          {"current_response_time_percentile_95", nullptr},
          {"current_response_time_percentile_50", nullptr},
          {"state", "missing"},
          {"user_count", 0}};
}

nlohmann::ordered_json Plotter::tasks() const {
  return {{"per_class", nlohmann::ordered_json::object()},
          {"total", nlohmann::ordered_json::object()}};
}

nlohmann::json Plotter::ui_config() const {
  return {{"mode", "plot"}, {"version", hornet::version()}, {"plot_target", settings_.url},
          {"host", ""},     {"is_distributed", false},      {"plot_config", settings_.plot_config}};
}

std::string Plotter::report_html() const {
  return {};
}

Result<void> Plotter::swarm(const SwarmRequest&) {
  return Error{"hornet plot only draws charts: start and stop tests on the tool it polls (" +
               settings_.url + ")"};
}

std::optional<Reply> Plotter::extra_route(const Request& request) {
  if (request.path != "/plot/status") return std::nullopt;
  Reply reply;
  reply.content_type = "application/json";
  reply.body = dump_json(status());
  return reply;
}

}  // namespace hornet::web
