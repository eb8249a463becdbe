#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>

#include "nsmon/cli/cmd_query.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli::query {

namespace fmt = util::fmt;

namespace {

std::optional<double> to_double(std::string_view s) {
  if (s == "NaN") return std::nan("");
  if (s == "+Inf" || s == "Inf") return HUGE_VAL;
  if (s == "-Inf") return -HUGE_VAL;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Up to 4 significant digits, without trailing zeros ("0.1235", "12.5", "1.235e+06").
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::vector<std::pair<std::string, std::string>> sorted_labels(const promapi::Series& s) {
  auto l = s.labels;
  std::sort(l.begin(), l.end());
  return l;
}

std::string quote_label_value(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// j[key] when j is an object that has it, else null: servers' answers are not trusted.
const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json null;
  auto it = j.is_object() ? j.find(key) : j.end();
  return it == j.end() ? null : *it;
}

// j[key] when it is an array, else an empty one.
const nlohmann::json& array_at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json& m = member(j, key);
  return m.is_array() ? m : empty;
}

std::string as_text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string text(const nlohmann::json& j, const char* key) { return as_text(member(j, key)); }

std::string labels_text(const nlohmann::json& labels, const std::set<std::string>& skip) {
  std::vector<std::string> parts;
  if (labels.is_object())
    for (const auto& [k, v] : labels.items())
      if (!skip.count(k))
        parts.push_back(k + "=" + (v.is_string() ? quote_label_value(v.get<std::string>()) : as_text(v)));
  return util::join(parts, ", ");
}

} // namespace

Unit parse_unit(const std::string& u) {
  if (u == "seconds") return Unit::seconds;
  if (u == "bytes") return Unit::bytes;
  if (u == "percent") return Unit::percent;
  if (u == "ratio") return Unit::ratio;
  return Unit::none;
}

std::string humanize(double v, Unit u) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  switch (u) {
  case Unit::seconds: return std::fabs(v) < 60 ? fmt::latency(v) : fmt::duration(v);
  case Unit::bytes: return fmt::bytes(v);
  case Unit::percent: return short_number(v) + " %";
  case Unit::ratio: return short_number(v * 100) + " %";
  case Unit::none: break;
  }
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::count(v);
  return short_number(v);
}

std::string humanize(const std::string& value, Unit u) {
  auto v = to_double(value);
  return v ? humanize(*v, u) : value;
}

Unit series_unit(const promapi::Series& s, const catalog::Catalog& cat, Unit fallback) {
  for (const auto& [k, v] : s.labels) {
    if (k != "__name__") continue;
    auto ref = cat.resolve(v);
    // Bucket and count series count observations; _created is a timestamp.
    if (!ref || !ref->metric || (ref->suffix != "" && ref->suffix != "_total" && ref->suffix != "_sum"))
      return Unit::none;
    return parse_unit(ref->metric->unit);
  }
  return fallback;
}

std::string series_name(const promapi::Series& s) {
  std::string name, labels;
  for (const auto& [k, v] : sorted_labels(s)) {
    if (k == "__name__") {
      name = v;
      continue;
    }
    if (!labels.empty()) labels += ", ";
    labels += k + "=" + quote_label_value(v);
  }
  return labels.empty() && !name.empty() ? name : name + "{" + labels + "}";
}

bool Check::holds(double v) const {
  if (op == "<") return v < value;
  if (op == "<=") return v <= value;
  if (op == ">") return v > value;
  if (op == ">=") return v >= value;
  if (op == "==") return v == value;
  return v != value;
}

Check parse_check(const std::string& text) {
  std::string_view s = util::trim(text);
  Check c;
  for (const char* op : {"<=", ">=", "==", "!=", "<", ">"})
    if (util::starts_with(s, op)) {
      c.op = op;
      break;
    }
  auto v = c.op.empty() ? std::nullopt : to_double(util::trim(s.substr(c.op.size())));
  if (!v || std::isnan(*v))
    throw UsageError("--check wants 'OP NUMBER' with OP one of < <= > >= == != (e.g. '< 1'), not '" + text + "'");
  c.value = *v;
  return c;
}

void Out::write(std::string_view s) {
  if (buf_.size() + s.size() < 1 << 16) {
    buf_.append(s);
    return;
  }
  flush();
  std::fwrite(s.data(), 1, s.size(), stdout); // large pieces (--format json) go out as they are
}

void Out::flush() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
  buf_.clear();
}

