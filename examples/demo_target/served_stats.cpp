#include "served_stats.hpp"

#include <nlohmann/json.hpp>

namespace hornet::demo {
namespace {

namespace http = boost::beast::http;

constexpr std::array<const char*, kCountedRouteCount> kRouteNames = {
    "/accounts/login/", "/", "/heavy_url/", "/another_heavy_ajax_url/", "(unknown)", "(malformed)"};

std::size_t status_slot(http::status status) noexcept {
  const auto code = static_cast<unsigned>(status);
  for (std::size_t i = 0; i < kCountedStatuses.size(); ++i) {
    if (kCountedStatuses[i] == code) return i;
  }
  return kCountedStatuses.size();
}

std::size_t cell(std::size_t route, std::size_t verb, std::size_t status) noexcept {
  return (route * kVerbSlots + verb) * kStatusSlots + status;
}

}  // namespace

void StatsShard::count_response(Route route, http::verb method, http::status status) noexcept {
  const auto route_index = static_cast<std::size_t>(route);
  if (route_index >= kCountedRouteCount) return;
  auto verb_index = static_cast<std::size_t>(method);
  if (verb_index >= kVerbSlots) verb_index = 0;
  bump(responses_[cell(route_index, verb_index, status_slot(status))]);
}

void StatsShard::count(Event event) noexcept {
  bump(events_[static_cast<std::size_t>(event)]);
}

void StatsSnapshot::add(const StatsShard& shard) noexcept {
  for (std::size_t i = 0; i < responses.size(); ++i) {
    responses[i] += shard.responses_[i].load(std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i] += shard.events_[i].load(std::memory_order_relaxed);
  }
}

std::string to_json(const StatsSnapshot& snapshot) {
  using Json = nlohmann::ordered_json;
  const auto event = [&](Event e) {
    return snapshot.events[static_cast<std::size_t>(e)];
  };

  Json routes = Json::object();
  std::uint64_t total = 0;
  for (std::size_t route = 0; route < kCountedRouteCount; ++route) {
    Json methods = Json::object();
    for (std::size_t verb = 0; verb < kVerbSlots; ++verb) {
      Json statuses = Json::object();
      for (std::size_t status = 0; status < kStatusSlots; ++status) {
        const std::uint64_t count = snapshot.responses[cell(route, verb, status)];
        if (count == 0) continue;
        total += count;
        statuses[status < kCountedStatuses.size() ? std::to_string(kCountedStatuses[status])
                                                  : std::string("other")] = count;
      }
      if (statuses.empty()) continue;
      const auto method = static_cast<http::verb>(verb);
      methods[method == http::verb::unknown ? std::string("OTHER")
                                            : std::string(http::to_string(method))] =
          std::move(statuses);
    }
    routes[kRouteNames[route]] = std::move(methods);
  }

  const std::uint64_t accepted = event(Event::kConnectionAccepted);
  const std::uint64_t closed = event(Event::kConnectionClosed);
  Json document = {
      {"routes", std::move(routes)},
      {"responses", total},
      {"logins_succeeded", event(Event::kLoginSucceeded)},
      {"csrf_rejections", event(Event::kCsrfRejected)},
      {"bad_credentials", event(Event::kBadCredentials)},
      {"connections",
       {{"accepted", accepted},
        {"open", accepted >= closed ? accepted - closed : 0},
        {"timed_out", event(Event::kConnectionTimedOut)},
        {"tls_handshake_failed", event(Event::kTlsHandshakeFailed)}}},
  };
  return document.dump();
}

}  // namespace hornet::demo
