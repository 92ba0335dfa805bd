#include "http/response_parser.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace hornet::http {
namespace {

// A chunk size line's extension is ignored, but an endless one must not keep a connection busy.
constexpr std::size_t kMaxChunkExtensionBytes = 4096;
// The body string grows geometrically past this, so a huge declared Content-Length does not
// reserve memory before the bytes arrive.
constexpr std::uint64_t kMaxBodyReserve = 1 << 20;

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Field values may hold HTAB, SP, visible ASCII, DEL and obs-text; any other control character
// (NUL and a lone CR above all) makes the response invalid (RFC 9110 §5.5).
// The first LF in [p, end), or end.
const char* find_newline(const char* p, const char* end) {
  if (p >= end) return end;
  const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
  return found != nullptr ? static_cast<const char*>(found) : end;
}

bool is_valid_field_value(std::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && byte != '\t') return false;
  }
  return true;
}

Result<void> parse_content_length(std::string_view list, bool& seen, std::uint64_t& length) {
  std::string_view problem;
  bool conflict = false;
  bool too_large = false;
  ascii::for_each_list_element(list, [&](std::string_view element) {
    std::uint64_t value = 0;
    for (char c : element) {
      if (!ascii::is_digit(c)) {
        problem = element;
        return false;
      }
      if (value > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) {
        problem = element;
        too_large = true;
        return false;
      }
      value = value * 10 + std::uint64_t(c - '0');
    }
    if (seen && value != length) {
      problem = element;
      conflict = true;
      return false;
    }
    seen = true;
    length = value;
    return true;
  });
  if (too_large) {
    return Error{"Content-Length " + ascii::quote_for_message(problem) + " is too large"};
  }
  if (conflict) {
    return Error{"conflicting Content-Length values " + std::to_string(length) + " and " +
                 std::string(problem)};
  }
  if (!problem.empty() || !seen) {
    return Error{"invalid Content-Length " + ascii::quote_for_message(list)};
  }
  return {};
}

}  // namespace

std::optional<std::string_view> find_header(std::string_view block,
                                            std::span<const HeaderSpan> spans,
                                            std::string_view name) noexcept {
  for (const HeaderSpan& span : spans) {
    if (span.name_size == name.size() &&
        ascii::iequals(block.substr(span.name_offset, span.name_size), name)) {
      return block.substr(span.value_offset, span.value_size);
    }
  }
  return std::nullopt;
}

bool ResponseHead::has_token(std::string_view name, std::string_view token) const noexcept {
  bool found = false;
  for_each_value(name, [&](std::string_view value) {
    if (found) return;
    ascii::for_each_list_element(value, [&](std::string_view element) {
      found = ascii::iequals(element, token);
      return !found;
    });
  });
  return found;
}

ResponseHeaders ResponseHead::take_headers() {
  ResponseHeaders headers(std::move(block_), std::move(spans_));
  clear();  // moved-from strings and vectors are valid but unspecified
  return headers;
}

void ResponseHead::swap(ResponseHead& other) noexcept {
  block_.swap(other.block_);
  spans_.swap(other.spans_);
  std::swap(reason_offset_, other.reason_offset_);
  std::swap(reason_size_, other.reason_size_);
  std::swap(status_code_, other.status_code_);
  std::swap(version_minor_, other.version_minor_);
}

void ResponseHead::clear() noexcept {
  block_.clear();
  spans_.clear();
  reason_offset_ = reason_size_ = 0;
  status_code_ = 0;
  version_minor_ = 0;
}

ResponseParser::ResponseParser(ParserLimits limits) : limits_(limits) {
  reset(ResponseTo::kOtherMethod);
}

void ResponseParser::reset(ResponseTo request) {
  head_.clear();
  body_.clear();
  error_.clear();
  bytes_received_ = content_length_ = remaining_ = chunk_size_ = 0;
  line_start_ = line_bytes_ = trailer_bytes_ = 0;
  chunk_has_digits_ = false;
  head_complete_ = false;
  keep_alive_ = false;
  request_ = request;
  framing_ = BodyFraming::kNone;
  phase_ = Phase::kStart;
}

ParseState ResponseParser::state() const noexcept {
  switch (phase_) {
    case Phase::kDone:
      return ParseState::kComplete;
    case Phase::kError:
      return ParseState::kError;
    default:
      return ParseState::kNeedMore;
  }
}