void append_time(std::string& b, double t) {
  if (!std::isfinite(t)) {
    b += util::format_number(t);
    return;
  }
  char buf[64];
  // A whole number below 2^53 (a time in seconds): its digits, unless to_chars's shortest form is
  // scientific, which it is when that is shorter (1.7e+09 for 1700000000).
  if (!std::signbit(t) && t < 9007199254740992.0 && t == std::floor(t)) { // not -0
    auto u = static_cast<std::uint64_t>(t);
    char* end = std::to_chars(buf, buf + sizeof buf, u).ptr;
    const auto digits = end - buf;
    auto significant = digits;
    while (significant > 1 && buf[significant - 1] == '0') --significant;
    if (digits <= significant + (significant > 1 ? 1 : 0) + 4) { // d.ddde+XX
      b.append(buf, end);
      return;
    }
  }
  b.append(buf, std::to_chars(buf, buf + sizeof buf, t).ptr);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Spool::Spool() : file_(std::tmpfile()) {
  if (!file_) throw Error(std::string("cannot create a temporary file for the answer: ") + std::strerror(errno));
}

Spool::~Spool() { std::fclose(file_); }

void Spool::write(std::string_view s) {
  buf_.append(s);
  if (buf_.size() < 1 << 16) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    throw Error(std::string("cannot write the answer to a temporary file: ") + std::strerror(errno));
  buf_.clear();
}

void Spool::copy_to(Out& out, const std::function<void(std::string&, std::string_view)>& line) {
  std::rewind(file_);
  std::string pending;
  char chunk[1 << 16];
  auto emit = [&](bool last) {
    std::size_t at = 0;
    for (std::size_t nl; (nl = pending.find('\n', at)) != std::string::npos; at = nl + 1)
      line(out.buffer(), std::string_view(pending).substr(at, nl + 1 - at));
    pending.erase(0, at);
    if (last && !pending.empty()) line(out.buffer(), pending);
    if (out.buffer().size() >= 1 << 16) out.flush();
  };
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, file_)) > 0;) {
    if (!line) out.write(std::string_view(chunk, n));
    else {
      pending.append(chunk, n);
      emit(false);
    }
  }
  if (!line) out.write(buf_);
  else {
    pending += buf_;
    emit(true);
  }
  buf_.clear();
}

void CsvWriter::add(const promapi::Series& s) {
  const std::string prefix = std::to_string(labels_.size()) + ",";
  labels_.push_back(s.labels);
  std::string lines;
  for (const auto& p : s.samples) {
    lines += prefix;
    append_time(lines, p.t);
    lines += ',';
    lines += p.value;
    lines += '\n';
  }
  spool_.write(lines);
}

void CsvWriter::finish(Out& out) {
  // A column per label, as a spreadsheet wants them: the metric name, the other labels by name,
  // then time and value; a series without a label leaves its cell empty.
  std::vector<std::string> names;
  for (const auto& ls : labels_)
    for (const auto& [k, v] : ls)
      if (k != "__name__") names.push_back(k);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string header = "__name__";
  for (const auto& n : names) header += "," + csv_field(n);
  out.write(header + ",timestamp,value\n");
  std::vector<std::string> prefix;
  for (const auto& ls : labels_) {
    std::map<std::string, std::string> by_name(ls.begin(), ls.end());
    std::string p = csv_field(by_name["__name__"]);
    for (const auto& n : names) p += "," + csv_field(by_name[n]);
    prefix.push_back(std::move(p));
  }
  labels_.clear();
  // Spooled lines are "<series number>,<time>,<value>".
  spool_.copy_to(out, [&](std::string& b, std::string_view l) {
    const std::size_t comma = l.find(',');
    std::size_t i = 0;
    std::from_chars(l.data(), l.data() + comma, i);
    b += prefix[i];
    b += l.substr(comma);
  });
}

