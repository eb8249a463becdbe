// The conformance runner: Prometheus's own engine test scripts (tests/data/promqltest/*.test, from
// promql/promqltest/testdata) run on nsmon's engine, compared as promqltest's test.go compares
// (relative tolerance 1e-6, NaN equals NaN, stale markers only equal stale markers, order only
// when asked, instant queries re-checked in range mode at the middle step and re-run with `@` on
// their selectors at other times).
//
//   promqltest_runner [--dir DIR] [--file NAME]... [--write-results FILE] [--floor FILE] [-v]
//   promqltest_runner --expand 'metric{a="b"} 1+1x3 _ stale'   (the notation's expansion)
//
// Prints, per file, the eval statements total / passed / failed / skipped (skipped: they read
// series with start timestamps, which the runner does not load — each with its reason), each failure as file:line, the
// expression, expected and got, then the summary table; skipped also: the experimental feature the engine does not have
// (info()). --write-results also lists every skipped and every failing eval statement. --floor FILE fails (exit 1) when
// a pass rate falls below the floors kept in FILE.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <re2/re2.h>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"
#include "script.hpp"

namespace fs = std::filesystem;
using namespace nsmon;
using namespace nsmon::promqltest;

namespace {

// util/almost.Equal with promqltest's epsilon.
bool almost_equal(double a, double b) {
  constexpr double eps = 1e-6;
  if (engine::is_stale_nan(a) || engine::is_stale_nan(b)) return engine::is_stale_nan(a) && engine::is_stale_nan(b);
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  const double min_normal = std::numeric_limits<double>::min();
  double abs_sum = std::fabs(a) + std::fabs(b);
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || abs_sum < min_normal) return diff < eps * min_normal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < eps;
}

std::string fmt(double v) { return engine::format_value(v); }
std::string fmt(const std::optional<double>& v) { return v ? fmt(*v) : "_"; }

std::string show_labels(const Labels& ls) { return engine::to_string(ls); }

std::string fmt(double v, const engine::HistogramPtr& h) { return h ? engine::test_expression(*h) : fmt(v); }

std::string show_points(const std::vector<engine::Point>& ps) {
  std::string out = "[";
  for (const auto& p : ps) out += (out.size() > 1 ? " " : "") + fmt(p.v, p.h) + "@" + std::to_string(p.t);
  return out + "]";
}

// The expected value at index i of a series: a float, a histogram, or nothing.
struct Expected {
  std::optional<double> v;
  engine::HistogramValue h;
};
Expected expected_at(const ExpectedSeries& e, std::size_t i) {
  Expected x;
  if (i < e.values.size()) x.v = e.values[i];
  if (i < e.histograms.size()) x.h = e.histograms[i];
  return x;
}
std::string fmt(const Expected& x) { return x.h.h ? engine::test_expression(*x.h.h) : fmt(x.v); }

// A float within promqltest's tolerance, or a histogram as compareNativeHistogram compares.
bool same(const Expected& want, double v, const engine::HistogramPtr& h) {
  if (want.h.h || h) return want.h.h && h && engine::approx_equal(*want.h.h, *h, want.h.hint_set);
  return almost_equal(want.v.value_or(0), v);
}

std::string show_value(const engine::Value& v) {
  using promql::ValueType;
  std::string out;
  switch (v.type) {
  case ValueType::scalar: return "scalar " + fmt(v.scalar);
  case ValueType::string: return "string \"" + v.string + "\"";
  case ValueType::vector:
    out = "vector (" + std::to_string(v.vector.size()) + ")";
    for (const auto& s : v.vector) out += "\n      " + show_labels(s.labels) + " " + fmt(s.v, s.h);
    return out;
  case ValueType::matrix:
    out = "matrix (" + std::to_string(v.matrix.size()) + ")";
    for (const auto& s : v.matrix) out += "\n      " + show_labels(s.labels) + " " + show_points(s.points);
    return out;
  default: return "no value";
  }
}

std::string show_expected(const EvalCmd& ev) {
  if (ev.scalar) return "scalar " + fmt(*ev.scalar);
  if (ev.string) return "string \"" + *ev.string + "\"";
  std::string out = std::to_string(ev.series.size()) + " series";
  for (const auto& s : ev.series) {
    out += "\n      " + show_labels(s.labels);
    for (std::size_t i = 0; i < s.values.size(); ++i) out += " " + fmt(expected_at(s, i));
  }
  return out;
}

