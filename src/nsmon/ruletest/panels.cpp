#include "nsmon/ruletest/panels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "nsmon/core/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/variables.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::ruletest {

namespace fs = std::filesystem;

namespace {

void invalid(std::vector<core::Diagnostic>& diags, const core::Span& at, std::string msg, std::string hint = {}) {
  diags.push_back(core::make_diagnostic("ruletest/invalid", at, std::move(msg), std::move(hint)));
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& names) {
  std::string hint = util::did_you_mean(name, names);
  return hint.empty() ? "" : "did you mean '" + hint + "'?";
}

// The shared panels of templates/panels/*.yml beside a template, as gen-dashboards reads them.
dashboards::Library load_library(const fs::path& dir, core::SourceSet& sources, std::vector<core::Diagnostic>& diags) {
  dashboards::Library library;
  for (const auto& path : util::glob((dir / "panels" / "*.yml").string())) {
    const core::SourceFile* src = sources.find(path);
    if (!src) src = &sources.add(path, util::read_file(path));
    if (auto p = dashboards::load_panel_file(*src, diags)) library[fs::path(path).stem().string()] = *p;
  }
  return library;
}

// Grafana's prometheusRegularEscape: a single-value variable in a matcher's string.
std::string regular_escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\'') out += "\\\\'";
    else out += c;
  }
  return out;
}

} // namespace

void load_dashboards(PreparedFile& p, const RunOptions& options, core::SourceSet& sources,
                     std::vector<core::Diagnostic>& diags) {
  const fs::path dir = fs::path(p.file.path).parent_path();
  std::map<std::string, dashboards::Library> libraries; // by the template's folder
  for (const auto& written : p.file.dashboards) {
    fs::path path = written.value;
    if (path.is_relative()) path = dir / path;
    path = path.lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      invalid(diags, written.span,
              "no dashboard template " + path.string() + " (dashboards: are relative to the test file)");
      continue;
    }
    const std::string folder = path.parent_path().string();
    auto lib = libraries.find(folder);
    if (lib == libraries.end()) lib = libraries.emplace(folder, load_library(path.parent_path(), sources, diags)).first;
    const core::SourceFile* src = sources.find(path.string());
    if (!src) {
      std::string text = util::read_file(path.string());
      // A binary file (an image, an archive saved as .yml) is said to be one, at the line that
      // names it: its bytes are no line to quote.
      if (text.find('\0') != std::string::npos || !text::go::valid_utf8(text)) {
        invalid(diags, written.span, "the dashboard template " + path.string() + " is not text (UTF-8)");
        continue;
      }
      src = &sources.add(path.string(), std::move(text));
    }
    std::vector<core::Diagnostic> found;
    p.dashboards.push_back(dashboards::load_template(*src, lib->second, found));
    // The template's own findings are gen-dashboards' to report; a panel test only takes the
    // units and thresholds check() settles.
    std::vector<core::Diagnostic> lint;
    if (options.check_dashboard) options.check_dashboard(p.dashboards.back(), sources, lint);
    for (auto& d : found)
      if (d.severity == core::Severity::error) diags.push_back(std::move(d));
  }
}

