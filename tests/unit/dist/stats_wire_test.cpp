#include "dist/stats_wire.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dist/error_key.hpp"
#include "dist/message.hpp"
#include "hex.hpp"
#include "stats/aggregate.hpp"

namespace hornet::dist {
namespace {

using testing::hex;

stats::EntryDelta slow_entry() {
  stats::EntryDelta e;
  e.name = "/slow";
  e.method = "GET";
  e.last_request_timestamp = 1795808587.9897463;
  e.start_time = 1795808586.3260884;
  e.num_requests = 2;
  e.num_failures = 1;
  e.total_response_time = 300'500;
  e.max_response_time = 150'500;
  e.min_response_time = 150'000;
  e.total_content_length = 600;
  e.response_times.record(150'000);
  e.response_times.record(150'500);
  e.num_reqs_per_sec.add(1795808586);
  e.num_reqs_per_sec.add(1795808587);
  e.num_fail_per_sec.add(1795808587);
  return e;
}

stats::Delta slow_delta() {
  stats::Delta d;
  d.entries.push_back(slow_entry());
  d.total = slow_entry();
  d.total.name = "Aggregated";
  d.total.method = "";
  d.errors.push_back(
      {"GET", "/slow", "HTTPError('500 Server Error: INTERNAL SERVER ERROR for url: /slow')", 1});
  return d;
}

// msgpack.packb(("stats", report, "w1")) of the equivalent Python report (msgpack-python 1.0.3);
// only the response_times key differs from a HttpUser's (int 150 where HttpUser sends 150.0).
constexpr std::string_view kSlowReportHex =
    "93a5737461747385a57374617473918ea46e616d65a52f736c6f77a66d6574686f64a3474554b66c6173745f72"
    "6571756573745f74696d657374616d70cb41dac27752ff5801aa73746172745f74696d65cb41dac2775294dea2"
    "ac6e756d5f726571756573747302b16e756d5f6e6f6e655f726571756573747300ac6e756d5f6661696c757265"
    "7301b3746f74616c5f726573706f6e73655f74696d65cb4072c80000000000b16d61785f726573706f6e73655f"
    "74696d65cb4062d00000000000b16d696e5f726573706f6e73655f74696d65cb4062c00000000000b4746f7461"
    "6c5f636f6e74656e745f6c656e677468cd0258ae726573706f6e73655f74696d657381cc9602b06e756d5f7265"
    "71735f7065725f73656382ce6b09dd4a01ce6b09dd4b01b06e756d5f6661696c5f7065725f73656381ce6b09dd"
    "4b01ab73746174735f746f74616c8ea46e616d65aa41676772656761746564a66d6574686f64a0b66c6173745f"
    "726571756573745f74696d657374616d70cb41dac27752ff5801aa73746172745f74696d65cb41dac2775294de"
    "a2ac6e756d5f726571756573747302b16e756d5f6e6f6e655f726571756573747300ac6e756d5f6661696c7572"
    "657301b3746f74616c5f726573706f6e73655f74696d65cb4072c80000000000b16d61785f726573706f6e7365"
    "5f74696d65cb4062d00000000000b16d696e5f726573706f6e73655f74696d65cb4062c00000000000b4746f74"
    "616c5f636f6e74656e745f6c656e677468cd0258ae726573706f6e73655f74696d657381cc9602b06e756d5f72"
    "6571735f7065725f73656382ce6b09dd4a01ce6b09dd4b01b06e756d5f6661696c5f7065725f73656381ce6b09"
    "dd4b01a66572726f727381d94032643161636165643234666633643564353738646364653935623637313936"
    "6632373731653839623432646435393363656434663530333137323432326333398 4a46e616d65a52f736c6f77"
    "a66d6574686f64a3474554a56572726f72d943485454504572726f72282735303020536572766572204572726f"
    "723a20494e5445524e414c20534552564552204552524f5220666f722075726c3a202f736c6f772729ab6f6363"
    "757272656e63657301b2757365725f636c61737365735f636f756e7481a75765625573657202aa757365725f63"
    "6f756e7402a27731";

std::string without_spaces(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

TEST(StatsWire, ReportMatchesLocustBytes) {
  const Value report = report_to_wire(slow_delta(), {{"WebUser", 2}}, 2, HornetHistograms::kOmit);
  EXPECT_EQ(hex(encode(Message{"stats", report, "w1"})), without_spaces(kSlowReportHex));
}

// Reference §3.4: the report before the first request (min None; total and max the int 0).
TEST(StatsWire, EmptyReportMatchesLocustBytes) {
  stats::Delta d;
  d.total.name = "Aggregated";
  d.total.start_time = 1795808586.5;
  EXPECT_EQ(hex(encode(report_to_wire(d, {}, 0, HornetHistograms::kOmit))),
            "85a5737461747390ab73746174735f746f74616c8ea46e616d65aa41676772656761746564a66d65"
            "74686f64a0b66c6173745f726571756573745f74696d657374616d70c0aa73746172745f74696d65cb"
            "41dac27752a00000ac6e756d5f726571756573747300b16e756d5f6e6f6e655f726571756573747300"
            "ac6e756d5f6661696c7572657300b3746f74616c5f726573706f6e73655f74696d6500b16d61785f72"
            "6573706f6e73655f74696d6500b16d696e5f726573706f6e73655f74696d65c0b4746f74616c5f636f"
            "6e74656e745f6c656e67746800ae726573706f6e73655f74696d657380b06e756d5f726571735f7065"
            "725f73656380b06e756d5f6661696c5f7065725f73656380a66572726f727380b2757365725f636c61"
            "737365735f636f756e7480aa757365725f636f756e7400");
}

TEST(StatsWire, IdleEntriesAreOmitted) {
  stats::Delta d = slow_delta();
  stats::EntryDelta idle;
  idle.name = "/idle";
  idle.method = "GET";
  d.entries.insert(d.entries.begin(), idle);
  const Value report = report_to_wire(d, {}, 0, HornetHistograms::kInclude);
  EXPECT_EQ(report.find("stats")->as_array()->size(), 1u);
  Result<WireReport> back = report_from_wire(report);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->delta.entries.size(), 1u);
  EXPECT_EQ(back->delta.entries[0].name, "/slow");
}

void expect_same_entry(const stats::EntryDelta& a, const stats::EntryDelta& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.method, b.method);
  EXPECT_EQ(a.last_request_timestamp, b.last_request_timestamp);
  EXPECT_EQ(a.start_time, b.start_time);
  EXPECT_EQ(a.num_requests, b.num_requests);
  EXPECT_EQ(a.num_none_requests, b.num_none_requests);
  EXPECT_EQ(a.num_failures, b.num_failures);
  EXPECT_EQ(a.total_response_time, b.total_response_time);
  EXPECT_EQ(a.min_response_time, b.min_response_time);
  EXPECT_EQ(a.max_response_time, b.max_response_time);
  EXPECT_EQ(a.total_content_length, b.total_content_length);
  EXPECT_TRUE(a.response_times == b.response_times) << a.name;
  EXPECT_EQ(a.num_reqs_per_sec, b.num_reqs_per_sec);
  EXPECT_EQ(a.num_fail_per_sec, b.num_fail_per_sec);
}

// A worker's delta with `requests` requests spread over a few entries, response times from
// 1 µs to 20 s, and a big-number sum that float milliseconds would not carry exactly.
stats::Delta random_delta(std::uint64_t seed, int requests) {
  std::mt19937_64 rng(seed);
  stats::Delta d;
  d.total.name = "Aggregated";
  d.total.start_time = 1795808586.25;
  for (const char* name : {"/", "/api", "/slow"}) {
    stats::EntryDelta e;
    e.name = name;
    e.method = "GET";
    e.start_time = 1795808586.25;
    d.entries.push_back(e);
  }
  for (int i = 0; i < requests; ++i) {
    stats::EntryDelta& e = d.entries[rng() % d.entries.size()];
    const stats::Micros rt = 1 + (rng() % 5 == 0 ? rng() % 20'000'000 : rng() % 3'000);
    const double now = 1795808586.25 + static_cast<double>(rng() % 3000) / 1000.0;
    const bool failed = rng() % 10 == 0;
    for (stats::EntryDelta* target : {&e, &d.total}) {
      ++target->num_requests;
      target->num_failures += failed ? 1 : 0;
      target->total_response_time += rt;
      target->min_response_time = std::min(target->min_response_time.value_or(rt), rt);
      target->max_response_time = std::max(target->max_response_time, rt);
      target->total_content_length += rng() % 100'000;
      target->response_times.record(rt);
      target->num_reqs_per_sec.add(stats::epoch_second(now));
      if (failed) target->num_fail_per_sec.add(stats::epoch_second(now));
      target->last_request_timestamp = std::max(target->last_request_timestamp.value_or(now), now);
    }
    if (failed) {
      bool found = false;
      for (auto& error : d.errors) {
        if (error.name == e.name) {
          ++error.occurrences;
          found = true;
        }
      }
      if (!found) d.errors.push_back({"GET", e.name, "HTTPError('500 " + e.name + "')", 1});
    }
  }
  d.total.total_response_time += std::uint64_t{1} << 60;  // beyond float64's exact integers
  return d;
}

TEST(StatsWire, HornetToHornetRoundTripIsExact) {
  const stats::Delta d = random_delta(7, 5'000);
  const std::string bytes = encode(Message{
      "stats", report_to_wire(d, {{"A", 3}, {"B", 1}}, 4, HornetHistograms::kInclude), "w1"});
  Result<Message> message = decode_message(bytes);
  ASSERT_TRUE(message.ok());
  Result<WireReport> back = report_from_wire(message->data);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->exact);
  ASSERT_EQ(back->delta.entries.size(), d.entries.size());
  for (std::size_t i = 0; i < d.entries.size(); ++i) {
    expect_same_entry(back->delta.entries[i], d.entries[i]);
  }
  expect_same_entry(back->delta.total, d.total);
  ASSERT_EQ(back->delta.errors.size(), d.errors.size());
  for (std::size_t i = 0; i < d.errors.size(); ++i) {
    EXPECT_EQ(back->delta.errors[i].method, d.errors[i].method);
    EXPECT_EQ(back->delta.errors[i].name, d.errors[i].name);
    EXPECT_EQ(back->delta.errors[i].error, d.errors[i].error);
    EXPECT_EQ(back->delta.errors[i].occurrences, d.errors[i].occurrences);
  }
  EXPECT_EQ(back->user_classes_count, (std::map<std::string, int>{{"A", 3}, {"B", 1}}));
  EXPECT_EQ(back->user_count, 4);
  EXPECT_TRUE(back->delta.exceptions.empty());
}

TEST(StatsWire, ErrorsAreKeyedLikeLocust) {
  const Value report = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kOmit);
  const Map& errors = *report.find("errors")->as_map();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(
      *errors[0].first.as_string(),
      locust_error_key("GET", "/slow",
                       "HTTPError('500 Server Error: INTERNAL SERVER ERROR for url: /slow')"));
  EXPECT_EQ(*errors[0].second.find("occurrences"), Value(1));
}

// The report of reference §3.4 as a Locust HttpUser worker sends it: float milliseconds, a
// histogram with int and float keys.
Value locust_report() {
  const Value slow = Map{{"name", "/slow"},
                         {"method", "GET"},
                         {"last_request_timestamp", 1795808587.9897463},
                         {"start_time", 1795808586.3260884},
                         {"num_requests", 5},
                         {"num_none_requests", 0},
                         {"num_failures", 0},
                         {"total_response_time", 769.4411219999893},
                         {"max_response_time", 154.58698099996582},
                         {"min_response_time", 153.60752700001967},
                         {"total_content_length", 600},
                         {"response_times", Map{{150.0, 5}}},
                         {"num_reqs_per_sec", Map{{1795808586, 2}, {1795808587, 3}}},
                         {"num_fail_per_sec", Map{}}};
  const Value total = Map{{"name", "Aggregated"},
                          {"method", ""},
                          {"last_request_timestamp", 1795808587.9897463},
                          {"start_time", 1795808586.3260884},
                          {"num_requests", 35},
                          {"num_none_requests", 0},
                          {"num_failures", 6},
                          {"total_response_time", 900.25},
                          {"max_response_time", 154.58698099996582},
                          {"min_response_time", 1.75},
                          {"total_content_length", 4000},
                          {"response_times", Map{{12, 2}, {4, 4}, {3, 20}, {150.0, 5}, {2, 4}}},
                          {"num_reqs_per_sec", Map{{1795808587, 20}, {1795808586, 15}}},
                          {"num_fail_per_sec", Map{{1795808587, 6}}}};
  return Map{{"stats", Array{slow}},
             {"stats_total", total},
             {"errors", Map{{"33ebcf6d03d43da563c71699559efcc66f6b2ed8d2e765a06f84a4e3a6214b37",
                             Map{{"name", "/missing"},
                                 {"method", "GET"},
                                 {"error",
                                  "HTTPError('404 Client Error: Not Found for url: "
                                  "http://127.0.0.1:18080/missing')"},
                                 {"occurrences", 6}}}}},
             {"user_classes_count", Map{{"WebUser", 2}}},
             {"user_count", 2},
             {"custom_listener_key", Array{1, 2}}};
}

TEST(StatsWire, FromALocustWorker) {
  Result<WireReport> r = report_from_wire(locust_report());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->exact);
  ASSERT_EQ(r->delta.entries.size(), 1u);
  const stats::EntryDelta& slow = r->delta.entries[0];
  EXPECT_EQ(slow.num_requests, 5u);
  EXPECT_EQ(slow.total_response_time, 769'441u);  // ms → µs, rounded to nearest
  EXPECT_EQ(slow.max_response_time, 154'587u);
  EXPECT_EQ(slow.min_response_time, 153'608u);
  EXPECT_EQ(slow.response_times.count(), 5u);
  EXPECT_EQ(slow.response_times.locust_response_times(),
            (std::vector<stats::RoundedBucket>{{150, 5}}));
  EXPECT_EQ(slow.num_reqs_per_sec.get(1795808587), 3u);

  const stats::EntryDelta& total = r->delta.total;
  EXPECT_EQ(total.method, "");
  EXPECT_EQ(total.num_failures, 6u);
  EXPECT_EQ(total.min_response_time, 1'750u);
  // Each key's count at the key's value: rounding the rebuilt histogram gives the keys back.
  EXPECT_EQ(total.response_times.locust_response_times(),
            (std::vector<stats::RoundedBucket>{{2, 4}, {3, 20}, {4, 4}, {12, 2}, {150, 5}}));
  // Keys arrived out of order; the per-second counts are sorted.
  ASSERT_EQ(total.num_reqs_per_sec.size(), 2u);
  EXPECT_EQ(total.num_reqs_per_sec.items()[0], (stats::PerSecondCounts::Item{1795808586, 15}));

  ASSERT_EQ(r->delta.errors.size(), 1u);
  EXPECT_EQ(r->delta.errors[0].name, "/missing");
  EXPECT_EQ(r->delta.errors[0].occurrences, 6u);
  EXPECT_EQ(r->user_classes_count, (std::map<std::string, int>{{"WebUser", 2}}));
  EXPECT_EQ(r->user_count, 2);
}

TEST(StatsWire, LocustsNoneMethodAndNoneMinAreAccepted) {
  Value report = locust_report();
  for (auto& [key, value] : *report.as_map()) {
    if (*key.as_string() != "stats_total") continue;
    for (auto& [k, v] : *value.as_map()) {
      if (*k.as_string() == "method" || *k.as_string() == "min_response_time") v = nullptr;
    }
  }
  Result<WireReport> r = report_from_wire(report);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->delta.total.method, "");
  EXPECT_EQ(r->delta.total.min_response_time, std::nullopt);
}

// Without the extension (what a Locust master gets), counts are still exact and the rounded
// histogram is what Hornet itself would show.
TEST(StatsWire, WithoutTheExtensionCountsStayExact) {
  const stats::Delta d = random_delta(11, 3'000);
  Result<WireReport> r =
      report_from_wire(*decode(encode(report_to_wire(d, {}, 0, HornetHistograms::kOmit))));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->exact);
  for (std::size_t i = 0; i < d.entries.size(); ++i) {
    const auto& a = r->delta.entries[i];
    const auto& b = d.entries[i];
    EXPECT_EQ(a.num_requests, b.num_requests);
    EXPECT_EQ(a.num_failures, b.num_failures);
    EXPECT_EQ(a.total_content_length, b.total_content_length);
    EXPECT_EQ(a.num_reqs_per_sec, b.num_reqs_per_sec);
    EXPECT_EQ(a.num_fail_per_sec, b.num_fail_per_sec);
    EXPECT_EQ(a.min_response_time, b.min_response_time);  // µs → float ms → µs is exact here
    EXPECT_EQ(a.max_response_time, b.max_response_time);
    EXPECT_EQ(a.total_response_time, b.total_response_time);
    EXPECT_EQ(a.response_times.count(), b.response_times.count());
    EXPECT_EQ(a.response_times.locust_response_times(), b.response_times.locust_response_times());
  }
}

// The master's total is the sum of its workers' reports, to the request.
TEST(StatsWire, MasterTotalEqualsTheSumOfWorkers) {
  stats::Aggregate master(1795808586.0);
  master.clear_all(1795808586.0);
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  stats::Histogram histogram;
  for (std::uint64_t worker = 0; worker < 4; ++worker) {
    const stats::Delta d = random_delta(100 + worker, 2'000 + 500 * static_cast<int>(worker));
    requests += d.total.num_requests;
    failures += d.total.num_failures;
    histogram.merge(d.total.response_times);
    Result<Message> m =
        decode_message(encode(Message{"stats", report_to_wire(d, {}, 0, HornetHistograms::kInclude),
                                      "w" + std::to_string(worker)}));
    ASSERT_TRUE(m.ok());
    Result<WireReport> r = report_from_wire(m->data);
    ASSERT_TRUE(r.ok()) << r.error().message;
    master.merge(r->delta, 1795808590.0, m->node_id);
  }
  EXPECT_EQ(master.total().num_requests(), requests);
  EXPECT_EQ(master.total().num_failures(), failures);
  EXPECT_TRUE(master.total().histogram() == histogram);
  std::uint64_t entry_requests = 0;
  for (const stats::StatsEntry& e : master.entries()) entry_requests += e.num_requests();
  EXPECT_EQ(entry_requests, requests);
  std::uint64_t error_occurrences = 0;
  for (const stats::StatsError& e : master.errors()) error_occurrences += e.occurrences;
  EXPECT_EQ(error_occurrences, failures);
}

TEST(StatsWire, AnExtensionOfAnotherVersionOrLayoutIsIgnored) {
  for (const Value& ext :
       {Value(Map{{"version", 2}}),
        Value(Map{{"version", 1}, {"histogram", Array{8, 32}}, {"stats", Array{}}})}) {
    Value report = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kOmit);
    report.as_map()->emplace_back("hornet", ext);
    Result<WireReport> r = report_from_wire(report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->exact);
    EXPECT_EQ(r->delta.entries[0].response_times.count(), 2u);
  }
}

// Replaces the value at `path` (keys and array indices) in `v`.
void set_at(Value& v, const std::vector<std::string>& path, Value replacement,
            std::size_t depth = 0) {
  if (depth == path.size()) {
    v = std::move(replacement);
    return;
  }
  if (Array* a = v.as_array()) {
    set_at((*a)[std::stoul(path[depth])], path, std::move(replacement), depth + 1);
    return;
  }
  for (auto& [k, item] : *v.as_map()) {
    if (k.as_string() != nullptr && *k.as_string() == path[depth]) {
      set_at(item, path, std::move(replacement), depth + 1);
      return;
    }
  }
  FAIL() << "no key " << path[depth];
}

void erase_key(Value& map, const std::string& key) {
  std::erase_if(*map.as_map(), [&](const auto& kv) { return *kv.first.as_string() == key; });
}

TEST(StatsWire, MalformedReportsAreErrorsNamingTheField) {
  struct Case {
    std::vector<std::string> path;
    Value value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"stats"}, Map{}, "stats.stats: expected an array, got map"},
      {{"stats", "0"}, "x", "stats: stats[0]: expected a map, got str"},
      {{"stats", "0", "num_requests"},
       -1,
       "stats: stats[0].num_requests: expected a non-negative int, got int -1"},
      {{"stats", "0", "num_requests"},
       5.0,
       "stats: stats[0].num_requests: expected a non-negative int, got float"},
      {{"stats", "0", "name"}, nullptr, "stats: stats[0].name: expected a str, got nil"},
      {{"stats", "0", "start_time"}, nullptr, "stats: stats[0].start_time: expected a finite"},
      {{"stats", "0", "total_response_time"},
       -0.5,
       "stats: stats[0].total_response_time: expected a non-negative number of milliseconds"},
      {{"stats", "0", "max_response_time"}, 1e300, "stats: stats[0].max_response_time"},
      {{"stats", "0", "response_times"}, Map{{"150", 5}}, "stats: stats[0].response_times"},
      {{"stats", "0", "response_times"}, Map{{-3, 5}}, "stats: stats[0].response_times"},
      {{"stats", "0", "response_times"}, Map{{3, -5}}, "stats: stats[0].response_times"},
      {{"stats", "0", "response_times"},
       Map{{3, UINT64_MAX}, {4, 1}},
       "stats: stats[0].response_times: counts overflow"},
      {{"stats", "0", "num_reqs_per_sec"},
       Map{{1.5, 1}},
       "stats: stats[0].num_reqs_per_sec: expected an epoch second"},
      {{"stats", "0", "num_fail_per_sec"},
       Array{},
       "stats: stats[0].num_fail_per_sec: expected a map"},
      {{"stats_total"}, Array{}, "stats: stats_total: expected a map, got array"},
      {{"errors"}, Array{}, "stats.errors: expected a map"},
      {{"errors"},
       Map{{"k", Map{{"name", "/"}, {"method", "GET"}, {"error", "e"}}}},
       "stats: errors[k].occurrences: missing"},
      {{"user_count"}, -1, "stats.user_count: expected a non-negative int"},
      {{"user_count"}, std::int64_t{1} << 40, "stats.user_count: too large"},
      {{"user_classes_count"}, Map{{"A", "2"}}, "stats.user_classes_count.A"},
  };
  for (const Case& c : cases) {
    Value report = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kOmit);
    set_at(report, c.path, c.value);
    Result<WireReport> r = report_from_wire(report);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.error().message.substr(0, c.message.size()), c.message) << r.error().message;
  }
  for (const std::string key :
       {"stats", "stats_total", "errors", "user_classes_count", "user_count"}) {
    Value report = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kOmit);
    erase_key(report, key);
    Result<WireReport> r = report_from_wire(report);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "stats." + key + ": missing");
  }
  Value entry_without_key = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kOmit);
  erase_key((*entry_without_key.as_map())[0].second.as_array()->at(0), "num_fail_per_sec");
  Result<WireReport> r = report_from_wire(entry_without_key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "stats: stats[0].num_fail_per_sec: missing");
  EXPECT_FALSE(report_from_wire(Value("stats")).ok());
}

