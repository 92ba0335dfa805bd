#include "dist/control_wire.hpp"

#include <gtest/gtest.h>

#include "dist/message.hpp"
#include "hex.hpp"

namespace hornet::dist {
namespace {

using testing::hex;
using testing::text_hex;

// Reference §3.2: a heartbeat as msgpack-python encodes it.
TEST(ControlWire, HeartbeatMatchesLocustBytes) {
  const Heartbeat h{"running", 3.8, 0x03688000};
  const std::string expected = "93a9" + text_hex("heartbeat") + "83a5" + text_hex("state") + "a7" +
                               text_hex("running") + "b1" + text_hex("current_cpu_usage") +
                               "cb400e666666666666" + "b4" + text_hex("current_memory_usage") +
                               "ce03688000" + "a2" + text_hex("w1");
  EXPECT_EQ(hex(encode(Message{"heartbeat", h.to_wire(), "w1"})), expected);
  Result<Heartbeat> back = Heartbeat::from_wire(h.to_wire());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->state, "running");
  EXPECT_EQ(back->current_cpu_usage, 3.8);
  EXPECT_EQ(back->current_memory_usage, 0x03688000u);
}

TEST(ControlWire, HeartbeatAcceptsAnIntCpuAndRejectsBadFields) {
  Result<Heartbeat> h = Heartbeat::from_wire(
      Map{{"state", "ready"}, {"current_cpu_usage", 0}, {"current_memory_usage", 1}});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->current_cpu_usage, 0.0);

  Result<Heartbeat> missing = Heartbeat::from_wire(Map{{"state", "ready"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "heartbeat.current_cpu_usage: missing");

  Result<Heartbeat> negative = Heartbeat::from_wire(
      Map{{"state", "ready"}, {"current_cpu_usage", 1.0}, {"current_memory_usage", -5}});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message,
            "heartbeat.current_memory_usage: expected a non-negative int, got int -5");

  Result<Heartbeat> not_a_map = Heartbeat::from_wire(Value("running"));
  ASSERT_FALSE(not_a_map.ok());
  EXPECT_EQ(not_a_map.error().message, "heartbeat: expected a map, got str");
}

// The payload of reference §3.3, as a Locust master sends it (abridged parsed_options).
Value locust_spawn() {
  return Map{{"timestamp", 1795808611.5136042},
             {"user_classes_count", Map{{"WebUser", 3}, {"AdminUser", 0}}},
             {"host", "http://127.0.0.1:18080"},
             {"stop_timeout", nullptr},
             {"parsed_options", Map{{"locustfile", "locustfile.py"},
                                    {"config", nullptr},
                                    {"web_port", 18091},
                                    {"headless", false},
                                    {"tags", nullptr},
                                    {"user_classes", Array{}}}}};
}

TEST(ControlWire, SpawnFromLocust) {
  Result<Spawn> s = Spawn::from_wire(locust_spawn());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->timestamp, 1795808611.5136042);
  EXPECT_EQ(s->user_classes_count, (std::map<std::string, int>{{"AdminUser", 0}, {"WebUser", 3}}));
  EXPECT_EQ(s->host, "http://127.0.0.1:18080");
  EXPECT_EQ(s->stop_timeout, std::nullopt);
  ASSERT_NE(s->parsed_options.find("web_port"), nullptr);
  EXPECT_EQ(s->parsed_options.find("web_port")->as_int(), 18091);
}

TEST(ControlWire, SpawnWithNilHostAndAStopTimeout) {
  Value data = locust_spawn();
  for (auto& [k, v] : *data.as_map()) {
    if (*k.as_string() == "host") v = nullptr;
    if (*k.as_string() == "stop_timeout") v = 10;
  }
  Result<Spawn> s = Spawn::from_wire(data);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->host, std::nullopt);
  EXPECT_EQ(s->stop_timeout, 10.0);
}

TEST(ControlWire, SpawnRoundTripKeepsLocustsTypesAndKeyOrder) {
  Spawn s;
  s.timestamp = 1795808611.5;
  s.user_classes_count = {{"A", 2}, {"B", 0}};
  s.host = std::nullopt;
  s.stop_timeout = 5;
  const Value wire = s.to_wire();
  const Map& m = *wire.as_map();
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].first, Value("timestamp"));
  EXPECT_EQ(m[1].first, Value("user_classes_count"));
  EXPECT_EQ(m[2].first, Value("host"));
  EXPECT_EQ(m[3].first, Value("stop_timeout"));
  EXPECT_EQ(m[4].first, Value("parsed_options"));
  EXPECT_TRUE(m[0].second.is_float());
  EXPECT_TRUE(m[2].second.is_nil());
  EXPECT_EQ(m[3].second, Value(5));  // int, as Locust sends it
  EXPECT_EQ(m[4].second, Value(Map{}));
  Result<Spawn> back = Spawn::from_wire(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->user_classes_count, s.user_classes_count);
  EXPECT_EQ(back->stop_timeout, 5.0);
  s.stop_timeout = 2.5;
  EXPECT_EQ(*s.to_wire().find("stop_timeout"), Value(2.5));
}

