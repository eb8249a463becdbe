#include "nsmon/expfmt/parser.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>

#include "nsmon/expfmt/detail.hpp"

namespace nsmon::expfmt {

Format format_from_content_type(std::string_view ct) {
  const std::size_t semi = ct.find(';');
  std::string_view media = ct.substr(0, semi);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  constexpr std::string_view om = "application/openmetrics-text";
  if (media.size() != om.size()) return Format::text;
  for (std::size_t i = 0; i < om.size(); ++i) {
    char c = media[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != om[i]) return Format::text;
  }
  return Format::openmetrics;
}

std::string_view content_type(Format f) {
  return f == Format::openmetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                  : "text/plain; version=0.0.4; charset=utf-8";
}

const char* to_string(Format f) { return f == Format::openmetrics ? "openmetrics" : "text"; }

const char* to_string(MetricType t) {
  switch (t) {
  case MetricType::counter: return "counter";
  case MetricType::gauge: return "gauge";
  case MetricType::histogram: return "histogram";
  case MetricType::summary: return "summary";
  case MetricType::info: return "info";
  case MetricType::stateset: return "stateset";
  case MetricType::gaugehistogram: return "gaugehistogram";
  case MetricType::unknown: return "unknown";
  }
  return "unknown";
}

namespace detail {

using scan::is;

namespace {
// Letters, digits and the bytes of UTF-8 sequences: what an excerpt never cuts inside.
bool word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
} // namespace

std::string excerpt(std::string_view s, std::size_t cap) {
  // A long text is cut where a word ends, with an ellipsis; one word longer than the cap (a
  // 10 MB name) is not quoted at all: half a word reads as another word.
  std::size_t keep = s.size();
  if (s.size() > cap) {
    keep = cap;
    while (keep > 0 && word_byte(static_cast<unsigned char>(s[keep])) &&
           word_byte(static_cast<unsigned char>(s[keep - 1])))
      --keep;
    if (keep == 0) return "(" + std::to_string(s.size()) + " bytes without a break, too long to quote)";
    // The separators before the cut go with what follows it: "a-long-value…", not "a-long-…".
    while (keep > 1 && std::string_view(" \t-_.,:/").find(s[keep - 1]) != std::string_view::npos) --keep;
  }
  std::string out = "\"";
  for (std::size_t i = 0; i < keep; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (keep < s.size()) out += "…";
  out += '"';
  return out;
}

namespace {
struct TypeName {
  std::string_view word;
  MetricType type;
};
constexpr TypeName text_types[] = {{"counter", MetricType::counter},
                                   {"gauge", MetricType::gauge},
                                   {"histogram", MetricType::histogram},
                                   {"summary", MetricType::summary},
                                   {"untyped", MetricType::unknown}};
constexpr TypeName om_types[] = {{"counter", MetricType::counter},     {"gauge", MetricType::gauge},
                                 {"histogram", MetricType::histogram}, {"gaugehistogram", MetricType::gaugehistogram},
                                 {"summary", MetricType::summary},     {"info", MetricType::info},
                                 {"stateset", MetricType::stateset},   {"unknown", MetricType::unknown}};

} // namespace

std::span<const std::string_view> suffixes(MetricType t, bool om) {
  static constexpr std::string_view plain[] = {""};
  static constexpr std::string_view om_counter[] = {"_total", "_created"};
  static constexpr std::string_view om_hist[] = {"_bucket", "_count", "_sum", "_created"};
  static constexpr std::string_view text_hist[] = {"_bucket", "_count", "_sum"};
  static constexpr std::string_view gauge_hist[] = {"_bucket", "_gcount", "_gsum"};
  static constexpr std::string_view om_summary[] = {"", "_count", "_sum", "_created"};
  static constexpr std::string_view text_summary[] = {"", "_count", "_sum"};
  static constexpr std::string_view info[] = {"_info"};
  switch (t) {
  case MetricType::counter: return om ? std::span<const std::string_view>(om_counter) : plain;
  case MetricType::histogram: return om ? std::span<const std::string_view>(om_hist) : text_hist;
  case MetricType::gaugehistogram: return gauge_hist;
  case MetricType::summary: return om ? std::span<const std::string_view>(om_summary) : text_summary;
  case MetricType::info: return info;
  default: return plain;
  }
}

bool Parser::fail(const char* at, std::string message) {
  if (sum_.errors.size() >= opt_.max_errors) {
    sum_.stopped_early = true;
    return false;
  }
  const auto col = std::min<std::ptrdiff_t>(at - ls_ + 1, INT_MAX);
  sum_.errors.push_back(Error{line_, static_cast<int>(col), std::move(message)});
  if (sum_.errors.size() >= opt_.max_errors) sum_.stopped_early = true;
  return false;
}

ParseSummary Parser::run() {
  const char* p = text_.data();
  const char* const end = p + text_.size();
  bool ended_with_newline = true;
  while (p < end && !sum_.stopped_early) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    ls_ = p;
    le_ = nl ? nl : end;
    line_ = line_ < INT_MAX ? line_ + 1 : line_;
    ++sum_.lines;
    ended_with_newline = nl != nullptr;
    p = nl ? nl + 1 : end;
    if (sum_.saw_eof) {
      fail(ls_, "unexpected content after # EOF");
      break;
    }
    if (le_ > ls_ && le_[-1] == '\r') {
      fail(le_ - 1, "line ends with a carriage return (CRLF line endings are not allowed)");
      continue;
    }
    if (!nl && !(om_ && std::string_view(ls_, le_ - ls_) == "# EOF")) {
      fail(le_, "last line does not end with a newline (truncated input?)");
      continue;
    }
    parse_line();
  }
  close_family();
  if (om_ && !sum_.saw_eof && !sum_.stopped_early) {
    if (ended_with_newline) {
      line_ = line_ < INT_MAX ? line_ + 1 : line_;
      ls_ = le_ = end;
    }
    fail(le_, "missing # EOF at end of OpenMetrics input");
  }
  return std::move(sum_);
}

void Parser::parse_line() {
  const char* p = ls_;
  if (!om_) {
    p = skip_ws(p);
    if (p == le_) return; // blank lines are allowed in the text format
  } else if (p == le_) {
    fail(p, "empty line (not allowed in OpenMetrics)");
    return;
  } else if (is_ws(*p)) {
    fail(p, "leading whitespace (not allowed in OpenMetrics)");
    return;
  }
  if (*p == '#') parse_comment(p);
  else parse_sample(p);
}

void Parser::parse_comment(const char* p) {
  const std::string_view rest(p, static_cast<std::size_t>(le_ - p));
  if (om_) {
    if (rest == "# EOF") {
      sum_.saw_eof = true;
      return;
    }
    for (std::string_view kw : {"# HELP ", "# TYPE ", "# UNIT "})
      if (rest.substr(0, kw.size()) == kw) return parse_metadata(p + kw.size(), kw.substr(2, 4));
    if (rest.substr(0, 5) == "# EOF") {
      fail(p + 5, "unexpected text after # EOF");
      return;
    }
    fail(p, "comments are not allowed in OpenMetrics (only # HELP, # TYPE, # UNIT and # EOF)");
    return;
  }
  // Text format: "#" blanks HELP|TYPE blanks ...; anything else is a comment.
  const char* q = p + 1;
  if (q == le_ || !is_ws(*q)) return;
  q = skip_ws(q);
  const std::string_view kw(q, static_cast<std::size_t>(std::min<std::ptrdiff_t>(le_ - q, 4)));
  if ((kw != "HELP" && kw != "TYPE") || q + 4 == le_ || !is_ws(q[4])) return;
  parse_metadata(skip_ws(q + 4), kw);
}

void Parser::parse_metadata(const char* p, std::string_view keyword) {
  const char* name_at = p;
  if (p < le_ && *p == '"') {
    fail(p, "quoted (UTF-8) metric names are not supported");
    return;
  }
  if (p == le_ || !is(static_cast<unsigned char>(*p), scan::metric_first)) {
    fail(p, "expected metric name after # " + std::string(keyword));
    return;
  }
  while (p < le_ && is(static_cast<unsigned char>(*p), scan::metric_rest)) ++p;
  const std::string_view name(name_at, static_cast<std::size_t>(p - name_at));
  std::string_view text;
  if (om_) {
    if (p == le_ || *p != ' ') {
      fail(p, p == le_ ? "expected a space after the metric name" : "invalid character in metric name");
      return;
    }
    text = std::string_view(p + 1, static_cast<std::size_t>(le_ - p - 1));
  } else if (p < le_) {
    if (!is_ws(*p)) {
      fail(p, "invalid character in metric name");
      return;
    }
    p = skip_ws(p);
    text = std::string_view(p, static_cast<std::size_t>(le_ - p));
  }
  const char* text_at = text.data() ? text.data() : le_;

  MetricType type = MetricType::unknown;
  if (keyword == "TYPE") {
    std::string_view word = text;
    if (!om_)
      while (!word.empty() && is_ws(word.back())) word.remove_suffix(1);
    bool found = false;
    for (const auto& t : om_ ? std::span<const TypeName>(om_types) : std::span<const TypeName>(text_types))
      if (t.word == word) type = t.type, found = true;
    if (!found) {
      fail(text_at, "invalid metric type " + excerpt(word));
      return;
    }
  } else if (keyword == "HELP") {
    if (const auto bad = scan::utf8_invalid_at(text); bad != std::string_view::npos) {
      fail(text_at + bad, "invalid UTF-8 in HELP text");
      return;
    }
    if (text.find('\\') != std::string_view::npos) {
      std::string tmp;
      const auto bad = scan::unescape(text, om_ ? scan::Escapes::om_help : scan::Escapes::text_help, tmp);
      if (bad != std::string_view::npos) {
        fail(text_at + bad,
             "invalid escape sequence in HELP text (allowed: \\\\ \\n" + std::string(om_ ? " \\\")" : ")"));
        return;
      }
    }
  } else { // UNIT
    if (!text.empty() &&
        !(scan::is_metric_name(text) && name.size() > text.size() + 1 &&
          name.substr(name.size() - text.size()) == text && name[name.size() - text.size() - 1] == '_')) {
      fail(text_at, "unit " + excerpt(text) + " is not a suffix of metric name " + excerpt(name));
      return;
    }
  }

  if (!have_fam_ || fam_.name != name) start_family(name, name_at, true);
  const char* kind = keyword == "TYPE" ? "# TYPE" : keyword == "HELP" ? "# HELP" : "# UNIT";
  if (fam_.has_samples) {
    fail(ls_, std::string(kind) + " for " + excerpt(name) + " after its samples");
    return;
  }
  auto once = [&](bool& has, int& at_line) {
    if (has) {
      fail(ls_, "second " + std::string(kind) + " for " + excerpt(name) + " (first at line " + std::to_string(at_line) +
                    ")");
      return false;
    }
    has = true;
    at_line = line_;
    return true;
  };
  if (keyword == "TYPE") {
    if (once(fam_.has_type, fam_.type_line)) fam_.type = type;
  } else if (keyword == "HELP") {
    if (once(fam_.has_help, fam_.help_line)) fam_.help_raw = text;
  } else if (once(fam_.has_unit, fam_.unit_line)) {
    fam_.unit = text;
  }
}

bool Parser::start_family(std::string_view name, const char* at, bool from_metadata) {
  const auto [it, inserted] = seen_.try_emplace(name, line_);
  if (!inserted) {
    fail(at, "metric family " + excerpt(name) + " already appeared at line " + std::to_string(it->second) +
                 "; a family's lines must be contiguous");
    // A sample line is simply dropped. Metadata reopens the family so that what follows it is
    // not reported line by line.
    if (!from_metadata) return false;
  }
  close_family();
  last_name_ = last_suffix_ = {};
  fam_ = Family{};
  fam_.name = name;
  fam_.line = line_;
  have_fam_ = true;
  series_.clear();
  return inserted;
}

void Parser::announce() {
  if (fam_.announced) return;
  fam_.announced = true;
  FamilyView v;
  v.name = fam_.name;
  v.type = fam_.type;
  v.help = fam_.help_raw;
  if (v.help.find('\\') != std::string_view::npos) {
    help_scratch_.clear();
    scan::unescape(v.help, om_ ? scan::Escapes::om_help : scan::Escapes::text_help, help_scratch_);
    v.help = help_scratch_;
  }
  v.unit = fam_.unit;
  v.has_type = fam_.has_type;
  v.has_help = fam_.has_help;
  v.line = fam_.line;
  ++sum_.families;
  handler_.on_family(v);
}

void Parser::close_family() {
  if (have_fam_) announce();
}

} // namespace detail

ParseSummary parse(std::string_view text, Format format, Handler& handler, const Options& options) {
  return detail::Parser(text, format, handler, options).run();
}

} // namespace nsmon::expfmt
