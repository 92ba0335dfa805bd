// Counters of what hornet-demo served, for tests that compare a load test's counts against the
// server's. Exact under concurrency without a lock on the request path: each worker thread owns
// one StatsShard and is its only writer; /__demo/stats sums all shards into a StatsSnapshot.
#pragma once

#include <array>
#include <atomic>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

namespace hornet::demo {

/// What a request was addressed to, as far as the counters are concerned.
enum class Route : std::uint8_t {
  kLogin,      // /accounts/login/
  kIndex,      // /
  kHeavy,      // /heavy_url/
  kAjax,       // /another_heavy_ajax_url/
  kUnknown,    // any other path: 404
  kMalformed,  // could not be parsed (400, 431): no route is known
  kStats,      // /__demo/stats: never counted, so reading the counters does not change them
};
inline constexpr std::size_t kCountedRouteCount = 6;  // every Route before kStats

/// Things counted besides responses.
enum class Event : std::uint8_t {
  kLoginSucceeded,
  kCsrfRejected,
  kBadCredentials,
  kConnectionAccepted,
  kConnectionClosed,
  kConnectionTimedOut,  // closed by the server's idle/read timeout
  kTlsHandshakeFailed,
};
inline constexpr std::size_t kEventCount = 7;

/// The statuses hornet-demo can send; anything else is counted as "other" (a bug if it happens).
inline constexpr std::array<unsigned, 10> kCountedStatuses = {200, 302, 400, 401, 403,
                                                              404, 405, 413, 431, 500};
inline constexpr std::size_t kStatusSlots = kCountedStatuses.size() + 1;  // + "other"
inline constexpr std::size_t kVerbSlots =
    static_cast<std::size_t>(boost::beast::http::verb::unlink) + 1;
inline constexpr std::size_t kResponseCells = kCountedRouteCount * kVerbSlots * kStatusSlots;

/// One worker thread's counters. Thread affinity: the count_* functions are called only on the
/// owning worker's thread; any thread may read (StatsSnapshot::add).
class StatsShard {
 public:
  /// Counts one final response (not a 100 Continue). A response to Route::kStats is ignored.
  void count_response(Route route, boost::beast::http::verb method,
                      boost::beast::http::status status) noexcept;
  void count(Event event) noexcept;

 private:
  friend struct StatsSnapshot;

  // Single writer: a relaxed load and store is enough (no read-modify-write, no lock prefix),
  // and readers on other threads still see whole values.
  static void bump(std::atomic<std::uint64_t>& counter) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  std::array<std::atomic<std::uint64_t>, kResponseCells> responses_{};
  std::array<std::atomic<std::uint64_t>, kEventCount> events_{};
};

/// A sum of shards, taken by any thread. Each counter is read once; a snapshot taken while other
/// threads serve may mix slightly different moments of different shards, but a response whose
/// bytes a client has received is always included (it is counted before it is written).
struct StatsSnapshot {
  std::array<std::uint64_t, kResponseCells> responses{};
  std::array<std::uint64_t, kEventCount> events{};

  void add(const StatsShard& shard) noexcept;
};

/// The /__demo/stats document:
///   {"routes": {"/": {"GET": {"200": 5, "302": 1}}, ...,
///               "(unknown)": {...}, "(malformed)": {"OTHER": {"400": 1}}},
///    "responses": total, "logins_succeeded": n, "csrf_rejections": n, "bad_credentials": n,
///    "connections": {"accepted": n, "open": n, "timed_out": n, "tls_handshake_failed": n}}
/// Every counted route is present; methods and statuses only when non-zero. Unknown methods and
/// malformed requests are listed under "OTHER".
[[nodiscard]] std::string to_json(const StatsSnapshot& snapshot);

}  // namespace hornet::demo