bool matches(const ExpectMsg& m, const std::string& s) {
  return m.regex ? RE2::PartialMatch(s, RE2(m.text)) : m.text == s;
}

// compareResult: "" when the value is what the eval expects, else why not.
std::string compare(const EvalCmd& ev, const engine::Value& got, bool range_mode_vector) {
  using promql::ValueType;
  auto find = [&](const Labels& ls) -> const ExpectedSeries* {
    for (const auto& e : ev.series)
      if (e.labels == ls) return &e;
    return nullptr;
  };
  if (got.type == ValueType::matrix) {
    if (ev.is_ordered()) return "expected ordered result, but query returned a matrix";
    if (ev.scalar) return "expected scalar result, but got a matrix";
    for (std::size_t i = 1; i < got.matrix.size(); ++i)
      if (got.matrix[i].labels < got.matrix[i - 1].labels) return "matrix results should always be sorted by labels";
    std::set<Labels> seen;
    for (const auto& s : got.matrix) {
      const ExpectedSeries* e = find(s.labels);
      if (!e) return "unexpected metric " + show_labels(s.labels) + " in result, has " + show_points(s.points);
      seen.insert(s.labels);
      std::vector<engine::Point> want;
      std::vector<Expected> wanted;
      for (std::size_t i = 0; i < e->values.size(); ++i) {
        std::int64_t t = ev.start + static_cast<std::int64_t>(i) * ev.step;
        if (t > ev.end) return "expected more points than the query range can return for " + show_labels(s.labels);
        if (e->values[i]) {
          Expected x = expected_at(*e, i);
          want.push_back({t, *e->values[i], x.h.h});
          wanted.push_back(std::move(x));
        }
      }
      if (want.size() != s.points.size())
        return "expected " + std::to_string(want.size()) + " points for " + show_labels(s.labels) + ", got " +
               show_points(s.points);
      for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].t != s.points[i].t || !same(wanted[i], s.points[i].v, s.points[i].h))
          return "expected " + show_points(want) + " for " + show_labels(s.labels) + ", got " + show_points(s.points);
      }
    }
    for (const auto& e : ev.series)
      if (!seen.count(e.labels)) return "expected metric " + show_labels(e.labels) + " not found";
    return "";
  }
  if (got.type == ValueType::vector) {
    if (ev.scalar) return "expected scalar result, but got a vector";
    std::set<Labels> seen;
    for (std::size_t i = 0; i < got.vector.size(); ++i) {
      const auto& s = got.vector[i];
      const ExpectedSeries* e = find(s.labels);
      if (!e) return "unexpected metric " + show_labels(s.labels) + " in result, has value " + fmt(s.v, s.h);
      if (ev.is_ordered() && !range_mode_vector && e->pos != static_cast<int>(i) + 1)
        return "expected metric " + show_labels(s.labels) + " at position " + std::to_string(e->pos) + " but was at " +
               std::to_string(i + 1);
      Expected want = expected_at(*e, 0);
      if (!same(want, s.v, s.h))
        return "expected " + fmt(want) + " for " + show_labels(s.labels) + " but got " + fmt(s.v, s.h);
      seen.insert(s.labels);
    }
    for (const auto& e : ev.series)
      if (!seen.count(e.labels)) return "expected metric " + show_labels(e.labels) + " not found";
    return "";
  }
  if (got.type == ValueType::scalar) {
    if (!ev.scalar) return "expected vector or matrix result, but got scalar " + fmt(got.scalar);
    if (!almost_equal(*ev.scalar, got.scalar))
      return "expected scalar " + fmt(*ev.scalar) + " but got " + fmt(got.scalar);
    return "";
  }
  if (got.type == ValueType::string) {
    if (ev.string.value_or("") != got.string)
      return "expected string \"" + ev.string.value_or("") + "\" but got \"" + got.string + "\"";
    return "";
  }
  return "the engine returned no value";
}

