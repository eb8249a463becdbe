#include "nsmon/rules/loader.hpp"

namespace nsmon::rules::detail {

// A rule of the group named `group`; the findings of the generic YAML checks inside it belong
// to it too.
std::optional<Rule> Loader::read_rule_of(const yaml::Node& r, const std::string& group, Schema ruler) {
  std::size_t before = diags_.size();
  via_ = r.alias_at() >= 0 ? r : yaml::Node();
  auto rule = read_rule(r, group, ruler);
  via_ = yaml::Node();
  std::string rname = rule ? rule->name.value : std::string();
  if (!rule && r.is_map() && r["alert"] && r["alert"].is_scalar()) rname = r["alert"].scalar();
  if (!rule && r.is_map() && r["record"] && r["record"].is_scalar()) rname = r["record"].scalar();
  for (std::size_t i = before; i < diags_.size(); ++i) {
    if (diags_[i].group.empty()) diags_[i].group = group;
    if (diags_[i].rule.empty()) diags_[i].rule = rname;
  }
  return rule;
}

// alert, record and expr: as a string_field, but an alias in a rule file is read as Prometheus
// reads it (the alias's name; see Rule::aliased). A manifest's or chart values' aliases reach the
// ruler resolved (applied_): kubectl, kustomize and Helm decode the YAML into JSON before any
// operator writes a rule file of it, and `kubectl kustomize` prints `record: *r` as the anchored name.
std::optional<core::Located> Loader::node_field(const yaml::Node& parent, const char* key, Rule& r,
                                                const std::string& group, const std::string& rule) {
  auto n = parent[key];
  if (!n || n.alias_at() < 0 || applied_) return string_field(parent, key, group, rule);
  core::Located name = y_.alias_name(n, via_);
  r.aliased.push_back({key, name.span, y_.span(n).line});
  return name;
}

std::optional<Rule> Loader::read_rule(const yaml::Node& n, const std::string& group, Schema ruler) {
  static const std::vector<std::string> kPrometheus = {"alert",           "record", "expr",       "for",
                                                       "keep_firing_for", "labels", "annotations"};
  static const std::vector<std::string> kVmalert = [] {
    std::vector<std::string> all = kPrometheus;
    for (std::string_view f : rule_fields(Schema::vmalert)) all.emplace_back(f);
    return all;
  }();
  const std::vector<std::string>& kFields = narrow_                    ? narrow_->rule_fields
                                            : ruler == Schema::vmalert ? kVmalert
                                                                       : kPrometheus;
  if (!y_.check_mapping(n, kFields, narrow_ ? narrow_->rule : "a rule")) return std::nullopt;
  if (narrow_ && narrow_->alerts_only && !n["alert"])
    y_.report(n["record"] ? n["record"] : n, "rules/missing-field", narrow_->alerts_only);
  if (ruler == Schema::vmalert) {
    if (auto b = n["debug"]; b && !b.is_null()) y_.boolean(b, "debug");
    vmalert_integer(n, "update_entries_limit");
  }
  if (crd_) crd_types(n, true, group);
  Rule r;
  r.span = span(n);
  for (auto it = n.begin(); it != n.end(); ++it)
    if (it->first.is_scalar() && std::find(kFields.begin(), kFields.end(), it->first.scalar()) == kFields.end())
      if (std::string meant = util::did_you_mean(it->first.scalar(), kFields); !meant.empty() && !n[meant])
        r.misspelt.insert(meant);
  auto alert = node_field(n, "alert", r, group, "");
  auto record = node_field(n, "record", r, group, "");
  bool has_alert = alert && !alert->value.empty(), has_record = record && !record->value.empty();
  if (has_alert && has_record) {
    add(record->span, "rules/alert-xor-record", "only one of 'record' and 'alert' must be set", group, alert->value);
  } else if (!has_alert && !has_record) {
    add(r.span, "rules/alert-xor-record", "one of 'record' or 'alert' must be set", group);
  }
  r.kind = has_record && !has_alert ? Rule::Kind::record : Rule::Kind::alert;
  if (has_alert) r.name = std::move(*alert);
  else if (has_record) r.name = std::move(*record);
  else r.name.span = r.span;
  const std::string& name = r.name.value;

  if (auto e = node_field(n, "expr", r, group, name)) r.expr = std::move(*e);
  if (util::trim(r.expr.value).empty()) {
    if (!n["expr"]) r.expr.span = r.span;
    add(r.expr.span, "rules/missing-field", "field 'expr' must be set in rule" + r.expr.anchor_note(), group, name);
  }
  r.for_ = duration_field(n, "for", group, name);
  r.keep_firing_for = duration_field(n, "keep_firing_for", group, name);
  r.labels = pairs(n, "labels", group, name);
  r.annotations = pairs(n, "annotations", group, name);
  check_label_names(r.labels, false, group, name);
  check_label_names(r.annotations, true, group, name);

  if (r.kind == Rule::Kind::alert) {
    const auto dialect = ruler == Schema::vmalert ? gotemplate::Dialect::vmalert : gotemplate::Dialect::prometheus;
    check_templates(r.labels, "label", group, name, dialect);
    check_templates(r.annotations, "annotation", group, name, dialect);
  }
  // vmalert checks none of these: it reads (and ignores) a recording rule's annotations and
  // `for`, and takes any name.
  if (r.kind == Rule::Kind::record && ruler != Schema::vmalert) {
    if (n["annotations"])
      add(key_span(n, "annotations"), "rules/record-fields", "invalid field 'annotations' in recording rule", group,
          name);
    if (n["for"]) add(key_span(n, "for"), "rules/record-fields", "invalid field 'for' in recording rule", group, name);
    if (n["keep_firing_for"])
      add(key_span(n, "keep_firing_for"), "rules/record-fields", "invalid field 'keep_firing_for' in recording rule",
          group, name);
    if (name.find('{') != std::string::npos || name.find('}') != std::string::npos)
      add(r.name.span, "rules/record-name",
          "braces present in the recording rule name; should it be in expr?: " + name + r.name.anchor_note(), group,
          name);
    else if (!text::go::valid_utf8(name))
      add(r.name.span, "rules/record-name",
          "invalid recording rule name: " + text::go::quote(name) + r.name.anchor_note(), group, name);
    else if (!labels::is_legacy_metric_name(name)) {
      // Valid since Prometheus 3.0: the milder variant, a warning.
      auto& d =
          add(r.name.span, "rules/record-name",
              "'" + name + "' is not a valid metric name before Prometheus 3.0" + r.name.anchor_note(), group, name);
      d.severity = core::Severity::warning;
    }
  }
  return r;
}

// Go template syntax, as promtool (or vmalert, in its groups) checks it for alerting rules.
void Loader::check_templates(std::vector<KeyValue>& kvs, const char* what, const std::string& group,
                             const std::string& rule, gotemplate::Dialect dialect) {
  for (auto& kv : kvs) {
    gotemplate::TemplateInfo info = gotemplate::check_template(kv.value.value, dialect);
    for (const auto& e : info.errors) {
      core::Span at = kv.value.span; // an aliased value's: the alias
      if (!kv.value.value.empty() && !kv.value.anchor_line) {
        auto lc = y_.source().line_col(kv.value.file_offset(e.offset));
        at = {at.file, lc.line, lc.col, 2};
      }
      add(at, "rules/template",
          std::string(what) + " \"" + kv.key.value + "\": template: " + e.message + kv.value.anchor_note(), group,
          rule);
    }
    if (info.has_actions || !info.errors.empty() || !info.text_refs.empty())
      kv.template_info = std::make_shared<gotemplate::TemplateInfo>(std::move(info));
  }
}

void Loader::assign_last_lines(RuleFile& file) {
  // A rule extends to the line before the next rule or group starts (or the end of the file).
  std::vector<Rule*> all;
  std::vector<int> starts;
  for (auto& g : file.groups) {
    starts.push_back(g.span.line);
    for (auto& r : g.rules) {
      all.push_back(&r);
      starts.push_back(r.span.line);
    }
  }
  std::sort(starts.begin(), starts.end());
  for (auto* r : all) {
    auto it = std::upper_bound(starts.begin(), starts.end(), r->span.line);
    r->last_line = it == starts.end() ? y_.source().line_count() : *it - 1;
  }
}

void Loader::read_disable_comments(RuleFile& file) {
  std::vector<Rule*> all;
  for (auto& g : file.groups)
    for (auto& r : g.rules) all.push_back(&r);
  for (auto& c : rules::read_disable_comments(y_.source(), diags_)) {
    if (c.before_content) file.disabled.insert(c.ids.begin(), c.ids.end());
    else if (Rule* r = rule_for_comment(all, c.line, c.whole_line)) r->disabled.insert(c.ids.begin(), c.ids.end());
  }
}

// The rule a comment on `line` belongs to: a comment after content belongs to the rule whose
// lines contain it; a comment line, to the rule right below it (only comments or blank lines
// between), else to the rule containing it.
Rule* Loader::rule_for_comment(const std::vector<Rule*>& all, int line, bool whole_line) {
  const auto& src = y_.source();
  for (Rule* r : all) {
    if (!whole_line) break;
    if (r->span.line < line) continue;
    bool only_comments = true;
    for (int l = line + 1; l < r->span.line && only_comments; ++l) {
      auto t = util::trim(src.line(l));
      only_comments = t.empty() || t[0] == '#';
    }
    if (only_comments) return r;
    break;
  }
  for (Rule* r : all)
    if (r->span.line <= line && line <= r->last_line) return r;
  return nullptr;
}

void Loader::check_duplicate_rules(const RuleFile& file) {
  // Like promtool: the same name with the same labels (group labels included, the rule's win)
  // twice in a file. Only names given more than once have their labels compared.
  // The names given more than once: the rules sorted by their name's hash, equal hashes
  // compared. Cheaper than a map of every name or sorting the names themselves, since
  // generated names share long prefixes, and this runs on one thread.
  std::vector<std::pair<std::size_t, std::size_t>> by_hash; // (hash, rule's ordinal)
  std::vector<const Rule*> all;
  for (const auto& g : file.groups)
    for (const auto& r : g.rules) {
      by_hash.emplace_back(std::hash<std::string_view>{}(r.name.value), all.size());
      all.push_back(&r);
    }
  std::sort(by_hash.begin(), by_hash.end());
  auto name = [&](const std::pair<std::size_t, std::size_t>& e) -> const std::string& {
    return all[e.second]->name.value;
  };
  std::vector<char> repeated(all.size());
  for (auto i = by_hash.begin(), j = i; i != by_hash.end(); i = j) {
    while (j != by_hash.end() && j->first == i->first) ++j;
    if (j - i < 2) continue;
    std::sort(i, j, [&](const auto& a, const auto& b) { return name(a) < name(b); });
    for (auto k = i + 1; k != j; ++k)
      if (name(*k) == name(*(k - 1))) repeated[k->second] = repeated[(k - 1)->second] = 1;
  }
  std::unordered_map<std::string, const Rule*> seen;
  std::vector<std::pair<std::string_view, std::string_view>> labels;
  std::size_t ordinal = 0;
  for (const auto& g : file.groups)
    for (const auto& r : g.rules) {
      const bool again = repeated[ordinal++] != 0;
      if (r.name.value.empty() || !again) continue;
      labels.clear();
      for (const auto& kv : r.labels) labels.emplace_back(kv.key.value, kv.value.value);
      for (const auto& kv : g.labels) labels.emplace_back(kv.key.value, kv.value.value);
      // Sorted by name, the rule's label first among equals (each list's names are unique).
      std::stable_sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string key = r.name.value;
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0 && labels[i].first == labels[i - 1].first) continue;
        key.append(1, '\0').append(labels[i].first).append(1, '\0').append(labels[i].second);
      }
      auto [it, inserted] = seen.try_emplace(std::move(key), &r);
      if (!inserted)
        add(r.name.span, "rules/duplicate-rule",
            std::string(r.is_alert() ? "alert" : "recording rule") + " '" + r.name.value +
                "' is defined twice with the same labels (first at line " + std::to_string(it->second->span.line) + ")",
            g.name.value, r.name.value);
    }
}

} // namespace nsmon::rules::detail