void write_jsonl(Out& out, const promapi::Series& s) {
  nlohmann::json metric = nlohmann::json::object();
  for (const auto& [k, v] : s.labels) metric[k] = v;
  const std::string prefix =
      "{\"metric\":" + metric.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ",\"timestamp\":";
  std::string& b = out.buffer();
  for (const auto& p : s.samples) {
    b += prefix;
    append_time(b, p.t);
    b += ",\"value\":";
    if (std::all_of(p.value.begin(), p.value.end(), [](char c) { return c >= 0x20 && c != '"' && c != '\\'; })) {
      b += '"'; // plain ASCII, nothing to escape (the common case: "0.5", "NaN")
      b += p.value;
      b += '"';
    } else {
      b += nlohmann::json(p.value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    b += "}\n";
    if (b.size() >= 1 << 16) out.flush();
  }
}

std::string render(const Table& t, const std::string& format) {
  if (format == "csv") {
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += csv_field(cells[i]);
      }
      out += "\n";
    };
    std::vector<std::string> header;
    for (const auto& h : t.header) {
      std::string l;
      for (char c : h) l += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      header.push_back(l);
    }
    line(header);
    for (const auto& r : t.rows) line(r);
    return out;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back(t.header);
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  return util::render_table(rows, t.right);
}

namespace {

// Trailing zeros of a fraction (and a dot left alone) go: "0.5000" -> "0.5", "3.000e+04" -> "3e+04".
std::string trim_zeros(std::string s) {
  const std::size_t e = s.find('e');
  std::string exp = e == std::string::npos ? "" : s.substr(e);
  std::string mant = s.substr(0, e);
  if (mant.find('.') != std::string::npos) {
    while (mant.back() == '0') mant.pop_back();
    if (mant.back() == '.') mant.pop_back();
  }
  return mant + exp;
}

// Thousands separators in the integer part: "68770.5" -> "68,770.5".
std::string with_separators(const std::string& s) {
  const std::size_t sign = s.starts_with('-') ? 1 : 0, end = std::min(s.find('.'), s.size());
  std::string out = s.substr(0, sign);
  for (std::size_t i = sign; i < end; ++i) {
    if (i > sign && (end - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out + s.substr(end);
}

} // namespace

std::vector<std::string> number_column(const std::vector<double>& values) {
  // One format for the whole column, so that it reads top to bottom as like against like:
  // counts (every value an integer) exact, with separators; otherwise four significant digits,
  // in scientific notation for every cell when one value needs it (a magnitude outside
  // [0.001, 1e6)), in plain decimals otherwise. The table right-aligns the column.
  bool integers = true, scientific = false;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    integers = integers && v == std::floor(v) && std::fabs(v) < 1e15;
    scientific = scientific || (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3));
  }
  std::vector<std::string> out;
  for (double v : values) {
    if (!std::isfinite(v)) out.push_back(humanize(v, Unit::none));
    else if (integers) out.push_back(fmt::count(v));
    else {
      char buf[64];
      if (scientific) std::snprintf(buf, sizeof buf, "%.3e", v);
      else {
        const int magnitude = v == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::fabs(v))));
        std::snprintf(buf, sizeof buf, "%.*f", std::max(0, 3 - magnitude), v);
      }
      out.push_back(scientific ? trim_zeros(buf) : with_separators(trim_zeros(buf)));
    }
  }
  return out;
}

Table series_table(const std::vector<promapi::Series>& series, bool range, const catalog::Catalog& cat, Unit fallback) {
  std::set<std::string> names;
  bool has_name = false;
  for (const auto& s : series)
    for (const auto& [k, v] : s.labels) {
      if (k == "__name__") has_name = true;
      else names.insert(k);
    }
  Table t;
  if (has_name) t.header.push_back("NAME");
  t.header.insert(t.header.end(), names.begin(), names.end());
  if (range) t.header.insert(t.header.end(), {"LAST", "MIN", "MAX", "SAMPLES"});
  else t.header.push_back("VALUE");
  const std::size_t first_value = t.header.size() - (range ? 4 : 1), values = range ? 3 : 1;
  t.right.assign(t.header.size(), false);
  for (std::size_t c = first_value; c < t.header.size(); ++c) t.right[c] = true;
  // The unitless numbers of each value column, formatted together once every row is in.
  struct Plain {
    std::size_t row;
    double v;
  };
  std::vector<std::vector<Plain>> plain(values);
  for (const auto& s : series) {
    std::map<std::string, std::string> l(s.labels.begin(), s.labels.end());
    std::vector<std::string> row;
    if (has_name) row.push_back(l.count("__name__") ? l["__name__"] : "");
    for (const auto& n : names) row.push_back(l.count(n) ? l[n] : "");
    Unit u = series_unit(s, cat, fallback);
    auto cell = [&](std::optional<double> v, const std::string& text) {
      if (v && u == Unit::none) plain[row.size() - first_value].push_back({t.rows.size(), *v});
      row.push_back(v ? humanize(*v, u) : text);
    };
    const std::string last = s.samples.empty() ? "" : s.samples.back().value;
    cell(s.samples.empty() ? std::nullopt : to_double(last), last);
    if (range) {
      double lo = HUGE_VAL, hi = -HUGE_VAL;
      for (const auto& p : s.samples)
        if (auto v = to_double(p.value); v && !std::isnan(*v)) {
          lo = std::min(lo, *v);
          hi = std::max(hi, *v);
        }
      bool any = lo <= hi;
      cell(any ? std::optional<double>(lo) : std::nullopt, "");
      cell(any ? std::optional<double>(hi) : std::nullopt, "");
      row.push_back(std::to_string(s.samples.size()));
    }
    t.rows.push_back(std::move(row));
  }
  for (std::size_t c = 0; c < values; ++c) {
    std::vector<double> v;
    for (const auto& p : plain[c]) v.push_back(p.v);
    std::vector<std::string> text = number_column(v);
    for (std::size_t i = 0; i < plain[c].size(); ++i) t.rows[plain[c][i].row][first_value + c] = text[i];
  }
  return t;
}

