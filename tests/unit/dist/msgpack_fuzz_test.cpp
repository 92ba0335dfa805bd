// Robustness of the decoders on hostile input: random bytes and mutations of valid messages,
// from a fixed seed so that a failure reproduces. The assertion is that nothing crashes, hangs,
// throws or trips ASan/UBSan (CI runs this under the sanitizers), and that whatever decodes
// re-encodes to something that decodes to the same value.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dist/control_wire.hpp"
#include "dist/message.hpp"
#include "dist/msgpack.hpp"
#include "dist/stats_wire.hpp"
#include "hex.hpp"

namespace hornet::dist {
namespace {

// Valid messages to mutate: the shapes Locust sends.
std::vector<std::string> seeds() {
  stats::Delta delta;
  stats::EntryDelta entry;
  entry.name = "/slow";
  entry.method = "GET";
  entry.last_request_timestamp = 1795808587.9897463;
  entry.start_time = 1795808586.3260884;
  entry.num_requests = 3;
  entry.num_failures = 1;
  entry.total_response_time = 450'000;
  entry.min_response_time = 140'000;
  entry.max_response_time = 160'000;
  entry.response_times.record(140'000);
  entry.response_times.record(150'000);
  entry.response_times.record(160'000);
  entry.num_reqs_per_sec.add(1795808586, 3);
  entry.num_fail_per_sec.add(1795808586, 1);
  delta.entries.push_back(entry);
  delta.total = entry;
  delta.total.name = "Aggregated";
  delta.total.method = "";
  delta.errors.push_back({"GET", "/slow", "HTTPError('500')", 1});

  Spawn spawn;
  spawn.timestamp = 1795808611.5136042;
  spawn.user_classes_count = {{"WebUser", 3}};
  spawn.host = "http://127.0.0.1:18080";
  spawn.parsed_options = Map{{"num_users", nullptr}, {"web_port", 18091}};

  return {
      encode(Message{"stats",
                     report_to_wire(delta, {{"WebUser", 2}}, 2, HornetHistograms::kInclude), "w1"}),
      encode(Message{"spawn", spawn.to_wire(), "w1"}),
      encode(Message{"heartbeat", Heartbeat{"running", 3.8, 57180160}.to_wire(), "w1"}),
      encode(Message{"client_ready", "2.12.1", "vm_c5b4686450324732ab9e73c917ef947e"}),
      encode(Value(Array{UINT64_MAX, INT64_MIN, -1.5, Binary{"x"}, true, Map{{1.5, Array{}}}})),
  };
}

// Decodes `bytes` every way the protocol layer does: as msgpack, then its message data (or the
// whole value) as each kind of message data. If `thorough`, also checks that what decodes
// re-encodes to bytes that decode to the same encoding, and runs decode_message() (which decodes
// again, so only in some rounds to keep the test fast). Returns whether `bytes` decoded.
bool exercise(const std::string& bytes, bool thorough) {
  Result<Value> value = decode(bytes);
  if (!value) return false;
  const Value* data = &*value;
  if (const Array* items = value->as_array(); items != nullptr && items->size() == 3) {
    data = &(*items)[1];
  }
  (void)report_from_wire(*data);
  (void)Spawn::from_wire(*data);
  (void)Heartbeat::from_wire(*data);
  (void)SpawningComplete::from_wire(*data);
  (void)Ack::from_wire(*data);
  (void)exception_from_wire(*data);
  if (thorough) {
    const std::string again = encode(*value);
    Result<Value> back = decode(again);
    EXPECT_TRUE(back.ok()) << testing::hex(bytes);
    // NaN payloads compare unequal; compare encodings instead.
    if (back) {
      EXPECT_EQ(encode(*back), again) << testing::hex(bytes);
    }
    (void)decode_message(bytes);
  }
  return true;
}

TEST(MsgpackFuzz, RandomAndMutatedInputsNeverCrash) {
  const auto started = std::chrono::steady_clock::now();
  std::mt19937_64 rng(20240611);
  auto below = [&rng](std::size_t n) {
    return static_cast<std::size_t>(rng() % n);
  };
  const std::vector<std::string> valid = seeds();
  for (const std::string& s : valid) ASSERT_TRUE(decode(s).ok());

  // Bytes that steer the decoder into its interesting branches.
  static constexpr unsigned char kTags[] = {0xc0, 0xc1, 0xc4, 0xc6, 0xca, 0xcb, 0xcf, 0xd3,
                                            0xd4, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x80,
                                            0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xff, 0x00, 0x7f};
  int decoded = 0;
  constexpr int kRounds = 150'000;
  for (int round = 0; round < kRounds; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      // Random bytes, biased towards tags.
      const std::size_t n = below(40);
      for (std::size_t i = 0; i < n; ++i) {
        bytes.push_back(static_cast<char>(rng() % 2 ? kTags[below(sizeof kTags)] : rng()));
      }
    } else {
      // valid[0], the stats report, is 5-10 times larger than the others and dominates the run
      // time: mutate it in one round of eight.
      bytes = below(8) == 0 ? valid[0] : valid[1 + below(valid.size() - 1)];
      const std::size_t mutations = 1 + below(4);
      for (std::size_t m = 0; m < mutations && !bytes.empty(); ++m) {
        const std::size_t at = below(bytes.size());
        switch (below(5)) {
          case 0:
            bytes[at] = static_cast<char>(rng());
            break;
          case 1:
            bytes[at] = static_cast<char>(kTags[below(sizeof kTags)]);
            break;
          case 2:
            bytes.erase(at, 1 + below(8));
            break;
          case 3:
            bytes.insert(at, 1, static_cast<char>(rng()));
            break;
          default:
            bytes.resize(at);
            break;
        }
      }
    }
    decoded += exercise(bytes, round % 8 == 1) ? 1 : 0;
    if (HasFailure()) return;
  }
  // Mutations that keep a message valid exist (a changed digit): the loop reached the
  // successful paths too, not only the early rejections.
  EXPECT_GT(decoded, 1000);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  RecordProperty(
      "elapsed_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

}  // namespace
}  // namespace hornet::dist
