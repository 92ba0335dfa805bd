#include "web/routes.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "fake_backend.hpp"

namespace hornet::web {
namespace {

using testing::FakeBackend;
using testing::get;
using testing::post;

std::string header(const Reply& reply, std::string_view name) {
  for (const auto& [field, value] : reply.headers) {
    if (field == name) return value;
  }
  return {};
}

std::string first_line(const std::string& body) {
  return body.substr(0, body.find("\r\n"));
}

const std::vector<std::string> kEveryRoute = {"/",
                                              "/static/app.js",
                                              "/static/bokeh.min.js",
                                              "/stop",
                                              "/stats/reset",
                                              "/stats/requests",
                                              "/stats/requests/csv",
                                              "/stats/failures/csv",
                                              "/stats/requests_full_history/csv",
                                              "/exceptions",
                                              "/exceptions/csv",
                                              "/tasks",
                                              "/stats/report",
                                              "/stats/history",
                                              "/ui/config"};

TEST(Auth, EveryRouteNeedsTheCredentials) {
  FakeBackend backend;
  const RouterOptions options{.auth = "user:secret"};
  for (const auto& path : kEveryRoute) {
    const Reply reply = route(get(path), backend, options);
    EXPECT_EQ(reply.status, 401) << path;
    EXPECT_EQ(header(reply, "WWW-Authenticate"), "Basic realm=\"\"") << path;
    EXPECT_TRUE(reply.body.empty());
  }
  EXPECT_EQ(route(post("/swarm", "user_count=1&spawn_rate=1"), backend, options).status, 401);
  EXPECT_TRUE(backend.swarms.empty());
  EXPECT_EQ(backend.stops, 0);
  EXPECT_EQ(backend.resets, 0);
}

TEST(Auth, TheRightCredentialsPassAndWrongOnesDoNot) {
  FakeBackend backend;
  const RouterOptions options{.auth = "user:secret"};
  Request good = get("/stats/requests");
  good.headers.emplace_back("Authorization", "Basic dXNlcjpzZWNyZXQ=");  // user:secret
  EXPECT_EQ(route(good, backend, options).status, 200);
  Request wrong = get("/stats/requests");
  wrong.headers.emplace_back("Authorization", "Basic dXNlcjp3cm9uZw==");  // user:wrong
  EXPECT_EQ(route(wrong, backend, options).status, 401);
  Request garbage = get("/stats/requests");
  garbage.headers.emplace_back("Authorization", "Bearer xyz");
  EXPECT_EQ(route(garbage, backend, options).status, 401);
}

TEST(Swarm, BadInputIs400WithTheMessageAndStartsNothing) {
  FakeBackend backend;
  const Reply reply = route(post("/swarm", "user_count=-1&spawn_rate=1"), backend, {});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.content_type, "application/json");
  const auto body = nlohmann::json::parse(reply.body);
  EXPECT_EQ(body["success"], false);
  EXPECT_NE(body["message"].get<std::string>().find("negative"), std::string::npos);
  EXPECT_TRUE(backend.swarms.empty());
}

TEST(Swarm, GoodInputStartsWithLocustsAnswer) {
  FakeBackend backend;
  const Reply reply = route(post("/swarm", "user_count=10&spawn_rate=2&run_time=1m"), backend, {});
  EXPECT_EQ(reply.status, 200);
  const auto body = nlohmann::json::parse(reply.body);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["message"], "Swarming started");
  EXPECT_EQ(body["run_time"], 60);
  EXPECT_EQ(body["host"], "http://127.0.0.1:8000");
  ASSERT_EQ(backend.swarms.size(), 1u);
  EXPECT_EQ(backend.swarms[0].user_count, 10);
}

TEST(Swarm, WithAShapeNeedsNoCountsAndAnswersAsLocust) {
  // Locust's /swarm with a shape class ignores the user count and spawn rate.
  FakeBackend backend;
  backend.shape = true;
  const Reply reply = route(post("/swarm", "host=http%3A%2F%2F127.0.0.1%3A9"), backend, {});
  EXPECT_EQ(reply.status, 200);
  const auto body = nlohmann::json::parse(reply.body);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["message"], "Swarming started using shape class");
  ASSERT_EQ(backend.swarms.size(), 1u);
  EXPECT_EQ(backend.swarms[0].host, "http://127.0.0.1:9");
  // Garbage in the ignored fields is not an error either.
  EXPECT_EQ(route(post("/swarm", "user_count=-&spawn_rate=-"), backend, {}).status, 200);
}

