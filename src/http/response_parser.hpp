// An incremental HTTP/1.1 (and 1.0) response parser, fed with whatever bytes a socket read
// returned. No I/O, no exceptions, no callbacks: the connection code calls
//
//   parser.reset(method == "HEAD" ? ResponseTo::kHead : ResponseTo::kOtherMethod);
//   while (true) {
//     n = co_await read_some(buffer);             // 0 at end of stream
//     if (n == 0) state = parser.finish_at_eof();  // kComplete only for read-until-close bodies
//     else { auto [used, state] = parser.parse(buffer[0..n]); keep buffer[used..n] for the next
//            response (pipelining) or report it as garbage; }
//     if (state == kComplete) break; if (state == kError) fail with parser.error();
//   }
//   if (!parser.keep_alive()) close the connection (also when bytes were left over).
//   parser.take_head(head); parser.take_body(body);
//
// What it accepts (RFC 9112; lenient where real servers differ, strict where smuggling lives):
//   - Leading empty lines before the status line are skipped; lines may end in CRLF or a bare LF.
//   - Status line "HTTP/1.x SP 3DIGIT [SP reason]": the reason may be empty (and the SP before it
//     missing); 1.x above 1.1 is treated as 1.1; other major versions are errors; codes < 100
//     are errors.
//   - Header fields "name: value": names must be tokens (so whitespace before the colon is an
//     error); values are trimmed of SP/HTAB; control characters other than HTAB are errors;
//     obs-fold (a line starting with whitespace) is an error; duplicates are kept in order.
//   - 1xx interim responses other than 101 (100 Continue, 103 Early Hints) are skipped: the
//     parser goes on with the next response head in the same stream.
//   - Body framing per RFC 9112 §6.3, decided in this order:
//       1. no body for a response to HEAD and for 1xx, 204 and 304 (Content-Length ignored);
//       2. Transfer-Encoding: only "chunked" is supported, and only once; any other coding
//          ("gzip, chunked", "identity") is an error. Chunk extensions are ignored, trailer
//          fields are read and dropped. If Content-Length is also present, chunked wins and the
//          connection is not reused (keep_alive() false), as it is for Transfer-Encoding in an
//          HTTP/1.0 response;
//       3. Content-Length: digits only; "42, 42" and identical duplicates are allowed,
//          differing values are an error, as are values that overflow 64 bits;
//       4. otherwise the body runs until the connection closes (finish_at_eof()).
//   - keep_alive(): HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
//     "Connection: keep-alive"; never for read-until-close bodies, 101, or after an error.
//
// Storage: the header block (status line to blank line, as received) lives in one std::string
// inside a ResponseHead, with the fields as offsets into it, so the whole head moves into a
// Response without copying a field; the decoded (de-chunked) body is appended to one std::string.
// take_head()/take_body() swap them with the caller's objects, so a caller that hands back its
// spent buffers makes the parser allocation-free once warm.
//
// Thread affinity: a parser belongs to one connection and is used on that connection's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <hornet/http.hpp>
#include <hornet/result.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/ascii.hpp"

namespace hornet::http {

/// Where one header field's name and value lie in the header block (the type
/// hornet::ResponseHeaders keeps, so a ResponseHead becomes one without conversion).
using HeaderSpan = ResponseHeaders::Span;

/// One header field, as views into its header block.
struct HeaderField {
  std::string_view name;
  std::string_view value;
};

/// The first value of the field `name` (ASCII case-insensitive) in a header block indexed by
/// `spans`; nullopt when there is none. Shared by ResponseHead and hornet::ResponseHeaders.
std::optional<std::string_view> find_header(std::string_view block,
                                            std::span<const HeaderSpan> spans,
                                            std::string_view name) noexcept;

/// The status line and header fields of one response.
class ResponseHead {
 public:
  int status_code() const noexcept { return status_code_; }
  /// 0 for HTTP/1.0, 1 for HTTP/1.1 (and any later 1.x).
  int version_minor() const noexcept { return version_minor_; }
  /// The reason phrase, possibly empty.
  std::string_view reason() const noexcept {
    return std::string_view(block_).substr(reason_offset_, reason_size_);
  }
  /// The raw header block, from the status line to the blank line included.
  std::string_view block() const noexcept { return block_; }
  const std::vector<HeaderSpan>& spans() const noexcept { return spans_; }

