#include "nsmon/alertmanager/dispatch.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "nsmon/alertmanager/integrations.hpp"
#include "nsmon/alertmanager/templates.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/zoneinfo.hpp"

namespace nsmon::alertmanager {

namespace detail {
struct TemplateSet {
  gotemplate::NotificationTemplates templates;
};
} // namespace detail

namespace {

// model.LabelSet.Fingerprint: FNV-1a 64 over the names and values, sorted by name, each followed
// by the separator byte 0xff.
std::string fingerprint(const labels::Labels& ls) {
  std::uint64_t h = 14695981039346656037ULL;
  auto add = [&](std::string_view s) {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    h = (h ^ 0xffU) * 1099511628211ULL;
  };
  if (ls.empty()) h = 14695981039346656037ULL;
  for (const auto& [n, v] : ls) {
    add(n);
    add(v);
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// model.LabelSet.String: name="value" pairs (Go's %q), sorted as strings, in braces.
std::string labelset_string(const labels::Labels& ls) {
  std::vector<std::string> parts;
  for (const auto& [n, v] : ls) parts.push_back(n + "=" + text::go::quote(v));
  std::sort(parts.begin(), parts.end());
  std::string out = "{";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out + "}";
}

// labels.Matchers.String of a route's matchers as NewRoute builds them: match_re's regexes
// anchored (config.Regexp.String()), then all sorted by name, value and type.
std::string matchers_string(const Route& r) {
  std::vector<Matcher> ms = r.match_all;
  for (std::size_t i : r.match_re) ms[i].value = "^(?:" + ms[i].value + ")$";
  std::sort(ms.begin(), ms.end(), [](const Matcher& a, const Matcher& b) {
    if (a.name != b.name) return a.name < b.name;
    if (a.value != b.value) return a.value < b.value;
    return a.op < b.op;
  });
  std::string out = "{";
  for (std::size_t i = 0; i < ms.size(); ++i) {
    // openMetricsEscape: backslash, newline and double quote.
    std::string v;
    for (char c : ms[i].value) v += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '"' ? "\\\"" : std::string(1, c);
    out += (i ? "," : "") + ms[i].name + labels::to_string(ms[i].op) + "\"" + v + "\"";
  }
  return out + "}";
}

// What a route inherits on the way down from the root (inherit), and its key.
struct Opts {
  RouteOptions route;
  std::string key;
};

Opts route_opts(const Route& root, const std::vector<std::size_t>& path) {
  Opts o;
  const Route* r = &root;
  auto apply = [&](const Route& x, bool is_root) {
    o.route = inherit(o.route, x);
    o.key = is_root ? matchers_string(x) : o.key + "/" + matchers_string(x);
  };
  apply(*r, true);
  for (std::size_t i : path) {
    r = &r->routes[i];
    apply(*r, false);
  }
  return o;
}

// timeinterval.go's ContainsTime, the time moved to the interval's location first.
bool contains(const TimeIntervalSpec& spec, std::int64_t now_ms, std::string& error) {
  std::int64_t secs = now_ms >= 0 ? now_ms / 1000 : -((-now_ms + 999) / 1000);
  if (spec.location) {
    auto off = util::zone_offset(spec.location->value, secs);
    if (!off) {
      error = "unknown time zone " + spec.location->value;
      return false;
    }
    secs += *off;
  }
  text::Civil t = text::civil(secs);
  auto in = [](const std::optional<std::vector<TimeRange>>& ranges, auto holds) {
    if (!ranges) return true;
    return std::any_of(ranges->begin(), ranges->end(), holds);
  };
  const int minute = t.hour * 60 + t.minute;
  const int days = text::days_in_month(t.year, t.month);
  return in(spec.times, [&](const TimeRange& r) { return minute >= r.begin && minute < r.end; }) &&
         in(spec.days_of_month,
            [&](const TimeRange& r) {
              int b = r.begin < 0 ? days + r.begin + 1 : r.begin;
              int e = r.end < 0 ? days + r.end + 1 : r.end;
              if (b > days) return false;
              b = std::clamp(b, -days, days);
              e = std::clamp(e, -days, days);
              return t.day >= b && t.day <= e;
            }) &&
         in(spec.months, [&](const TimeRange& r) { return t.month >= r.begin && t.month <= r.end; }) &&
         in(spec.weekdays, [&](const TimeRange& r) { return t.weekday >= r.begin && t.weekday <= r.end; }) &&
         in(spec.years, [&](const TimeRange& r) { return t.year >= r.begin && t.year <= r.end; });
}

// notify.go's inTimeIntervals: the first of `names` active at `now`, or empty.
std::string active_interval(const Config& cfg, const std::vector<core::Located>& names, std::int64_t now_ms) {
  for (const auto& name : names)
    for (const TimeInterval& ti : cfg.interval_defs)
      if (ti.name.value == name.value) {
        std::string error;
        for (const TimeIntervalSpec& spec : ti.intervals)
          if (contains(spec, now_ms, error)) return name.value;
      }
  return {};
}

std::optional<Mute> route_mute(const Config& cfg, const Route& r, std::int64_t now_ms) {
  if (std::string m = active_interval(cfg, r.mute_time_intervals, now_ms); !m.empty()) return Mute{m, false};
  if (!r.active_time_intervals.empty() && active_interval(cfg, r.active_time_intervals, now_ms).empty()) {
    std::string names;
    for (const auto& n : r.active_time_intervals) names += (names.empty() ? "" : ", ") + n.value;
    return Mute{names, true};
  }
  return std::nullopt;
}

// types.AlertSlice's order: by job, then instance (an alert that has the label first), then
// model.LabelSet.Before (fewer labels first, then the first differing label).
bool alert_before(const labels::Labels& a, const labels::Labels& b) {
  for (const char* key : {"job", "instance"}) {
    auto ia = std::find_if(a.begin(), a.end(), [&](const auto& p) { return p.first == key; });
    auto ib = std::find_if(b.begin(), b.end(), [&](const auto& p) { return p.first == key; });
    bool ha = ia != a.end(), hb = ib != b.end();
    if (!ha && !hb) continue;
    if (!ha) return false;
    if (!hb) return true;
    if (ia->second != ib->second) return ia->second < ib->second;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  std::vector<std::string> names;
  for (const auto& p : a) names.push_back(p.first);
  for (const auto& p : b) names.push_back(p.first);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    auto ia = std::find_if(a.begin(), a.end(), [&](const auto& p) { return p.first == n; });
    if (ia == a.end()) return true;
    auto ib = std::find_if(b.begin(), b.end(), [&](const auto& p) { return p.first == n; });
    if (ib == b.end()) return false;
    if (ia->second != ib->second) return ia->second < ib->second;
  }
  return false;
}

// regexp.QuoteMeta, which template.Data applies to the receiver's name.
std::string quote_meta(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(R"(\.+*?()|[]{}^$)").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

labels::Labels common(const std::vector<const labels::Labels*>& sets) {
  if (sets.empty()) return {};
  labels::Labels out = *sets[0];
  for (std::size_t i = 1; i < sets.size(); ++i)
    std::erase_if(out, [&](const auto& p) {
      auto it = std::find_if(sets[i]->begin(), sets[i]->end(), [&](const auto& q) { return q.first == p.first; });
      return it == sets[i]->end() || it->second != p.second;
    });
  return out;
}

// template.Data for a notification of `picked` alerts.
gotemplate::NotificationData notification_data(const std::string& receiver, const labels::Labels& group_labels,
                                               const std::vector<Alert>& alerts,
                                               const std::vector<AlertOutcome>& outcomes,
                                               const std::vector<std::size_t>& picked,
                                               const std::string& external_url) {
  gotemplate::NotificationData d;
  d.receiver = quote_meta(receiver);
  d.status = "resolved";
  d.group_labels = group_labels;
  d.external_url = external_url;
  std::vector<const labels::Labels*> ls, as;
  for (std::size_t i : picked) {
    const Alert& a = alerts[i];
    bool firing = outcomes[i].firing;
    if (firing) d.status = "firing";
    // types.Alerts: an end that is not reached yet is not shown.
    bool shown_end = !firing && a.ends_at_ms;
    d.alerts.push_back({firing ? "firing" : "resolved", a.labels, a.annotations, a.starts_at_ms,
                        shown_end ? *a.ends_at_ms : gotemplate::kGoZeroTimeMs, a.generator_url, outcomes[i].fingerprint,
                        a.starts_at_written, shown_end ? a.ends_at_written : TimeAsWritten{}});
    ls.push_back(&a.labels);
    as.push_back(&a.annotations);
  }
  d.common_labels = common(ls);
  d.common_annotations = common(as);
  return d;
}

// encoding/json's string: HTML-safe (<, >, & as \u003c...), U+2028 and U+2029 escaped.
std::string json_string(std::string_view s) {
  std::string out = "\"";
  char buf[8];
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string json_kv(const labels::Labels& kv) {
  std::string out = "{";
  for (std::size_t i = 0; i < kv.size(); ++i)
    out += (i ? "," : "") + json_string(kv[i].first) + ":" + json_string(kv[i].second);
  return out + "}";
}

// time.Time's JSON (RFC3339Nano) of a time the API parsed: at the offset it was written with ("Z"
// for none), the fraction with every digit kept and trailing zeros trimmed.
std::string json_time(std::int64_t ms, const TimeAsWritten& w) {
  std::string out = text::format_rfc3339_ms(ms + std::int64_t{w.offset_s} * 1000,
                                            w.sub_ms_ns ? text::Fraction::millis : text::Fraction::trimmed);
  out.pop_back(); // the "Z"
  if (w.sub_ms_ns) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%06d", out.find('.') == std::string::npos ? ".000" : "",
                  static_cast<int>(w.sub_ms_ns));
    out += buf;
    while (out.back() == '0') out.pop_back();
  }
  if (w.offset_s == 0) return out + "Z";
  int minutes = std::abs(w.offset_s) / 60;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", w.offset_s < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return out + zone;
}

// notify/webhook's Message as json.Encoder writes it: template.Data's fields, then version,
// groupKey and truncatedAlerts; a trailing newline.
std::string webhook_body(const gotemplate::NotificationData& d, const std::string& group_key, std::size_t truncated) {
  std::string out =
      "{\"receiver\":" + json_string(d.receiver) + ",\"status\":" + json_string(d.status) + ",\"alerts\":[";
  for (std::size_t i = 0; i < d.alerts.size(); ++i) {
    const auto& a = d.alerts[i];
    out += std::string(i ? "," : "") + "{\"status\":" + json_string(a.status) + ",\"labels\":" + json_kv(a.labels) +
           ",\"annotations\":" + json_kv(a.annotations) + ",\"startsAt\":\"" +
           json_time(a.starts_at_ms, a.starts_at_written) + "\",\"endsAt\":\"" +
           json_time(a.ends_at_ms, a.ends_at_written) + "\",\"generatorURL\":" + json_string(a.generator_url) +
           ",\"fingerprint\":" + json_string(a.fingerprint) + "}";
  }
  out += "],\"groupLabels\":" + json_kv(d.group_labels) + ",\"commonLabels\":" + json_kv(d.common_labels) +
         ",\"commonAnnotations\":" + json_kv(d.common_annotations) + ",\"externalURL\":" + json_string(d.external_url) +
         ",\"version\":\"4\",\"groupKey\":" + json_string(group_key) +
         ",\"truncatedAlerts\":" + std::to_string(truncated) + "}\n";
  return out;
}

const core::Located* field_of(const Notifier& n, std::string_view name) {
  for (const auto& [k, v] : n.fields)
    if (k == name) return &v;
  return nullptr;
}

// An email header as a field: "subject" for the Subject (what a person reads first), else
// "headers.X-Priority".
std::string header_field(std::string_view h) {
  std::string c = text::go::canonical_header_key(std::string(h));
  return c == "Subject" ? "subject" : "headers." + c;
}

void render_fields(const detail::Integration& kind, const Notifier& n, const Config& cfg,
                   const gotemplate::NotificationTemplates& t, const gotemplate::NotificationData& data,
                   Notification& out) {
  auto render = [&](const std::string& name, const std::string& tmpl, core::Span span, bool html) {
    gotemplate::Expanded e = t.render(tmpl, data, html);
    out.fields.push_back({name, e.text, e.error, span});
  };
  const bool email = kind.key == "email_configs";
  // Fields rendered with html/template: email's html, Telegram's message in its default HTML
  // parse mode, Pushover's message with html: true.
  auto html_field = [&](std::string_view field) {
    if (email) return field == "html";
    if (field != "message") return false;
    const core::Located* mode = field_of(n, kind.key == "telegram_configs" ? "parse_mode" : "html");
    if (kind.key == "telegram_configs") return !mode || mode->value == "HTML";
    // yaml.v2's spellings of true.
    static constexpr std::string_view kTrue[] = {"y",  "Y",  "yes",  "Yes",  "YES", "on",
                                                 "On", "ON", "true", "True", "TRUE"};
    return kind.key == "pushover_configs" && mode &&
           std::find(std::begin(kTrue), std::end(kTrue), mode->value) != std::end(kTrue);
  };
  for (const detail::Rendered& r : kind.fields) {
    const core::Located* given = field_of(n, r.field);
    std::string tmpl = given ? given->value : std::string(r.default_template);
    // Email's from falls back to global smtp_from (config.go).
    if (!given && email && r.field == "from")
      if (auto g = cfg.global_values.find("smtp_from"); g != cfg.global_values.end()) tmpl = g->second;
    if (tmpl.empty() && (!given || r.field == "html" || r.field == "text")) continue;
    render(std::string(r.field), tmpl, given ? given->span : core::Span{}, html_field(r.field));
  }
  // Maps of templates: the defaults the config does not replace, then its own entries.
  std::vector<std::pair<std::string, const core::Located*>> entries;
  for (const auto& [k, v] : n.fields) {
    auto dot = k.find('.');
    if (dot == std::string::npos ||
        std::find(kind.maps.begin(), kind.maps.end(), std::string_view(k).substr(0, dot)) == kind.maps.end())
      continue;
    entries.emplace_back(email ? header_field(k.substr(dot + 1)) : k, &v);
  }
  for (const detail::Rendered& d : kind.map_defaults)
    if (std::none_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == d.field; }))
      entries.emplace_back(std::string(d.field), nullptr);
  // Lists of templated entries, in the file's order.
  for (const auto& [k, v] : n.fields) {
    auto bracket = k.find('[');
    if (bracket == std::string::npos ||
        std::find(kind.lists.begin(), kind.lists.end(), std::string_view(k).substr(0, bracket)) == kind.lists.end())
      continue;
    std::string_view leaf = std::string_view(k).substr(k.rfind('.') == std::string::npos ? 0 : k.rfind('.') + 1);
    if (std::find(kind.plain.begin(), kind.plain.end(), leaf) == kind.plain.end()) render(k, v.value, v.span, false);
  }
  // OpsGenie's details start as the common labels (values, not templates).
  if (!kind.common_labels_map.empty())
    for (const auto& [k, v] : data.common_labels) {
      std::string name = std::string(kind.common_labels_map) + "." + k;
      if (std::none_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == name; }))
        out.fields.push_back({name, v, std::nullopt, {}});
    }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, given] : entries) {
    std::string tmpl;
    if (given) tmpl = given->value;
    else
      for (const detail::Rendered& d : kind.map_defaults)
        if (d.field == name) tmpl = std::string(d.default_template);
    render(name, tmpl, given ? given->span : core::Span{}, false);
  }
}