ParseResult ResponseParser::parse(std::string_view bytes) {
  std::size_t used = 0;
  // Every step either consumes a byte or moves to another phase, so this terminates.
  while (used < bytes.size() && phase_ != Phase::kDone && phase_ != Phase::kError) {
    const std::string_view rest = bytes.substr(used);
    switch (phase_) {
      case Phase::kStart:
        used += skip_empty_lines(rest);
        break;
      case Phase::kHead:
        used += consume_head(rest);
        break;
      case Phase::kBodyLength:
        used += consume_length(rest);
        break;
      case Phase::kBodyUntilClose:
        used += consume_until_close(rest);
        break;
      case Phase::kChunkData:
        used += consume_chunk_data(rest);
        break;
      case Phase::kTrailers:
        used += consume_trailers(rest);
        break;
      default:
        used += consume_chunk_framing(rest);
        break;
    }
  }
  bytes_received_ += used;
  return {used, state()};
}

ParseState ResponseParser::finish_at_eof() {
  switch (phase_) {
    case Phase::kDone:
    case Phase::kError:
      break;
    case Phase::kBodyUntilClose:
      phase_ = Phase::kDone;
      break;
    case Phase::kStart:
    case Phase::kHead:
      if (bytes_received_ == 0) {
        fail("connection closed before any response bytes arrived");
      } else {
        fail("connection closed before the response headers were complete (" +
             std::to_string(head_.block_.size()) + " bytes of headers received)");
      }
      break;
    case Phase::kBodyLength:
      fail("connection closed after " + std::to_string(content_length_ - remaining_) + " of " +
           std::to_string(content_length_) + " body bytes");
      break;
    case Phase::kTrailers:
      fail("connection closed in the trailer section of a chunked body");
      break;
    default:
      fail("connection closed in the middle of a chunked body (" + std::to_string(body_.size()) +
           " body bytes received)");
      break;
  }
  return state();
}

void ResponseParser::take_head(ResponseHead& into) noexcept {
  head_.swap(into);
  head_.clear();
}

void ResponseParser::take_body(std::string& into) noexcept {
  body_.swap(into);
  body_.clear();
}

void ResponseParser::fail(std::string message) {
  error_ = std::move(message);
  phase_ = Phase::kError;
  keep_alive_ = false;
}

std::size_t ResponseParser::skip_empty_lines(std::string_view in) {
  std::size_t i = 0;
  while (i < in.size() && (in[i] == '\r' || in[i] == '\n')) ++i;
  if (i < in.size()) phase_ = Phase::kHead;
  return i;
}

std::size_t ResponseParser::consume_head(std::string_view in) {
  std::string& block = head_.block_;
  // Look for the blank line ending the head before copying, so that body bytes are never copied
  // into the block. Lines can span reads: line_start_ is a position in block + in.
  const std::string_view window = in.substr(0, limits_.max_head_bytes - block.size());
  const auto char_at = [&](std::size_t position) {
    return position < block.size() ? block[position] : window[position - block.size()];
  };
  std::size_t end = std::string_view::npos;
  for (std::size_t pos = 0; pos < window.size();) {
    const void* found = std::memchr(window.data() + pos, '\n', window.size() - pos);
    if (found == nullptr) break;
    const std::size_t i = static_cast<std::size_t>(static_cast<const char*>(found) - window.data());
    const std::size_t newline = block.size() + i;
    const std::size_t line_size = newline - line_start_;
    if (line_size == 0 || (line_size == 1 && char_at(line_start_) == '\r')) {
      end = i + 1;
      break;
    }
    line_start_ = newline + 1;
    pos = i + 1;
  }
  const std::size_t taken = std::min(end, window.size());
  const bool check_prefix = block.size() < 5;
  block.append(window.data(), taken);
  // Something that is not HTTP (a TLS alert, an SSH banner, a stray body) fails at once rather
  // than after the head limit or a timeout.
  if (check_prefix) {
    const std::size_t n = std::min<std::size_t>(block.size(), 5);
    if (block.compare(0, n, "HTTP/", n) != 0) {
      fail("the response does not start with 'HTTP/': " +
           ascii::quote_for_message(block.substr(0, block.find('\n'))));
      return taken;
    }
  }
  if (end == std::string_view::npos) {
    if (block.size() >= limits_.max_head_bytes) {
      fail("the response header block exceeds the limit of " +
           std::to_string(limits_.max_head_bytes) + " bytes");
    }
    return taken;
  }
  on_head_complete();
  return taken;
}