TEST(ControlWire, SpawnRejectsMalformedFields) {
  struct Case {
    std::string key;
    Value value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"timestamp", "now", "spawn.timestamp: expected a finite number, got str"},
      {"user_classes_count", Map{{"WebUser", -1}},
       "spawn.user_classes_count.WebUser: expected a non-negative int, got int -1"},
      {"user_classes_count", Map{{"WebUser", 3.0}},
       "spawn.user_classes_count.WebUser: expected a non-negative int, got float"},
      {"user_classes_count", Map{{1, 3}}, "spawn.user_classes_count: expected str keys, got int"},
      {"user_classes_count", Map{{"WebUser", std::int64_t{1} << 40}},
       "spawn.user_classes_count: count of WebUser too large"},
      {"user_classes_count", Array{}, "spawn.user_classes_count: expected a map, got array"},
      {"host", 5, "spawn.host: expected a str or nil, got int"},
      {"stop_timeout", -1, "spawn.stop_timeout: negative"},
      {"stop_timeout", "1m", "spawn.stop_timeout: expected a finite number or nil, got str"},
      {"parsed_options", Array{}, "spawn.parsed_options: expected a map, got array"},
  };
  for (const Case& c : cases) {
    Value data = locust_spawn();
    for (auto& [k, v] : *data.as_map()) {
      if (*k.as_string() == c.key) v = c.value;
    }
    Result<Spawn> s = Spawn::from_wire(data);
    ASSERT_FALSE(s.ok()) << c.message;
    EXPECT_EQ(s.error().message.substr(0, c.message.size()), c.message) << s.error().message;
  }
  Value no_host = locust_spawn();
  no_host.as_map()->erase(no_host.as_map()->begin() + 2);
  Result<Spawn> s = Spawn::from_wire(no_host);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "spawn.host: missing");
}

TEST(ControlWire, SpawningComplete) {
  const SpawningComplete c{{{"WebUser", 2}}, 2};
  EXPECT_EQ(c.to_wire(),
            Value(Map{{"user_classes_count", Map{{"WebUser", 2}}}, {"user_count", 2}}));
  Result<SpawningComplete> back = SpawningComplete::from_wire(c.to_wire());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->user_classes_count, c.user_classes_count);
  EXPECT_EQ(back->user_count, 2);
  EXPECT_FALSE(SpawningComplete::from_wire(Map{{"user_classes_count", Map{}}}).ok());
  EXPECT_FALSE(
      SpawningComplete::from_wire(Map{{"user_classes_count", Map{}}, {"user_count", -2}}).ok());
}

TEST(ControlWire, Exception) {
  const Value wire = exception_to_wire("ZeroDivisionError('x')", "  File \"a.py\", line 1\n");
  EXPECT_EQ(wire, Value(Map{{"msg", "ZeroDivisionError('x')"},
                            {"traceback", "  File \"a.py\", line 1\n"}}));
  Result<ExceptionReport> back = exception_from_wire(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, (ExceptionReport{"ZeroDivisionError('x')", "  File \"a.py\", line 1\n"}));
  Result<ExceptionReport> bad = exception_from_wire(Map{{"msg", "x"}, {"traceback", nullptr}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "exception.traceback: expected a str, got nil");
}

TEST(ControlWire, Ack) {
  EXPECT_EQ(Ack{3}.to_wire(), Value(Map{{"index", 3}}));
  EXPECT_EQ(Ack::from_wire(Map{{"index", 3}})->index, 3);
  EXPECT_EQ(Ack::from_wire(nullptr)->index, std::nullopt);  // an old master's ack
  EXPECT_EQ(Ack::from_wire(Map{})->index, std::nullopt);
  EXPECT_FALSE(Ack::from_wire(Map{{"index", "0"}}).ok());
  EXPECT_FALSE(Ack::from_wire(Value(1)).ok());
}

}  // namespace
}  // namespace hornet::dist