PreparedFile::PanelRun prepare_panel_test(const PreparedFile& p, const PanelTest& t, std::int64_t interval_ms,
                                          const RunOptions& options, std::vector<core::Diagnostic>& diags) {
  PreparedFile::PanelRun run;
  if (t.dashboard.value.empty() || t.panel.value.empty() == t.annotation.value.empty())
    return run; // reported by the loader
  // The dashboard by uid, else by title.
  const dashboards::Template* dash = nullptr;
  std::vector<std::string> names;
  for (const auto& d : p.dashboards) {
    if (d.uid.value == t.dashboard.value) dash = &d;
    if (!d.uid.value.empty()) names.push_back(d.uid.value);
  }
  for (const auto& d : p.dashboards) {
    if (!dash && d.title.value == t.dashboard.value) dash = &d;
    if (!d.title.value.empty()) names.push_back(d.title.value);
  }
  if (!dash) {
    // A template that did not load has no uid or title: the error about it says which file.
    invalid(diags, t.dashboard.span,
            "no dashboard '" + t.dashboard.value + "' in the templates of dashboards: (" +
                (names.empty() ? std::string("none loaded") : util::join(names, ", ")) + ")",
            did_you_mean(t.dashboard.value, names));
    return run;
  }
  // What the test looks at: an annotation's query, or a panel's queries.
  std::vector<const dashboards::Query*> queries;
  bool heatmap = false;
  if (!t.annotation.value.empty()) {
    std::vector<std::string> known;
    for (const auto& a : dash->annotations) {
      if (a.name.value == t.annotation.value && queries.empty()) {
        queries.push_back(&a.query);
        run.what = "annotation '" + a.name.value + "'";
        run.at = a.span;
      }
      known.push_back(a.name.value);
    }
    if (queries.empty()) {
      invalid(diags, t.annotation.span,
              "no annotation '" + t.annotation.value + "' in dashboard '" + dash->title.value + "' (" + dash->path +
                  ")",
              did_you_mean(t.annotation.value, known));
      return run;
    }
  }
  // The panel by title, in the rows whose title starts with `row:` (one SLO dashboard repeats
  // "Burn rate" in each SLO's row): a title found in several rows is ambiguous without it.
  const dashboards::Panel* panel = nullptr;
  std::vector<std::string> titles, rows;
  for (const auto& row : dash->rows) {
    const bool in_row = row.title.value.compare(0, t.row.value.size(), t.row.value) == 0;
    for (const auto& pn : row.panels) {
      if (in_row && pn.title.value == t.panel.value) {
        if (!panel) panel = &pn;
        rows.push_back(row.title.value);
      }
      titles.push_back(pn.title.value);
    }
  }
  if (queries.empty() && !panel) {
    invalid(diags, t.row.value.empty() ? t.panel.span : t.row.span,
            "no panel '" + t.panel.value + "' in " +
                (t.row.value.empty() ? std::string() : "a row starting '" + t.row.value + "' of ") + "dashboard '" +
                dash->title.value + "' (" + dash->path + ")",
            did_you_mean(t.panel.value, titles));
    return run;
  }
  if (rows.size() > 1) {
    invalid(diags, t.panel.span,
            "panel '" + t.panel.value + "' is in " + std::to_string(rows.size()) + " rows of dashboard '" +
                dash->title.value + "': " + util::join(rows, "; "),
            "add row: with the start of one row's title");
    return run;
  }
  if (panel) {
    for (const auto& q : panel->queries) queries.push_back(&q);
    heatmap = panel->type.value == "heatmap";
    run.what = "panel '" + panel->title.value + "'";
    run.at = panel->span;
    run.panel = panel;
  }

  // The variables: the test's values, each checked against the dashboard's definitions.
  std::map<std::string, const dashboards::Variable*> defined;
  std::vector<std::string> defined_names;
  for (const auto& v : dash->variables)
    if (v.type != "datasource") {
      defined.emplace(v.name.value, &v);
      defined_names.push_back(v.name.value);
    }
  std::map<std::string, std::vector<std::string>> given;
  bool ok = true;
  for (const auto& [name, values] : t.variables) {
    auto it = defined.find(name.value);
    if (it == defined.end()) {
      invalid(diags, name.span,
              "dashboard '" + dash->title.value + "' has no variable '" + name.value + "' (" +
                  (defined_names.empty() ? std::string("none") : util::join(defined_names, ", ")) + ")",
              did_you_mean(name.value, defined_names));
      ok = false;
      continue;
    }
    if (values.size() != 1 && !it->second->multi) {
      invalid(diags, name.span, "variable '" + name.value + "' takes one value (it is not multi-value)");
      ok = false;
      continue;
    }
    auto& out = given[name.value];
    for (const auto& v : values) out.push_back(v.value);
  }

  // Grafana's global variables. The test's interval is the scrape interval (the data source's
  // "Scrape interval" setting); $__interval is `interval:` (Grafana's range / max data points,
  // at least the scrape interval), default the scrape interval; and $__rate_interval is
  // max($__interval + scrape interval, 4 x scrape interval), as Grafana computes it since 10.2
  // (grafana/grafana#77234: https://github.com/grafana/grafana/pull/84063). The time range ends
  // at eval_time and is `range:` long (default: from the test's start).
  const std::int64_t range = t.range_ms.value_or(t.eval_time_ms > 0 ? t.eval_time_ms : interval_ms);
  const std::int64_t step = std::max(t.interval_ms.value_or(interval_ms), interval_ms);
  const std::int64_t rate_interval = std::max(step + interval_ms, 4 * interval_ms);
  run.range_ms = range;
  run.interval_ms = step;
  const std::map<std::string, std::string> globals = {
      {"__interval", text::format_duration(step)},
      {"__interval_ms", std::to_string(step)},
      {"__rate_interval", text::format_duration(rate_interval)},
      {"__rate_interval_ms", std::to_string(rate_interval)},
      {"__range", std::to_string(std::llround(static_cast<double>(range) / 1000)) + "s"},
      {"__range_s", std::to_string(std::llround(static_cast<double>(range) / 1000))},
      {"__range_ms", std::to_string(range)},
      {"__dashboard", dash->title.value},
  };

  for (const dashboards::Query* query : queries) {
    const dashboards::Query& q = *query;
    std::vector<std::string> unknown;
    std::string text = dashboards::interpolate(q.expr.value, [&](const dashboards::VariableRef& ref) -> std::string {
      if (auto g = globals.find(ref.name); g != globals.end()) return g->second;
      auto def = defined.find(ref.name);
      if (def == defined.end()) {
        unknown.push_back(ref.name);
        return "1";
      }
      const dashboards::Variable& v = *def->second;
      auto set = given.find(ref.name);
      if (set == given.end()) {
        // Unset: All, as Grafana sends it: the variable's allValue (`.+` for job, instance and
        // model), else its values as a regex, which `.*` stands for; a variable without All: a
        // custom one's first value, else the test must give it.
        if (v.include_all) {
          std::string all = dashboards::all_value(v);
          return all.empty() ? ".*" : all;
        }
        if (auto first = util::split_lists({v.query.value}); v.type == "custom" && !first.empty()) return first[0];
        unknown.push_back(ref.name + " (no All option: give its value in variables:)");
        return "1";
      }
      const auto& values = set->second;
      if (!ref.in_string) return values.size() == 1 ? values[0] : "(" + util::join(values, "|") + ")";
      if (!v.multi && !v.include_all) return regular_escape(values[0]);
      std::vector<std::string> escaped;
      for (const auto& s : values) escaped.push_back(dashboards::prometheus_regex_escape(s));
      return escaped.size() == 1 ? escaped[0] : "(" + util::join(escaped, "|") + ")";
    });
    const std::string where = run.what + " (" + run.at.file.str() + ":" + std::to_string(run.at.line) + ")";
    if (!unknown.empty()) {
      invalid(diags, t.panel.span,
              where + ": its query uses variables the test cannot resolve: " + util::join(unknown, ", "));
      ok = false;
      continue;
    }
    auto parsed = std::make_shared<promql::ParseResult>(promql::parse(text, options.parse));
    if (!parsed->errors().empty()) {
      invalid(diags, t.panel.span,
              where + ": its query does not parse once interpolated: " + text + ": " +
                  parsed->errors().front().message);
      ok = false;
      continue;
    }
    run.queries.push_back({std::move(text), std::move(parsed),
                           panel ? dashboards::legend_format(q, panel->type.value) : q.legend.value,
                           q.buckets || heatmap, q.instant || !panel || panel->type.value == "table"});
  }
  if (ok) run.dashboard = dash;
  return run;
}

