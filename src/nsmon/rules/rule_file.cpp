#include "nsmon/rules/rule_file.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/gotemplate/check.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/rules/disable.hpp"
#include "nsmon/rules/loader.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules {

const gotemplate::TemplateInfo& KeyValue::tmpl() const {
  static const gotemplate::TemplateInfo none;
  return template_info ? *template_info : none;
}

namespace detail {

RuleFile Loader::run() {
  RuleFile file;
  file.path = y_.source().path();
  file.source = &y_.source();
  const std::size_t parsed_from = diags_.size();
  auto root = y_.parse();
  const std::size_t parsed_to = diags_.size();
  plain_ = root && !is_manifest(*root);
  if (!root || root->is_null()) return file; // an empty file has no groups, like promtool
  const std::vector<Holder> holders = groups_holders(*root);
  // A manifest or a chart's values is read by Helm too, which keeps a repeated key's last value
  // without a word (sigs.k8s.io/yaml, go-yaml v2 without strict: helm/helm#4107), so the first
  // one is not deployed; kustomize reads with yaml.v3 and refuses the file, as Prometheus would.
  if (!plain_)
    for (std::size_t i = parsed_from; i < parsed_to; ++i)
      if (diags_[i].check == core::CheckId("yaml/duplicate-key"))
        diags_[i].message += ": Helm keeps only the last one without a word, losing the earlier ones (lint-rules "
                             "reads the first), and kustomize refuses the file";
  file.other_objects = std::move(other_objects_);
  std::vector<yaml::Node> groups;
  std::vector<std::size_t> holder_of; // each group's holder: a group name may repeat in another
  bool listed = false;                // some holder has a list of groups, if an empty one
  for (std::size_t h = 0; h < holders.size(); ++h) {
    if (!holders[h].chart_group.empty()) {
      listed = true;
      groups.push_back(holders[h].node);
      holder_of.push_back(h);
      continue;
    }
    auto list = holders[h].node["groups"];
    if (!list || list.is_null()) continue;
    if (!list.is_sequence()) {
      y_.report(list, "yaml/type", "'groups' must be a list of rule groups");
      continue;
    }
    listed = true;
    for (const auto& g : list) {
      groups.push_back(g);
      holder_of.push_back(h);
    }
  }
  if (!listed) return file;
  // The groups' own fields first, then their rules on several threads, each rule's findings
  // apart; then all of it in the order (and with the findings in the order) of one thread.
  struct GroupRead {
    std::optional<Group> group;
    std::vector<core::Diagnostic> diags;
    std::size_t rules_begin = 0, rules_end = 0; // its rules in `rule_nodes`
  };
  std::vector<GroupRead> read(groups.size());
  std::vector<yaml::Node> rule_nodes;
  std::vector<const Group*> rule_group;   // each rule's group
  std::vector<const Holder*> rule_holder; // and its holder
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Holder& holder = holders[holder_of[i]];
    // A VMRule's groups are vmalert's, unless --rule-schema says otherwise. Google's rule
    // evaluator is Prometheus's, and its manifests' schema has no other ruler's field.
    LoadOptions group_options = options_;
    if (holder.vmrule && group_options.schema == Schema::automatic) group_options.schema = Schema::vmalert;
    if (holder.narrow) group_options.schema = Schema::prometheus;
    GroupRead& r = read[i];
    r.rules_begin = rule_nodes.size();
    Loader part(y_, r.diags, group_options);
    part.vmrule_ = holder.vmrule;
    part.narrow_ = holder.narrow;
    part.crd_ = holder.crd;
    part.applied_ = !plain_;
    r.group = holder.chart_group.empty() ? part.read_group(groups[i], rule_nodes)
                                         : part.read_chart_group(groups[i], holder.chart_group, rule_nodes);
    r.rules_end = rule_nodes.size();
    rule_group.resize(rule_nodes.size(), r.group ? &*r.group : nullptr);
    rule_holder.resize(rule_nodes.size(), &holder);
  }
  // Each rule read into its place in its group; those that are no rule are dropped after.
  std::vector<Rule*> slot(rule_nodes.size());
  for (auto& r : read)
    if (r.group) {
      r.group->rules.resize(r.rules_end - r.rules_begin);
      for (std::size_t k = r.rules_begin; k < r.rules_end; ++k) slot[k] = &r.group->rules[k - r.rules_begin];
    }
  std::vector<std::vector<core::Diagnostic>> rule_diags(rule_nodes.size());
  std::vector<char> is_rule(rule_nodes.size());
  util::parallel_steps(rule_nodes.size(), 256, [&](std::size_t b, std::size_t e, std::size_t) {
    std::vector<core::Diagnostic> out;
    Loader part(y_, out, options_);
    part.applied_ = !plain_;
    for (std::size_t k = b; k < e; ++k) {
      part.narrow_ = rule_holder[k]->narrow;
      part.crd_ = rule_holder[k]->crd;
      if (auto rule = part.read_rule_of(rule_nodes[k], rule_group[k]->name.value, rule_group[k]->ruler)) {
        *slot[k] = std::move(*rule);
        is_rule[k] = 1;
      }
      rule_diags[k] = std::move(out);
      out.clear();
    }
  });