const Receiver* find_receiver(const Config& cfg, const std::string& name) {
  for (const Receiver& r : cfg.receivers)
    if (r.name.value == name) return &r;
  return nullptr;
}

} // namespace

std::string default_templates_dir(const TemplateOptions& options) {
  if (!options.defaults_dir.empty()) return options.defaults_dir;
  if (const char* env = std::getenv("NSMON_ALERTMANAGER_TEMPLATES"); env && *env) return env;
  return "/usr/share/prometheus/alertmanager";
}

Templates load_templates(const Config& cfg, std::vector<core::Diagnostic>& diags, const TemplateOptions& options) {
  Templates out;
  auto set = std::make_shared<detail::TemplateSet>();
  out.defaults_dir = default_templates_dir(options);
  auto add = [&](const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    if (auto err = set->templates.add(name, util::read_file(path))) diags.push_back(template_file_error(path, *err));
    else return true;
    return false;
  };
  // template.FromGlobs: default.tmpl and email.tmpl first, so the config's files may redefine.
  std::string defaults = out.defaults_dir + "/default.tmpl";
  if (std::filesystem::exists(defaults)) {
    out.defaults_found = add(defaults);
    if (std::string email = out.defaults_dir + "/email.tmpl"; std::filesystem::exists(email)) add(email);
  }
  std::filesystem::path dir = std::filesystem::path(cfg.path).parent_path();
  for (const auto& t : cfg.templates) {
    std::string pattern = std::filesystem::path(t.value).is_absolute() ? t.value : (dir / t.value).string();
    for (const auto& file : util::glob(pattern))
      if (add(file)) out.files.push_back(file);
  }
  out.set = std::move(set);
  return out;
}