namespace {

// Sorts histogram buckets (instant samples or range series) by their other labels, then by `le`
// as clients write it ("0.5", "1e+06", "+Inf") and Prometheus reads it, and from the top down
// has minus(upper, lower) take each bucket's cumulative count below it away. A bucket whose `le`
// is not a number is left as it is.
template <class T, class Minus> void decumulate(std::vector<T>& series, Minus minus) {
  auto bound = [](const T& s) {
    return text::go::parse_float(labels::get(s.labels, "le"), nullptr, text::go::Overflow::infinity).value_or(NAN);
  };
  auto others = [](const T& s) {
    labels::Labels ls = s.labels;
    std::erase_if(ls, [](const auto& l) { return l.first == "le"; });
    return ls;
  };
  std::stable_sort(series.begin(), series.end(), [&](const T& a, const T& b) {
    auto oa = others(a), ob = others(b);
    if (oa != ob) return oa < ob;
    return bound(a) < bound(b); // NaN bounds compare false: they keep their place
  });
  for (std::size_t i = series.size(); i-- > 1;)
    if (others(series[i]) == others(series[i - 1]) && !std::isnan(bound(series[i])) &&
        !std::isnan(bound(series[i - 1])))
      minus(series[i], series[i - 1]);
}

} // namespace

void as_buckets(std::vector<engine::Sample>& series) {
  decumulate(series, [](engine::Sample& upper, const engine::Sample& lower) { upper.v -= lower.v; });
}