  std::map<std::pair<std::size_t, std::string>, core::Span> seen;
  file.groups.reserve(groups.size());
  for (std::size_t at = 0; at < read.size(); ++at) {
    GroupRead& r = read[at];
    diags_.insert(diags_.end(), std::make_move_iterator(r.diags.begin()), std::make_move_iterator(r.diags.end()));
    if (!r.group) continue;
    Group& group = *r.group;
    std::size_t kept = 0;
    for (std::size_t k = r.rules_begin; k < r.rules_end; ++k) {
      auto& d = rule_diags[k];
      diags_.insert(diags_.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
      if (is_rule[k] && kept++ != k - r.rules_begin) group.rules[kept - 1] = std::move(group.rules[k - r.rules_begin]);
    }
    group.rules.resize(kept);
    if (auto it = seen.find({holder_of[at], group.name.value}); it != seen.end() && !group.name.value.empty())
      add(group.name.span, "rules/duplicate-group",
          "groupname: \"" + group.name.value + "\" is repeated in the same file (first at line " +
              std::to_string(it->second.line) + ")",
          group.name.value);
    else seen.emplace(std::pair{holder_of[at], group.name.value}, group.name.span);
    group.scope = holders[holder_of[at]].scope;
    file.groups.push_back(std::move(group));
  }
  assign_last_lines(file);
  read_disable_comments(file);
  check_duplicate_rules(file);
  return file;
}

// A finding at the check's default severity; the result (valid until the next finding) lets a
// milder variant lower it.
core::Diagnostic& Loader::add(core::Span span, core::CheckId check, std::string msg, std::string group,
                              std::string rule) {
  core::Diagnostic& d = diags_.emplace_back(core::make_diagnostic(check, span, std::move(msg)));
  d.group = std::move(group);
  d.rule = std::move(rule);
  return d;
}

core::Span Loader::key_span(const yaml::Node& map, const std::string& key) const {
  return via_ ? y_.use_span(via_) : y_.key_span(map, key);
}

// An empty value (`expr:`, `expr: ~`) has no place of its own: its key's.
core::Located Loader::empty_at(const yaml::Node& key) {
  core::Located empty = text(key);
  empty.value.clear();
  empty.plain = false;
  empty.offsets.clear();
  if (!empty.anchor_line) empty.base = static_cast<std::size_t>(std::max(0, key.mark().pos));
  return empty;
}

std::optional<core::Located> Loader::string_field(const yaml::Node& parent, const char* key, const std::string& group,
                                                  const std::string& rule) {
  auto n = parent[key];
  if (!n) return std::nullopt;
  // Go's yaml decodes null into a string as "": `expr:` is an empty expression, not a type
  // error; placed on the key (a null's own mark is the next token's, often the next rule).
  if (n.is_null()) {
    for (auto it = parent.begin(); it != parent.end(); ++it)
      if (it->first.is_scalar() && it->first.scalar() == key) return empty_at(it->first);
  }
  if (!n.is_scalar()) {
    add(span(n), "yaml/type", std::string("field '") + key + "' must be a string", group, rule);
    return std::nullopt;
  }
  return text(n);
}

std::optional<Duration> Loader::duration_field(const yaml::Node& parent, const char* key, const std::string& group,
                                               const std::string& rule) {
  // `for:` with no value is no duration: Go's yaml leaves a null's field at zero, as promtool does.
  if (auto n = parent[key]; n && n.is_null()) return std::nullopt;
  auto t = string_field(parent, key, group, rule);
  if (!t) return std::nullopt;
  auto ms = text::parse_duration(t->value);
  if (!ms) {
    add(t->span, "rules/duration",
        "not a valid duration string: \"" + t->value + "\" (use e.g. 30s, 5m, 1h30m)" + t->anchor_note(), group, rule);
    return std::nullopt;
  }
  return Duration{*ms, t->span};
}

std::vector<KeyValue> Loader::pairs(const yaml::Node& parent, const char* key, const std::string& group,
                                    const std::string& rule) {
  std::vector<KeyValue> out;
  auto n = parent[key];
  if (!n || n.is_null()) return out;
  if (!n.is_map()) {
    add(span(n), "yaml/type", std::string("'") + key + "' must be a mapping", group, rule);
    return out;
  }
  const yaml::Node outer = via_;
  if (!via_ && n.alias_at() >= 0) via_ = n;
  // A key written twice: YamlReader::parse reported it (as for every map); the first wins.
  util::FirstSeen first;
  out.reserve(n.size());
  for (auto it = n.begin(); it != n.end(); ++it) {
    // `job_name:` or `~`: Go's yaml decodes null into a string as "", which removes the label.
    if (it->first.is_scalar() && it->second.is_null()) {
      if (!first(it->first.scalar())) continue;
      out.push_back(KeyValue{text(it->first), empty_at(it->first)});
      continue;
    }
    if (!it->first.is_scalar() || !it->second.is_scalar()) {
      add(span(it->second.is_scalar() ? it->first : it->second), "yaml/type",
          std::string("entries of '") + key + "' must be name: string", group, rule);
      continue;
    }
    if (!first(it->first.scalar())) continue;
    out.push_back(KeyValue{text(it->first), text(it->second)});
  }
  via_ = outer;
  return out;
}

void Loader::check_label_names(const std::vector<KeyValue>& kvs, bool annotations, const std::string& group,
                               const std::string& rule) {
  for (const auto& kv : kvs) {
    const auto& k = kv.key.value;
    // A word of a finding's message: no string made for each of every rule's labels.
    const char* what = annotations ? "annotation" : "label";
    if (k.empty() || !text::go::valid_utf8(k) || (!annotations && k == "__name__"))
      add(kv.key.span, "rules/label-name",
          std::string("invalid ") + what + " name: " + text::go::quote(k) + kv.key.anchor_note(), group, rule);
    else if (!labels::is_legacy_label_name(k)) {
      // Valid since Prometheus 3.0: the milder variant, a warning.
      auto& d = add(kv.key.span, "rules/label-name",
                    "'" + k + "' is not a valid " + what + " name before Prometheus 3.0 (only letters, digits and _)" +
                        kv.key.anchor_note(),
                    group, rule);
      d.severity = core::Severity::warning;
    }
  }
}

} // namespace detail

