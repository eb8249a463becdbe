#include "nsmon/promapi/reader.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

namespace nsmon::promapi {

void ReplyReader::bad(const std::string& what) const {
  throw DecodeError("not a Prometheus API answer: " + what, tok_.offset());
}

void ReplyReader::finish() {
  tok_.finish();
  if (reply_.status.empty()) bad("it has no \"status\"");
  if (reply_.status != "success" && reply_.status != "error") bad("unknown status \"" + reply_.status + "\"");
}

void ReplyReader::key(std::string_view k) {
  key_.assign(k);
  if (stack_.size() == 1 && k == "data") {
    if (reply_.has_data) bad("\"data\" appears twice");
    reply_.has_data = true;
    if (opts_.data_sink) tok_.capture_next_value(opts_.data_sink);
  }
}

// Counts one more element of the enclosing array (pairs need to know which is which).
void ReplyReader::scalar_seen() {
  if (!stack_.empty()) ++stack_.back().index;
}

void ReplyReader::begin(bool object) {
  if (stack_.empty()) {
    if (!object) bad("the body is a JSON array, not an object");
    stack_.push_back({Ctx::top});
    return;
  }
  Frame& parent = stack_.back();
  Frame f{Ctx::skip};
  switch (parent.ctx) {
  case Ctx::top:
    if (key_ == "data" && object) f.ctx = Ctx::data;
    else if ((key_ == "warnings" || key_ == "infos") && !object) {
      f.ctx = Ctx::messages;
      f.messages = key_ == "warnings" ? &reply_.warnings : &reply_.infos;
    }
    break;
  case Ctx::data:
    if (key_ == "result" && !object) {
      f.ctx = Ctx::result;
      series_.clear();
      scalar_result_ = false;
    }
    break;
  case Ctx::result:
    if (object && !scalar_result_) {
      f.ctx = Ctx::series;
      series_.clear();
    }
    break;
  case Ctx::series:
    if (key_ == "metric" && object) f.ctx = Ctx::metric;
    else if ((key_ == "value" || key_ == "histogram") && !object) f.ctx = Ctx::pair;
    else if ((key_ == "values" || key_ == "histograms") && !object) f.ctx = Ctx::values;
    break;
  case Ctx::values:
    if (!object) f.ctx = Ctx::pair;
    break;
  case Ctx::pair:
    // A native histogram: {"count":"10","sum":"1.5","buckets":[...]}; its count stands for it.
    if (object && parent.index == 1) {
      sample_.histogram = true;
      sample_.value.clear();
      f.ctx = Ctx::histogram;
    }
    break;
  default: break;
  }
  if (f.ctx == Ctx::pair) {
    sample_.t = 0;
    sample_.value.clear();
    sample_.histogram = false;
  }
  scalar_seen();
  stack_.push_back(f);
}

void ReplyReader::end() {
  Frame f = stack_.back();
  stack_.pop_back();
  switch (f.ctx) {
  case Ctx::series:
    if (opts_.on_series) opts_.on_series(series_);
    series_.clear();
    break;
  case Ctx::pair:
    if (f.index != 2) bad("a sample is not [time, value]");
    if (opts_.on_series) series_.samples.push_back(sample_);
    break;
  case Ctx::result:
    if (scalar_result_) {
      if (f.index != 2) bad("a scalar result is not [time, value]");
      series_.samples.push_back(sample_);
      if (opts_.on_series) opts_.on_series(series_);
      series_.clear();
    }
    break;
  default: break;
  }
}

void ReplyReader::string(std::string_view s) {
  if (stack_.empty()) bad("the body is a JSON string, not an object");
  Frame& f = stack_.back();
  switch (f.ctx) {
  case Ctx::top:
    if (key_ == "status") reply_.status.assign(s);
    else if (key_ == "errorType") reply_.error_type.assign(s);
    else if (key_ == "error") reply_.error.assign(s);
    break;
  case Ctx::data:
    if (key_ == "resultType") reply_.result_type.assign(s);
    break;
  case Ctx::metric: series_.labels.emplace_back(key_, s); break;
  case Ctx::result:
    if (!scalar_result_) bad("data.result holds a string where a series was expected");
    [[fallthrough]];
  case Ctx::pair:
    if (f.index != 1) bad("a sample's time is not a number");
    sample_.value.assign(s);
    break;
  case Ctx::histogram:
    if (key_ == "count") sample_.value.assign(s);
    break;
  case Ctx::messages: f.messages->emplace_back(s); break;
  default: break;
  }
  scalar_seen();
}

namespace {
std::optional<double> parse_time(std::string_view text) {
  // Fast path: up to 15 digits with at most one '.', not negative. The quotient of two exactly
  // representable numbers is rounded once, so this is the double from_chars would give.
  const char* p = text.data();
  const char* const end = p + text.size();
  std::uint64_t digits = 0, scale = 1;
  // Reads a run of digits into `digits`; how many.
  auto run = [&](bool fraction) {
    const char* from = p;
    for (; p < end && *p >= '0' && *p <= '9'; ++p) {
      digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
      if (fraction) scale *= 10;
    }
    return p - from;
  };
  auto n = run(false);
  bool ok = n > 0;
  if (ok && p < end && *p == '.') {
    ++p;
    auto f = run(true);
    ok = f > 0;
    n += f;
  }
  if (ok && p == end && n <= 15)
    return scale == 1 ? static_cast<double>(digits) : static_cast<double>(digits) / static_cast<double>(scale);
  double t = 0;
  auto [stop, ec] = std::from_chars(text.data(), end, t);
  if (ec != std::errc() || stop != end) return std::nullopt;
  return t;
}
} // namespace

// A sample of a range answer, whole: straight into the series (nothing to keep without on_series).
void ReplyReader::pair(std::string_view num, std::string_view str) {
  if (stack_.empty() || stack_.back().ctx != Ctx::values) return JsonHandler::pair(num, str);
  ++stack_.back().index;
  if (!opts_.on_series) return;
  auto t = parse_time(num);
  if (!t) bad("the time " + std::string(num) + " is out of range");
  Sample& s = series_.samples.emplace_back();
  s.t = *t;
  s.value.assign(str);
}

void ReplyReader::number(std::string_view text) {
  if (stack_.empty()) bad("the body is a JSON number, not an object");
  Frame& f = stack_.back();
  if (f.ctx == Ctx::result && f.index == 0) {
    // resultType scalar or string: data.result is itself [time, value].
    scalar_result_ = true;
    sample_ = Sample{};
  }
  if (f.ctx == Ctx::pair || (f.ctx == Ctx::result && scalar_result_)) {
    if (f.index == 0) {
      auto t = parse_time(text);
      if (!t) bad("the time " + std::string(text) + " is out of range");
      sample_.t = *t;
    } else if (f.index == 1) {
      sample_.value.assign(text); // some backends write values as numbers
    }
  } else if (f.ctx == Ctx::histogram && key_ == "count") {
    sample_.value.assign(text);
  }
  scalar_seen();
}

} // namespace nsmon::promapi
