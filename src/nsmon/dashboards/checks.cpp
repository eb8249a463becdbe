#include "nsmon/dashboards/checks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "nsmon/dashboards/panel_truth.hpp"
#include "nsmon/dashboards/variables.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::embedded {
extern const std::string_view grafana_units;
}

namespace nsmon::dashboards {

using namespace promql;

const std::vector<lint::CheckInfo>& checks() {
  static const std::vector<lint::CheckInfo> all = core::checks_in(core::CheckSection::dashboards);
  return all;
}

bool is_grafana_unit(std::string_view id) {
  static const std::set<std::string, std::less<>> units = [] {
    std::set<std::string, std::less<>> out;
    auto schema = nlohmann::json::parse(embedded::grafana_units);
    for (const auto& [name, def] : schema.at("definitions").items())
      if (def.contains("const") && def["const"].is_string()) out.insert(def["const"].get<std::string>());
    return out;
  }();
  return units.count(id) > 0;
}

std::string grafana_unit(std::string_view u) {
  static const std::map<std::string, std::string, std::less<>> map = {
      {"seconds", "s"},   {"bytes", "bytes"}, {"percent", "percent"}, {"ratio", "percentunit"},
      {"count", "short"}, {"none", "none"},   {"bytes/s", "Bps"},     {"count/s", "cps"}};
  auto it = map.find(u);
  return it == map.end() ? "" : it->second;
}

namespace {

// Grafana units that show values of a catalog unit correctly (values in seconds need "s", not "ms").
bool unit_fits(const std::string& catalog_unit, const std::string& id) {
  static const std::map<std::string, std::set<std::string>> fits = {
      {"seconds", {"s", "dtdurations", "clocks"}},
      {"bytes", {"bytes", "decbytes"}},
      {"percent", {"percent"}},
      {"ratio", {"percentunit"}},
      {"count", {"short", "none", "sishort", "locale"}},
      {"bytes/s", {"Bps", "binBps"}},
      {"count/s", {"cps", "ops", "reqps", "rps", "short", "none"}}};
  auto it = fits.find(catalog_unit);
  return it == fits.end() || it->second.count(id) > 0;
}

void emit(std::vector<core::Diagnostic>& out, core::CheckId check, core::Span at, std::string msg,
          std::string suggestion = {}) {
  out.push_back(core::make_diagnostic(check, at, std::move(msg), std::move(suggestion)));
}

const VectorSelector* selector_of(const Expr* e) {
  e = lint::unparen(e);
  if (e && e->kind == NodeKind::matrix_selector) e = e->as<MatrixSelector>().selector;
  return e && e->kind == NodeKind::vector_selector ? &e->as<VectorSelector>() : nullptr;
}

// lint-rules' expression checks, positioned through the variable substitution into the YAML.
class QueryChecks : public lint::ExprChecks {
public:
  QueryChecks(const catalog::Catalog& cat, lint::Inference& inf, const std::vector<std::string>& names,
              const core::Located& expr, const Substituted& sub, std::vector<core::Diagnostic>& out)
      : ExprChecks(cat, inf, nullptr, names), expr_(expr), sub_(sub), out_(out) {}

  core::Span span(PosRange r) const {
    PosRange o = sub_.original(r);
    return expr_.at(o.start, o.end);
  }

private:
  void emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion,
            core::Severity severity) override {
    dashboards::emit(out_, check, span(range), std::move(msg), std::move(suggestion));
    out_.back().severity = severity;
  }
  const core::Located& expr_;
  const Substituted& sub_;
  std::vector<core::Diagnostic>& out_;
};

// Checks of one template.
class TemplateChecks {
public:
  TemplateChecks(Template& t, const catalog::Catalog& cat, const std::map<std::string, lint::RecordedMetric>& recorded,
                 const RuleFacts& facts, std::vector<core::Diagnostic>& out)
      : t_(t), cat_(cat), out_(out), names_(cat.all_series_names()), recorded_(recorded), facts_(facts),
        truth_(t, cat, facts, out) {
    for (const auto& [name, r] : recorded_) names_.push_back(name);
    for (const auto& m : cat.metrics)
      for (const auto& l : m.labels)
        if (l.role != catalog::LabelRole::none) roles_.emplace(l.name, l.role);
  }