  std::size_t size() const noexcept { return spans_.size(); }
  bool empty() const noexcept { return spans_.empty(); }
  /// Field `i` in arrival order. Precondition: i < size().
  HeaderField operator[](std::size_t i) const noexcept {
    const HeaderSpan& s = spans_[i];
    const std::string_view block(block_);
    return {block.substr(s.name_offset, s.name_size), block.substr(s.value_offset, s.value_size)};
  }
  /// The first value of `name` (case-insensitive), if any.
  std::optional<std::string_view> find(std::string_view name) const noexcept {
    return find_header(block_, spans_, name);
  }
  /// Calls f(value) for every field called `name` (case-insensitive), in order.
  template <class F>
  void for_each_value(std::string_view name, F&& f) const;
  /// Whether any field called `name` lists `token` (comma-separated, case-insensitive), as in
  /// has_token("connection", "close").
  bool has_token(std::string_view name, std::string_view token) const noexcept;

  class Iterator {
   public:
    Iterator(const ResponseHead* head, std::size_t i) : head_(head), i_(i) {}
    HeaderField operator*() const noexcept { return (*head_)[i_]; }
    Iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& other) const noexcept { return i_ == other.i_; }

   private:
    const ResponseHead* head_;
    std::size_t i_;
  };
  Iterator begin() const noexcept { return {this, 0}; }
  Iterator end() const noexcept { return {this, spans_.size()}; }

  /// Moves the block and the field index into a hornet::ResponseHeaders; this head is empty
  /// afterwards (status and reason included, so read them first).
  ResponseHeaders take_headers();

  void swap(ResponseHead& other) noexcept;
  /// Empties the head, keeping its storage's capacity.
  void clear() noexcept;

 private:
  friend class ResponseParser;

  std::string block_;
  std::vector<HeaderSpan> spans_;
  std::uint32_t reason_offset_ = 0;
  std::uint32_t reason_size_ = 0;
  std::uint16_t status_code_ = 0;
  std::uint8_t version_minor_ = 0;
};

template <class F>
void ResponseHead::for_each_value(std::string_view name, F&& f) const {
  for (const HeaderField field : *this) {
    if (ascii::iequals(field.name, name)) f(field.value);
  }
}

/// What the response answers: a HEAD request's response has no body whatever it says.
enum class ResponseTo : std::uint8_t { kOtherMethod, kHead };

enum class ParseState : std::uint8_t {
  kNeedMore,  // feed more bytes (or call finish_at_eof() at end of stream)
  kComplete,  // head and body are complete; bytes after them were not consumed
  kError,     // see error(); the connection must be closed
};

struct [[nodiscard]] ParseResult {
  /// Bytes of the input that belong to this response (all of them while kNeedMore).
  std::size_t consumed = 0;
  ParseState state = ParseState::kNeedMore;
};

enum class BodyFraming : std::uint8_t { kNone, kContentLength, kChunked, kUntilClose };

struct ParserLimits {
  /// Status line, header fields and blank line, in bytes; also bounds a chunked trailer.
  std::size_t max_head_bytes = 64 * 1024;
  /// Header fields in one response head.
  std::size_t max_header_count = 100;
  /// The decoded (de-chunked) body, in bytes.
  std::uint64_t max_body_bytes = std::uint64_t{1} << 30;
};

class ResponseParser {
 public:
  explicit ResponseParser(ParserLimits limits = {});

  /// Call between responses (before reset()), not while one is being parsed.
  void set_limits(const ParserLimits& limits) noexcept { limits_ = limits; }
  const ParserLimits& limits() const noexcept { return limits_; }

