// Sample lines: name, label set, value, timestamp, exemplar; then family membership and the
// per-type rules (le/quantile, stateset, info, exemplars) and duplicate series.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "nsmon/expfmt/detail.hpp"

namespace nsmon::expfmt::detail {

using scan::is;

namespace {

const LabelView* find_label(std::span<const LabelView> labels, std::string_view name) {
  for (const auto& l : labels)
    if (l.name == name) return &l;
  return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Exact seconds -> milliseconds for "[+-]digits[.digits]" (truncating like Prometheus's
/// int64(ts*1000), without the float rounding error). False if `s` has another form.
bool plain_seconds_to_ms(std::string_view s, std::int64_t& ms) {
  std::size_t i = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) ++i;
  std::int64_t whole = 0;
  std::size_t digits = 0;
  for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
    if (digits >= 15) return false; // leave large values to the range-checked float path
    whole = whole * 10 + (s[i] - '0');
  }
  std::int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (int k = 0; i < s.size() && is_digit(s[i]); ++i, ++k)
      if (k < 3) frac += (s[i] - '0') * (k == 0 ? 100 : k == 1 ? 10 : 1);
  }
  if (i != s.size()) return false;
  ms = whole * 1000 + frac;
  if (neg) ms = -ms;
  return true;
}

/// Length of the common prefix of a and b, looking at most n bytes, 8 at a time.
std::size_t common_prefix(const char* a, const char* b, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      std::uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return i + static_cast<std::size_t>(std::countr_zero(x ^ y) / 8);
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

} // namespace

void Parser::parse_sample(const char* p) {
  const char* const name_at = p;
  if (*p == '{') {
    fail(p, p + 1 < le_ && p[1] == '"' ? "quoted (UTF-8) metric names are not supported"
                                       : "expected metric name before '{'");
    return;
  }
  if (!is(static_cast<unsigned char>(*p), scan::metric_first)) {
    fail(p, "expected metric name, got " + excerpt(std::string_view(p, 1)));
    return;
  }
  // Consecutive samples usually share a name: compare with the last one before scanning.
  const std::size_t last = last_name_.size();
  const bool same_name = last > 0 && static_cast<std::size_t>(le_ - p) > last &&
                         std::memcmp(p, last_name_.data(), last) == 0 &&
                         !is(static_cast<unsigned char>(p[last]), scan::metric_rest);
  if (same_name) p += last;
  else
    while (p < le_ && is(static_cast<unsigned char>(*p), scan::metric_rest)) ++p;
  const std::string_view name(name_at, static_cast<std::size_t>(p - name_at));

  scratch_.clear();
  const char* q = skip_ws(p);
  if (q < le_ && *q == '{') {
    q = parse_labels(q, labels_, true);
    if (!q) return;
    q = skip_ws(q);
  } else {
    if (q == p && p < le_ && *p != ' ') {
      fail(p, "invalid character " + excerpt(std::string_view(p, 1)) + " in metric name");
      return;
    }
    labels_.clear();
    prev_.clear();
    prev_open_ = nullptr;
    labels_hash_ = 0;
    le_index_ = quantile_index_ = -1;
    names_same_ = prev_names_valid_ = false;
  }

  // Value.
  if (om_) {
    if (q == le_ || *q != ' ') {
      fail(q, "expected a single space and the value");
      return;
    }
    ++q;
  }
  const char* const value_at = q;
  while (q < le_ && *q != ' ' && (om_ || *q != '\t')) ++q;
  const std::string_view value_tok(value_at, static_cast<std::size_t>(q - value_at));
  if (value_tok.empty()) {
    fail(value_at, "expected a value after the metric name");
    return;
  }
  const auto value = parse_value(value_tok);
  if (!value) {
    fail(value_at, "invalid sample value " + excerpt(value_tok));
    return;
  }
  SampleView s;
  s.name = name;
  s.value = *value;
  s.line = line_;

  // Timestamp and exemplar.
  const char* exemplar_at = nullptr;
  if (om_) {
    if (q < le_) {
      ++q; // the space
      if (q < le_ && *q == '#') {
        exemplar_at = q;
      } else {
        const char* ts_at = q;
        while (q < le_ && *q != ' ') ++q;
        std::int64_t ms = 0;
        if (!parse_om_timestamp(ts_at, std::string_view(ts_at, static_cast<std::size_t>(q - ts_at)), ms)) return;
        s.timestamp_ms = ms;
        if (q < le_) {
          if (q + 1 < le_ && q[1] == '#') {
            exemplar_at = q + 1;
          } else {
            fail(q, "expected an exemplar (\" # {...} value\") or the end of the line after the timestamp");
            return;
          }
        }
      }
    }
  } else {
    q = skip_ws(q);
    if (q < le_) {
      if (*q == '#') {
        fail(q, "exemplars are only allowed in OpenMetrics");
        return;
      }
      const char* ts_at = q;
      while (q < le_ && !is_ws(*q)) ++q;
      std::int64_t ms = 0;
      const auto r = std::from_chars(ts_at, q, ms);
      if (!is_digit(*ts_at) || r.ec != std::errc() || r.ptr != q) {
        fail(ts_at, "invalid timestamp " + excerpt(std::string_view(ts_at, static_cast<std::size_t>(q - ts_at))) +
                        " (expected integer milliseconds)");
        return;
      }
      s.timestamp_ms = ms;
      q = skip_ws(q);
      if (q < le_) {
        fail(q, "unexpected text after the timestamp");
        return;
      }
    }
  }

  if (exemplar_at) {
    q = exemplar_at;
    if (le_ - q < 3 || q[1] != ' ' || q[2] != '{') {
      fail(q, "expected \"# {\" to start an exemplar");
      return;
    }
    ex_labels_.clear();
    q = parse_labels(q + 2, ex_labels_, false);
    if (!q) return;
    if (q == le_ || *q != ' ') {
      fail(q, "expected a single space and the exemplar value");
      return;
    }
    const char* ev_at = ++q;
    while (q < le_ && *q != ' ') ++q;
    const std::string_view ev(ev_at, static_cast<std::size_t>(q - ev_at));
    const auto evalue = parse_value(ev);
    if (!evalue) {
      fail(ev_at, "invalid exemplar value " + excerpt(ev));
      return;
    }
    exemplar_.labels = ex_labels_;
    exemplar_.value = *evalue;
    exemplar_.timestamp_ms.reset();
    if (q < le_) {
      const char* ets_at = ++q;
      while (q < le_ && *q != ' ') ++q;
      std::int64_t ms = 0;
      if (!parse_om_timestamp(ets_at, std::string_view(ets_at, static_cast<std::size_t>(q - ets_at)), ms)) return;
      exemplar_.timestamp_ms = ms;
      if (q < le_) {
        fail(q, "unexpected text after the exemplar timestamp");
        return;
      }
    }
    if (!check_label_names(ex_labels_, "exemplar label")) return;
    s.exemplar = &exemplar_;
  }
  s.labels = labels_;
  if (!names_same_ && !check_label_names(labels_, "label")) return;
  prev_names_valid_ = true;

  std::string_view suffix = last_suffix_;
  if (!same_name && !resolve_family(name, suffix)) return;
  last_name_ = name;
  last_suffix_ = suffix;
  s.family = fam_.name;
  s.suffix = suffix;
  s.type = fam_.type;
  if (!check_sample(s)) return;
  if (opt_.check_duplicates && !check_duplicate(s)) return;

  announce();
  fam_.has_samples = true;
  ++sum_.samples;
  handler_.on_sample(s);
}

const char* Parser::parse_labels(const char* p, std::vector<LabelView>& out, bool sample) {
  const char* const open = p;
  if (!sample) out.clear();
  const std::size_t old_size = out.size();
  std::size_t n = 0; // labels parsed so far; `out` is overwritten in place and trimmed at the end
  bool same_names = false;
  if (sample) {
    labels_hash_ = 0;
    le_index_ = quantile_index_ = -1;
    same_names = prev_names_valid_;
    prev_names_valid_ = false; // parse_sample sets it again once these names are checked
    // Labels whose raw text repeats the previous label set byte for byte (the usual case for
    // histogram buckets and _sum/_count) parse to the same views and hashes: reuse them.
    if (prev_open_) {
      const std::size_t avail =
          std::min(static_cast<std::size_t>(le_ - open), static_cast<std::size_t>(prev_le_ - prev_open_));
      const std::size_t m = common_prefix(open, prev_open_, avail);
      const std::ptrdiff_t shift = open - prev_open_; // same input buffer: re-point into this line
      while (n < prev_.size() && !prev_[n].escaped && prev_[n].end <= m) {
        out[n].name = std::string_view(out[n].name.data() + shift, out[n].name.size());
        out[n].value = std::string_view(out[n].value.data() + shift, out[n].value.size());
        labels_hash_ += prev_[n].hash;
        if (prev_[n].kind == 1) le_index_ = static_cast<int>(n);
        if (prev_[n].kind == 2) quantile_index_ = static_cast<int>(n);
        ++n;
      }
    }
    prev_.resize(n);
    prev_open_ = open;
    prev_le_ = le_;
  }
  auto done = [&](const char* at) {
    out.resize(n);
    if (sample) names_same_ = same_names && n == old_size;
    return at;
  };
  auto failed = [&](const char* at, std::string message) -> const char* {
    fail(at, std::move(message));
    out.resize(n);
    return nullptr;
  };

  bool resumed = n > 0;
  if (resumed) {
    p = open + prev_[n - 1].end; // just past the closing quote of the last reused label
  } else {
    p = skip_ws(p + 1);
    if (p < le_ && *p == '}') return done(p + 1);
  }
  for (;;) {
    if (!resumed) {
      if (p == le_) return failed(open, "unterminated label set");
      if (*p == '"') return failed(p, "quoted (UTF-8) label names are not supported");
      if (!is(static_cast<unsigned char>(*p), scan::label_first))
        return failed(p, "expected label name, got " + excerpt(std::string_view(p, 1)));
      const char* name_at = p;
      while (p < le_ && is(static_cast<unsigned char>(*p), scan::label_rest)) ++p;
      const std::string_view lname(name_at, static_cast<std::size_t>(p - name_at));
      p = skip_ws(p);
      if (p == le_ || *p != '=') return failed(p, "expected '=' after label name " + excerpt(lname));
      p = skip_ws(p + 1);
      if (p == le_ || *p != '"') return failed(p, "expected '\"' to start the value of label " + excerpt(lname));
      const char* const vstart = ++p;
      bool escaped = false;
      unsigned char high = 0;
      // The hot loop: most values are ASCII with no escapes, so skip 8 such bytes at a time.
      while (le_ - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (scan::special_bytes(w)) break;
        p += 8;
      }
      while (p < le_ && *p != '"') {
        if (*p == '\\') {
          escaped = true;
          if (++p == le_) break;
        } else {
          high |= static_cast<unsigned char>(*p);
        }
        ++p;
      }
      if (p >= le_) return failed(vstart - 1, "unterminated value of label " + excerpt(lname));
      std::string_view value(vstart, static_cast<std::size_t>(p - vstart));
      const std::string_view raw(name_at, static_cast<std::size_t>(p - name_at));
      ++p; // closing quote
      if (high & 0x80) {
        if (const auto bad = scan::utf8_invalid_at(value); bad != std::string_view::npos)
          return failed(vstart + bad, "invalid UTF-8 in value of label " + excerpt(lname));
      }
      if (escaped) {
        const std::string_view raw_value = value;
        // Decoded text is never longer than the line, so reserving the line once keeps every
        // view handed out for this line stable.
        const auto line_len = static_cast<std::size_t>(le_ - ls_);
        if (scratch_.empty() && scratch_.capacity() < line_len) scratch_.reserve(line_len);
        const std::size_t before = scratch_.size();
        const auto bad = scan::unescape(raw_value, scan::Escapes::label_value, scratch_);
        if (bad != std::string_view::npos)
          return failed(vstart + bad,
                        "invalid escape sequence in value of label " + excerpt(lname) + " (allowed: \\\\ \\\" \\n)");
        value = std::string_view(scratch_.data() + before, scratch_.size() - before);
      }
      if (n >= opt_.max_labels)
        return failed(name_at, "too many labels (more than " + std::to_string(opt_.max_labels) + ")");
      if (sample) {
        const std::uint64_t h = hash_label(lname, raw, std::string_view(vstart, raw.size() - (vstart - name_at)));
        labels_hash_ += h;
        std::uint8_t kind = 0;
        if (lname == "le") kind = 1, le_index_ = static_cast<int>(n);
        if (lname == "quantile") kind = 2, quantile_index_ = static_cast<int>(n);
        prev_.push_back(PrevLabel{static_cast<std::size_t>(p - open), h, escaped, kind});
        same_names = same_names && n < old_size && out[n].name == lname;
      }
      if (n < out.size()) out[n] = LabelView{lname, value};
      else out.push_back(LabelView{lname, value});
      ++n;
    }
    resumed = false;
    p = skip_ws(p);
    if (p < le_ && *p == ',') {
      p = skip_ws(p + 1);
      if (p < le_ && *p == '}') {
        if (om_) return failed(p - 1, "trailing comma in label set (not allowed in OpenMetrics)");
        return done(p + 1);
      }
      continue;
    }
    if (p < le_ && *p == '}') return done(p + 1);
    return failed(p, "expected ',' or '}' after the value of label " + excerpt(out[n - 1].name));
  }
}

bool Parser::parse_om_timestamp(const char* at, std::string_view tok, std::int64_t& ms) {
  const auto v = parse_value(tok);
  if (tok.empty() || !v || !std::isfinite(*v))
    return fail(at, "invalid timestamp " + excerpt(tok) + " (expected seconds since the epoch)");
  if (plain_seconds_to_ms(tok, ms)) return true;
  const double x = *v * 1000.0;
  if (!(std::fabs(x) < 9.2e18)) return fail(at, "timestamp " + excerpt(tok) + " is out of range");
  ms = static_cast<std::int64_t>(x);
  return true;
}

bool Parser::check_label_names(std::span<const LabelView> labels, const char* what) {
  const std::size_t n = labels.size();
  auto report = [&](std::string_view dup) {
    return fail(dup.data(), std::string("duplicate ") + what + " name " + excerpt(dup));
  };
  if (n <= 32) {
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (labels[i].name == labels[j].name) return report(labels[i].name);
    return true;
  }
  // Many labels (hostile input): sort the names instead of comparing all pairs.
  sort_scratch_.clear();
  for (const auto& l : labels) sort_scratch_.push_back(l.name);
  std::sort(sort_scratch_.begin(), sort_scratch_.end());
  const auto it = std::adjacent_find(sort_scratch_.begin(), sort_scratch_.end());
  if (it == sort_scratch_.end()) return true;
  bool first = true;
  for (const auto& l : labels)
    if (l.name == *it) {
      if (!first) return report(l.name);
      first = false;
    }
  return report(*it);
}

bool Parser::resolve_family(std::string_view name, std::string_view& suffix) {
  if (have_fam_ && name.size() >= fam_.name.size() && name.substr(0, fam_.name.size()) == fam_.name) {
    const std::string_view sfx = name.substr(fam_.name.size());
    const auto owned = suffixes(fam_.type, om_);
    for (const auto& a : owned)
      if (a == sfx) {
        suffix = sfx;
        return true;
      }
    if (sfx.empty()) {
      std::string expected;
      for (const auto& a : owned) expected += (expected.empty() ? "" : ", ") + std::string(name) + std::string(a);
      return fail(name.data(), "sample " + excerpt(name) + " does not belong to " + to_string(fam_.type) + " family " +
                                   excerpt(fam_.name) + " (expected " + expected + ")");
    }
  }
  suffix = {};
  return start_family(name, name.data(), false);
}

std::uint64_t Parser::hash_label(std::string_view lname, std::string_view raw, std::string_view raw_value) {
  // Escapes have one spelling in both formats, so equal label pairs have equal raw text
  // `name="value`; only text-format blanks around '=' need the canonical form built.
  if (raw.size() == lname.size() + 2 + raw_value.size()) return scan::mix(scan::hash_step(0x27d4eb2f165667c5ULL, raw));
  std::string canon;
  canon.append(lname).append("=\"").append(raw_value);
  return scan::mix(scan::hash_step(0x27d4eb2f165667c5ULL, canon));
}

bool Parser::check_sample(const SampleView& s) {
  // Label values may live in scratch space; point errors at the sample then.
  auto at = [&](std::string_view v) { return v.data() >= ls_ && v.data() <= le_ ? v.data() : s.name.data(); };
  const bool hist = s.type == MetricType::histogram || s.type == MetricType::gaugehistogram;
  has_bound_ = false;
  auto float_label = [&](std::string_view lname, const char* kind) {
    const int index = lname == "le" ? le_index_ : quantile_index_;
    const LabelView* l = index >= 0 ? &s.labels[static_cast<std::size_t>(index)] : nullptr;
    if (!l) return fail(s.name.data(), std::string(kind) + " sample without a \"" + std::string(lname) + "\" label");
    const auto v = parse_value(l->value);
    if (!v)
      return fail(at(l->value),
                  "invalid \"" + std::string(lname) + "\" value " + excerpt(l->value) + " (expected a float)");
    bound_ = *v;
    has_bound_ = true;
    return true;
  };
  if (hist && s.suffix == "_bucket" && !float_label("le", "histogram bucket")) return false;
  if (s.type == MetricType::summary && s.suffix.empty() && !float_label("quantile", "summary quantile")) return false;
  if (!om_) return true;
  if (s.type == MetricType::stateset) {
    if (!find_label(s.labels, s.family))
      return fail(s.name.data(), "stateset sample without a label named " + excerpt(s.family));
    if (s.value != 0 && s.value != 1) return fail(s.name.data(), "stateset value must be 0 or 1");
  }
  if (s.type == MetricType::info && s.value != 1) return fail(s.name.data(), "info value must be 1");
  if (s.exemplar) {
    const bool allowed = (s.type == MetricType::counter && s.suffix == "_total") || (hist && s.suffix == "_bucket");
    if (!allowed)
      return fail(s.name.data(), "exemplars are only allowed on counter _total and histogram _bucket samples");
    std::size_t len = 0;
    for (const auto& l : s.exemplar->labels) len += scan::utf8_length(l.name) + scan::utf8_length(l.value);
    if (len > 128)
      return fail(s.name.data(), "exemplar labels are " + std::to_string(len) + " characters long (at most 128)");
  }
  return true;
}

bool Parser::check_duplicate(const SampleView& s) {
  // Order-independent: the sum of the label hashes from parse_labels. le/quantile compare as
  // numbers (check_sample left the parsed value in bound_), so le="1" and le="1.0" are the same
  // series, as Prometheus sees them.
  std::uint64_t acc = labels_hash_;
  if (has_bound_) {
    const bool summary = s.type == MetricType::summary;
    acc -= prev_[static_cast<std::size_t>(summary ? quantile_index_ : le_index_)].hash;
    double d = bound_;
    if (d == 0) d = 0; // -0 == 0
    char bits[sizeof d];
    std::memcpy(bits, &d, sizeof d);
    if (std::isnan(d)) std::memset(bits, 0xff, sizeof bits);
    std::uint64_t h = scan::hash_step(0x5bd1e9955bd1e995ULL, summary ? "quantile" : "le");
    acc += scan::mix(scan::hash_step(h, std::string_view(bits, sizeof bits)));
  }
  const std::uint64_t h = scan::mix(scan::hash_step(acc, s.name));
  if (const int prev = series_.insert(h, line_))
    return fail(s.name.data(),
                "duplicate series " + excerpt(s.name) + " (same name and labels as line " + std::to_string(prev) + ")");
  return true;
}

} // namespace nsmon::expfmt::detail