TEST(Swarm, OnlyPost) {
  FakeBackend backend;
  const Reply reply = route(get("/swarm"), backend, {});
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(header(reply, "Allow"), "POST, OPTIONS");
}

TEST(Actions, StopAndResetAnswerAsLocust) {
  FakeBackend backend;
  const Reply stop = route(get("/stop"), backend, {});
  EXPECT_EQ(nlohmann::json::parse(stop.body),
            (nlohmann::json{{"message", "Test stopped"}, {"success", true}}));
  EXPECT_EQ(backend.stops, 1);
  const Reply reset = route(get("/stats/reset"), backend, {});
  EXPECT_EQ(reset.body, "ok");
  EXPECT_EQ(backend.resets, 1);
}

TEST(Csv, DownloadsHaveLocustsHeadersAndFileNames) {
  FakeBackend backend;
  const struct {
    const char* path;
    const char* prefix;
    const char* header;
  } cases[] = {
      {"/stats/requests/csv", "requests",
       "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min "
       "Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,"
       "80%,90%,95%,98%,99%,99.9%,99.99%,100%"},
      {"/stats/failures/csv", "failures", "Method,Name,Error,Occurrences"},
      {"/exceptions/csv", "exceptions", "Count,Message,Traceback,Nodes"},
  };
  for (const auto& c : cases) {
    const Reply reply = route(get(c.path), backend, {});
    EXPECT_EQ(reply.status, 200) << c.path;
    EXPECT_EQ(reply.content_type, "text/csv");
    EXPECT_EQ(first_line(reply.body), c.header);
    EXPECT_TRUE(header(reply, "Content-Disposition")
                    .starts_with(std::string("attachment;filename=") + c.prefix + "_"))
        << header(reply, "Content-Disposition");
  }
}

TEST(Csv, FullHistoryIs404WithoutTheOption) {
  FakeBackend backend;
  const Reply reply = route(get("/stats/requests_full_history/csv"), backend, {});
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, "Error: Server was not started with option to generate full history.");
}

TEST(Csv, FullHistoryServesTheFileAsWritten) {
  FakeBackend backend;
  const std::string path = ::testing::TempDir() + "/hornet_full_history.csv";
  std::ofstream(path) << "Timestamp,User Count\r\n1,2\r\n";
  backend.full_history_ = path;
  const Reply reply = route(get("/stats/requests_full_history/csv"), backend, {});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "Timestamp,User Count\r\n1,2\r\n");
  EXPECT_TRUE(header(reply, "Content-Disposition")
                  .starts_with("attachment; filename=requests_full_history_"));
  std::remove(path.c_str());
}

TEST(Routes, UnknownIs404AndWrongMethodIs405) {
  FakeBackend backend;
  EXPECT_EQ(route(get("/report"), backend, {}).status, 404);  // Locust 2.12 has no /report
  EXPECT_EQ(route(get("/static/nope.js"), backend, {}).status, 404);
  Request del = get("/stats/requests");
  del.method = "DELETE";
  const Reply reply = route(del, backend, {});
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(header(reply, "Allow"), "HEAD, GET, OPTIONS");
  Request options = get("/stats/requests");
  options.method = "OPTIONS";
  EXPECT_EQ(route(options, backend, {}).status, 200);
}

TEST(Routes, ReportDownloadIsAnAttachment) {
  FakeBackend backend;
  EXPECT_EQ(route(get("/stats/report"), backend, {}).body, "<html>report</html>");
  const Reply download = route(get("/stats/report", "download=1"), backend, {});
  EXPECT_TRUE(header(download, "Content-Disposition").starts_with("attachment;filename=report_"));
}

TEST(Routes, StaticFilesAndThePage) {
  FakeBackend backend;
  const Reply page = route(get("/"), backend, {});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  const Reply bokeh = route(get("/static/bokeh.min.js"), backend, {});
  EXPECT_EQ(bokeh.status, 200);
  EXPECT_EQ(bokeh.content_type, "application/javascript; charset=utf-8");
  EXPECT_GT(bokeh.body.size(), 500'000u);  // the real BokehJS, embedded
}

TEST(Routes, HistorySince) {
  FakeBackend backend;
  const auto all = nlohmann::json::parse(route(get("/stats/history"), backend, {}).body);
  ASSERT_EQ(all["time"].size(), 1u);
  const double t = all["time"][0];
  const auto none = nlohmann::json::parse(
      route(get("/stats/history", "since=" + std::to_string(t + 0.5)), backend, {}).body);
  EXPECT_TRUE(none["time"].empty());
}

}  // namespace
}  // namespace hornet::web
