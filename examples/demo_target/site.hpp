// The imitation of the seed's Django site: a request in, a reply out. The connection code in
// server.hpp reads requests and writes replies; everything the site does is decided here.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

#include "content.hpp"
#include "reply_body.hpp"
#include "served_stats.hpp"
#include "session_store.hpp"

namespace hornet::demo {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Reply = boost::beast::http::response<ReplyBody>;

/// How long /heavy_url/ takes: uniformly random in [min, max] for each request. {0, 0}: at once.
struct HeavyDelay {
  std::chrono::milliseconds min{50};
  std::chrono::milliseconds max{150};
};

/// What to send for a request: `reply`, `delay` after the request was read. `route` is what the
/// response is counted under.
struct Outcome {
  Reply reply;
  std::chrono::milliseconds delay{0};
  Route route = Route::kUnknown;
};

/// What a worker thread owns for the site. Thread affinity: used only on its worker's thread,
/// except that any thread may read `stats` (it is built for that).
struct WorkerSlot {
  explicit WorkerSlot(std::uint64_t seed) : random(seed) {}

  StatsShard stats;
  std::mt19937_64 random;  // tokens and delays; not a secure generator, this is a test target
};

class Site {
 public:
  /// `worker_count` slots are made, one per worker thread.
  Site(HeavyDelay heavy_delay, unsigned worker_count);

  /// Precondition: worker < worker_count.
  WorkerSlot& slot(unsigned worker) noexcept { return *slots_[worker]; }

  /// Answers one complete request. Called on `slot`'s worker thread; thread-safe otherwise
  /// (sessions are shared through the SessionStore, everything else is per slot or read-only).
  /// Counts the login events; the caller counts the response when it sends it.
  [[nodiscard]] Outcome handle(const Request& request, WorkerSlot& slot);

  /// The reply to a request that was not read whole: `status` is 400 (malformed), 413 (body over
  /// the limit) or 431 (headers over the limit). Asks to close the connection.
  [[nodiscard]] static Reply reject(boost::beast::http::status status, unsigned version);

  /// The route a request target (path and query) is addressed to.
  [[nodiscard]] static Route route_of(std::string_view target) noexcept;

 private:
  Outcome login_page(const Request& request, WorkerSlot& slot) const;
  Outcome login_submit(const Request& request, WorkerSlot& slot);
  Outcome index(const Request& request) const;
  Outcome heavy(const Request& request, WorkerSlot& slot) const;
  Outcome ajax(const Request& request) const;
  Outcome stats(const Request& request) const;

  const HeavyDelay heavy_delay_;
  const SiteContent content_;
  SessionStore sessions_;
  std::vector<std::unique_ptr<WorkerSlot>> slots_;
};

}  // namespace hornet::demo
