// Decoding a response body by its Content-Encoding (RFC 9110 §8.4), with zlib, as urllib3 does
// for requests:
//   - "gzip" and "x-gzip": gzip members (header fields such as a file name are skipped;
//     concatenated members are all decoded; data after the first member that is not a valid
//     member is ignored, as urllib3 ignores it);
//   - "deflate": zlib-wrapped deflate (RFC 1950), or raw deflate (RFC 1951) when the body does
//     not start with a zlib header or does not decode as a zlib stream, since servers send both;
//   - "identity": nothing to do;
//   - stacked codings ("gzip, deflate") are undone last first;
//   - an unknown coding ("br", "compress", "zstd") stops decoding there: the body is left as it
//     is from that layer on and the coding is reported, so the caller can say so (requests also
//     returns such bodies undecoded).
// Corrupt or truncated data is an error carrying zlib's message; so is output beyond the size
// limit (a zip bomb). Nothing throws.
//
// Thread affinity: a decoder is used on one thread (a worker keeps one and reuses it for every
// response, so zlib's ~40 KB of state is allocated once, on the first compressed body).
#pragma once

#include <cstddef>
#include <hornet/result.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace hornet::http {

struct DecodeSummary {
  /// The first coding, from the outermost, that could not be decoded ("br"), as a view into the
  /// `content_encoding` argument; empty when every coding was decoded.
  std::string_view unsupported_coding;
};

class ContentDecoder {
 public:
  static constexpr std::size_t kDefaultMaxDecodedBytes = std::size_t{1} << 30;

  /// `max_decoded_bytes` bounds the output of each decoding step.
  explicit ContentDecoder(std::size_t max_decoded_bytes = kDefaultMaxDecodedBytes);
  ~ContentDecoder();
  ContentDecoder(ContentDecoder&&) noexcept;
  ContentDecoder& operator=(ContentDecoder&&) noexcept;
  ContentDecoder(const ContentDecoder&) = delete;
  ContentDecoder& operator=(const ContentDecoder&) = delete;

  /// Decodes `body` in place according to `content_encoding` (the header's value, possibly
  /// empty). `content_encoding` must not point into `body`. An empty body stays empty whatever
  /// the coding. On error, `body` is unspecified.
  [[nodiscard]] Result<DecodeSummary> decode(std::string_view content_encoding, std::string& body);

  std::size_t max_decoded_bytes() const noexcept { return max_decoded_bytes_; }

 private:
  struct Stream;
  enum class Format { kGzip, kZlib, kRawDeflate };

  Result<void> inflate_into(Format format, std::string_view in, std::string& out);

  std::unique_ptr<Stream> stream_;  // created on the first compressed body
  std::string scratch_;             // the other buffer of each step, swapped with the body
  std::size_t max_decoded_bytes_;
};

}  // namespace hornet::http
