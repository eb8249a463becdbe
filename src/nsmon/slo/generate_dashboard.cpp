#include <cctype>
#include <cmath>

#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/generate_detail.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::slo {

using namespace detail;

namespace {

// A panel of the dashboard template: `fields` are the YAML lines after type/title/description.
std::string panel(const std::string& type, const std::string& title, const std::string& description,
                  const std::string& fields) {
  return "      - type: " + type + "\n        title: " + sq(title) + "\n        description: " + sq(description) +
         "\n" + fields;
}

std::string query(const std::string& expr, const std::string& legend, bool instant) {
  return "          - expr: " + sq(expr) + (legend.empty() ? "" : "\n            legend: " + sq(legend)) +
         (instant ? "\n            instant: true" : "") + "\n";
}

std::string thresholds(const std::string& base, const std::vector<std::pair<double, std::string>>& steps) {
  std::string o = "        thresholds:\n          - {color: " + base + "}\n";
  for (const auto& [v, c] : steps) o += "          - {value: " + num(v) + ", color: " + c + "}\n";
  return o;
}

// A uid from the service: [A-Za-z0-9_-], at most 40 (gen-dashboards' rule).
std::string dashboard_uid(const Spec& spec) {
  std::string uid = "nsmon-slo";
  if (!spec.service.empty()) uid += "-";
  for (char c : spec.service) uid += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '-';
  return uid.substr(0, 40);
}

// The series of an SLO as each form names them.
struct SloSeries {
  std::string of;        ///< the SLO's matcher, in braces
  std::string remaining; ///< the error budget remaining
  std::string alerts;    ///< the burn-rate alerts' names, for the text
  std::string window;    ///< the SLO window as the recordings name it
};

SloSeries series_of(const Spec& spec, const Slo& s) {
  if (spec.form == Form::nsmon)
    return {"{slo=" + text::go::quote(s.name) + "}", "slo:error_budget:remaining", util::join(alert_names(s), ", "),
            window_text(s.window_ms)};
  return {"{sloth_id=\"" + spec.service + "-" + s.name + "\"}", "slo:period_error_budget_remaining:ratio",
          s.alert_name + " (page and ticket)", text::format_duration(s.window_ms)};
}

std::string slo_row(const Spec& spec, const Slo& s) {
  const SloSeries names = series_of(spec, s);
  const std::string w = names.window;
  const double budget = 1 - s.objective;
  const std::string& of = names.of;
  std::string o =
      "  - title: " +
      sq(s.name + ": " + percent(s.objective) + " over " + w + (s.description.empty() ? "" : ", " + s.description)) +
      "\n    panels:\n";
  o += panel("stat", "Objective", "The share of good events " + s.name + " promises over " + w + ".",
             "        unit: percentunit\n        decimals: 2\n        queries:\n" +
                 query("slo:objective:ratio" + of, "objective", true));
  o += panel("stat", "SLI over " + w,
             "The share of good events over the last " + w + " (1 - slo:sli_error:ratio_rate" + w +
                 "); red below the objective.",
             "        unit: percentunit\n        decimals: 3\n" +
                 // A share is 0 or more: the base colour is NaN's alone (no event in the window),
                 // neutral rather than red.
                 thresholds("text", {{0, "red"}, {s.objective, "green"}}) + "        queries:\n" +
                 query("1 - slo:sli_error:ratio_rate" + w + of, "SLI", true));
  o += panel("stat", "Error budget remaining",
             "The part of the " + w + " error budget (" + percent(budget) +
                 " of the events) not spent yet; below 0 the SLO is missed.",
             "        unit: percentunit\n        decimals: 1\n" +
                 // Bad events are a part of all events, so the remaining budget is at least
                 // 1 - 1/budget (every event bad; floored, so that rounding cannot leave it
                 // below the step): the base colour is NaN's alone (no event in the window
                 // yet), neutral rather than red.
                 thresholds("text", {{std::floor(1 - 1 / budget), "red"}, {0, "orange"}, {0.25, "green"}}) +
                 "        queries:\n" + query(names.remaining + of, "remaining", true));
  o += panel("stat", "Burn-rate alerts firing",
             "How many of the burn-rate alerts of " + s.name + " fire now (" + names.alerts + ").",
             "        unit: none\n" + thresholds("green", {{1, "red"}}) + "        queries:\n" +
                 // 0 only where the SLO's rules are loaded (its objective is recorded): a Prometheus
                 // without them shows no data, not a green 0.
                 query("count(ALERTS{alertstate=\"firing\", " + of.substr(1, of.size() - 2) +
                           "}) or on () 0 * count(slo:objective:ratio" + of + ")",
                       "firing", true));
  // The alerts' thresholds as burn rates, in increasing order: 3d and 1d open tickets, 6h and 1h page.
  // Green from 0: a window without events has no ratio (NaN), which takes the base colour, and
  // an idle window is no healthy one.
  std::vector<std::pair<double, std::string>> steps = {{0, "green"}};
  const char* colors[] = {"dark-red", "red", "orange", "yellow"};
  for (std::size_t i = burn_rates().size(); i-- > 0;) steps.emplace_back(factor(burn_rates()[i], s), colors[i]);
  std::string factors;
  for (const auto& b : burn_rates())
    factors +=
        std::string(factors.empty() ? "" : ", ") + num(factor(b, s)) + "x over " + b.long_window + " (" + b.kind + ")";
  std::string now, history;
  for (const char* win : kWindows) {
    std::string q = "slo:sli_error:ratio_rate" + std::string(win) + of + " / " + num(budget);
    now += query(q, win, true);
    history += query(q, win, false);
  }
  const std::string burn = "The error ratio over each window divided by the error budget (" + num(budget) +
                           "): 1 spends the budget in exactly " + w + ". The alerts fire at " + factors +
                           ", each confirmed over its short window. A window without events has no ratio "
                           "(NaN), in the neutral colour.";
  o += panel("bargauge", "Burn rate now", burn,
             "        unit: none\n        decimals: 2\n        width: 8\n" + thresholds("text", steps) +
                 "        queries:\n" + now);
  o += panel("timeseries", "Burn rate", burn,
             "        unit: none\n        width: 16\n" + thresholds("text", steps) + "        queries:\n" + history);
  // The budget over time: a fast burn is a cliff here, a slow one a slope that reaches 0 before
  // the window ends.
  o += panel("timeseries", "Error budget over time",
             "The part of the " + w +
                 " error budget not spent yet, over the dashboard's time range; below 0 the "
                 "SLO is missed.",
             "        unit: percentunit\n        width: 24\n" + thresholds("red", {{0, "orange"}, {0.25, "green"}}) +
                 "        queries:\n" + query(names.remaining + of, "remaining", false));
  return o;
}

} // namespace