  void run() {
    t_.linter_exceptions.clear();
    variables();
    for (auto& row : t_.rows)
      for (auto& p : row.panels) panel(p);
    // An annotation's query gets the expression checks and its title the legend check.
    for (auto& a : t_.annotations)
      if (!a.query.expr.value.empty())
        if (Parsed parsed = expression(a.query.expr); parsed.result.ok()) legend(a.query, parsed.shape);
    job_instance_variables();
  }

private:
  bool has_variable(const std::string& n) const { return defined_.count(n) > 0; }

  void variables() {
    for (const auto& v : t_.variables)
      if (!defined_.insert(v.name.value).second)
        emit(out_, "dashboards/variable", v.name.span, "variable " + v.name.value + " is defined twice");
    core::Span at = t_.variables_span.line ? t_.variables_span : t_.uid.span;
    at.file = t_.path;
    if (!has_variable("datasource"))
      emit(out_, "dashboards/datasource-variable", at,
           "the dashboard has no datasource variable: panels cannot use ${datasource}", "add datasource to variables");
    for (const auto& v : t_.variables)
      if (!v.query.value.empty() && v.type == "query") variable_query(v);
  }

  // Only a dashboard whose queries read scraped series (which carry job and instance) needs the
  // variables: one on recording rules' aggregates (the SLO dashboard) has nothing to select, and
  // dashboard-linter's template-job-rule and template-instance-rule get an exception that says so.
  // A variable that is there is one the linter accepts: a multi-value query labelled Job or
  // Instance (the renderer gives it `$datasource` and allValue `.+`).
  void job_instance_variables() {
    core::Span at = t_.variables_span.line ? t_.variables_span : t_.uid.span;
    at.file = t_.path;
    for (std::string v : {"job", "instance"}) {
      const Unfiltered& u = unfiltered_[v];
      if (!has_variable(v)) {
        if (scraped_.count(v))
          emit(out_, "dashboards/job-instance-variables", at, "the dashboard has no " + v + " variable",
               "add " + v + " to variables");
        else if (!u.unexcused) {
          std::string why = u.any() ? ": " + u.reason(v) : "";
          t_.linter_exceptions.push_back(
              {"template-" + v + "-rule", "", -1, "no query reads a series that carries " + v + why});
          if (u.any())
            t_.linter_exceptions.push_back(
                {"target-" + v + "-rule", "", -1, "the dashboard has no " + v + " variable to filter by" + why});
        }
        continue;
      }
      const Variable& var =
          *std::find_if(t_.variables.begin(), t_.variables.end(), [&](const Variable& x) { return x.name.value == v; });
      std::string label =
          std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])))) + v.substr(1);
      if (var.type != "query" || !var.multi || (!var.label.empty() && var.label != label))
        emit(out_, "dashboards/job-instance-variables", var.name.span,
             "dashboard-linter's template-" + v + "-rule wants " + v + " to be a multi-value query variable labelled " +
                 label,
             "use the built-in " + v + " (variables: [..., " + v + "])");
    }
  }

  // The selectors of one query without dashboard-linter's `job=~"$job"` (or `instance=~"$instance"`)
  // matcher, for one of the labels: those whose series carry no such label, and whether any other.
  struct Unfiltered {
    std::set<std::string> recorded; ///< recording rules that write series without the label
    std::set<std::string> alerts;   ///< ALERTS, ALERTS_FOR_STATE: an alert's own labels
    std::set<std::string> external; ///< another exporter's series (node_*): its own target's labels
    bool unexcused = false;         ///< a selector whose series may carry the label
    bool any() const { return unexcused || !recorded.empty() || !alerts.empty() || !external.empty(); }
    void merge(const Unfiltered& o) {
      recorded.insert(o.recorded.begin(), o.recorded.end());
      alerts.insert(o.alerts.begin(), o.alerts.end());
      external.insert(o.external.begin(), o.external.end());
      unexcused = unexcused || o.unexcused;
    }
    std::string reason(const std::string& v) const {
      std::vector<std::string> why;
      if (!recorded.empty()) {
        std::vector<std::string> names(recorded.begin(), recorded.end());
        std::string more = names.size() > 3 ? " and " + std::to_string(names.size() - 2) + " more" : "";
        if (!more.empty()) names.resize(2);
        why.push_back(std::string(recorded.size() == 1 ? "the recording rule " : "the recording rules ") +
                      util::join(names, ", ") + more + " of the template's rules: files " +
                      (recorded.size() == 1 ? "writes" : "write") + " series without " + v);
      }
      if (!alerts.empty())
        why.push_back(util::join({alerts.begin(), alerts.end()}, ", ") +
                      " has each alert's own labels, and a filter on " + v +
                      " would hide the alerts whose rule aggregates it away");
      if (!external.empty())
        why.push_back(util::join({external.begin(), external.end()}, ", ") + (external.size() == 1 ? " is" : " are") +
                      " another exporter's (the catalog's external_prefixes), whose " + v +
                      " names that exporter's target: a filter on the detector's " + v + " would hide " +
                      (external.size() == 1 ? "it" : "them"));
      return util::join(why, "; ");
    }
  };
  std::map<std::string, Unfiltered> unfiltered_; ///< job, instance: over all the queries

  // label_values(selector, label): the selector goes through the same checks as a panel query.
  void variable_query(const Variable& v) {
    const std::string& q = v.query.value;
    std::string_view prefix = "label_values(";
    if (!util::starts_with(q, prefix) || q.back() != ')') return;
    std::size_t comma = q.rfind(',');
    if (comma == std::string::npos || comma < prefix.size()) return;
    core::Located sel = v.query;
    sel.value = q.substr(prefix.size(), comma - prefix.size());
    if (sel.offsets.empty()) sel.base += prefix.size();
    else
      sel.offsets = std::vector<std::size_t>(v.query.offsets.begin() + static_cast<std::ptrdiff_t>(prefix.size()),
                                             v.query.offsets.begin() + static_cast<std::ptrdiff_t>(comma));
    expression(sel);
  }

  // Parses and checks one expression; returns the parse (null tree on errors) for more checks.
  struct Parsed {
    Substituted sub;
    ParseResult result;
    std::unique_ptr<lint::Inference> inf;
    lint::Shape shape;
  };

  Parsed expression(const core::Located& expr) {
    Parsed p{substitute_variables(expr.value), {}, nullptr, {}};
    for (const auto& ref : p.sub.refs)
      if (!is_global_variable(ref.name) && !has_variable(ref.name))
        emit(out_, "dashboards/unknown-variable", expr.at(ref.begin, ref.end),
             "$" + ref.name + " is not a variable of this dashboard",
             defined_.empty() ? "" : "variables: " + util::join({defined_.begin(), defined_.end()}, ", "));
    p.result = parse(p.sub.text);
    for (const auto& e : p.result.errors()) {
      PosRange o = p.sub.original(e.range);
      emit(out_, "promql/syntax", expr.at(o.start, o.end), e.message);
    }
    if (!p.result.ok()) return p;
    p.inf = std::make_unique<lint::Inference>(cat_, nullptr, recorded_);
    p.shape = p.inf->run(*p.result.expr());
    QueryChecks(cat_, *p.inf, names_, expr, p.sub, out_).check(*p.result.expr());
    return p;
  }

  // Words that restate a rule come from the rule: `{alert:NAME}` and `{slo:NAME}` expand to its
  // expression, window and severity, or objective and window; an alert named by hand in the
  // prose ("the ApplicationErrors alert") drifts from the rule and is reported.
  void description(Panel& p) {
    std::string& text = p.description.value;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t open = text.find('{', i);
      std::size_t colon = open == std::string::npos ? open : text.find(':', open);
      std::size_t close = open == std::string::npos ? open : text.find('}', open);
      if (open == std::string::npos || close == std::string::npos || colon > close) {
        out.append(text, i, std::string::npos);
        break;
      }
      out.append(text, i, open - i);
      const std::string kind = text.substr(open + 1, colon - open - 1),
                        name = text.substr(colon + 1, close - colon - 1);
      std::string words = rule_words(kind, name);
      if (kind == "alert" || kind == "slo") {
        cited_.push_back({kind, name, p.description.at(open, close + 1)});
        if (words.empty()) {
          std::vector<std::string> known;
          for (const auto& [n, a] : facts_.alerts) known.push_back(n);
          for (const auto& [n, s] : facts_.slos) known.push_back(n);
          std::string hint = util::did_you_mean(name, known);
          emit(out_, "dashboards/unknown-rule", p.description.at(open, close + 1),
               "no " + std::string(kind == "alert" ? "alerting rule" : "SLO") + " of the template's " +
                   (kind == "alert" ? "rules:" : "slos:") + " files is " + name,
               hint.empty()
                   ? "name one of them, or list its file under " + std::string(kind == "alert" ? "rules:" : "slos:")
                   : "did you mean " + hint + "?");
          words = name;
        }
        out += words;
      } else out.append(text, open, close + 1 - open);
      i = close + 1;
    }
    hand_written_alerts(p);
    text = std::move(out);
  }

  // Alert names in the prose: a rule's name outside {alert:...} in a sentence that also gives a
  // number (its threshold or window, copied by hand), or a CamelCase word next to "alert" ("the
  // ApplicationErrors alert") that no rule has. A bare list of the rules' names is checked by
  // the names alone.
  void hand_written_alerts(const Panel& p) {
    const std::string& text = p.description.value;
    auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    // Whether the sentence around `at` has a digit outside the rules' alert names.
    auto gives_numbers = [&](std::size_t at) {
      std::size_t b = text.rfind(". ", at), e = text.find(". ", at);
      b = b == std::string::npos ? 0 : b + 2;
      e = e == std::string::npos ? text.size() : e;
      for (std::size_t i = b; i < e;) {
        std::size_t end = i;
        while (end < e && word_char(text[end])) ++end;
        if (end == i) {
          ++i;
          continue;
        }
        const std::string w = text.substr(i, end - i);
        if (!facts_.alerts.count(w) &&
            std::any_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
          return true;
        i = end;
      }
      return false;
    };
    for (std::size_t i = 0; i < text.size();) {
      if (!word_char(text[i])) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && word_char(text[end])) ++end;
      const std::string word = text.substr(i, end - i);
      const bool reference = i >= 7 && text.compare(i - 7, 7, "{alert:") == 0;
      auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
      auto lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
      const bool camel = upper(word[0]) && std::any_of(word.begin() + 1, word.end(), upper) &&
                         std::any_of(word.begin(), word.end(), lower);
      const bool beside_alert =
          text.compare(end, 6, " alert") == 0 || (i >= 6 && text.compare(i - 6, 6, "alert ") == 0);
      if (!reference && facts_.alerts.count(word) && gives_numbers(i))
        emit(out_, "dashboards/rule-by-hand", p.description.at(i, end),
             "the description names alert " + word + " by hand: its threshold and window drift from the rule",
             "write {alert:" + word + "}: it expands to the rule's expression, for and severity");
      else if (!reference && camel && beside_alert) {
        std::vector<std::string> known;
        for (const auto& [n, a] : facts_.alerts) known.push_back(n);
        std::string hint = util::did_you_mean(word, known);
        emit(out_, "dashboards/rule-by-hand", p.description.at(i, end),
             "the description names an alert " + word + " that no rule of the template's rules: files defines",
             known.empty() ? "list the rule file under rules: and write {alert:NAME}"
                           : "write {alert:NAME} with one of its alerts" + (hint.empty() ? "" : " (" + hint + "?)"));
      }
      i = end;
    }
  }

  std::string rule_words(const std::string& kind, const std::string& name) const {
    if (kind == "alert")
      if (auto it = facts_.alerts.find(name); it != facts_.alerts.end()) {
        const auto& a = it->second;
        return name + " (`" + a.expr + "`" + (a.for_.empty() ? "" : " for " + a.for_) +
               (a.severity.empty() ? "" : ", " + a.severity) + ")";
      }
    if (kind == "slo")
      if (auto it = facts_.slos.find(name); it != facts_.slos.end())
        return "the " + name + " SLO (" + util::format_number(it->second.objective * 100) + "% over " +
               text::format_duration(it->second.window_ms) + ")";
    return {};
  }

  // A panel on an SLI shows its objective as the threshold: red below it, green at or above; one
  // on the error ratio (`slo_ratio: errors`) shows the error budget: green up to it, red above;
  // one of latencies (`slo_ratio: latency`) the latency SLO's bound: green up to it, red above.
  void slo_thresholds(Panel& p) {
    if (p.slo.value.empty()) return;
    auto it = facts_.slos.find(p.slo.value);
    if (it == facts_.slos.end()) {
      std::vector<std::string> known;
      for (const auto& [n, s] : facts_.slos) known.push_back(n);
      std::string hint = util::did_you_mean(p.slo.value, known);
      emit(out_, "dashboards/unknown-rule", p.slo.span, "no SLO of the template's slos: files is " + p.slo.value,
           hint.empty() ? "name one of them, or list its file under slos:" : "did you mean " + hint + "?");
      return;
    }
    if (!p.thresholds.empty())
      emit(out_, "dashboards/slo-thresholds", p.span,
           "the panel shows the " + p.slo.value +
               " SLO's SLI and has thresholds of its own: they drift from the objective (" +
               util::format_number(it->second.objective) + ")",
           "remove thresholds: slo: sets them from the objective");
    if (p.slo_latency) {
      if (!it->second.latency_bound) {
        emit(out_, "dashboards/unknown-rule", p.slo.span,
             "the " + p.slo.value + " SLO has no latency bound (slo_ratio: latency): its SLI is not a latency's",
             "name a latency SLO (sli: latency: {metric, le}), or drop slo_ratio: latency");
        return;
      }
      p.base_color = "green";
      p.thresholds = {{*it->second.latency_bound, "red"}};
      return;
    }
    const double objective = it->second.objective;
    // 1 - 0.95 is 0.050000000000000044 in binary: the budget as the spec's decimals write it.
    const double budget = std::round((1 - objective) * 1e12) / 1e12;
    p.base_color = p.slo_errors ? "green" : "red";
    p.thresholds = {{p.slo_errors ? budget : objective, p.slo_errors ? "red" : "green"}};
  }

  void panel(Panel& p) {
    cited_.clear();
    description(p);
    slo_thresholds(p);
    truth_.begin(p);
    if (p.title.value.empty())
      emit(out_, "dashboards/title-description", p.span, "the panel has no title",
           "say what the panel shows and how to read it");
    else if (util::trim(p.description.value).empty()) {
      // A panel without a description still renders and reads: worth a word, not a failed build.
      emit(out_, "dashboards/title-description", p.title.span, "panel \"" + p.title.value + "\" has no description",
           "say what the panel shows and how to read it");
      out_.back().severity = core::Severity::warning;
    }
    if (!p.datasource.value.empty() && p.datasource.value != "${datasource}")
      emit(out_, "dashboards/panel-datasource", p.datasource.span,
           "the panel's data source is " + p.datasource.value + ", not the dashboard's ${datasource} variable",
           "remove datasource (every panel uses ${datasource})");
    std::string unit; // the catalog unit of the first query that has one
    std::size_t before = out_.size();
    for (std::size_t i = 0; i < p.queries.size(); ++i) {
      Query& q = p.queries[i];
      if (q.expr.value.empty()) continue;
      Parsed parsed = expression(q.expr);
      if (!parsed.result.ok()) continue;
      QueryChecks pos(cat_, *parsed.inf, names_, q.expr, parsed.sub, out_);
      const Expr* root = parsed.result.expr();
      std::map<std::string, Unfiltered> unfiltered;
      bool stale_said = false;
      walk(*root, [&](const Expr& n, std::span<const Expr* const>) {
        if (n.kind == NodeKind::call) {
          rate_interval(n.as<Call>(), q.expr, parsed.sub, pos);
          stat_range_rate(p, q, n.as<Call>(), parsed.sub, pos, stale_said);
        }
        if (n.kind == NodeKind::vector_selector) filters(n.as<VectorSelector>(), *parsed.inf, pos, unfiltered);
        return true;
      });
      truth_.query(*root, *parsed.inf, [&](PosRange r) { return pos.span(r); });
      // dashboard-linter's target-job-rule and target-instance-rule, per query: an exception when
      // every selector without the matcher reads series that cannot carry the label.
      for (const auto& [v, u] : unfiltered) {
        unfiltered_[v].merge(u);
        if (has_variable(v) && !u.unexcused && !p.title.value.empty())
          t_.linter_exceptions.push_back({"target-" + v + "-rule", p.title.value, static_cast<int>(i),
                                          (u.external.empty() ? "it selects series that carry no " + v + ": "
                                                              : "it selects series of another target: ") +
                                              u.reason(v)});
      }
      if (parsed.shape.kind == lint::ValueKind::counter)
        emit(out_, "dashboards/counter-raw", q.expr.span,
             "the query shows a raw counter, which only grows; its value depends on when the process started",
             "wrap it in rate(...[$__rate_interval]) or increase(...[$__range])");
      // A histogram's buckets come cumulative and in the server's order (+Inf, 0, 10, 100, 1000,
      // 200, ...); Grafana sorts them by le and makes each bucket its own count only with
      // format: heatmap, which a heatmap panel always has.
      const lint::Shape& s = parsed.shape;
      if (!q.buckets && !s.bucket_unit.empty() && s.labels.count("le") && !s.maybe.count("le") &&
          (p.type.value == "bargauge" || p.type.value == "stat" || p.type.value == "gauge"))
        emit(out_, "dashboards/bucket-format", q.expr.span,
             "the query shows a histogram's buckets, which Grafana gets cumulative and in the server's order "
             "(+Inf, 0, 10, 100, 1000, 200, ...)",
             "add format: heatmap to the query: Grafana sorts the buckets by le and shows each one's own count");
      legend(q, parsed.shape);
      across(q, *root, *parsed.inf, pos);
      if (unit.empty())
        unit = p.type.value == "heatmap" ? bucket_unit(*root, *parsed.inf) : query_unit(*root, *parsed.inf);
    }
    // A query with findings of its own gives no unit; saying so as well would only be noise.
    resolve_unit(p, unit, out_.size() > before);
    truth_.end(cited_);
  }

  // An aggregation across a catalog label with a role picks one epoch or mixes images: the query
  // says which with `across:`. A label declared that no aggregation crosses is said too.
  void across(const Query& q, const Expr& root, lint::Inference& inf, const QueryChecks& pos) {
    std::set<std::string> crossed;
    walk(root, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind != NodeKind::aggregate) return true;
      const auto& a = n.as<AggregateExpr>();
      if (a.op == AggregateOp::topk || a.op == AggregateOp::bottomk || a.op == AggregateOp::limitk ||
          a.op == AggregateOp::limit_ratio)
        return true;
      const lint::Shape& in = inf.at(a.expr);
      const lint::Shape& out = inf.at(&n);
      for (const auto& label : in.labels) {
        auto role = roles_.find(label);
        if (role == roles_.end() || out.labels.count(label)) continue;
        crossed.insert(label);
        if (std::any_of(q.across.begin(), q.across.end(), [&](const auto& d) { return d.first.value == label; }))
          continue;
        const bool sequence = role->second == catalog::LabelRole::sequence;
        emit(out_, "dashboards/aggregate-across", pos.span(a.range),
             std::string(to_string(a.op)) + " aggregates across " + label + ", which " +
                 (sequence ? "numbers successive states (one series each, the last the current one)"
                           : "names one of many things (one series each)") +
                 ": the result is " + (sequence ? "one of them or a mix" : "a mix of them") +
                 ", and the panel must say which",
             "say what it means with across: {" + label + ": \"...\"}, or keep " + label);
      }
      return true;
    });
    for (const auto& [label, meaning] : q.across)
      if (!crossed.count(label.value))
        emit(out_, "dashboards/aggregate-across", label.span,
             "across: " + label.value + ", but no aggregation of the query crosses " + label.value, "remove it");
  }

  // The window of a rate function's selector as the template writes it (`$__rate_interval`,
  // `5m`), or nullopt when the call has none.
  static std::optional<std::string_view> rate_window(const Call& c, const core::Located& expr, const Substituted& sub) {
    if (!lint::is_rate_function(c.name) || c.args.empty()) return std::nullopt;
    const Expr* arg = lint::unparen(c.args[0]);
    if (!arg || arg->kind != NodeKind::matrix_selector) return std::nullopt;
    // The window is what stands between the selector's last '[' and its ']' in the original.
    PosRange o = sub.original(arg->range);
    std::string_view text = std::string_view(expr.value).substr(o.start, o.end - o.start);
    std::size_t open = text.rfind('[');
    if (open == std::string_view::npos) return std::nullopt;
    return util::trim(text.substr(open + 1, text.size() - open - 2));
  }

  static bool is_range_window(std::string_view w) { return w == "$__range" || w == "${__range}"; }

  // A stat, gauge or bargauge reduces a range query to one value; with lastNotNull (or last) it
  // means "now". Of a rate that is the last rate Grafana got, and lastNotNull skips the NaN of an
  // idle window (0 / 0) and the steps of an outage: the panel goes on showing the rate from before.
  // An instant query shows the rate now (NaN, or nothing, when there is none).
  void stat_range_rate(const Panel& p, const Query& q, const Call& c, const Substituted& sub, const QueryChecks& pos,
                       bool& said) {
    if (said || q.instant || (p.type.value != "stat" && p.type.value != "gauge" && p.type.value != "bargauge")) return;
    if (p.reduce != "lastNotNull" && p.reduce != "last") return;
    auto window = rate_window(c, q.expr, sub);
    // increase() over the whole range is the range's total, whatever the step it ends at.
    if (!window || is_range_window(*window)) return;
    emit(out_, "dashboards/stat-range-rate", pos.span(c.range),
         "the " + p.type.value + " shows the last value of a range query of " + c.name + "() (" + p.reduce +
             "): after an idle period or an outage it goes on showing the " + c.name + " from before",
         "add instant: true to the query: it shows the " + c.name + " now");
    said = true; // once per query: each rate of a ratio is the same finding
  }

  void rate_interval(const Call& c, const core::Located& expr, const Substituted& sub, const QueryChecks& pos) {
    auto found = rate_window(c, expr, sub);
    if (!found) return;
    std::string_view window = *found;
    if (window == "$__rate_interval" || window == "${__rate_interval}") return;
    // increase() over the whole time range is a total, not a rate: $__range is what it means.
    if (c.name == "increase" && is_range_window(window)) return;
    const Expr* arg = lint::unparen(c.args[0]);
    emit(out_, "dashboards/rate-interval", pos.span(arg->range),
         c.name + "() over [" + std::string(window) +
             "]: Grafana's $__rate_interval follows the zoom and is never shorter than four scrape intervals",
         "write [$__rate_interval]");
  }

  // dashboard-linter's target-job-rule and target-instance-rule want `job=~"$job"` and
  // `instance=~"$instance"`, in that form, in every selector. A selector of scraped series (which
  // carry both) without it ignores the dashboard's selection; one of series that carry neither
  // (an aggregating recording rule, ALERTS) cannot have it, which goes into `unfiltered`.
  void filters(const VectorSelector& vs, const lint::Inference& inf, const QueryChecks& pos,
               std::map<std::string, Unfiltered>& unfiltered) {
    lint::SeriesInfo s = inf.series(vs);
    const bool catalog = s.origin == lint::SeriesInfo::Origin::catalog;
    const lint::LabelSet labels = catalog ? inf.scraped_labels(*s.metric, s.suffix) : lint::LabelSet{};
    for (std::string v : {"job", "instance"}) {
      const std::string want = "$" + v;
      const Matcher* m = nullptr; // the selector's matcher of v, the linter's form first
      for (const auto& x : vs.matchers)
        if (x.name == v && (!m || (x.op == MatchOp::regex && x.value == want))) m = &x;
      if (catalog && labels.count(v)) scraped_.insert(v);
      if (m && m->op == MatchOp::regex && m->value == want) continue;
      Unfiltered& u = unfiltered[v];
      if (catalog && !labels.count(v)) u.alerts.insert(s.name);
      else if (s.origin == lint::SeriesInfo::Origin::external) u.external.insert(s.name);
      else if (s.origin == lint::SeriesInfo::Origin::recording && s.recorded->shape.labels_known &&
               !s.recorded->shape.labels.count(v))
        u.recorded.insert(s.name);
      else u.unexcused = true;
      if (!catalog || !labels.count(v) || !has_variable(v)) continue;
      if (m)
        emit(out_, "dashboards/variable-filter", pos.span(m->range),
             s.name + "'s matcher " + v + to_string(m->op) + "\"" + m->value + "\" is not " + v + "=~\"" + want +
                 "\", the form of dashboard-linter's target-" + v + "-rule",
             v + "=~\"" + want + "\"");
      else
        emit(out_, "dashboards/variable-filter", pos.span(vs.range),
             s.name + " ignores the dashboard's $" + v + " selection", v + "=~\"" + want + "\"");
    }
  }

  void legend(const Query& q, const lint::Shape& shape) {
    if (!shape.labels_known || q.legend.value.empty()) return;
    lint::LabelSet have = shape.labels;
    have.erase("__name__");
    for (const auto& ref : legend_labels(q.legend.value)) {
      if (ref.label.empty() || have.count(ref.label)) continue;
      std::string hint = util::did_you_mean(ref.label, {have.begin(), have.end()});
      emit(out_, "dashboards/legend-label", q.legend.at(ref.begin, ref.end),
           "the legend uses {{" + ref.label + "}}, but the query's result has no " + ref.label + " label (it has: " +
               (have.empty() ? std::string("none") : util::join({have.begin(), have.end()}, ", ")) + ")",
           hint.empty() ? "keep it in the aggregation, e.g. sum by (" + ref.label + ") (...)"
                        : "did you mean {{" + hint + "}}?");
    }
  }

  // The catalog unit of what a query shows: a gauge's unit through functions that keep it, a
  // histogram_quantile's bucket unit, a counter's unit per second through rate().
  std::string query_unit(const Expr& root, const lint::Inference& inf) const {
    const Expr* e = lint::unparen(&root);
    while (e && e->kind == NodeKind::aggregate) {
      auto op = e->as<AggregateExpr>().op;
      if (op != AggregateOp::sum && op != AggregateOp::avg && op != AggregateOp::min && op != AggregateOp::max &&
          op != AggregateOp::topk && op != AggregateOp::bottomk)
        return inf.at(&root).unit;
      e = lint::unparen(e->as<AggregateExpr>().expr);
    }
    if (e && e->kind == NodeKind::call) {
      const auto& c = e->as<Call>();
      if (c.name == "histogram_quantile" && c.args.size() == 2) return bucket_unit(*c.args[1], inf);
      const VectorSelector* vs = c.args.empty() ? nullptr : selector_of(c.args[0]);
      lint::SeriesInfo s = vs ? inf.series(*vs) : lint::SeriesInfo{};
      if (vs && s.origin == lint::SeriesInfo::Origin::catalog && inf.at(vs).kind == lint::ValueKind::counter) {
        // A counter counts its unit; a histogram's _bucket and _count count observations.
        std::string u = s.suffix == "_bucket" || s.suffix == "_count" ? "count" : s.metric->unit;
        if (c.name == "rate" || c.name == "irate") return u + "/s";
        if (c.name == "increase") return u;
      }
    }
    return inf.at(&root).unit;
  }

  std::string bucket_unit(const Expr& e, const lint::Inference& inf) const {
    std::string unit;
    walk(e, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind != NodeKind::vector_selector || !unit.empty()) return true;
      lint::SeriesInfo s = inf.series(n.as<VectorSelector>());
      if (s.origin == lint::SeriesInfo::Origin::catalog && s.suffix == "_bucket") unit = s.metric->unit;
      return true;
    });
    return unit;
  }

  void resolve_unit(Panel& p, const std::string& inferred, bool queries_have_findings) {
    std::string expected = grafana_unit(inferred);
    if (p.unit.value.empty()) {
      if (expected.empty() && !queries_have_findings && !p.type.value.empty() && p.type.value != "table")
        emit(out_, "dashboards/unit", p.title.value.empty() ? p.span : p.title.span,
             "panel \"" + p.title.value + "\" has no unit, and the catalog does not give its query's",
             "add unit: (a Grafana unit id such as s, bytes, percent, percentunit, short)");
      p.grafana_unit = expected.empty() ? "short" : expected;
      return;
    }
    std::string id = grafana_unit(p.unit.value);
    if (id.empty()) id = p.unit.value;
    if (!is_grafana_unit(id)) {
      std::vector<std::string> known = {"s", "bytes", "percent", "percentunit", "short", "none", "Bps", "cps"};
      std::string hint = util::did_you_mean(p.unit.value, known);
      emit(out_, "dashboards/unknown-unit", p.unit.span,
           "unknown unit '" + p.unit.value +
               "': neither a Grafana unit id nor a catalog unit (seconds, bytes, "
               "percent, ratio, count, none)",
           hint.empty() ? "" : "did you mean '" + hint + "'?");
      return;
    }
    p.grafana_unit = id;
    if (!inferred.empty() && !expected.empty() && !unit_fits(inferred, id))
      emit(out_, "dashboards/unit-mismatch", p.unit.span,
           "unit '" + p.unit.value + "' does not fit the query, whose values are in " + inferred,
           "use " + expected + " (or leave unit out: it follows the catalog)");
  }

  Template& t_;
  const catalog::Catalog& cat_;
  std::vector<core::Diagnostic>& out_;
  std::vector<std::string> names_;
  std::set<std::string> defined_;
  std::set<std::string> scraped_; ///< job, instance: labels of scraped series the queries read
  const std::map<std::string, lint::RecordedMetric>& recorded_;
  const RuleFacts& facts_;
  std::map<std::string, catalog::LabelRole> roles_; ///< catalog labels with a role, by name
  PanelTruth truth_;
  std::vector<Citation> cited_; ///< the {alert:NAME} and {slo:NAME} of the panel's description
};

} // namespace

void check(Template& t, const catalog::Catalog& cat, const std::map<std::string, lint::RecordedMetric>& recorded,
           const RuleFacts& facts, std::vector<core::Diagnostic>& out) {
  if (t.parsed) TemplateChecks(t, cat, recorded, facts, out).run();
}

void check(Template& t, const catalog::Catalog& cat, std::vector<core::Diagnostic>& out) {
  static const std::map<std::string, lint::RecordedMetric> none;
  check(t, cat, none, RuleFacts{}, out);
}

} // namespace nsmon::dashboards
