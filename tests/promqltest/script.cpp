#include "script.hpp"

#include <algorithm>
#include <regex>

#include "nsmon/engine/notation.hpp"
#include "nsmon/promql/go_compat.hpp"

namespace nsmon::promqltest {

namespace {

namespace go = promql::go;

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

std::optional<std::int64_t> duration(const std::string& s, std::string& err) { return go::parse_duration_ms(s, err); }

struct Parser {
  std::vector<std::string> lines;
  Script out;

  bool fail(std::size_t i, std::string msg) {
    out.error = {static_cast<int>(i) + 1, std::move(msg)};
    return false;
  }

  // The classic histogram series that load_with_nhcb also loads as one native histogram.
  static std::optional<Labels> nhcb_base(const Labels& ls) {
    std::string name;
    for (const auto& [n, v] : ls)
      if (n == "__name__") name = v;
    for (std::string_view suffix : {"_bucket", "_count", "_sum"}) {
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      Labels base;
      for (const auto& [n, v] : ls) {
        if (n == "le" && suffix == "_bucket") continue;
        base.emplace_back(n, n == "__name__" ? name.substr(0, name.size() - suffix.size()) : v);
      }
      return base;
    }
    return std::nullopt;
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
      if (nhcb) {
        out.native_histograms = true;
        if (auto base = nhcb_base(d.labels)) cmd.unsupported.push_back({*base, "native histograms (load_with_nhcb)"});
      }
      auto same = [&](const auto& s) { return s.labels == d.labels; };
      std::erase_if(cmd.series, same);
      cmd.series.push_back({std::move(d.labels), std::move(d.values), std::move(d.histograms)});
    }
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
        if (!std::regex_match(l, m, kExpectRange)) return fail(i, "invalid range vector definition " + go::quote(l));
        auto from = duration(m[1], err), to = duration(m[2], err), step = duration(m[3], err);
        if (!from || !to || !step) return fail(i, "invalid range vector definition: " + err);
        cmd.start = *from, cmd.end = *to, cmd.step = *step;
        cmd.range_vector = cmd.exclude_from_range = true;
        continue;
      }
      if (l.rfind("expect string", 0) == 0) {
        auto s = l.size() > 14 ? go::unquote(std::string_view(l).substr(14)) : std::nullopt;
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
      if (auto f = go::parse_number(l, nerr)) {
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
      else ok = fail(i, "invalid command " + go::quote(l));
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