void ResponseParser::on_head_complete() {
  const std::string_view block = head_.block_;
  const std::size_t status_end = block.find('\n');
  if (Result<void> status = parse_status_line(strip_cr(block.substr(0, status_end))); !status) {
    return fail(status.error().message);
  }
  if (Result<void> fields = parse_fields(block.substr(status_end + 1)); !fields) {
    return fail(fields.error().message);
  }
  const int status = head_.status_code_;
  if (status >= 100 && status < 200 && status != 101) {
    // An interim response: the final one follows on the same stream.
    head_.clear();
    line_start_ = 0;
    phase_ = Phase::kStart;
    return;
  }
  if (Result<void> chosen = choose_framing(); !chosen) return fail(chosen.error().message);
  head_complete_ = true;
}

Result<void> ResponseParser::parse_status_line(std::string_view line) {
  const auto malformed = [&] {
    return Error{"malformed status line " + ascii::quote_for_message(line)};
  };
  // "HTTP/1.1 200" is the shortest valid status line.
  if (line.size() < 12 || !line.starts_with("HTTP/") || !ascii::is_digit(line[5]) ||
      line[6] != '.' || !ascii::is_digit(line[7]) || line[8] != ' ') {
    return malformed();
  }
  if (line[5] != '1') {
    return Error{"unsupported HTTP version " + ascii::quote_for_message(line.substr(0, 8)) +
                 " (only HTTP/1.0 and HTTP/1.1 are supported)"};
  }
  if (!ascii::is_digit(line[9]) || !ascii::is_digit(line[10]) || !ascii::is_digit(line[11]) ||
      (line.size() > 12 && line[12] != ' ')) {
    return malformed();
  }
  const int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (status < 100) return Error{"invalid status code in " + ascii::quote_for_message(line)};
  const std::size_t reason_offset = std::min<std::size_t>(line.size(), 13);
  const std::string_view reason = line.substr(reason_offset);
  if (!is_valid_field_value(reason)) {
    return Error{"invalid character in the reason phrase of " + ascii::quote_for_message(line)};
  }
  head_.status_code_ = static_cast<std::uint16_t>(status);
  head_.version_minor_ = line[7] == '0' ? 0 : 1;
  head_.reason_offset_ = static_cast<std::uint32_t>(reason_offset);
  head_.reason_size_ = static_cast<std::uint32_t>(reason.size());
  return {};
}

Result<void> ResponseParser::parse_fields(std::string_view lines) {
  const std::string_view block = head_.block_;
  std::vector<HeaderSpan>& spans = head_.spans_;
  if (spans.capacity() == 0) spans.reserve(16);  // one allocation for a typical response
  const std::size_t lines_offset = static_cast<std::size_t>(lines.data() - block.data());
  const char* const begin = lines.data();
  const char* const end = begin + lines.size();
  // One pass per line: the name (tchar up to the colon), then the value (up to LF, checking for
  // control characters on the way). The block is known to end with an empty line.
  const char* p = begin;
  while (p < end) {
    const char* const line = p;
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) return {};  // the blank line
    if (ascii::is_ows(*p)) {
      const char* newline = find_newline(p, end);
      return Error{"obsolete line folding (a header line starting with whitespace): " +
                   ascii::quote_for_message(
                       strip_cr(std::string_view(line, static_cast<std::size_t>(newline - line))))};
    }
    while (p < end && ascii::is_tchar(*p)) ++p;
    if (p == end || *p != ':') {
      const char* newline = find_newline(line, end);
      const std::string_view whole =
          strip_cr(std::string_view(line, static_cast<std::size_t>(newline - line)));
      const std::size_t colon = whole.find(':');
      if (colon == std::string_view::npos) {
        return Error{"malformed header line (no colon) " + ascii::quote_for_message(whole)};
      }
      return Error{"invalid header name " + ascii::quote_for_message(whole.substr(0, colon))};
    }
    const std::string_view name(line, static_cast<std::size_t>(p - line));
    if (name.empty()) {
      return Error{"invalid header name " + ascii::quote_for_message(name)};
    }
    ++p;  // the colon
    while (p < end && ascii::is_ows(*p)) ++p;
    const char* const value_begin = p;
    const char* const newline = find_newline(p, end);
    p = newline;
    const char* value_end = newline;
    if (value_end > value_begin && value_end[-1] == '\r') --value_end;
    // Branch-free over the value, so the compiler can vectorise it.
    unsigned bad = 0;
    for (const char* q = value_begin; q < value_end; ++q) {
      const auto byte = static_cast<unsigned char>(*q);
      bad |= static_cast<unsigned>(byte < 0x20) & static_cast<unsigned>(byte != '\t');
    }
    while (value_end > value_begin && ascii::is_ows(value_end[-1])) --value_end;
    if (bad != 0) {
      return Error{"invalid character in the value of header " + ascii::quote_for_message(name)};
    }
    if (spans.size() == limits_.max_header_count) {
      return Error{"the response has more than " + std::to_string(limits_.max_header_count) +
                   " header fields"};
    }
    // Offsets fit in 32 bits: the block is bounded by max_head_bytes.
    spans.push_back(HeaderSpan{
        .name_offset = static_cast<std::uint32_t>(lines_offset + (line - begin)),
        .name_size = static_cast<std::uint32_t>(name.size()),
        .value_offset = static_cast<std::uint32_t>(lines_offset + (value_begin - begin)),
        .value_size = static_cast<std::uint32_t>(value_end - value_begin),
    });
    ++p;  // the LF
  }
  return {};
}