std::string dashboard_yaml(const std::vector<Spec>& specs, const std::string& rule_file) {
  const Spec& spec = specs.front();
  std::string title = "SLOs" + (spec.service.empty() ? "" : " of " + spec.service);
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  " --dashboard`: do not edit, regenerate.\n# The error budgets of the SLOs, on the series of "
                  "the recording rules below; nsmon gen-dashboards renders it.\nuid: " +
                  dashboard_uid(spec) + "\ntitle: " + sq(title) +
                  "\ndescription: 'Objective, SLI, error budget remaining, burn rate per window and the burn-rate "
                  "alerts of each SLO (nsmon slo generate).'\ntags: [nsmon, slo]\ntime: {from: now-7d, to: now}\n"
                  "variables: [datasource]\nrules: [" +
                  sq(rule_file) + "]\nrows:\n";
  for (const auto& sp : specs)
    for (const auto& s : sp.slos) o += slo_row(sp, s);
  o += "  - title: Alerts\n    panels:\n" +
       panel("table", "Firing burn-rate alerts", "The SLO alerts firing now, with their labels.",
             "        queries:\n" + query(spec.form == Form::nsmon ? "ALERTS{alertstate=\"firing\", slo=~\".+\"}"
                                                                   : "ALERTS{alertstate=\"firing\", sloth_id=~\".+\"}",
                                          "", true));
  return o;
}

} // namespace nsmon::slo