namespace {
// An API time (RFC 3339, nanoseconds) in a table: how long ago, as a person reads it ("12s ago");
// json keeps the server's text. Go's zero time (never scraped) and what does not parse stay as
// they are.
std::string ago(const std::string& rfc3339, double now) {
  auto t = promapi::parse_time(rfc3339, now);
  if (!t || *t <= 0) return rfc3339;
  return *t > now ? "in " + fmt::duration(*t - now) : fmt::duration(now - *t) + " ago";
}
} // namespace

Table verb_table(const std::string& verb, const nlohmann::json& data, const std::string& label_name) {
  const double now = promapi::now_seconds();
  Table t;
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json& list = data.is_array() ? data : empty;
  if (verb == "labels" || verb == "label-values") {
    t.header = {verb == "labels" ? "LABEL" : label_name};
    for (const auto& v : list) t.rows.push_back({as_text(v)});
  } else if (verb == "series") {
    std::vector<promapi::Series> series;
    for (const auto& el : list) {
      promapi::Series s;
      if (el.is_object())
        for (const auto& [k, v] : el.items()) s.labels.emplace_back(k, as_text(v));
      series.push_back(std::move(s));
    }
    t = series_table(series, false, catalog::Catalog{}, Unit::none);
    t.header.pop_back(); // no VALUE
    for (auto& r : t.rows) r.pop_back();
  } else if (verb == "targets") {
    t.header = {"JOB", "INSTANCE", "HEALTH", "LAST SCRAPE", "DURATION", "ERROR"};
    for (const auto& tg : array_at(data, "activeTargets")) {
      const auto& l = member(tg, "labels");
      const auto& d = member(tg, "lastScrapeDuration");
      t.rows.push_back({text(l, "job"), text(l, "instance"), text(tg, "health"), ago(text(tg, "lastScrape"), now),
                        d.is_number() ? humanize(d.get<double>(), Unit::seconds) : as_text(d), text(tg, "lastError")});
    }
  } else if (verb == "rules") {
    t.header = {"GROUP", "NAME", "TYPE", "STATE", "HEALTH", "QUERY"};
    for (const auto& g : array_at(data, "groups"))
      for (const auto& r : array_at(g, "rules"))
        t.rows.push_back(
            {text(g, "name"), text(r, "name"), text(r, "type"), text(r, "state"), text(r, "health"), text(r, "query")});
  } else if (verb == "alerts") {
    t.header = {"ALERT", "STATE", "ACTIVE SINCE", "VALUE", "LABELS"};
    for (const auto& a : array_at(data, "alerts")) {
      const auto& l = member(a, "labels");
      t.rows.push_back({text(l, "alertname"), text(a, "state"), ago(text(a, "activeAt"), now),
                        humanize(text(a, "value"), Unit::none), labels_text(l, {"alertname"})});
    }
  } else if (verb == "metadata") {
    if (data.is_object())
      for (const auto& [metric, entries] : data.items())
        for (const auto& e : entries.is_array() ? entries : empty)
          t.rows.push_back({metric, text(e, "type"), text(e, "unit"), text(e, "help")});
    t.header = {"METRIC", "TYPE", "UNIT", "HELP"};
  } else if (verb == "buildinfo") {
    t.header = {"FIELD", "VALUE"};
    if (data.is_object())
      for (const auto& [k, v] : data.items()) t.rows.push_back({k, as_text(v)});
  }
  return t;
}

std::vector<nlohmann::json> verb_items(const std::string& verb, const nlohmann::json& data) {
  std::vector<nlohmann::json> items;
  auto each = [&](const nlohmann::json& a) {
    for (const auto& x : a) items.push_back(x);
  };
  if (verb == "targets") each(array_at(data, "activeTargets"));
  else if (verb == "alerts") each(array_at(data, "alerts"));
  else if (verb == "rules") {
    for (const auto& g : array_at(data, "groups"))
      for (const auto& r : array_at(g, "rules")) {
        nlohmann::json x = r.is_object() ? r : nlohmann::json::object();
        x["group"] = member(g, "name");
        items.push_back(std::move(x));
      }
  } else if (verb == "metadata" && data.is_object()) {
    for (const auto& [metric, entries] : data.items())
      for (const auto& e : entries.is_array() ? entries : nlohmann::json::array()) {
        nlohmann::json x = e.is_object() ? e : nlohmann::json::object();
        x["metric"] = metric;
        items.push_back(std::move(x));
      }
  } else if (data.is_array()) each(data);
  else items.push_back(data);
  return items;
}

} // namespace nsmon::cli::query
