// The rules Sloth generates for its specs, to the byte where it matters (names, labels, exprs),
// as tests/data/sloth/SLOTH-OUTPUT.md describes them from Sloth v0.16.0's source: a Sloth user's
// routes, dashboards and queries key on them. The YAML layout is ours (Sloth's emitter folds long
// lines; what Prometheus reads is the same).
#include "nsmon/slo/sloth.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <re2/re2.h>

#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::slo {

namespace {

// The alert windows of Sloth's built-in catalogs (google-30d.yaml, google-28d.yaml: the same
// windows, budgets in percent).
struct SlothWindow {
  double budget_percent;
  const char* short_window;
  const char* long_window;
};
constexpr SlothWindow kPageQuick{2, "5m", "1h"}, kPageSlow{5, "30m", "6h"}, kTicketQuick{10, "2h", "1d"},
    kTicketSlow{10, "6h", "3d"};
constexpr const char* kSliWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"}; // sorted, then the period

double hours(const char* w) { return static_cast<double>(*text::parse_duration(w)) / 3600000.0; }

// Sloth's getBurnRateFactor, in its order of float64 operations (5 * 672 / 100 / 6 is
// 5.6000000000000005, and that is what Sloth writes).
double sloth_factor(const SlothWindow& w, const Slo& s) {
  return w.budget_percent * (static_cast<double>(s.window_ms) / 3600000.0) / 100 / hours(w.long_window);
}

double error_budget(const Slo& s) { return (100 - s.objective_percent) / 100; }

std::string id(const Spec& spec, const Slo& s) { return spec.service + "-" + s.name; }

// Sloth's SLO filter: the three sloth_ labels as prometheus/common's LabelSet.String() writes them.
std::string filter(const Spec& spec, const Slo& s) {
  return "{sloth_id=\"" + id(spec, s) + "\", sloth_service=\"" + spec.service + "\", sloth_slo=\"" + s.name + "\"}";
}

std::map<std::string, std::string> slo_labels(const Spec& spec, const Slo& s) {
  std::map<std::string, std::string> l = spec.labels;
  for (const auto& [k, v] : s.labels) l[k] = v;
  return l;
}

// Sloth's labels first, the user's over them (as Sloth merges).
std::map<std::string, std::string> merged(std::map<std::string, std::string> base,
                                          const std::map<std::string, std::string>& over) {
  for (const auto& [k, v] : over) base[k] = v;
  return base;
}

std::map<std::string, std::string> id_labels(const Spec& spec, const Slo& s) {
  return {{"sloth_id", id(spec, s)}, {"sloth_service", spec.service}, {"sloth_slo", s.name}};
}

std::string sli_record(const std::string& w) { return "slo:sli_error:ratio_rate" + w; }

struct Rule {
  std::string kind, name, expr; ///< kind: record or alert
  std::map<std::string, std::string> labels, annotations;
  bool page = false; ///< an alert: the page one (else the ticket one)
};

std::vector<Rule> sli_rules(const Spec& spec, const Slo& s) {
  std::vector<Rule> out;
  const std::string period = text::format_duration(s.window_ms);
  auto labels = [&](const std::string& w) {
    return merged(merged(id_labels(spec, s), {{"sloth_window", w}}), slo_labels(spec, s));
  };
  for (const char* w : kSliWindows) {
    std::string expr = s.kind == Slo::Kind::raw
                           ? "(" + render_window(s.raw_error_ratio, w) + ")"
                           : "(" + render_window(s.errors, w) + ")\n/\n(" + render_window(s.total, w) + ")\n";
    out.push_back({"record", sli_record(w), expr, labels(w), {}});
  }
  // The period's ratio from the 5m recording, never from raw series over the whole period.
  const std::string five = sli_record(kPageQuick.short_window) + filter(spec, s) + "[" + period + "]";
  out.push_back({"record",
                 sli_record(period),
                 "sum_over_time(" + five + ")\n/ ignoring (sloth_window)\ncount_over_time(" + five + ")\n",
                 labels(period),
                 {}});
  return out;
}

std::vector<Rule> meta_rules(const Spec& spec, const Slo& s, const std::string& sloth_spec, const std::string& mode) {
  const auto labels = merged(id_labels(spec, s), slo_labels(spec, s));
  const std::string f = filter(spec, s);
  const std::string o = text::go::format_float_g(s.objective);
  auto burn = [&](const std::string& w) {
    return sli_record(w) + f + "\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio" + f +
           "\n";
  };
  auto info = merged(labels, {{"sloth_version", std::string("nsmon-") + NSMON_VERSION},
                              {"sloth_mode", mode},
                              {"sloth_spec", sloth_spec},
                              {"sloth_objective", text::go::format_float(s.objective_percent)}});
  return {{"record", "slo:objective:ratio", "vector(" + o + ")", labels, {}},
          {"record", "slo:error_budget:ratio", "vector(1-" + o + ")", labels, {}},
          {"record",
           "slo:time_period:days",
           "vector(" + text::go::format_float_g(static_cast<double>(s.window_ms) / 86400000.0) + ")",
           labels,
           {}},
          {"record", "slo:current_burn_rate:ratio", burn(kPageQuick.short_window), labels, {}},
          {"record", "slo:period_burn_rate:ratio", burn(text::format_duration(s.window_ms)), labels, {}},
          {"record", "slo:period_error_budget_remaining:ratio", "1 - slo:period_burn_rate:ratio" + f, labels, {}},
          {"record", "sloth_slo_info", "vector(1)", info, {}}};
}

std::string condition(const Spec& spec, const Slo& s, const SlothWindow& w) {
  const std::string threshold =
      "(" + text::go::format_float_g(sloth_factor(w, s)) + " * " + text::go::format_float_g(error_budget(s)) + ")";
  auto over = [&](const char* window) {
    return "    max(" + sli_record(window) + filter(spec, s) + " > " + threshold + ") without (sloth_window)\n";
  };
  return "(\n" + over(w.short_window) + "    and\n" + over(w.long_window) + ")\n";
}

std::vector<Rule> alert_rules(const Spec& spec, const Slo& s) {
  std::vector<Rule> out;
  for (const auto* a : {&s.page, &s.ticket}) {
    if (a->disable) continue;
    const bool page = a == &s.page;
    const std::string severity = page ? "page" : "ticket";
    std::map<std::string, std::string> annotations = {
        {"title", "(" + severity +
                      ") {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is "
                      "too fast."},
        {"summary", "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected."}};
    out.push_back({"alert", s.alert_name,
                   condition(spec, s, page ? kPageQuick : kTicketQuick) + "or\n" +
                       condition(spec, s, page ? kPageSlow : kTicketSlow),
                   merged(merged({{"sloth_severity", severity}}, s.alert_labels), a->labels),
                   merged(merged(annotations, s.alert_annotations), a->annotations), page});
  }
  return out;
}

// A YAML string scalar for the value of a key at column `indent`: single-quoted on one line, a
// literal block (|, |-) for several lines, double-quoted where a block would change the text.
std::string scalar(const std::string& v, int indent) {
  auto safe_block = [&] {
    if (v.empty() || v[0] == ' ' || v[0] == '\t' || v[0] == '\n') return false;
    if (v.size() >= 2 && v.compare(v.size() - 2, 2, "\n\n") == 0) return false;
    std::size_t start = 0;
    while (start < v.size()) {
      std::size_t nl = std::min(v.find('\n', start), v.size());
      std::string_view line(v.data() + start, nl - start);
      if (!line.empty() && line.find_first_not_of(" \t") == std::string_view::npos) return false;
      for (char c : line)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
      start = nl + 1;
    }
    return true;
  };
  if (v.find('\n') == std::string::npos) {
    bool plain_chars = true;
    for (char c : v) plain_chars = plain_chars && (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    if (plain_chars) {
      std::string out = "'";
      for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
      return out + "'";
    }
  } else if (safe_block()) {
    const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
    std::string out = v.back() == '\n' ? "|\n" : "|-\n";
    std::size_t start = 0;
    while (start < v.size()) {
      std::size_t nl = std::min(v.find('\n', start), v.size());
      out += (nl > start ? pad : std::string()) + v.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
    out.pop_back();
    return out;
  }
  return text::go::quote(v); // Go's %q: its escapes are YAML's double-quoted ones
}

// A mapping key: plain when it is a name that YAML 1.1 (Prometheus's yaml.v2) reads as a string.
std::string key(const std::string& k) {
  static const RE2 kPlain("[A-Za-z_][A-Za-z0-9_./-]*");
  static const RE2 kReserved("(?i)y|yes|n|no|true|false|on|off|null");
  return RE2::FullMatch(k, kPlain) && !RE2::FullMatch(k, kReserved) ? k : scalar(k, 0);
}

std::string mapping(const char* name, const std::map<std::string, std::string>& m, int indent) {
  if (m.empty()) return "";
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = pad + name + ":\n";
  for (const auto& [k, v] : m) out += pad + "  " + key(k) + ": " + scalar(v, indent + 2) + "\n";
  return out;
}

// The groups of one spec, as list items at column `indent`.
std::string groups(const Spec& spec, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  const bool k8s = spec.form == Form::sloth_k8s;
  const std::string sloth_spec = k8s ? "sloth.slok.dev/v1" : "prometheus/v1";
  const std::string mode = k8s ? "cli-gen-k8s" : "cli-gen-prom";
  std::string o;
  for (const auto& s : spec.slos) {
    const std::pair<const char*, std::vector<Rule>> parts[] = {
        {"sloth-slo-sli-recordings-", sli_rules(spec, s)},
        {"sloth-slo-meta-recordings-", meta_rules(spec, s, sloth_spec, mode)},
        {"sloth-slo-alerts-", alert_rules(spec, s)}};
    for (const auto& [prefix, rules] : parts) {
      if (rules.empty()) continue;
      o += pad + "- name: " + scalar(prefix + id(spec, s), indent + 2) + "\n" + pad + "  rules:\n";
      for (const auto& r : rules) {
        o += pad + "    - " + r.kind + ": " + scalar(r.name, indent + 6) + "\n";
        o += pad + "      expr: " + scalar(r.expr, indent + 6) + "\n";
        o += mapping("labels", r.labels, indent + 6) + mapping("annotations", r.annotations, indent + 6);
      }
    }
  }
  return o;
}

std::string header(const Spec& spec) {
  return "# Generated by `nsmon slo generate " + spec.path +
         "` from a Sloth spec: do not edit, regenerate.\n# The rules Sloth generates for it (names, labels, "
         "metadata rules), in one document.\n";
}

} // namespace

std::string sloth_rules_yaml(const std::vector<Spec>& specs) {
  if (specs.empty()) return "";
  std::string o;
  if (specs.front().form == Form::sloth_k8s) {
    for (const auto& spec : specs) {
      o += "---\n" + header(spec) + "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: " +
           scalar(spec.k8s_name, 2) + "\n";
      if (!spec.k8s_namespace.empty()) o += "  namespace: " + scalar(spec.k8s_namespace, 2) + "\n";
      o += mapping("labels",
                   merged(spec.k8s_labels,
                          {{"app.kubernetes.io/component", "SLO"}, {"app.kubernetes.io/managed-by", "nsmon"}}),
                   2) +
           mapping("annotations", spec.k8s_annotations, 2) + "spec:\n  groups:\n" + groups(spec, 4);
    }
    return o;
  }
  o = header(specs.front()) + "groups:\n";
  for (const auto& spec : specs) o += groups(spec, 2);
  return o;
}

std::vector<SlothAlert> sloth_alerts(const Spec& spec, const Slo& s) {
  std::vector<SlothAlert> out;
  for (auto& r : alert_rules(spec, s))
    out.push_back({r.name, r.page, merged(merged(id_labels(spec, s), slo_labels(spec, s)), r.labels), r.annotations});
  return out;
}

SlothCondition sloth_condition(const Slo& s, bool page, bool quick) {
  const SlothWindow& w = page ? (quick ? kPageQuick : kPageSlow) : (quick ? kTicketQuick : kTicketSlow);
  return {sloth_factor(w, s) * error_budget(s), *text::parse_duration(w.short_window),
          *text::parse_duration(w.long_window), sloth_factor(w, s)};
}

std::vector<std::string> sloth_groups(const Spec& spec, const Slo& s) {
  std::vector<std::string> out = {"sloth-slo-sli-recordings-" + id(spec, s),
                                  "sloth-slo-meta-recordings-" + id(spec, s)};
  if (!s.page.disable || !s.ticket.disable) out.push_back("sloth-slo-alerts-" + id(spec, s));
  return out;
}

} // namespace nsmon::slo