void as_buckets(std::vector<engine::Series>& matrix) {
  // At each step, as Grafana does on every frame of a range query's result.
  decumulate(matrix, [](engine::Series& upper, const engine::Series& lower) {
    std::map<std::int64_t, double> below;
    for (const auto& p : lower.points) below[p.t] = p.v;
    for (auto& p : upper.points)
      if (auto it = below.find(p.t); it != below.end()) p.v -= it->second;
  });
}

double reduce(std::string_view reducer, const std::vector<std::optional<double>>& values) {
  // Grafana's reducers (packages/grafana-data/src/transformations/fieldReducer.ts), with the
  // stat panels' default of ignoring nulls: "Last* (not null): last, not null value in a field
  // (also excludes NaNs)" (https://grafana.com/docs/grafana/latest/panels-visualizations/
  // query-transform-data/calculation-types/); mean and sum add every non-null value, so one NaN
  // makes them NaN; max and min compare, which a NaN never passes.
  std::vector<double> present;
  for (const auto& v : values)
    if (v) present.push_back(*v);
  if (reducer == "last") return values.empty() || !values.back() ? NAN : *values.back();
  if (reducer == "lastNotNull") {
    for (auto it = present.rbegin(); it != present.rend(); ++it)
      if (!std::isnan(*it)) return *it;
    return NAN;
  }
  if (reducer == "count") return static_cast<double>(present.size());
  if (present.empty()) return NAN;
  if (reducer == "sum" || reducer == "mean") {
    double sum = 0;
    for (double v : present) sum += v;
    return reducer == "sum" ? sum : sum / static_cast<double>(present.size());
  }
  std::optional<double> best;
  for (double v : present)
    if (!std::isnan(v) && (!best || (reducer == "max" ? v > *best : v < *best))) best = v;
  return best.value_or(NAN);
}

std::string threshold_color(const dashboards::Panel& p, double v) {
  std::string color = dashboards::shown_base_color(p);
  for (const auto& t : p.thresholds)
    if (v >= t.value) color = t.color;
  return color;
}

std::string render_legend(std::string_view format, const labels::Labels& ls, std::string_view query) {
  if (format.empty() || format == "__auto") {
    if (ls.empty()) return std::string(query);
    std::string name, out;
    for (const auto& [k, v] : ls) {
      if (k == "__name__") {
        name = v;
        continue;
      }
      out += (out.empty() ? "" : ", ") + k + "=\"" + v + "\"";
    }
    return name + "{" + out + "}";
  }
  // Grafana's /\{\{\s*(.+?)\s*\}\}/g.
  std::string out;
  std::size_t from = 0;
  for (const auto& ref : dashboards::legend_labels(format)) {
    std::size_t open = format.rfind("{{", ref.begin);
    std::size_t close = format.find("}}", ref.end);
    out.append(format.substr(from, open - from));
    out += labels::get(ls, ref.label);
    from = close + 2;
  }
  out.append(format.substr(from));
  return out;
}

} // namespace nsmon::ruletest