// checkExpectedFailure: "" when the error is the expected one.
std::string check_failure(const EvalCmd& ev, const std::string& err) {
  if (!ev.fail_message.empty() && ev.fail_message != err)
    return "expected error \"" + ev.fail_message + "\", got: " + err;
  if (ev.fail_regexp && !RE2::PartialMatch(err, RE2(*ev.fail_regexp)))
    return "expected error matching \"" + *ev.fail_regexp + "\", got: " + err;
  auto it = ev.expects.find(ExpectType::fail);
  if (it != ev.expects.end() && !it->second.empty() && !matches(it->second[0], err))
    return "expected error matching \"" + it->second[0].text + "\", got: " + err;
  return "";
}

std::string check_kind(const EvalCmd& ev, ExpectType type, const std::vector<std::string>& got, const char* kind) {
  auto it = ev.expects.find(type);
  if (it == ev.expects.end()) return "";
  if (got.empty()) return std::string("expected ") + kind + " annotations but none were found";
  for (const auto& e : it->second)
    if (std::none_of(got.begin(), got.end(), [&](const std::string& g) { return matches(e, g); }))
      return std::string("expected ") + kind + " annotation matching \"" + e.text + "\", found: " + got.front();
  for (const auto& g : got)
    if (std::none_of(it->second.begin(), it->second.end(), [&](const ExpectMsg& e) { return matches(e, g); }))
      return std::string("unexpected ") + kind + " annotation \"" + g + "\"";
  return "";
}

// checkAnnotations.
std::string check_annotations(const EvalCmd& ev, const engine::Result& r) {
  if (ev.warn && r.warnings.empty()) return "expected warnings but got none";
  if (ev.info && r.infos.empty()) return "expected info annotations but got none";
  if (auto e = check_kind(ev, ExpectType::warn, r.warnings, "warn"); !e.empty()) return e;
  if (auto e = check_kind(ev, ExpectType::info, r.infos, "info"); !e.empty()) return e;
  if (ev.expects.count(ExpectType::no_warn) && !r.warnings.empty()) return "unexpected warning: " + r.warnings.front();
  if (ev.expects.count(ExpectType::no_info) && !r.infos.empty()) return "unexpected info: " + r.infos.front();
  return "";
}

// One query's outcome against the eval's expectations (error, annotations, value).
std::string check_result(const EvalCmd& ev, const engine::Result& r) {
  if (r.error) return ev.is_fail() ? check_failure(ev, *r.error) : "error evaluating query: " + *r.error;
  if (ev.is_fail()) return "expected error evaluating query but got none";
  if (auto e = check_annotations(ev, r); !e.empty()) return e;
  return compare(ev, r.value, false);
}

// NewTestEngine's options for the built-in tests: 10000 samples at most, lookback 5m, subqueries
// without a step at 1m, delayed name removal on; the query's text for the annotations' positions.
engine::Options options(std::string_view text) {
  engine::Options o;
  o.max_samples = 10000;
  o.delayed_name_removal = true;
  o.query = text;
  return o;
}

const std::regex kQueryContextFuncs(R"((start|end|range|step)\(\))");