  /// Prepares for the response to the next request; keeps the storage's capacity. Must be
  /// called before each response (a new parser starts reset for kOtherMethod).
  void reset(ResponseTo request);

  /// Consumes bytes of the response. Stops at its end: bytes after a complete response are not
  /// consumed (the next pipelined response, or garbage the caller reports). After kComplete or
  /// kError, consumes nothing and returns the same state until reset().
  ParseResult parse(std::string_view bytes);

  /// The peer closed the stream: completes a read-until-close body, and otherwise turns an
  /// unfinished response into an error ("connection closed after 10 of 20 body bytes").
  ParseState finish_at_eof();

  ParseState state() const noexcept;
  /// Why parsing failed (empty unless state() is kError): one line, for the failures table.
  const std::string& error() const noexcept { return error_; }
  /// Whether any byte of this response has arrived (a keep-alive connection closed before that
  /// is the usual stale-connection case, which a caller may retry on a new connection).
  bool started() const noexcept { return bytes_received_ > 0; }
  /// Whether the (final, non-1xx) head has been parsed; head() is valid from then on.
  bool head_complete() const noexcept { return head_complete_; }

  const ResponseHead& head() const noexcept { return head_; }
  /// The body received so far, de-chunked.
  const std::string& body() const noexcept { return body_; }
  /// Valid once head_complete().
  BodyFraming framing() const noexcept { return framing_; }
  /// The Content-Length the body is framed by, when framing() is kContentLength.
  std::uint64_t content_length() const noexcept { return content_length_; }
  /// Whether the connection may carry the next request once this response is complete.
  bool keep_alive() const noexcept { return keep_alive_ && phase_ != Phase::kError; }

  /// Swaps the parsed head into `into` (whose old storage the parser keeps for reuse).
  /// Precondition: head_complete().
  void take_head(ResponseHead& into) noexcept;
  /// Swaps the body into `into` (whose old storage the parser keeps for reuse).
  void take_body(std::string& into) noexcept;

 private:
  enum class Phase : std::uint8_t {
    kStart,  // skipping empty lines before a status line
    kHead,
    kBodyLength,
    kBodyUntilClose,
    kChunkSize,
    kChunkSizeWhitespace,
    kChunkExtension,
    kChunkSizeLf,
    kChunkData,
    kChunkDataCr,
    kChunkDataLf,
    kTrailers,
    kDone,
    kError,
  };

  std::size_t skip_empty_lines(std::string_view in);
  std::size_t consume_head(std::string_view in);
  void on_head_complete();
  Result<void> parse_status_line(std::string_view line);
  Result<void> parse_fields(std::string_view lines);
  Result<void> choose_framing();
  std::size_t consume_length(std::string_view in);
  std::size_t consume_until_close(std::string_view in);
  std::size_t consume_chunk_framing(std::string_view in);
  bool end_chunk_size_line();
  std::size_t consume_chunk_data(std::string_view in);
  std::size_t consume_trailers(std::string_view in);
  void fail(std::string message);

  ParserLimits limits_;
  ResponseHead head_;
  std::string body_;
  std::string error_;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t content_length_ = 0;
  std::uint64_t remaining_ = 0;   // of the Content-Length body or of the current chunk
  std::uint64_t chunk_size_ = 0;  // while reading a chunk size line
  std::size_t line_start_ = 0;    // in head_.block_, of the line being scanned
  std::size_t line_bytes_ = 0;    // of the chunk extension or trailer line being read
  std::size_t trailer_bytes_ = 0;
  bool chunk_has_digits_ = false;
  bool head_complete_ = false;
  bool keep_alive_ = false;
  ResponseTo request_ = ResponseTo::kOtherMethod;
  BodyFraming framing_ = BodyFraming::kNone;
  Phase phase_ = Phase::kStart;
};

}  // namespace hornet::http
