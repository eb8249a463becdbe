#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/promapi/json_stream.hpp"

// Reads a Prometheus HTTP API answer as it streams in:
//   {"status":"success"|"error","data":...,"errorType":..,"error":..,"warnings":[..],"infos":[..]}
// For query and query_range, data is {"resultType":..,"result":[...]}: each element of result is
// handed over as one Series as soon as it is complete, so a 1M-sample answer is never held whole.
// The raw bytes of `data` can be passed on verbatim at the same time (--format json).

namespace nsmon::promapi {

struct Sample {
  double t = 0;           ///< Unix seconds
  std::string value;      ///< as the server wrote it ("0.5", "NaN", "+Inf")
  bool histogram = false; ///< a native histogram; value is its count
};

/// One element of data.result (a vector or matrix series, or a scalar/string result).
struct Series {
  std::vector<std::pair<std::string, std::string>> labels; ///< "metric", in the server's order
  std::vector<Sample> samples;
  void clear() {
    labels.clear();
    samples.clear();
  }
};

/// Everything of the answer except data.result's series.
struct Reply {
  std::string status; ///< "success" or "error"
  std::string error_type;
  std::string error;
  std::string result_type; ///< vector, matrix, scalar, string (query endpoints)
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
  bool has_data = false;
};

struct ReaderOptions {
  std::function<void(std::string_view)> data_sink; ///< receives the raw bytes of "data"
  std::function<void(const Series&)> on_series;    ///< receives each element of data.result (if set)
  JsonLimits limits;
};

class ReplyReader final : private JsonHandler {
public:
  explicit ReplyReader(ReaderOptions o) : opts_(std::move(o)), tok_(*this, opts_.limits) {}
  /// Throws DecodeError for malformed JSON or an answer that is not shaped like the API's.
  void feed(std::string_view chunk) { tok_.feed(chunk); }
  /// The body has ended: throws DecodeError if it was cut short or had no "status".
  void finish();
  const Reply& reply() const { return reply_; }
  std::size_t bytes() const { return tok_.offset(); }

private:
  enum class Ctx : std::uint8_t { top, data, result, series, metric, pair, values, histogram, messages, skip };
  struct Frame {
    Ctx ctx;
    int index = 0; ///< elements seen (pairs)
    std::vector<std::string>* messages = nullptr;
  };

  void begin_object() override { begin(true); }
  void begin_array() override { begin(false); }
  void end_object() override { end(); }
  void end_array() override { end(); }
  void key(std::string_view k) override;
  void string(std::string_view s) override;
  void number(std::string_view text) override;
  void literal(std::string_view) override { scalar_seen(); }
  void pair(std::string_view num, std::string_view str) override;

  void begin(bool object);
  void end();
  void scalar_seen();
  [[noreturn]] void bad(const std::string& what) const;

  ReaderOptions opts_;
  JsonTokenizer tok_;
  Reply reply_;
  std::vector<Frame> stack_;
  std::string key_;
  Series series_;
  Sample sample_;
  bool scalar_result_ = false;
};

} // namespace nsmon::promapi