// runInstantQuery: one instant query at `t`, then the same in range mode read at the middle step.
std::string run_instant(const EvalCmd& ev, const std::string& text, const promql::Expr& expr, const engine::Storage& st,
                        std::int64_t t) {
  engine::Result r = engine::instant(expr, st, t, options(text));
  if (auto e = check_result(ev, r); !e.empty()) return e;
  if (r.error || ev.exclude_from_range || std::regex_search(text, kQueryContextFuncs)) return "";
  engine::Result rr = engine::range(expr, st, t - 60'000, t + 60'000, 60'000, options(text));
  if (rr.error) return "error evaluating query in range mode: " + *rr.error;
  if (ev.is_ordered()) return "";
  if (rr.value.type != promql::ValueType::matrix) return "range mode: the engine did not return a matrix";
  for (std::size_t i = 1; i < rr.value.matrix.size(); ++i)
    if (rr.value.matrix[i].labels < rr.value.matrix[i - 1].labels) return "range mode: matrix not sorted by labels";
  engine::Value vec;
  vec.type = promql::ValueType::vector;
  for (const auto& s : rr.value.matrix)
    for (const auto& p : s.points)
      if (p.t == t) vec.vector.push_back({s.labels, p.v, t, false, p.h});
  if (r.value.type == promql::ValueType::scalar) {
    if (vec.vector.empty()) return "range mode: no point at the evaluation time";
    engine::Value sc;
    sc.type = promql::ValueType::scalar;
    sc.scalar = vec.vector[0].v;
    vec = sc;
  }
  if (auto e = compare(ev, vec, true); !e.empty()) return "range mode: " + e;
  return "";
}

// atModifierTestCases: the expression with `@ t` on every selector and subquery that is not inside
// a subquery, printed; nullopt when it calls a function whose result depends on the evaluation
// time (AtModifierUnsafeFunctions).
std::optional<std::string> with_at(const std::string& text, const promql::ParseOptions& opts, std::int64_t t) {
  static const std::set<std::string> unsafe = {
      "days_in_month", "day_of_month",   "day_of_week", "day_of_year", "end",  "hour", "minute",   "month",
      "year",          "predict_linear", "range",       "start",       "step", "time", "timestamp"};
  auto r = promql::parse(text, opts);
  if (!r.ok()) return std::nullopt;
  bool step_variant = false;
  auto set_at = [&](const promql::TimeModifiers& m) {
    auto& mm = const_cast<promql::TimeModifiers&>(m); // the tree is this function's own parse
    if (mm.at != promql::AtKind::timestamp) mm.at = promql::AtKind::timestamp, mm.at_ms = t;
  };
  promql::walk(*r.expr(), [&](const promql::Expr& n, std::span<const promql::Expr* const> path) {
    for (const auto* p : path)
      if (p->kind == promql::NodeKind::subquery) return true;
    if (n.kind == promql::NodeKind::vector_selector) set_at(n.as<promql::VectorSelector>().modifiers);
    if (n.kind == promql::NodeKind::matrix_selector)
      set_at(n.as<promql::MatrixSelector>().selector->as<promql::VectorSelector>().modifiers);
    if (n.kind == promql::NodeKind::subquery) set_at(n.as<promql::SubqueryExpr>().modifiers);
    if (n.kind == promql::NodeKind::call && unsafe.count(n.as<promql::Call>().name)) step_variant = true;
    return true;
  });
  if (step_variant) return std::nullopt;
  return promql::print(*r.expr());
}

std::string run_eval(const EvalCmd& ev, const promql::Expr& expr, const promql::ParseOptions& opts,
                     const engine::Storage& st) {
  if (ev.is_range) return check_result(ev, engine::range(expr, st, ev.start, ev.end, ev.step, options(ev.expr)));
  const std::int64_t t = ev.end;
  if (auto e = run_instant(ev, ev.expr, expr, st, t); !e.empty()) return e;
  auto text = with_at(ev.expr, opts, t);
  if (!text) return "";
  std::vector<std::int64_t> times = {-10 * t, 0, t / 5, t, 10 * t};
  if (t == 0) times = {-1000, 0, 1000};
  auto parsed = promql::parse(*text, opts);
  if (!parsed.ok()) return "the expression with @ modifiers does not parse: " + *text + ": " + parsed.error_string();
  for (std::int64_t at : times)
    if (auto e = run_instant(ev, *text, *parsed.expr(), st, at); !e.empty())
      return "with @ modifiers (" + *text + ") at " + std::to_string(at) + "ms: " + e;
  return "";
}

// Features nsmon's engine does not have (experimental in Prometheus 3.x): an eval that uses one is
// skipped with the reason. Keep this list to what the engine refuses on purpose.
std::string unsupported_feature(const promql::Expr& expr) {
  std::string reason;
  promql::walk(expr, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind == promql::NodeKind::call && n.as<promql::Call>().name == "info")
      reason = "feature: info() (experimental)";
    return reason.empty();
  });
  return reason;
}