namespace {

using detail::Loader;

// Where the document at `begin` (as document_ranges gives it) starts: its `---`, or after a `...`
// line its first content.
core::Span document_start(const core::SourceFile& src, std::size_t begin) {
  std::string_view text = src.text();
  if (text.substr(begin, 3) == "---") return core::span_at(src, begin, begin + 3);
  for (std::size_t at = begin; at < text.size();) {
    std::size_t eol = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, eol - at);
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return core::span_at(src, at + first, at + first + 1);
    at = eol + 1;
  }
  return core::span_at(src, begin, begin + 1);
}

// A document is read from a copy of the file with the others blanked, which load_rule_file drops:
// its values' bytes are the file's, so they point at the file (Located::at reads it).
void point_at(const core::SourceFile& src, Group& g) {
  auto pairs = [&](std::vector<KeyValue>& kvs) {
    for (auto& kv : kvs) kv.key.source = kv.value.source = &src;
  };
  g.name.source = &src;
  pairs(g.labels);
  for (auto& r : g.rules) {
    r.name.source = r.expr.source = &src;
    pairs(r.labels);
    pairs(r.annotations);
  }
}

// "; vmalert 1.95 or later reads it (eval_delay, line 12)": the oldest vmalert that knows every
// vmalert field of the file's groups, as older ones refuse it ("field eval_delay not found").
std::string oldest_vmalert(const RuleFile& file, Schema ruler) {
  const Group* newest = nullptr;
  for (const auto& g : file.groups)
    if (g.ruler == ruler && (!newest || g.newest_vmalert_minor > newest->newest_vmalert_minor)) newest = &g;
  if (!newest || newest->newest_vmalert_minor == 0) return "";
  return "; vmalert 1." + std::to_string(newest->newest_vmalert_minor) + " or later reads it (" +
         newest->newest_vmalert_field.value + ", line " + std::to_string(newest->newest_vmalert_field.span.line) + ")";
}

