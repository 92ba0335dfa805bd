// The response parser on the responses the peer benchmark gets from nginx: the 86-byte static
// file of case (a) in one read, the same split across two reads (head, then body), and a chunked
// JSON body. Each iteration is one response as the session handles it: reset, parse, take the
// head and body (handing the spent buffers back, so the loop is allocation-free once warm).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "http/response_parser.hpp"

namespace {

using hornet::http::ParseState;
using hornet::http::ResponseHead;
using hornet::http::ResponseParser;
using hornet::http::ResponseTo;

// nginx 1.22's answer to GET /hello.txt, byte for byte (the Date and ETag vary, not the size).
constexpr std::string_view kStaticResponse =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx\r\n"
    "Date: Fri, 27 Nov 2026 21:00:14 GMT\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 86\r\n"
    "Last-Modified: Fri, 27 Nov 2026 21:00:06 GMT\r\n"
    "Connection: keep-alive\r\n"
    "ETag: \"6b09ef56-56\"\r\n"
    "Accept-Ranges: bytes\r\n"
    "\r\n"
    "Hello from nginx: the small static file of benchmark case (a), about a hundred bytes.\n";

// A JSON body in two chunks, as nginx sends a body it does not know the length of in advance.
const std::string kChunkedResponse = [] {
  const std::string json =
      R"({"status": "ok", "ajax": true, "data": {"count": 42, "next": null, "tags": ["a", "b"]}})";
  const std::size_t half = json.size() / 2;
  auto chunk = [](std::string_view data) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return std::string(size).append(data).append("\r\n");
  };
  return std::string(
             "HTTP/1.1 200 OK\r\n"
             "Server: nginx\r\n"
             "Date: Fri, 27 Nov 2026 21:00:14 GMT\r\n"
             "Content-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n"
             "Connection: keep-alive\r\n"
             "Set-Cookie: sessionid=q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3; Path=/; HttpOnly\r\n"
             "\r\n") +
         chunk(json.substr(0, half)) + chunk(json.substr(half)) + "0\r\n\r\n";
}();

// Parses `reads` (one response, in that many pieces) once per iteration.
template <class... Reads>
void parse_loop(benchmark::State& state, const Reads&... reads) {
  ResponseParser parser;
  ResponseHead head;
  std::string body;
  std::size_t bytes = 0;
  for (auto _ : state) {
    parser.reset(ResponseTo::kOtherMethod);
    ParseState last = ParseState::kNeedMore;
    ((last = parser.parse(std::string_view(reads)).state), ...);
    if (last != ParseState::kComplete) {
      state.SkipWithError("the response did not parse");
      break;
    }
    parser.take_head(head);
    parser.take_body(body);
    benchmark::DoNotOptimize(head.status_code());
    benchmark::DoNotOptimize(body.data());
    bytes += (reads.size() + ...);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_ParseStaticOneRead(benchmark::State& state) {
  parse_loop(state, kStaticResponse);
}
BENCHMARK(BM_ParseStaticOneRead);

void BM_ParseStaticTwoReads(benchmark::State& state) {
  const std::size_t head_end = kStaticResponse.find("\r\n\r\n") + 4;
  parse_loop(state, kStaticResponse.substr(0, head_end), kStaticResponse.substr(head_end));
}
BENCHMARK(BM_ParseStaticTwoReads);

void BM_ParseChunkedJson(benchmark::State& state) {
  parse_loop(state, kChunkedResponse);
}
BENCHMARK(BM_ParseChunkedJson);

// What the session does after a parse on the static response: find a header by name.
void BM_HeadFindContentType(benchmark::State& state) {
  ResponseParser parser;
  if (parser.parse(kStaticResponse).state != ParseState::kComplete) {
    state.SkipWithError("the response did not parse");
    return;
  }
  for (auto _ : state) {
    auto value = parser.head().find("content-type");
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_HeadFindContentType);

}  // namespace