Templates templates_from_text(const std::string& defaults, const std::vector<std::string>& files) {
  Templates out;
  auto set = std::make_shared<detail::TemplateSet>();
  if (!defaults.empty()) out.defaults_found = !set->templates.add("default.tmpl", defaults);
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string name = "file" + std::to_string(i) + ".tmpl";
    if (auto err = set->templates.add(name, files[i])) throw Error(*err);
    out.files.push_back(name);
  }
  out.set = std::move(set);
  return out;
}

Outcome dispatch(const Config& cfg, const Templates& templates, const std::vector<Alert>& alerts, std::int64_t now_ms,
                 const DispatchOptions& options) {
  Outcome out;
  out.now_ms = now_ms;
  const Route& root = *cfg.route;
  std::vector<labels::Labels> firing;
  std::vector<std::size_t> firing_index;
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    AlertOutcome a;
    a.firing = alerts[i].firing_at(now_ms);
    a.fingerprint = fingerprint(alerts[i].labels);
    if (a.firing) {
      firing.push_back(alerts[i].labels);
      firing_index.push_back(i);
    }
    out.alerts.push_back(std::move(a));
  }
  // Alerts with the same labels are one alert in Alertmanager: the last one given stands for it.
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < alerts.size(); ++i) last[out.alerts[i].fingerprint] = i;

  // Routes and groups, keyed by the route's place in the tree and the group labels.
  std::map<std::pair<std::vector<std::size_t>, std::string>, Group> groups;
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    AlertOutcome& a = out.alerts[i];
    for (const InhibitMatch& m : inhibitions(cfg, alerts[i].labels, firing)) {
      Inhibition inh{m.rule, cfg.inhibit_rules[m.rule].span, {}};
      for (std::size_t k : m.sources) inh.sources.push_back(firing_index[k]);
      a.inhibited.push_back(std::move(inh));
    }
    for (RouteMatch& m : route_alert(root, alerts[i].labels)) {
      a.routes.push_back({m, route_mute(cfg, *m.route, now_ms)});
      if (last[a.fingerprint] != i) continue;
      Opts o = route_opts(root, m.path);
      labels::Labels gl;
      for (const auto& [n, v] : alerts[i].labels)
        if (o.route.group_by_all ||
            std::find(o.route.group_by.begin(), o.route.group_by.end(), n) != o.route.group_by.end())
          gl.emplace_back(n, v);
      std::string key = o.key + ":" + labelset_string(gl);
      auto [it, fresh] = groups.try_emplace({m.path, key});
      Group& g = it->second;
      if (fresh) {
        g.route = m;
        g.group_labels = std::move(gl);
        g.group_key = std::move(key);
        g.muted = a.routes.back().muted;
      }
      g.alerts.push_back(i);
    }
  }

  static const gotemplate::NotificationTemplates kNone;
  const gotemplate::NotificationTemplates& t = templates.set ? templates.set->templates : kNone;
  for (auto& [key, g] : groups) {
    std::stable_sort(g.alerts.begin(), g.alerts.end(),
                     [&](std::size_t x, std::size_t y) { return alert_before(alerts[x].labels, alerts[y].labels); });
    // The notification pipeline: inhibited alerts leave it, a muted route sends nothing, and a
    // group that has never notified sends only when something fires.
    std::vector<std::size_t> live;
    for (std::size_t i : g.alerts)
      if (out.alerts[i].inhibited.empty()) live.push_back(i);
    bool any_firing = std::any_of(live.begin(), live.end(), [&](std::size_t i) { return out.alerts[i].firing; });
    const Receiver* r = find_receiver(cfg, g.route.receiver);
    if (g.muted || !any_firing || !r) {
      out.groups.push_back(std::move(g));
      continue;
    }
    std::map<std::string, std::size_t> per_kind;
    for (const Notifier& n : r->notifiers) {
      std::size_t index = per_kind[n.kind]++;
      const detail::Integration* kind = detail::integration(n.kind);
      if (!kind) continue;
      Notification note;
      note.integration = n.kind.substr(0, n.kind.size() - std::string_view("_configs").size());
      note.index = index;
      note.send_resolved = n.send_resolved.value_or(kind->send_resolved);
      for (std::size_t i : live)
        if (out.alerts[i].firing || note.send_resolved) note.alerts.push_back(i);
      std::size_t truncated = 0;
      if (const core::Located* max = field_of(n, "max_alerts"); max && n.kind == "webhook_configs") {
        std::size_t limit = std::strtoull(max->value.c_str(), nullptr, 10);
        if (limit && note.alerts.size() > limit) {
          truncated = note.alerts.size() - limit;
          note.alerts.resize(limit);
        }
      }
      gotemplate::NotificationData data =
          notification_data(g.route.receiver, g.group_labels, alerts, out.alerts, note.alerts, options.external_url);
      if (n.kind == "webhook_configs")
        note.fields.push_back({"body", webhook_body(data, g.group_key, truncated), {}, {}});
      else render_fields(*kind, n, cfg, t, data, note);
      // A default template nobody defined: say where Alertmanager's were looked for.
      if (!templates.defaults_found)
        for (Field& f : note.fields)
          if (f.error && f.error->find("\" not defined") != std::string::npos)
            *f.error += " (Alertmanager's default templates: no default.tmpl in " + templates.defaults_dir +
                        "; give --default-templates DIR or NSMON_ALERTMANAGER_TEMPLATES)";
      g.notifications.push_back(std::move(note));
    }
    out.groups.push_back(std::move(g));
  }
  // In the tree's order (depth first, as Route.Walk), then by group key.
  std::stable_sort(out.groups.begin(), out.groups.end(), [](const Group& a, const Group& b) {
    if (a.route.path != b.route.path) return a.route.path < b.route.path;
    return a.group_key < b.group_key;
  });
  return out;
}

} // namespace nsmon::alertmanager