// Why an eval reads series the runner could not load, or "".
std::string unsupported_reason(const promql::Expr& expr, const engine::Storage& shadow,
                               const std::map<Labels, std::string>& reasons) {
  std::string reason;
  promql::walk(expr, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (!reason.empty() || n.kind != promql::NodeKind::vector_selector) return reason.empty();
    const auto& vs = n.as<promql::VectorSelector>();
    std::vector<promql::Matcher> ms = vs.matchers;
    if (!vs.name.empty()) ms.push_back({{"__name__", promql::MatchOp::equal, vs.name}, {}});
    for (const auto* s : shadow.select(ms)) {
      reason = reasons.at(s->labels) + ": " + show_labels(s->labels);
      break;
    }
    return reason.empty();
  });
  return reason;
}

struct FileStats {
  std::string name;
  int total = 0, passed = 0, failed = 0, skipped = 0;
  bool native_histograms = false;
  std::string error; // the script itself could not be read
  std::map<std::string, int> skip_reasons;
  std::vector<std::string> skipped_evals; ///< `file:line: reason: expr`, for RESULTS.md
  std::vector<std::string> failed_evals;  ///< `file:line: expr`
};

FileStats run_file(const fs::path& path, bool verbose) {
  FileStats fsx;
  fsx.name = path.filename().string();
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  Script script = parse_script(buf.str());
  fsx.native_histograms = script.native_histograms;
  for (const auto& c : script.commands) fsx.total += std::holds_alternative<EvalCmd>(c);
  if (script.error) {
    fsx.error = std::to_string(script.error->first) + ": " + script.error->second;
    std::printf("%s:%s\n", fsx.name.c_str(), fsx.error.c_str());
  }
  engine::Storage st, shadow;
  std::map<Labels, std::string> reasons;
  promql::ParseOptions opts;
  opts.experimental_functions = opts.duration_expressions = true;
  opts.extended_range_selectors = opts.binop_fill_modifiers = true;
  for (const auto& c : script.commands) {
    if (std::holds_alternative<ClearCmd>(c)) {
      st.clear(), shadow.clear(), reasons.clear();
      continue;
    }
    if (const auto* load = std::get_if<LoadCmd>(&c)) {
      // Prometheus's storage refuses a sample at or before a series' last one, and the test fails.
      for (const auto& [labels, values, histograms] : load->series)
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (!values[i]) continue;
          const std::int64_t t = static_cast<std::int64_t>(i) * load->step_ms;
          const bool ok = i < histograms.size() && histograms[i].h ? st.add(labels, t, histograms[i].h)
                                                                   : st.add(labels, t, *values[i]);
          if (!ok)
            std::printf("%s:%d: load: out-of-order sample for %s at %lld ms\n", fsx.name.c_str(), load->line,
                        show_labels(labels).c_str(), static_cast<long long>(t));
        }
      for (const auto& u : load->unsupported) {
        shadow.add(u.labels, 0, 0);
        reasons[u.labels] = u.reason;
      }
      continue;
    }
    const auto& ev = std::get<EvalCmd>(c);
    auto parsed = promql::parse(ev.expr, opts);
    std::string skip = ev.skip;
    if (skip.empty() && parsed.ok()) skip = unsupported_reason(*parsed.expr(), shadow, reasons);
    if (skip.empty() && parsed.ok()) skip = unsupported_feature(*parsed.expr());
    if (!skip.empty()) {
      ++fsx.skipped;
      ++fsx.skip_reasons[skip.substr(0, skip.find(": {"))];
      if (verbose) std::printf("%s:%d: skipped (%s): %s\n", fsx.name.c_str(), ev.line, skip.c_str(), ev.expr.c_str());
      fsx.skipped_evals.push_back(fsx.name + ":" + std::to_string(ev.line) + ": " + skip.substr(0, skip.find(": {")) +
                                  ": `" + ev.expr + "`");
      continue;
    }
    std::string why =
        parsed.ok() ? run_eval(ev, *parsed.expr(), opts, st) : "nsmon's parser refuses it: " + parsed.error_string();
    if (why.empty()) {
      ++fsx.passed;
      continue;
    }
    ++fsx.failed;
    fsx.failed_evals.push_back(fsx.name + ":" + std::to_string(ev.line) + ": `" + ev.expr + "`");
    std::printf("%s:%d: FAIL %s\n    %s\n", fsx.name.c_str(), ev.line, ev.expr.c_str(), why.c_str());
    if (parsed.ok()) {
      engine::Result r = ev.is_range ? engine::range(*parsed.expr(), st, ev.start, ev.end, ev.step, options(ev.expr))
                                     : engine::instant(*parsed.expr(), st, ev.end, options(ev.expr));
      std::printf("    expected: %s\n    got: %s\n", show_expected(ev).c_str(),
                  r.error ? ("error: " + *r.error).c_str() : show_value(r.value).c_str());
    }
  }
  // Evals after a script error never ran: they count as failed.
  fsx.failed = fsx.total - fsx.passed - fsx.skipped;
  return fsx;
}

