#include "nsmon/rules/loader.hpp"

namespace nsmon::rules::detail {

// The vmalert field of the group or its rules that the newest vmalert release added.
void Loader::newest_vmalert_field(const yaml::Node& n, Group& g) {
  auto consider = [&](const yaml::Node& map, bool on_rule) {
    for (auto it = map.is_map() ? map.begin() : map.end(); it != map.end(); ++it)
      if (int minor = it->first.is_scalar() ? vmalert_minor_since(it->first.scalar(), on_rule) : 0;
          minor > g.newest_vmalert_minor)
        g.newest_vmalert_minor = minor, g.newest_vmalert_field = text(it->first);
  };
  consider(n, false);
  if (auto rs = n.is_map() ? n["rules"] : yaml::Node(); rs && rs.is_sequence())
    for (const auto& r : rs) consider(r, true);
}

// A group's own fields; its rules' nodes are appended to `rules`.
std::optional<Group> Loader::read_group(const yaml::Node& n, std::vector<yaml::Node>& rules_out) {
  Group g;
  g.ruler = options_.schema;
  // Under auto, the first field only another ruler reads makes the group that ruler's; failing
  // that, the first such field of one of its rules.
  if (g.ruler == Schema::automatic && n.is_map())
    for (auto it = n.begin(); it != n.end() && g.ruler == Schema::automatic; ++it)
      if (auto ruler = it->first.is_scalar() ? ruler_of_group_field(it->first.scalar()) : std::nullopt) {
        g.ruler = *ruler;
        g.ruler_field = text(it->first);
      }
  if (auto rs = n.is_map() ? n["rules"] : yaml::Node(); g.ruler == Schema::automatic && rs && rs.is_sequence())
    for (const auto& r : rs) {
      for (auto it = r.is_map() ? r.begin() : r.end(); it != r.end() && g.ruler == Schema::automatic; ++it)
        if (auto ruler = it->first.is_scalar() ? ruler_of_rule_field(it->first.scalar()) : std::nullopt) {
          g.ruler = *ruler;
          g.ruler_field = text(it->first);
          g.ruler_field_on_rule = true;
        }
      if (g.ruler != Schema::automatic) break;
    }
  if (g.ruler == Schema::vmalert) newest_vmalert_field(n, g);
  std::vector<std::string> fields = {"name", "interval", "rules"};
  if (!narrow_) fields.insert(fields.end(), {"limit", "labels"});
  if (!narrow_ && g.ruler != Schema::vmalert) fields.emplace_back("query_offset"); // vmalert has eval_offset instead
  if (vmrule_) fields.emplace_back("tenant"); // the operator's, for vmalert enterprise
  for (std::string_view f : group_fields(g.ruler)) fields.emplace_back(f);
  if (!y_.check_mapping(n, fields, narrow_ ? narrow_->group : "a rule group")) return std::nullopt;
  g.span = y_.span(n);
  if (auto name = string_field(n, "name", "", "")) g.name = std::move(*name);
  if (g.name.value.empty()) {
    g.name.span = g.span;
    add(g.span, "rules/missing-field", "Groupname must not be empty");
  }
  const std::string& gname = g.name.value;
  g.crd = crd_;
  if (crd_) crd_types(n, false, gname);
  g.interval = duration_field(n, "interval", gname, "");
  g.query_offset = duration_field(n, "query_offset", gname, "");
  if (auto l = n["limit"]) {
    auto v = y_.number(l, "limit");
    if (v && (!std::isfinite(*v) || *v < 0 || *v > 9e18 || *v != std::floor(*v)))
      add(y_.span(l), "yaml/type", "limit must be a non-negative integer", gname);
    else if (v) g.limit = static_cast<std::int64_t>(*v);
  }
  g.labels = pairs(n, "labels", gname, "");
  check_label_names(g.labels, false, gname, "");
  ruler_fields(n, g, gname);
  newer_fields(n, g.ruler, gname);
  auto rules = n["rules"];
  if (rules && !rules.is_null()) {
    if (!rules.is_sequence()) add(y_.span(rules), "yaml/type", "'rules' must be a list", gname);
    else
      for (const auto& r : rules) rules_out.push_back(r);
  }
  return g;
}

// The one group a chart makes of a values list of rules, written out with toYaml under a group
// it names (prometheus-blackbox-exporter's prometheusRule.rules): the mapping's other fields are
// the chart's, not a group's, and its PrometheusRule's types are checked (Group::crd).
std::optional<Group> Loader::read_chart_group(const yaml::Node& n, std::string name,
                                              std::vector<yaml::Node>& rules_out) {
  Group g;
  g.ruler = options_.schema;
  g.span = y_.span(n);
  g.name.value = std::move(name);
  g.name.span = g.span;
  g.crd = true;
  for (const auto& r : n["rules"]) rules_out.push_back(r);
  return g;
}

// The group fields of the ruler it is for (`fields` let them through), read as that ruler reads
// them: what it refuses is an error.
void Loader::ruler_fields(const yaml::Node& n, Group& g, const std::string& gname) {
  const Schema ruler = g.ruler;
  if (auto s = n["partial_response_strategy"]; ruler == Schema::thanos && s && !s.is_null()) {
    std::string v = s.is_scalar() ? std::string(s.scalar()) : std::string();
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!s.is_scalar() || !(v.empty() || v == "WARN" || v == "ABORT")) {
      auto& d = add(span(s), "rules/other-ruler",
                    "Thanos Ruler refuses the file: partial_response_strategy is warn or abort" +
                        (s.is_scalar() ? ", not " + text::go::quote(s.scalar()) : std::string()),
                    gname);
      d.severity = core::Severity::error;
    }
  }
  if (ruler == Schema::vmalert) vmalert_fields(n, g, gname);
  if (ruler != Schema::mimir) return;
  if (auto t = n["source_tenants"]; t && !t.is_null()) y_.strings(t, "source_tenants");
  // Mimir reads evaluation_delay as the query offset it was before query_offset replaced it
  // (grafana/mimir#8295, which keeps both fields): the rules read their data that much earlier.
  // query_offset, the newer field, wins when a group has both.
  if (auto delay = duration_field(n, "evaluation_delay", gname, ""); delay && !g.query_offset) g.query_offset = delay;
  if (auto a = n["align_evaluation_time_on_interval"]; a && !a.is_null())
    y_.boolean(a, "align_evaluation_time_on_interval");
}