TEST(StatsWire, MalformedHornetExtensionsAreErrors) {
  struct Case {
    std::vector<std::string> path;
    Value value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"hornet"}, Array{}, "stats: hornet: expected a map"},
      {{"hornet", "stats"}, Array{}, "stats: hornet.stats has 0 items for 1 entries"},
      {{"hornet", "stats_total"}, Array{1, 2, 3}, "stats: hornet.stats_total: expected"},
      {{"hornet", "stats_total", "0"}, -1, "stats: hornet.stats_total: expected"},
      {{"hornet", "stats_total", "3"}, Array{1}, "stats: hornet.stats_total: odd number"},
      {{"hornet", "stats_total", "3"}, Array{5, 1, 0, 1}, "stats: hornet.stats_total: bucket 1"},
      {{"hornet", "stats_total", "3"}, Array{5, 0}, "stats: hornet.stats_total: bucket 0"},
      {{"hornet", "stats_total", "3"},
       Array{stats::Histogram::kBucketCount, 1},
       "stats: hornet.stats_total: bucket index out of range"},
      {{"hornet", "stats_total", "3"}, Array{1, UINT64_MAX, 1, 1}, "counts overflow"},
  };
  for (const Case& c : cases) {
    Value report = report_to_wire(slow_delta(), {}, 0, HornetHistograms::kInclude);
    set_at(report, c.path, c.value);
    Result<WireReport> r = report_from_wire(report);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
  }
}

TEST(StatsWire, ExtensionEncodingIsCompactAndDocumented) {
  stats::Delta d;
  d.total.name = "Aggregated";
  d.total.num_requests = 3;
  d.total.total_response_time = 1'300;
  d.total.min_response_time = 100;
  d.total.max_response_time = 1'000;
  d.total.response_times.record(100);
  d.total.response_times.record(200);
  d.total.response_times.record(1'000);
  const Value report = report_to_wire(d, {}, 3, HornetHistograms::kInclude);
  const Value* ext = report.find("hornet");
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(*ext->find("version"), Value(1));
  EXPECT_EQ(*ext->find("histogram"), Value(Array{7, 32}));
  // Buckets 100 and 200 are exact (below 256 µs); 1000 µs is in the bucket [1000, 1004) of
  // index 256 + 1 * 128 + (1000 >> 2) - 128 = 506.
  EXPECT_EQ(*ext->find("stats_total"),
            Value(Array{1'300, 100, 1'000, Array{100, 1, 100, 1, 306, 1}}));
}

}  // namespace
}  // namespace hornet::dist