// run_file in a child process, so that a crash or a hang of the engine costs one file, not the run:
// the child sends its figures back through a pipe; a child that dies counts its file as failed.
FileStats run_file_isolated(const fs::path& path, bool verbose) {
  std::fflush(stdout);
  int fds[2];
  if (pipe(fds) != 0) return run_file(path, verbose);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(300);
    FileStats f = run_file(path, verbose);
    std::string out = std::to_string(f.total) + " " + std::to_string(f.passed) + " " + std::to_string(f.failed) + " " +
                      std::to_string(f.skipped) + " " + std::to_string(f.native_histograms) + "\n";
    for (const auto& [r, n] : f.skip_reasons) out += std::to_string(n) + " " + r + "\n";
    for (const auto& e : f.skipped_evals) out += "@" + e + "\n";
    for (const auto& e : f.failed_evals) out += "!" + e + "\n";
    std::fflush(stdout);
    std::size_t off = 0;
    while (off < out.size()) {
      ssize_t w = write(fds[1], out.data() + off, out.size() - off);
      if (w <= 0) break;
      off += static_cast<std::size_t>(w);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string data;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  FileStats f;
  f.name = path.filename().string();
  std::istringstream in(data);
  if (in >> f.total >> f.passed >> f.failed >> f.skipped >> f.native_histograms) {
    int n = 0;
    std::string reason;
    while (in >> n && std::getline(in >> std::ws, reason)) f.skip_reasons[reason] = n;
    in.clear();
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("@")) f.skipped_evals.push_back(line.substr(1));
      if (line.starts_with("!")) f.failed_evals.push_back(line.substr(1));
    }
    return f;
  }
  // The child died: every eval of the file that did not pass is a failure.
  Script script = parse_script([&] {
    std::ifstream fin(path);
    std::stringstream ss;
    ss << fin.rdbuf();
    return ss.str();
  }());
  for (const auto& c : script.commands) f.total += std::holds_alternative<EvalCmd>(c);
  f.native_histograms = script.native_histograms;
  f.failed = f.total;
  f.error = WIFSIGNALED(status) ? "the runner died on signal " + std::to_string(WTERMSIG(status)) : "the runner died";
  std::printf("%s: FAIL %s; its %d eval statements count as failed\n", f.name.c_str(), f.error.c_str(), f.total);
  return f;
}