// What vmalert refuses: an error of rules/other-ruler.
void Loader::vmalert_refuses(core::Span at, const std::string& why, const std::string& gname) {
  add(at, "rules/other-ruler", "vmalert refuses the file: " + why, gname).severity = core::Severity::error;
}

// An integer field of vmalert's (yaml.v2 decodes it into a Go int).
std::optional<std::int64_t> Loader::vmalert_integer(const yaml::Node& n, const char* key) {
  auto v = n[key];
  if (!v || v.is_null()) return std::nullopt;
  auto x = y_.number(v, key);
  if (!x) return std::nullopt;
  if (!std::isfinite(*x) || *x != std::floor(*x) || std::fabs(*x) > 9e18) {
    y_.report(v, "yaml/type", std::string(key) + " must be an integer");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*x);
}

// vmalert's group fields, checked as app/vmalert/config's Group.Validate and its types do.
void Loader::vmalert_fields(const yaml::Node& n, Group& g, const std::string& gname) {
  if (auto t = n["type"]; t && !t.is_null()) {
    if (auto v = y_.string(t, "type")) {
      g.type = text(t);
      if (*v != "prometheus" && *v != "graphite" && *v != "vlogs")
        vmalert_refuses(y_.span(t),
                        "unknown datasource type=" + text::go::quote(*v) + ", want prometheus, graphite or vlogs",
                        gname);
    }
  }
  if (auto c = vmalert_integer(n, "concurrency"); c && *c < 0)
    vmalert_refuses(y_.span(n["concurrency"]),
                    "invalid concurrency " + std::to_string(*c) + ", shouldn't be less than 0", gname);
  auto offset = duration_field(n, "eval_offset", gname, "");
  duration_field(n, "eval_delay", gname, "");
  if (n["eval_offset"] && n["eval_delay"])
    vmalert_refuses(key_span(n, "eval_delay"), "eval_offset cannot be used with eval_delay", gname);
  // Without `interval` the group runs every -evaluationInterval, but the check reads the field.
  const std::int64_t interval = g.interval ? g.interval->ms : 0;
  if (offset && offset->ms > interval)
    vmalert_refuses(offset->span,
                    "eval_offset must be smaller than the group's interval (" +
                        (g.interval ? text::format_duration(interval) : std::string("none given")) + ")",
                    gname);
  for (const char* key : {"eval_alignment", "debug"})
    if (auto b = n[key]; b && !b.is_null()) y_.boolean(b, key);
  for (const char* key : {"headers", "notifier_headers"})
    if (auto h = n[key]; h && !h.is_null())
      if (auto list = y_.strings(h, key))
        for (const auto& header : *list)
          if (!header.empty() && header.find(':') == std::string::npos)
            vmalert_refuses(y_.span(h),
                            "missing ':' in header " + text::go::quote(header) + "; expecting \"key: value\" format",
                            gname);
  if (auto p = n["params"]; p && !p.is_null()) {
    if (!p.is_map()) y_.report(p, "yaml/type", "'params' must be a mapping of names to lists of values");
    else
      for (auto it = p.begin(); it != p.end(); ++it)
        if (!it->second.is_null()) y_.strings(it->second, "a value of params");
  }
}

// Group fields newer than the Prometheus nsmon assumes (Debian 12's 2.42, which refuses the
// file: "field query_offset not found in type rulefmt.RuleGroup"): a note, not an error, as
// later versions read them. Thanos Ruler, Mimir and Loki build on a newer Prometheus.
void Loader::newer_fields(const yaml::Node& n, Schema ruler, const std::string& gname) {
  if (ruler != Schema::automatic && ruler != Schema::prometheus) return;
  for (auto [field, version] : {std::pair{"query_offset", "2.53"}, std::pair{"labels", "3.0"}})
    if (n[field]) {
      auto& d = add(key_span(n, field), "yaml/unknown-field",
                    "'" + std::string(field) + "' on a group is read by Prometheus " + version +
                        " and later: earlier versions, Debian 12's 2.42 among them, refuse the file",
                    gname);
      d.severity = core::Severity::info;
    }
}

} // namespace nsmon::rules::detail
