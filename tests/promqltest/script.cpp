#include "script.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

#include "nsmon/engine/notation.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::promqltest {

namespace {

// test.go's patterns (Go's RE2 syntax; these use nothing std::regex reads differently).
const std::regex kLoad(R"(^load(?:_(with_nhcb))?\s+(.+?)$)");
const std::regex kEvalInstant(R"(^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$)");
const std::regex kEvalRange(R"(^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$)");
const std::regex kExpect(R"(^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$)");
const std::regex kExpectRange(R"(^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$)");

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n' || s[b] == '\v' || s[b] == '\f')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n' || s[e - 1] == '\v' ||
                   s[e - 1] == '\f'))
    --e;
  return std::string(s.substr(b, e - b));
}

// getLines: trimmed lines, comment lines blank.
std::vector<std::string> get_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = text.find('\n', start);
    std::string l = trim(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (!l.empty() && l[0] == '#') l.clear();
    lines.push_back(std::move(l));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::optional<std::int64_t> duration(const std::string& s, std::string& err) { return text::parse_duration(s, &err); }

struct Parser {
  std::vector<std::string> lines;
  Script out;

  bool fail(std::size_t i, std::string msg) {
    out.error = {static_cast<int>(i) + 1, std::move(msg)};
    return false;
  }

  // load_with_nhcb: the classic histograms (their _bucket, _count and _sum series) are also
  // loaded as native histograms with custom buckets, one per step, as promqltest's
  // appendCustomHistogram converts them (convertnhcb.TempHistogram). A step whose buckets do not
  // convert (negative, not cumulative, a count other than the +Inf bucket's) is left out, where
  // promqltest fails the load.
  static void add_nhcb(LoadCmd& cmd) {
    struct Temp {
      std::vector<std::pair<double, double>> buckets; // le, cumulative count
      std::optional<double> count;
      double sum = 0;
    };
    std::map<Labels, std::map<std::size_t, Temp>> classic;
    for (const auto& s : cmd.series) {
      std::string name;
      for (const auto& [n, v] : s.labels)
        if (n == "__name__") name = v;
      std::string_view suffix;
      for (std::string_view x : {"_bucket", "_count", "_sum"})
        if (name.size() > x.size() && name.compare(name.size() - x.size(), x.size(), x) == 0) suffix = x;
      if (suffix.empty()) continue;
      std::optional<double> le;
      Labels base;
      for (const auto& [n, v] : s.labels) {
        if (n == "le") {
          std::string err;
          std::string_view t = v;
          if (!t.empty() && t.front() == '+') t.remove_prefix(1);
          le = text::go::parse_number(t, err);
          if (le && !v.empty() && v.front() == '-' && *le > 0) le = -*le;
          continue;
        }
        base.emplace_back(n, n == "__name__" ? name.substr(0, name.size() - suffix.size()) : v);
      }
      if (suffix == "_bucket" && (!le || std::isnan(*le))) continue;
      for (std::size_t i = 0; i < s.values.size(); ++i) {
        if (!s.values[i] || engine::is_stale_nan(*s.values[i]) || (i < s.histograms.size() && s.histograms[i].h))
          continue;
        Temp& t = classic[base][i];
        double v = *s.values[i];
        if (suffix == "_count") t.count = v;
        else if (suffix == "_sum") t.sum = v;
        else t.buckets.emplace_back(*le, v);
      }
    }
    for (auto& [labels, steps] : classic) {
      LoadCmd::Series out{labels, {}, {}};
      for (auto& [i, t] : steps) {
        std::sort(t.buckets.begin(), t.buckets.end());
        bool ok = true;
        for (std::size_t k = 0; k < t.buckets.size(); ++k)
          if (t.buckets[k].second < 0 || (k > 0 && t.buckets[k].second < t.buckets[k - 1].second)) ok = false;
        if (!t.count && !t.buckets.empty()) t.count = t.buckets.back().second;
        if (!t.count) continue;
        if (t.buckets.empty() || t.buckets.back().first != HUGE_VAL) t.buckets.emplace_back(HUGE_VAL, *t.count);
        if (!ok || t.buckets.back().second != *t.count) continue;
        auto h = std::make_shared<engine::Histogram>();
        h->schema = engine::kCustomBucketsSchema;
        h->count = *t.count;
        h->sum = t.sum;
        double prev = 0;
        for (std::size_t k = 0; k < t.buckets.size(); ++k) {
          if (t.buckets[k].first != HUGE_VAL) h->custom_values.push_back(t.buckets[k].first);
          h->positive.push_back({static_cast<std::int32_t>(k), t.buckets[k].second - prev});
          prev = t.buckets[k].second;
        }
        engine::compact(*h);
        out.values.resize(i + 1);
        out.histograms.resize(i + 1);
        out.values[i] = 0.0;
        out.histograms[i] = {std::move(h), false};
      }
      std::erase_if(cmd.series, [&](const auto& s) { return s.labels == out.labels; });
      cmd.series.push_back(std::move(out));
    }
  }

  bool load(std::size_t& i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, kLoad))
      return fail(i, "invalid load command. (load[_with_nhcb] <step:duration>)");
    LoadCmd cmd;
    cmd.line = static_cast<int>(i) + 1;
    std::string err;
    auto step = duration(m[2], err);
    if (!step) return fail(i, "invalid step definition \"" + std::string(m[2]) + "\": " + err);
    cmd.step_ms = *step;
    const bool nhcb = m[1] == "with_nhcb";
    std::optional<Labels> st_pending;
    while (i + 1 < lines.size() && !lines[i + 1].empty()) {
      const std::string& l = lines[++i];
      // `metric{...}@st <offsets>`: start timestamps, which nsmon's engine does not model.
      std::size_t sp = l.find_first_of(" \t");
      if (sp != std::string::npos && sp >= 3 && l.compare(sp - 3, 3, "@st") == 0) {
        auto d = engine::parse_series(l.substr(0, sp - 3));
        if (d.error) return fail(i, "invalid @st line metric: " + d.error->message);
        st_pending = d.labels;
        continue;
      }
      auto d = engine::parse_series_desc(l);
      if (!d.histograms.empty()) out.native_histograms = true;
      if (d.error) return fail(i, std::to_string(d.error->offset + 1) + ": parse error: " + d.error->message);
      if (st_pending) {
        cmd.unsupported.push_back({d.labels, "start timestamps (@st)"});
        st_pending.reset();
      }
      if (nhcb) out.native_histograms = true;
      auto same = [&](const auto& s) { return s.labels == d.labels; };
      std::erase_if(cmd.series, same);
      cmd.series.push_back({std::move(d.labels), std::move(d.values), std::move(d.histograms)});
    }
    if (nhcb) add_nhcb(cmd);
    out.commands.emplace_back(std::move(cmd));
    return true;
  }

  bool eval(std::size_t& i) {
    std::smatch im, rm;
    const bool instant = std::regex_match(lines[i], im, kEvalInstant);
    const bool range = !instant && std::regex_match(lines[i], rm, kEvalRange);
    if (!instant && !range) return fail(i, "invalid evaluation command");
    EvalCmd cmd;
    cmd.line = static_cast<int>(i) + 1;
    cmd.is_range = range;
    std::string mod = instant ? im[1].str() : rm[1].str();
    cmd.expr = instant ? im[3].str() : rm[5].str();
    std::string err;
    if (instant) {
      auto at = duration(im[2], err);
      if (!at) return fail(i, "invalid timestamp definition \"" + im[2].str() + "\": " + err);
      cmd.start = cmd.end = *at;
    } else {
      auto from = duration(rm[2], err), to = duration(rm[3], err), step = duration(rm[4], err);
      if (!from || !to || !step) return fail(i, "invalid range definition: " + err);
      if (*to < *from) return fail(i, "invalid test definition, end timestamp is before start timestamp");
      cmd.start = *from, cmd.end = *to, cmd.step = *step;
    }
    cmd.fail = mod == "fail", cmd.warn = mod == "warn", cmd.info = mod == "info", cmd.ordered = mod == "ordered";
    int pos = 0;
    while (i + 1 < lines.size() && !lines[i + 1].empty()) {
      const std::string& l = lines[++i];
      if (cmd.fail && l.rfind("expected_fail_message", 0) == 0) {
        cmd.fail_message = trim(std::string_view(l).substr(21));
        break;
      }
      if (cmd.fail && l.rfind("expected_fail_regexp", 0) == 0) {
        cmd.fail_regexp = trim(std::string_view(l).substr(20));
        break;
      }
      if (l.rfind("expect range vector", 0) == 0) {
        std::smatch m;
        if (!std::regex_match(l, m, kExpectRange))
          return fail(i, "invalid range vector definition " + text::go::quote(l));
        auto from = duration(m[1], err), to = duration(m[2], err), step = duration(m[3], err);
        if (!from || !to || !step) return fail(i, "invalid range vector definition: " + err);
        cmd.start = *from, cmd.end = *to, cmd.step = *step;
        cmd.range_vector = cmd.exclude_from_range = true;
        continue;
      }
      if (l.rfind("expect string", 0) == 0) {
        auto s = l.size() > 14 ? text::go::unquote(std::string_view(l).substr(14)) : std::nullopt;
        if (!s) return fail(i, "expected string literal not valid");
        cmd.string = *s;
        cmd.exclude_from_range = true;
        continue;
      }
      if (l.substr(0, l.find(' ')) == "expect") {
        std::smatch m;
        std::string t = trim(l);
        if (!std::regex_match(t, m, kExpect))
          return fail(i, "invalid expect statement, must match `expect <type> <match_type>: <string>` format");
        static const std::map<std::string, ExpectType> types = {
            {"ordered", ExpectType::ordered}, {"fail", ExpectType::fail}, {"warn", ExpectType::warn},
            {"no_warn", ExpectType::no_warn}, {"info", ExpectType::info}, {"no_info", ExpectType::no_info}};
        ExpectMsg msg{".*", true};
        if (m[2].matched) msg = ExpectMsg{trim(m[3].str()), m[2] == "regex"};
        cmd.expects[types.at(m[1])].push_back(std::move(msg));
        continue;
      }
      std::string nerr;
      if (auto f = text::go::parse_number(l, nerr)) {
        cmd.scalar = *f;
        break;
      }
      auto d = engine::parse_series_desc(l);
      if (!d.histograms.empty()) out.native_histograms = true;
      if (d.error) return fail(i, std::to_string(d.error->offset + 1) + ": parse error: " + d.error->message);
      if (d.values.size() > 1 && instant && !cmd.range_vector)
        return fail(i, "expecting multiple values in instant evaluation not allowed");
      std::erase_if(cmd.series, [&](const ExpectedSeries& s) { return s.labels == d.labels; });
      cmd.series.push_back({std::move(d.labels), std::move(d.values), std::move(d.histograms), ++pos});
    }
    out.commands.emplace_back(std::move(cmd));
    return true;
  }

  void run() {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& l = lines[i];
      if (l.empty()) continue;
      std::string word = l.substr(0, l.find_first_of(" \t"));
      std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
      bool ok = true;
      if (word == "clear") out.commands.emplace_back(ClearCmd{});
      else if (word.rfind("load", 0) == 0) ok = load(i);
      else if (word.rfind("eval", 0) == 0) ok = eval(i);
      else ok = fail(i, "invalid command " + text::go::quote(l));
      if (!ok) return;
    }
  }
};

} // namespace

Script parse_script(std::string_view text) {
  Parser p;
  p.lines = get_lines(text);
  p.run();
  return std::move(p.out);
}

} // namespace nsmon::promqltest