// Under auto, one info per other ruler whose groups the file has, at the first group's field that
// says so: the file is read as that ruler reads it, and Prometheus would refuse it.
void other_rulers(const RuleFile& file, std::vector<core::Diagnostic>& diags) {
  for (Schema ruler : {Schema::thanos, Schema::mimir, Schema::vmalert}) {
    const Group* first = nullptr;
    std::size_t groups = 0;
    for (const auto& g : file.groups)
      if (g.ruler == ruler && !g.ruler_field.value.empty() && groups++ == 0) first = &g;
    if (!first) continue;
    const std::string field = first->ruler_field.value, name(ruler_name(ruler));
    const std::string the = ruler == Schema::vmalert ? name : "the " + name; // "vmalert", "the Mimir ruler"
    core::Diagnostic d = core::make_diagnostic(
        "rules/other-ruler", first->ruler_field.span,
        "'" + field + "' is a " + name + " field: " +
            (groups == 1 ? "the group is read as " + the + " reads it"
                         : std::to_string(groups) + " groups with such fields are read as " + the + " reads them") +
            "; Prometheus and promtool refuse this file (field " + field + " not found in type rulefmt." +
            (first->ruler_field_on_rule ? "RuleNode)" : "RuleGroup)") + oldest_vmalert(file, ruler),
        "--rule-schema " + std::string(to_string(ruler)) + " says the file is for " + the +
            " (no note); --rule-schema prometheus makes such fields errors");
    d.group = first->name.value;
    diags.push_back(std::move(d));
  }
}

// The file's documents read (see load_rule_file).
// The rule files a document's ConfigMaps hold (Loader::embedded), each read as Prometheus reads
// the file the ConfigMap mounts: a plain rule file. Their groups join `file`'s.
void read_embedded(const core::SourceFile& src, const Loader& loader, RuleFile& file,
                   std::vector<core::Diagnostic>& diags, const LoadOptions& options) {
  for (const auto& [begin, end] : loader.embedded()) {
    const core::SourceFile part_source = core::masked(src, begin, end);
    RuleFile part = Loader(part_source, diags, options).run();
    for (auto& g : part.groups) {
      point_at(src, g);
      file.groups.push_back(std::move(g));
    }
    file.disabled.insert(part.disabled.begin(), part.disabled.end());
  }
}