Result<void> ResponseParser::choose_framing() {
  bool close = false;
  bool keep_alive = false;
  bool has_transfer_encoding = false;
  bool has_content_length = false;
  std::uint64_t content_length = 0;
  const bool no_body = request_ == ResponseTo::kHead || head_.status_code_ < 200 ||
                       head_.status_code_ == 204 || head_.status_code_ == 304;
  for (const HeaderField field : head_) {
    // Dispatch on the length first: most fields are none of these three.
    switch (field.name.size()) {
      case 10:
        if (ascii::iequals(field.name, "connection")) {
          ascii::for_each_list_element(field.value, [&](std::string_view token) {
            if (ascii::iequals(token, "close")) close = true;
            if (ascii::iequals(token, "keep-alive")) keep_alive = true;
            return true;
          });
        }
        break;
      case 14:
        if (!no_body && ascii::iequals(field.name, "content-length")) {
          if (Result<void> parsed =
                  parse_content_length(field.value, has_content_length, content_length);
              !parsed) {
            return parsed;
          }
        }
        break;
      case 17:
        if (!no_body && ascii::iequals(field.name, "transfer-encoding")) {
          std::string_view unsupported;
          bool twice = false;
          ascii::for_each_list_element(field.value, [&](std::string_view coding) {
            if (!ascii::iequals(coding, "chunked")) {
              unsupported = coding;
              return false;
            }
            twice = has_transfer_encoding;
            has_transfer_encoding = true;
            return !twice;
          });
          if (!unsupported.empty()) {
            return Error{"unsupported Transfer-Encoding " + ascii::quote_for_message(unsupported) +
                         " in " + ascii::quote_for_message(field.value) +
                         " (only chunked is supported)"};
          }
          if (twice) return Error{"Transfer-Encoding applies chunked more than once"};
          if (!has_transfer_encoding) return Error{"empty Transfer-Encoding header"};
        }
        break;
      default:
        break;
    }
  }

  const bool http11 = head_.version_minor_ >= 1;
  keep_alive_ = http11 ? !close : keep_alive && !close;
  if (no_body) {
    framing_ = BodyFraming::kNone;
    if (head_.status_code_ == 101) keep_alive_ = false;  // the connection is no longer HTTP
    phase_ = Phase::kDone;
  } else if (has_transfer_encoding) {
    // Both headers, or chunked in HTTP/1.0, is how requests are smuggled: read this response
    // as chunked (RFC 9112 §6.3) but trust nothing after it on this connection.
    if (has_content_length || !http11) keep_alive_ = false;
    framing_ = BodyFraming::kChunked;
    chunk_size_ = 0;
    chunk_has_digits_ = false;
    phase_ = Phase::kChunkSize;
  } else if (has_content_length) {
    if (content_length > limits_.max_body_bytes) {
      return Error{"Content-Length " + std::to_string(content_length) +
                   " exceeds the body limit of " + std::to_string(limits_.max_body_bytes) +
                   " bytes"};
    }
    framing_ = BodyFraming::kContentLength;
    content_length_ = remaining_ = content_length;
    body_.reserve(static_cast<std::size_t>(std::min(content_length, kMaxBodyReserve)));
    phase_ = content_length == 0 ? Phase::kDone : Phase::kBodyLength;
  } else {
    framing_ = BodyFraming::kUntilClose;
    keep_alive_ = false;
    phase_ = Phase::kBodyUntilClose;
  }
  return {};
}