std::string pct(int num, int den) {
  if (den == 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", den ? 100.0 * num / den : 0.0);
  return b;
}

struct Rates {
  double files_without_nh = 0; ///< passed / total over the files without native histograms
  double evals_without_nh = 0; ///< passed / (total - skipped) over every file (not skipped: no native histogram)
};

std::string table(const std::vector<FileStats>& files, Rates& rates) {
  std::ostringstream o;
  o << "| file | evals | passed | failed | skipped | pass rate | native histograms |\n";
  o << "|---|---:|---:|---:|---:|---:|---|\n";
  int t = 0, p = 0, f = 0, s = 0, nt = 0, np = 0;
  for (const auto& x : files) {
    o << "| " << x.name << " | " << x.total << " | " << x.passed << " | " << x.failed << " | " << x.skipped << " | "
      << pct(x.passed, x.total - x.skipped) << " | " << (x.native_histograms ? "yes" : "no") << " |\n";
    t += x.total, p += x.passed, f += x.failed, s += x.skipped;
    if (!x.native_histograms) nt += x.total, np += x.passed;
  }
  o << "| **all** | " << t << " | " << p << " | " << f << " | " << s << " | " << pct(p, t - s) << " | |\n\n";
  rates.files_without_nh = nt ? 100.0 * np / nt : 0;
  rates.evals_without_nh = t - s ? 100.0 * p / (t - s) : 0;
  o << "- Files without native histograms: " << np << " of " << nt << " eval statements pass (" << pct(np, nt)
    << ").\n";
  o << "- Every file, eval statements not skipped: " << p << " of " << (t - s) << " pass (" << pct(p, t - s) << "); "
    << s << " skipped.\n";
  std::map<std::string, int> reasons;
  for (const auto& x : files)
    for (const auto& [r, n] : x.skip_reasons) reasons[r] += n;
  for (const auto& [r, n] : reasons) o << "- Skipped, " << r << ": " << n << ".\n";
  return o.str();
}

// --expand LINE: a series description and its values as the notation reads them, one value a
// line (`_`, `stale`, or the number as %.17g), or `error@OFFSET: message` (notation_differential.py).
int expand(const std::string& line) {
  auto d = engine::parse_series_desc(line);
  if (d.error) {
    std::printf("error@%zu: %s\n", d.error->offset, d.error->message.c_str());
    return 1;
  }
  std::printf("%s\n", show_labels(d.labels).c_str());
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    const auto& v = d.values[i];
    if (!v) std::printf("_\n");
    else if (i < d.histograms.size() && d.histograms[i].h)
      std::printf("%s\n", engine::test_expression(*d.histograms[i].h).c_str());
    else if (engine::is_stale_nan(*v)) std::printf("stale\n");
    else std::printf("%.17g\n", *v);
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  fs::path dir = fs::path(NSMON_SOURCE_DIR) / "tests/data/promqltest";
  std::vector<std::string> only;
  std::string write_results, floor_file;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "promqltest_runner: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--dir") dir = value();
    else if (a == "--file") only.push_back(value());
    else if (a == "--write-results") write_results = value();
    else if (a == "--floor") floor_file = value();
    else if (a == "-v" || a == "--verbose") verbose = true;
    else if (a == "--expand") return expand(value());
    else {
      std::fprintf(
          stderr, "usage: promqltest_runner [--dir DIR] [--file NAME]... [--write-results FILE] [--floor FILE] [-v]\n");
      return 2;
    }
  }
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".test" &&
        (only.empty() || std::find(only.begin(), only.end(), e.path().filename().string()) != only.end()))
      paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<FileStats> files;
  for (const auto& p : paths) files.push_back(run_file_isolated(p, verbose));
  Rates rates;
  std::string summary = table(files, rates);
  std::printf("\n%s", summary.c_str());
  if (!write_results.empty()) {
    std::ofstream out(write_results);
    out << "# promqltest conformance of nsmon's engine\n\n"
        << "Prometheus's engine test scripts (this directory, see README.md) run by `tests/promqltest/runner.cpp`\n"
        << "(`build/tests/promqltest_runner --write-results tests/data/promqltest/RESULTS.md`). Skipped: eval\n"
        << "statements that read series with start timestamps (`@st`), which the runner does not load, and\n"
        << "those using the experimental info(), which the engine does not have. Native histograms (and\n"
        << "`load_with_nhcb`'s conversion of classic ones) are loaded and compared as promqltest compares\n"
        << "them; the \"native histograms\" column says whether a file has any.\n\n"
        << summary;
    out << "\n## Skipped eval statements\n\n";
    for (const auto& f : files)
      for (const auto& e : f.skipped_evals) out << "- " << e << "\n";
    out << "\n## Failing eval statements\n\n";
    for (const auto& f : files)
      for (const auto& e : f.failed_evals) out << "- " << e << "\n";
  }
  if (floor_file.empty()) return 0;
  std::ifstream fin(floor_file);
  std::string key;
  double floor = 0;
  int status = 0;
  while (fin >> key) {
    if (key[0] == '#') {
      std::getline(fin, key);
      continue;
    }
    fin >> floor;
    double got = key == "files_without_native_histograms" ? rates.files_without_nh : rates.evals_without_nh;
    if (got + 1e-9 < floor) {
      std::printf("FAIL: %s pass rate %.1f%% is below the floor %.1f%% (%s)\n", key.c_str(), got, floor,
                  floor_file.c_str());
      status = 1;
    }
  }
  return status;
}