RuleFile read_documents(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, const LoadOptions& options) {
  // One document (or none), as most rule files: read in place. core::documents would return a
  // copy of the whole file with its own line index, only to be dropped here.
  if (core::document_ranges(src.text()).size() <= 1) {
    Loader loader(src, diags, options);
    RuleFile file = loader.run();
    read_embedded(src, loader, file, diags, options);
    return file;
  }
  auto docs = core::documents(src);
  RuleFile file;
  file.path = src.path();
  file.source = &src;
  LaterDocuments later{{}, docs.size() - 1, 0, 0};
  bool plain = false;
  std::vector<std::size_t> document_of; // each group's document
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Loader loader(docs[i], diags, options);
    RuleFile part = loader.run();
    read_embedded(src, loader, part, diags, options);
    if (i == 0) plain = loader.plain();
    else
      for (const auto& g : part.groups) {
        ++later.groups;
        later.rules += g.rules.size();
      }
    for (auto& g : part.groups) {
      point_at(src, g);
      file.groups.push_back(std::move(g));
      document_of.push_back(i);
    }
    file.disabled.insert(part.disabled.begin(), part.disabled.end());
    file.other_objects.insert(file.other_objects.end(), part.other_objects.begin(), part.other_objects.end());
  }
  // vmalert reads every document of its files (since 1.105, 1.102.5 and 1.97.10 LTS), and
  // refuses a group name given twice in the file, in one document or several.
  const bool vmalert =
      std::any_of(file.groups.begin(), file.groups.end(), [](const Group& g) { return g.ruler == Schema::vmalert; });
  if (plain && !vmalert) {
    later.at = document_start(src, core::document_ranges(src.text()).at(1).first);
    file.later_documents = later;
  }
  if (plain && vmalert) {
    std::map<std::string_view, std::pair<std::size_t, int>> first; // a name's first document and line
    for (std::size_t k = 0; k < file.groups.size(); ++k) {
      const Group& g = file.groups[k];
      auto [it, inserted] = first.try_emplace(g.name.value, document_of[k], g.name.span.line);
      if (!inserted && !g.name.value.empty() && it->second.first != document_of[k]) { // a document's own: its loader's
        core::Diagnostic d =
            core::make_diagnostic("rules/duplicate-group", g.name.span,
                                  "groupname: \"" + g.name.value + "\" is repeated in the same file (first at line " +
                                      std::to_string(it->second.second) + "), which vmalert refuses");
        d.group = g.name.value;
        diags.push_back(std::move(d));
      }
    }
  }
  return file;
}

} // namespace

namespace {
// Whether the Jinja tag at `at` is {% raw %} or {% endraw %} within a line's value, after its
// key: the escape an Ansible role writes around Prometheus's {{ }}, which leaves the file valid YAML
// and a valid rule file as it is (redhat-nfvpe's telemetry demo applies it so, review47). Whether
// Jinja renders it first is the deployment's knowledge; the rest of the file is linted either way.
// A raw block's own line (`{% raw %}` first on it) is no YAML: the file is the template then.
bool raw_in_value(std::string_view text, std::size_t at) {
  const std::size_t line = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;
  if (text.find_first_not_of(" \t-", line) == at) return false;
  std::string_view tag = text.substr(at + 2, text.find("%}", at + 2) - at - 2);
  tag = util::trim(tag.substr(tag.starts_with('-') ? 1 : 0));
  if (tag.ends_with('-')) tag = util::trim(tag.substr(0, tag.size() - 1));
  return tag == "raw" || tag == "endraw";
}

// Whether `{%` at `at` opens a Jinja statement: a keyword (if, for, set, endif, raw...) after
// an optional - or + and blanks, and its `%}` on the line. Not the same two bytes in a value:
// an Apache log format's `%{%D-%H:%M:%S}t` in an OpenShift Template's config map.
bool jinja_tag(std::string_view text, std::size_t at) {
  std::size_t i = at + 2;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] < 'a' || text[i] > 'z') return false;
  const std::size_t close = text.find("%}", i), eol = text.find('\n', i);
  return close != std::string_view::npos && close < eol;
}

