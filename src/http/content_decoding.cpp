#include "http/content_decoding.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "http/ascii.hpp"

namespace hornet::http {
namespace {

constexpr int kWindowBits = 15;
constexpr std::size_t kMaxZlibChunk = std::numeric_limits<uInt>::max();

// RFC 1950 §2.2: CM = 8 (deflate), CINFO <= 7, and the header is a multiple of 31.
bool has_zlib_header(std::string_view data) {
  if (data.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(data[0]);
  const auto flg = static_cast<unsigned char>(data[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

bool has_gzip_magic(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

}  // namespace

struct ContentDecoder::Stream {
  z_stream z{};
  ~Stream() { inflateEnd(&z); }
};

ContentDecoder::ContentDecoder(std::size_t max_decoded_bytes)
    : max_decoded_bytes_(max_decoded_bytes) {}
ContentDecoder::~ContentDecoder() = default;
ContentDecoder::ContentDecoder(ContentDecoder&&) noexcept = default;
ContentDecoder& ContentDecoder::operator=(ContentDecoder&&) noexcept = default;

Result<DecodeSummary> ContentDecoder::decode(std::string_view content_encoding, std::string& body) {
  // Codings are listed in the order they were applied, so they are undone from the last.
  std::string_view rest = content_encoding;
  while (!rest.empty()) {
    const std::size_t comma = rest.rfind(',');
    const std::string_view coding =
        ascii::trim_ows(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (coding.empty() || ascii::iequals(coding, "identity")) continue;
    Format format;
    if (ascii::iequals(coding, "gzip") || ascii::iequals(coding, "x-gzip")) {
      format = Format::kGzip;
    } else if (ascii::iequals(coding, "deflate")) {
      format = has_zlib_header(body) ? Format::kZlib : Format::kRawDeflate;
    } else {
      return DecodeSummary{.unsupported_coding = coding};
    }
    if (body.empty()) continue;
    Result<void> inflated = inflate_into(format, body, scratch_);
    // A raw deflate stream can start with two bytes that pass the zlib header check; urllib3
    // falls back the same way. The zlib error is the one reported if both fail.
    if (!inflated && format == Format::kZlib &&
        inflate_into(Format::kRawDeflate, body, scratch_).ok()) {
      inflated = Result<void>();
    }
    if (!inflated) {
      std::string message = inflated.error().message;
      message += " (Content-Encoding: ";
      message.append(coding);
      message += ')';
      return Error{std::move(message)};
    }
    body.swap(scratch_);
  }
  return DecodeSummary{};
}

Result<void> ContentDecoder::inflate_into(Format format, std::string_view in, std::string& out) {
  const int window_bits = format == Format::kGzip   ? kWindowBits + 16
                          : format == Format::kZlib ? kWindowBits
                                                    : -kWindowBits;
  if (!stream_) {
    auto stream = std::make_unique<Stream>();
    if (inflateInit2(&stream->z, window_bits) != Z_OK) {
      return Error{"cannot decode the body: zlib could not be initialised"};
    }
    stream_ = std::move(stream);
  } else if (inflateReset2(&stream_->z, window_bits) != Z_OK) {
    return Error{"cannot decode the body: zlib could not be reset"};
  }
  z_stream& z = stream_->z;
  const std::string_view what = format == Format::kGzip ? "gzip" : "deflate";

  // One slot past the limit lets an overflow show as produced > limit.
  const std::size_t limit = max_decoded_bytes_;
  const std::size_t ceiling = limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
  out.clear();
  out.resize(std::clamp<std::size_t>(in.size() * 4, std::min<std::size_t>(256, ceiling), ceiling));
  std::size_t produced = 0;
  std::size_t fed = 0;
  bool member_done = false;
  z.next_in = nullptr;
  z.avail_in = 0;
  while (true) {
    if (produced == out.size()) {
      if (out.size() >= ceiling) break;
      out.resize(std::min(out.size() * 2, ceiling));
    }
    if (z.avail_in == 0 && fed < in.size()) {
      const std::size_t chunk = std::min(in.size() - fed, kMaxZlibChunk);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + fed));
      z.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    const std::size_t room = std::min(out.size() - produced, kMaxZlibChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(room);
    const int status = inflate(&z, Z_NO_FLUSH);
    produced += room - z.avail_out;
    const std::size_t unread = in.size() - fed + z.avail_in;
    if (status == Z_STREAM_END) {
      member_done = true;
      // A gzip body may be several members back to back (as `cat a.gz b.gz` makes).
      if (format == Format::kGzip && has_gzip_magic(in.substr(in.size() - unread))) {
        inflateReset(&z);
        continue;
      }
      break;  // anything else after the end is ignored
    }
    if (status == Z_OK) continue;
    // After a complete gzip member, whatever fails to decode is trailing garbage to ignore.
    if (member_done) break;
    if (status == Z_BUF_ERROR && unread == 0) {
      out.clear();
      return Error{"cannot decode the " + std::string(what) + " body: the data is truncated"};
    }
    out.clear();
    if (status == Z_MEM_ERROR) {
      return Error{"cannot decode the " + std::string(what) + " body: out of memory"};
    }
    if (status == Z_NEED_DICT) {
      return Error{"cannot decode the " + std::string(what) +
                   " body: it needs a preset dictionary"};
    }
    return Error{"cannot decode the " + std::string(what) +
                 " body: " + (z.msg != nullptr ? z.msg : "invalid compressed data")};
  }
  if (produced > limit) {
    out.clear();
    return Error{"the decoded body exceeds the limit of " + std::to_string(limit) + " bytes"};
  }
  out.resize(produced);
  return {};
}

}  // namespace hornet::http