std::size_t ResponseParser::consume_length(std::string_view in) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
  body_.append(in.data(), n);
  remaining_ -= n;
  if (remaining_ == 0) phase_ = Phase::kDone;
  return n;
}

std::size_t ResponseParser::consume_until_close(std::string_view in) {
  if (in.size() > limits_.max_body_bytes - body_.size()) {
    fail("the response body exceeds the limit of " + std::to_string(limits_.max_body_bytes) +
         " bytes");
    return 0;
  }
  body_.append(in);
  return in.size();
}

std::size_t ResponseParser::consume_chunk_data(std::string_view in) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
  body_.append(in.data(), n);
  remaining_ -= n;
  if (remaining_ == 0) phase_ = Phase::kChunkDataCr;
  return n;
}

// The chunk size line and the CRLF after chunk data are a few bytes each: a byte-wise state
// machine is simplest and costs nothing next to the data.
std::size_t ResponseParser::consume_chunk_framing(std::string_view in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    switch (phase_) {
      case Phase::kChunkSize:
        if (const int digit = ascii::hex_value(c); digit >= 0) {
          if (chunk_size_ > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
            fail("chunk size overflows 64 bits");
            return i;
          }
          chunk_size_ = chunk_size_ * 16 + std::uint64_t(digit);
          chunk_has_digits_ = true;
          continue;
        }
        if (!chunk_has_digits_) {
          fail("invalid chunk size: expected a hex digit, got " +
               ascii::quote_for_message(in.substr(i, 1)));
          return i;
        }
        [[fallthrough]];
      case Phase::kChunkSizeWhitespace:
        if (ascii::is_ows(c)) {
          phase_ = Phase::kChunkSizeWhitespace;
        } else if (c == ';') {
          phase_ = Phase::kChunkExtension;
          line_bytes_ = 0;
        } else if (c == '\r') {
          phase_ = Phase::kChunkSizeLf;
        } else if (c == '\n') {
          if (!end_chunk_size_line()) return i;
          return i + 1;
        } else {
          fail("invalid character " + ascii::quote_for_message(in.substr(i, 1)) +
               " in a chunk size line");
          return i;
        }
        continue;
      case Phase::kChunkExtension:
        if (c == '\n') {
          if (!end_chunk_size_line()) return i;
          return i + 1;
        }
        if (++line_bytes_ > kMaxChunkExtensionBytes) {
          fail("chunk extension longer than " + std::to_string(kMaxChunkExtensionBytes) + " bytes");
          return i;
        }
        continue;
      case Phase::kChunkSizeLf:
        if (c != '\n') {
          fail("missing LF after CR in a chunk size line");
          return i;
        }
        if (!end_chunk_size_line()) return i;
        return i + 1;
      case Phase::kChunkDataCr:
        if (c == '\r') {
          phase_ = Phase::kChunkDataLf;
          continue;
        }
        [[fallthrough]];
      case Phase::kChunkDataLf:
        if (c != '\n') {
          fail("missing CRLF after chunk data (got " + ascii::quote_for_message(in.substr(i, 1)) +
               ")");
          return i;
        }
        phase_ = Phase::kChunkSize;
        chunk_size_ = 0;
        chunk_has_digits_ = false;
        continue;
      default:
        return i;  // not a framing phase: let parse() dispatch
    }
  }
  return in.size();
}

bool ResponseParser::end_chunk_size_line() {
  if (chunk_size_ == 0) {
    phase_ = Phase::kTrailers;
    line_bytes_ = trailer_bytes_ = 0;
    return true;
  }
  if (chunk_size_ > limits_.max_body_bytes - body_.size()) {
    fail("the chunked response body exceeds the limit of " +
         std::to_string(limits_.max_body_bytes) + " bytes");
    return false;
  }
  remaining_ = chunk_size_;
  phase_ = Phase::kChunkData;
  return true;
}

// Trailer fields are dropped (requests ignores them too), so they are only counted and bounded.
std::size_t ResponseParser::consume_trailers(std::string_view in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (++trailer_bytes_ > limits_.max_head_bytes) {
      fail("the chunked body's trailer section exceeds the limit of " +
           std::to_string(limits_.max_head_bytes) + " bytes");
      return i;
    }
    const char c = in[i];
    if (c == '\n') {
      if (line_bytes_ == 0) {
        phase_ = Phase::kDone;
        return i + 1;
      }
      line_bytes_ = 0;
    } else if (c != '\r') {
      ++line_bytes_;
    }
  }
  return in.size();
}

}  // namespace hornet::http