// The source of a rule file rather than the file: a Helm chart's template, a BOSH release's ERB,
// an Ansible role's Jinja. Their tags are neither YAML nor Prometheus's, and each would be a
// syntax, duration or template error of its own (cloudfoundry's prometheus-boshrelease: 448
// findings in 32 files). The engine and where its first tag starts, outside comment lines.
// Prometheus's own templates never read .Values or .Release, nor use <% or {%.
std::optional<std::pair<std::string_view, std::size_t>> template_source(std::string_view text, bool jinja_name) {
  static constexpr std::string_view kHelm[] = {".Values.", ".Release.",  ".Chart.", ".Capabilities.",
                                               ".Files.",  "include \"", "toYaml",  "nindent"};
  constexpr std::size_t npos = std::string_view::npos;
  auto comment_line = [&](std::size_t at) {
    const std::size_t first = text.find_first_not_of(" \t", at == 0 ? 0 : text.rfind('\n', at - 1) + 1);
    return first < at && text[first] == '#';
  };
  // Every tag starts at a '<' or a '{', which rule files have few of: searched for by memchr,
  // not line by line (that walk cost 6% of lint-rules' instructions on 10,000 rules, callgrind).
  std::optional<std::pair<std::string_view, std::size_t>> first;
  for (std::size_t i = text.find("<%"); i != npos && !first; i = text.find("<%", i + 2))
    if (i + 2 < text.size() && std::string_view("=-# ").find(text[i + 2]) != npos && !comment_line(i))
      first = std::pair{std::string_view("ERB"), i};
  for (std::size_t i = text.find('{'); i != npos && i + 1 < text.size(); i = text.find('{', i + 2)) {
    if (first && first->second < i) break;
    if (text[i + 1] == '%' && jinja_tag(text, i) && !comment_line(i) && (jinja_name || !raw_in_value(text, i)))
      return std::pair{std::string_view("Jinja"), i};
    if (text[i + 1] != '{') continue;
    const std::size_t close = std::min(text.find("}}", i + 2), text.find('\n', i + 2));
    const std::string_view action = text.substr(i, close == npos ? npos : close - i);
    for (std::string_view marker : kHelm)
      if (action.find(marker) != npos && !comment_line(i)) return std::pair{std::string_view("Helm"), i};
  }
  return first;
}

// The tag at `at`: to its closing }}, %> or %} on its line, at most 60 bytes.
std::string_view tag_at(std::string_view text, std::size_t at) {
  const std::string_view line = text.substr(at, text.find('\n', at) - at);
  std::size_t close = std::min({line.find("}}"), line.find("%>"), line.find("%}")});
  close = close == std::string_view::npos ? line.size() : close + 2;
  return line.substr(0, std::min<std::size_t>(close, 60));
}
} // namespace

RuleFile load_rule_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, const LoadOptions& options) {
  // A .j2 (Ansible's convention for its template module) is rendered: its raw escapes are tags.
  const std::string_view path = src.path();
  const bool jinja_name = path.ends_with(".j2") || path.ends_with(".jinja") || path.ends_with(".jinja2");
  if (auto source = template_source(src.text(), jinja_name)) {
    const auto [engine, at] = *source;
    const std::string_view tag = tag_at(src.text(), at);
    diags.push_back(core::make_diagnostic(
        "yaml/template-source", core::span_at(src, at, at + tag.size()),
        util::concat({engine == "ERB" ? "the file is an " : "the file is a ", engine,
                      " template of a rule file, not one: Prometheus loads what ", engine,
                      " renders from it, and reads none of its tags (", tag, "); not linted"}),
        std::string(engine == "Helm"  ? "lint the rendered file: helm template CHART | nsmon lint-rules -"
                    : engine == "ERB" ? "lint the rendered file (bosh interpolate, or the job's rendered config)"
                                      : "lint the rendered file (ansible's template module output)")));
    RuleFile file{.path = std::string(src.path()), .source = &src};
    // `# nsmon disable yaml/template-source` before the content, or on the tag's line.
    const int tag_line = diags.back().span.line;
    for (auto& c : read_disable_comments(src, diags))
      if (c.before_content || c.line == tag_line) file.disabled.insert(c.ids.begin(), c.ids.end());
    return file;
  }
  RuleFile file = read_documents(src, diags, options);
  if (options.schema == Schema::automatic) other_rulers(file, diags);
  return file;
}

} // namespace nsmon::rules
