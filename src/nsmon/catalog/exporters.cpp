#include "nsmon/catalog/exporters.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "nsmon/core/error.hpp"
#include "nsmon/core/yaml.hpp"

namespace nsmon::embedded {
extern const std::string_view exporters_yml;
}

namespace nsmon::catalog {

const ExporterLabel* ExporterMetric::label(std::string_view n) const {
  auto it = std::find_if(labels.begin(), labels.end(), [&](const ExporterLabel& l) { return l.name == n; });
  return it == labels.end() ? nullptr : &*it;
}

const ExporterMetric* Exporters::find(std::string_view series) const {
  auto it = by_name_.find(series);
  return it == by_name_.end() ? nullptr : it->second;
}

const ExporterFamily* Exporters::family(std::string_view series) const {
  const ExporterFamily* best = nullptr;
  for (const auto& e : exporters)
    for (const auto& f : e.families)
      if (util::starts_with(series, f.prefix) && (!best || f.prefix.size() > best->prefix.size())) best = &f;
  return best;
}

namespace {
// The words of a name, split at '_'.
std::vector<std::string_view> words_of(std::string_view name) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = name.find('_', start);
    out.push_back(name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}
// The words of a name, sorted and joined by '_': two names of the same words in another order
// have the same key.
std::string words_key(std::string_view name) {
  std::vector<std::string_view> out = words_of(name);
  std::sort(out.begin(), out.end());
  std::string key;
  for (const auto w : out) key.append(w).push_back('_');
  return key;
}
// Whether `series`, one letter changed from the served `near`, names another thing rather than a
// slip: the letter turns a short word into another (gpu for cpu: node_gpu_info is another
// program's, not node_cpu_info) or a word into one the exporter's names use elsewhere (stats for
// state). Only a letter changed: one added, left out or two swapped makes no other word so.
bool another_word(std::string_view series, std::string_view near, const std::vector<std::string>& served) {
  if (series.size() != near.size()) return false;
  std::size_t i = 0;
  while (i < series.size() && series[i] == near[i]) ++i;
  if (i == series.size() || series.substr(i + 1) != near.substr(i + 1)) return false; // equal, or swapped
  if (series[i] == '_' || near[i] == '_') return false;
  const std::size_t start = series.rfind('_', i) + 1; // npos + 1 is 0
  const std::size_t end = std::min(series.find('_', i), series.size());
  const std::string_view word = series.substr(start, end - start);
  if (word.size() <= 4) return true;
  for (const auto& n : served)
    for (std::size_t at = n.find(word); at != std::string::npos; at = n.find(word, at + 1))
      if ((at == 0 || n[at - 1] == '_') && (at + word.size() == n.size() || n[at + word.size()] == '_')) return true;
  return false;
}
} // namespace

const ExporterServed::Near& ExporterServed::near() const {
  std::call_once(lazy_->once, [&] {
    Near& n = lazy_->near;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const std::string& name = sorted[i];
      if (n.by_length.size() <= name.size()) n.by_length.resize(name.size() + 1);
      n.by_length[name.size()].push_back(i);
      n.by_words.emplace(words_key(name), i);
    }
  });
  return lazy_->near;
}

bool ExporterServed::serves(std::string_view name) const {
  return std::binary_search(sorted.begin(), sorted.end(), name) ||
         std::binary_search(other_names.begin(), other_names.end(), name);
}

Exporters::Misspelt Exporters::misspelt(std::string_view series) const {
  const Exporter* e = by_prefix(series);
  // A name with a colon is a recording rule's, never an exporter's.
  if (!e || e->served.sorted.empty() || series.find(':') != std::string_view::npos || e->served.serves(series) ||
      all_names_.count(series))
    return {};
  for (const auto* prefixes : {&e->served.user_prefixes, &e->served.open_prefixes})
    for (const auto& p : *prefixes)
      if (util::starts_with(series, p)) return {};
  // The first served name (in sorted order) that is one insertion, deletion or substitution away,
  // or two neighbouring letters swapped (series is not one of them: served names return above)...
  const auto& sv = e->served;
  const ExporterServed::Near& index = sv.near();
  std::optional<std::size_t> near;
  for (std::size_t n = series.empty() ? 0 : series.size() - 1; n <= series.size() + 1 && n < index.by_length.size();
       ++n)
    for (const std::size_t i : index.by_length[n])
      if (util::edit_distance(series, sv.sorted[i], 1) == 1 && !another_word(series, sv.sorted[i], sv.sorted)) {
        if (!near || i < *near) near = i;
        break;
      }
  // ... or the same words in another order.
  const auto w = index.by_words.find(words_key(series));
  if (near && (w == index.by_words.end() || *near <= w->second)) return {e, sv.sorted[*near], "one letter away"};
  if (w != index.by_words.end()) return {e, sv.sorted[w->second], "the same words in another order"};
  if (Misspelt m = unit_slip(*e, series); m.exporter) return m;
  return word_slip(*e, series);
}

// A served name with one word changed, a long name's only, under a prefix no other program names
// its own series under (`word_slips`): etcd's own alert read
// etcd_network_member_round_trip_time_seconds_bucket, where every etcd release serves
// etcd_network_peer_round_trip_time_seconds_bucket (etcd 13a8634). The first word (the prefix)
// and the last (the series' kind: _total, _bucket, _count) must agree, and so must five words in
// all: in a short name one word is a large part of the meaning. Under a shared prefix a word
// changed is as likely another program's name (volcano's kube_pod_volcano_container_*).
Exporters::Misspelt Exporters::word_slip(const Exporter& e, std::string_view series) {
  constexpr std::size_t kSameWords = 5;
  const std::vector<std::string_view> words = words_of(series);
  if (e.served.word_slips.empty() || words.size() < kSameWords + 1) return {};
  for (const auto& name : e.served.sorted) {
    const std::vector<std::string_view> near = words_of(name);
    if (near.size() != words.size() || near.front() != words.front() || near.back() != words.back()) continue;
    std::size_t changed = 0, at = 0;
    for (std::size_t i = 1; i + 1 < words.size(); ++i)
      if (words[i] != near[i]) ++changed, at = i;
    if (changed == 1) return {&e, name, util::concat({"the same name with ", near[at], " for ", words[at]})};
  }
  return {};
}

// A served name with a base unit's suffix added or left out, before the suffix a counter's or a
// histogram's series takes (kubermatic 40d264b read node_filesystem_readonly_bytes, where
// node_exporter serves the flag node_filesystem_readonly), or _timestamp_seconds, a Unix time's
// unit (machine-api-operator d83dfa8 read mapi_machine_created, where the operator serves
// mapi_machine_created_timestamp_seconds). _total and _info added are no slip: an OpenMetrics scrape
// adds them to a counter's or an info's name that lacks them. _total left off is: no scrape takes it
// off a name that has it (node_cpu_seconds, where node_exporter serves node_cpu_seconds_total).
Exporters::Misspelt Exporters::unit_slip(const Exporter& e, std::string_view series) {
  static const std::vector<std::string_view> units = [] {
    std::vector<std::string_view> u(std::begin(kBaseUnitSuffixes), std::end(kBaseUnitSuffixes));
    u.push_back("_timestamp_seconds");
    return u;
  }();
  if (!util::ends_with(series, "_total")) {
    std::string near = util::concat({series, "_total"});
    if (std::binary_search(e.served.sorted.begin(), e.served.sorted.end(), near))
      return {&e, std::move(near), "the same name with _total"};
  }
  for (const std::string_view tail : {"", "_total", "_bucket", "_count", "_sum"}) {
    if (!util::ends_with(series, tail)) continue;
    const std::string_view core = series.substr(0, series.size() - tail.size());
    for (const std::string_view unit : units) {
      const bool added = util::ends_with(core, unit);
      const std::string near =
          added ? util::concat({core.substr(0, core.size() - unit.size()), tail}) : util::concat({core, unit, tail});
      // The served list only, as for a letter slip: other_names are never near-names.
      if (std::binary_search(e.served.sorted.begin(), e.served.sorted.end(), near))
        return {&e, near, util::concat({"the same name ", added ? "without " : "with ", unit})};
    }
  }
  return {};
}

const Exporter* Exporters::by_prefix(std::string_view series) const {
  for (const auto& e : exporters)
    if (!e.prefix.empty() && util::starts_with(series, e.prefix)) return &e;
  return nullptr;
}

namespace {
bool listed(const std::vector<std::string>& names, std::string_view series) {
  return std::find(names.begin(), names.end(), series) != names.end();
}

// A pattern has one `*` (checked when the catalog is read): the name starts with the text
// before it and ends with the text after it, and the `*` stands for at least one character.
bool matches_pattern(std::string_view pattern, std::string_view series) {
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return false;
  const std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
  return series.size() > head.size() + tail.size() && series.starts_with(head) && series.ends_with(tail);
}

bool any_pattern(const std::vector<std::string>& patterns, std::string_view series) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return matches_pattern(p, series); });
}
} // namespace

const Exporters::Listed* Exporters::lists(std::string_view series) const {
  auto it = listed_.find(series);
  return it == listed_.end() ? nullptr : &it->second;
}

const Exporter* Exporters::gauge(std::string_view series) const {
  const Listed* l = lists(series);
  for (const auto& e : exporters) {
    if (l && l->gauge == &e) return &e;
    const auto& g = e.gauges;
    if (!util::ends_with(series, "_total") &&
        std::any_of(g.prefixes.begin(), g.prefixes.end(), [&](const std::string& p) { return series.starts_with(p); }))
      return &e;
    if (any_pattern(g.patterns, series)) return &e;
  }
  return nullptr;
}

const ExporterPart* Exporters::part_of(std::string_view part, std::string_view whole) const {
  for (const Exporter& e : exporters)
    for (const ExporterPart& p : e.parts)
      if (p.part == part && p.whole == whole) return &p;
  return nullptr;
}

const Exporter* Exporters::always_one(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->always_one : nullptr;
}

const Exporter* Exporters::timestamp(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->timestamp : nullptr;
}

const Exporter* Exporters::zero_or_one(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->zero_or_one : nullptr;
}

const Exporter* Exporters::counter(std::string_view series) const {
  const Listed* l = lists(series);
  for (const auto& e : exporters)
    if ((l && l->counter == &e) || any_pattern(e.counter_patterns, series)) return &e;
  return nullptr;
}

const Exporter* Exporters::one_in_cluster(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->one_in_cluster : nullptr;
}

const Exporter* Exporters::present_while(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->present_while : nullptr;
}

const Exporter* Exporters::untyped(std::string_view series) const {
  const Listed* l = lists(series);
  return l ? l->untyped : nullptr;
}

const Exporter* Exporters::untyped_level(std::string_view metric, std::string_view label,
                                         std::string_view value) const {
  for (const auto& e : exporters)
    for (const auto& l : e.gauges.untyped_by_label)
      if (l.metric == metric && l.label == label && listed(l.values, value)) return &e;
  return nullptr;
}

const Exporter* Exporters::busy(std::string_view series) const {
  for (const auto& e : exporters)
    if (listed(e.busy.names, series)) return &e;
  return nullptr;
}

const ExporterWhole* Exporters::adds_up(std::string_view series) const {
  for (const auto& e : exporters)
    if (listed(e.adds_up.names, series)) return &e.adds_up;
  return nullptr;
}

const Exporter* Exporters::by_job(std::string_view job) const {
  for (const auto& e : exporters)
    if (std::find(e.jobs.begin(), e.jobs.end(), job) != e.jobs.end()) return &e;
  return nullptr;
}

namespace {

// A date written "YYYY-MM-DD": year, month, day.
std::optional<std::array<int, 3>> parse_day(std::string_view s) {
  std::array<int, 3> ymd{};
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (auto [i, from, len] : {std::array<std::size_t, 3>{0, 0, 4}, {1, 5, 2}, {2, 8, 2}}) {
    const char* b = s.data() + from;
    auto [end, ec] = std::from_chars(b, b + len, ymd[i]);
    if (ec != std::errc() || end != b + len) return std::nullopt;
  }
  if (ymd[1] < 1 || ymd[1] > 12 || ymd[2] < 1 || ymd[2] > 31) return std::nullopt;
  return ymd;
}

} // namespace

int Exporters::rename_age(const Exporter& e) const { return age(e.renamed.released); }

int Exporters::age(std::string_view date) const {
  auto from = parse_day(date);
  auto to = parse_day(renames_as_of);
  if (!from || !to || *to < *from) return -1;
  const bool before_anniversary = std::pair((*to)[1], (*to)[2]) < std::pair((*from)[1], (*from)[2]);
  return (*to)[0] - (*from)[0] - (before_anniversary ? 1 : 0);
}

// A renamed prefix maps every name under it, but only a name some release served was renamed: a
// misspelt wmi_ name is misspelt-metric's, and wmi_os_processes_max, which windows_exporter dropped
// before 0.13.0 renamed the prefix, has no windows_os_processes_max to be read now.
bool Exporters::never_served(std::string_view series) const {
  const Exporter* e = by_prefix(series);
  return e && !e->served.sorted.empty() && !e->served.serves(series);
}

Exporters::Rename Exporters::renamed(std::string_view series) const {
  if (auto it = old_names_.find(series); it != old_names_.end()) return it->second;
  for (const auto& e : exporters)
    for (const auto& [old, now] : e.renamed.prefixes)
      if (series.starts_with(old)) {
        std::string name = now + std::string(series.substr(old.size()));
        if (never_served(series) || never_served(name)) return {};
        return {&e, std::move(name)};
      }
  return {};
}

std::vector<Exporters::Rename> Exporters::renames(std::string_view series) const {
  std::vector<Rename> chain;
  for (Rename r = renamed(series); r.exporter; r = renamed(r.now)) {
    // Each release renames once: a release met again is a loop in the catalog, not a step.
    if (std::any_of(chain.begin(), chain.end(), [&](const Rename& c) { return c.exporter == r.exporter; })) break;
    chain.push_back(r);
    if (r.now.find('{') != std::string::npos) break; // a merged metric's matchers: no name to follow
  }
  return chain;
}

Exporters::Replacement Exporters::replacement(std::string_view series) const {
  if (auto it = new_names_.find(series); it != new_names_.end()) return it->second;
  for (const auto& e : exporters)
    for (const auto& [old, now] : e.renamed.prefixes)
      if (series.starts_with(now) && !never_served(series) &&
          !never_served(old + std::string(series.substr(now.size()))))
        return {&e, true};
  return {};
}

bool Exporters::in_renames(std::string_view series) const {
  if (all_names_.find(series) != all_names_.end()) return true;
  return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const std::string& p) { return series.starts_with(p); });
}

void Exporters::reindex() {
  listed_.clear();
  for (const auto& e : exporters) {
    auto mark = [&](const std::vector<std::string>& names, auto... kinds) {
      for (const auto& n : names) {
        Listed& l = listed_[n];
        for (const Exporter** k : {&(l.*kinds)...})
          if (!*k) *k = &e;
      }
    };
    const auto& g = e.gauges;
    mark(g.names, &Listed::gauge);
    mark(g.always_one, &Listed::gauge, &Listed::always_one);
    mark(g.timestamps, &Listed::gauge, &Listed::timestamp);
    mark(g.zero_or_one, &Listed::gauge, &Listed::zero_or_one);
    mark(g.untyped, &Listed::gauge, &Listed::untyped);
    mark(g.one_in_cluster, &Listed::gauge, &Listed::one_in_cluster);
    mark(g.present_while, &Listed::gauge, &Listed::present_while);
    mark(e.counters, &Listed::counter);
    mark(e.counters_untyped, &Listed::counter);
  }
  by_name_.clear();
  old_names_.clear();
  new_names_.clear();
  all_names_.clear();
  prefixes_.clear();
  for (auto& e : exporters) {
    for (const auto& [old, now] : e.renamed.names) {
      old_names_.emplace(old, Rename{&e, now});
      const std::string name = now.substr(0, now.find('{'));
      const auto& older = e.renamed.older_too;
      new_names_.emplace(name, Replacement{&e, std::find(older.begin(), older.end(), name) == older.end()});
      all_names_.insert(old);
      all_names_.insert(name);
    }
    for (const auto& [old, now] : e.renamed.prefixes) {
      prefixes_.push_back(old);
      prefixes_.push_back(now);
    }
    e.labels.clear();
    for (const auto& m : e.metrics) {
      by_name_.emplace(m.name, &m);
      for (const auto& l : m.labels)
        if (l.target_label_too.empty()) e.labels.push_back(l.name);
    }
    std::sort(e.labels.begin(), e.labels.end());
    e.labels.erase(std::unique(e.labels.begin(), e.labels.end()), e.labels.end());
  }
}

namespace {

// Reads the file nsmon itself ships (never a user's): a problem is a build defect that the unit
// tests catch, reported with its place like the catalog's.
class Loader {
public:
  Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) : y_(src, diags) {}

  Exporters run() {
    Exporters out;
    auto root = y_.parse();
    if (!root) return out;
    if (!root->is_map() || !(*root)["exporters"].is_sequence()) {
      y_.report(*root, "catalog/structure", "exporters.yml must be a mapping with an 'exporters' list");
      return out;
    }
    y_.check_mapping(*root, {"renames_as_of", "exporters"}, "exporters.yml");
    if ((*root)["renames_as_of"]) out.renames_as_of = date((*root)["renames_as_of"], "renames_as_of");
    for (const auto& n : (*root)["exporters"]) {
      if (!y_.check_mapping(n,
                            {"name", "source", "license", "version", "history", "read", "prefix", "jobs", "one_target",
                             "closed", "metrics", "renamed", "gauges", "families", "served", "parts", "counters",
                             "busy", "adds_up"},
                            "an exporter"))
        continue;
      require(n, {"name", "source", "license", "version"}, "an exporter");
      Exporter& e = out.exporters.emplace_back();
      if (n["name"]) e.name = y_.string(n["name"], "name").value_or("");
      if (n["source"]) e.source = y_.string(n["source"], "source").value_or("");
      if (n["version"]) e.version = y_.string(n["version"], "version").value_or("");
      if (n["closed"]) e.closed = y_.boolean(n["closed"], "closed").value_or(false);
      if (n["renamed"]) renamed(n["renamed"], e.renamed);
      if (n["gauges"]) gauges(n["gauges"], e.gauges);
      if (n["prefix"]) e.prefix = y_.string(n["prefix"], "prefix").value_or("");
      if (n["jobs"]) e.jobs = y_.strings(n["jobs"], "jobs").value_or(std::vector<std::string>{});
      if (n["one_target"]) e.one_target = y_.string(n["one_target"], "one_target").value_or("");
      if (n["families"]) families(n["families"], e);
      if (n["served"]) served(n["served"], e.served);
      if (n["parts"]) parts(n["parts"], e.parts);
      if (n["counters"]) counters(n["counters"], e);
      if (n["busy"]) busy(n["busy"], e.busy);
      if (n["adds_up"]) adds_up(n["adds_up"], e.adds_up);
      if (!n["metrics"].is_map()) {
        y_.report(n, "catalog/structure", "an exporter needs a 'metrics' mapping");
        continue;
      }
      for (auto it = n["metrics"].begin(); it != n["metrics"].end(); ++it) {
        ExporterMetric& m = e.metrics.emplace_back();
        m.name = std::string(it->first.scalar());
        m.exporter = &e;
        labels(it->second, m);
      }
    }
    out.reindex();
    return out;
  }

private:
  // Each of `keys` that `n` (`what`: "an exporter", "busy") lacks, reported.
  void require(const yaml::Node& n, std::initializer_list<const char*> keys, const std::string& what) {
    for (const char* key : keys)
      if (!n[key]) y_.report(n, "catalog/missing-field", what + " has no '" + key + "'");
  }

  void renamed(const yaml::Node& n, ExporterRenames& r) {
    if (!y_.check_mapping(n, {"since", "released", "read", "names", "prefixes", "older_too"}, "renamed")) return;
    if (n["since"]) r.since = y_.string(n["since"], "since").value_or("");
    if (n["released"]) r.released = date(n["released"], "released");
    else y_.report(n, "catalog/missing-field", "renamed has no 'released' (the date of the release that renamed them)");
    if (n["older_too"]) r.older_too = y_.strings(n["older_too"], "older_too").value_or(std::vector<std::string>{});
    for (const char* key : {"names", "prefixes"}) {
      const yaml::Node m = n[key];
      if (!m) continue;
      if (!m.is_map()) {
        y_.report(m, "yaml/type", std::string(key) + " must map each old name to its replacement");
        continue;
      }
      auto& to = std::string_view(key) == "names" ? r.names : r.prefixes;
      for (auto it = m.begin(); it != m.end(); ++it)
        to.emplace_back(std::string(it->first.scalar()), y_.string(it->second, key).value_or(""));
    }
  }

  std::string date(const yaml::Node& n, const char* what) {
    std::string s = y_.string(n, what).value_or("");
    if (!parse_day(s)) y_.report(n, "catalog/structure", std::string(what) + " must be a date, YYYY-MM-DD");
    return s;
  }

  void families(const yaml::Node& n, Exporter& e) {
    if (!y_.check_mapping(n, {"read", "prefixes", "apart", "pins"}, "families")) return;
    if (!n["read"]) y_.report(n, "catalog/missing-field", "families has no 'read' (where the labels come from)");
    const yaml::Node p = n["prefixes"];
    if (!p.is_map()) {
      y_.report(n, "catalog/structure", "families needs a 'prefixes' mapping of name prefix to its labels");
      return;
    }
    for (auto it = p.begin(); it != p.end(); ++it) {
      ExporterFamily& f = e.families.emplace_back();
      f.exporter = &e;
      f.prefix = std::string(it->first.scalar());
      f.labels = y_.strings(it->second, "labels").value_or(std::vector<std::string>{});
    }
    if (const yaml::Node a = n["apart"]) apart(a, e);
    if (const yaml::Node a = n["pins"]) pins(a, e);
  }

  // pins: {prefix: [[label, ...], ...]}, for a prefix with apart labels.
  void pins(const yaml::Node& n, Exporter& e) {
    if (!n.is_map()) {
      y_.report(n, "catalog/structure", "pins needs a mapping of name prefix to a list of label lists");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string_view prefix = it->first.scalar();
      auto f = std::find_if(e.families.begin(), e.families.end(), [&](const auto& x) { return x.prefix == prefix; });
      if (f == e.families.end() || f->apart.empty() || !it->second.is_sequence()) {
        y_.report(it->first, "catalog/structure", "pins' prefixes must be apart's too, each a list of label lists");
        continue;
      }
      for (std::size_t i = 0; i < it->second.size(); ++i)
        if (auto labels = y_.strings(it->second.at(i), "pins"); labels && !labels->empty())
          f->pins.push_back(std::move(*labels));
    }
  }

  // apart: {prefix: {label: what each series of the label is}}, for a prefix and its labels
  // listed under prefixes.
  void apart(const yaml::Node& n, Exporter& e) {
    if (!n.is_map()) {
      y_.report(n, "catalog/structure", "apart needs a mapping of name prefix to {label: what its series are}");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string_view prefix = it->first.scalar();
      auto f = std::find_if(e.families.begin(), e.families.end(), [&](const auto& x) { return x.prefix == prefix; });
      if (f == e.families.end() || !it->second.is_map()) {
        y_.report(it->first, "catalog/structure",
                  "apart's prefixes must be prefixes' too, each a {label: what} mapping");
        continue;
      }
      for (auto l = it->second.begin(); l != it->second.end(); ++l) {
        std::string label(l->first.scalar());
        if (std::find(f->labels.begin(), f->labels.end(), label) == f->labels.end())
          y_.report(l->first, "catalog/structure", "apart's " + label + " is not one of its prefix's labels");
        else f->apart.emplace_back(std::move(label), y_.string(l->second, "apart").value_or(""));
      }
    }
  }

  void served(const yaml::Node& n, ExporterServed& s) {
    if (!y_.check_mapping(
            n, {"read", "versions", "names", "user_prefixes", "open_prefixes", "others", "other_names", "word_slips"},
            "served"))
      return;
    require(n, {"read", "versions", "names"}, "served");
    if (n["versions"]) s.versions = y_.string(n["versions"], "versions").value_or("");
    if (n["names"]) s.sorted = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    std::sort(s.sorted.begin(), s.sorted.end());
    if (n["other_names"])
      s.other_names = y_.strings(n["other_names"], "other_names").value_or(std::vector<std::string>{});
    std::sort(s.other_names.begin(), s.other_names.end());
    if (n["user_prefixes"])
      s.user_prefixes = y_.strings(n["user_prefixes"], "user_prefixes").value_or(std::vector<std::string>{});
    if (n["open_prefixes"])
      s.open_prefixes = y_.strings(n["open_prefixes"], "open_prefixes").value_or(std::vector<std::string>{});
    if (n["word_slips"]) s.word_slips = y_.string(n["word_slips"], "word_slips").value_or("");
  }

  void parts(const yaml::Node& n, std::vector<ExporterPart>& out) {
    if (!y_.check_mapping(n, {"read", "pairs"}, "parts")) return;
    if (!n["read"]) y_.report(n, "catalog/missing-field", "parts has no 'read' (where the facts come from)");
    if (!n["pairs"].is_sequence()) {
      y_.report(n, "catalog/structure", "parts needs a 'pairs' list");
      return;
    }
    for (const auto& p : n["pairs"]) {
      if (!y_.check_mapping(p, {"part", "whole", "how", "zero_whole", "negative", "prefixes"}, "a part")) continue;
      ExporterPart x;
      for (auto [key, field] : {std::pair{"part", &x.part}, {"whole", &x.whole}, {"how", &x.how}}) {
        if (!p[key]) y_.report(p, "catalog/missing-field", std::string("a part has no '") + key + "'");
        else *field = y_.string(p[key], key).value_or("");
      }
      if (p["zero_whole"]) x.zero_whole = y_.string(p["zero_whole"], "zero_whole").value_or("");
      if (p["negative"]) x.negative = y_.string(p["negative"], "negative").value_or("");
      if (!p["prefixes"]) {
        out.push_back(std::move(x));
        continue;
      }
      // One provider's two counters, which the program registers under a prefix per user of it
      // (Thanos's DNS provider: thanos_query_store_apis_dns_failures_total and ..._lookups_total).
      for (const std::string& prefix : y_.strings(p["prefixes"], "prefixes").value_or(std::vector<std::string>{})) {
        ExporterPart& named = out.emplace_back(x);
        named.part = prefix + x.part, named.whole = prefix + x.whole;
      }
    }
  }

  void counters(const yaml::Node& n, Exporter& e) {
    if (!y_.check_mapping(n, {"read", "names", "patterns", "untyped", "untyped_from", "since", "until"}, "counters"))
      return;
    if (n["since"].is_defined() != n["until"].is_defined())
      y_.report(n, "catalog/missing-field",
                "counters has 'since' or 'until' without the other (when counting starts anew)");
    if (n["since"]) e.counters_since = y_.string(n["since"], "since").value_or(e.counters_since);
    if (n["until"]) e.counters_until = y_.string(n["until"], "until").value_or(e.counters_until);
    if (!n["read"]) y_.report(n, "catalog/missing-field", "counters has no 'read' (where the types come from)");
    if (n["names"]) e.counters = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    if (n["patterns"]) e.counter_patterns = patterns(n["patterns"]);
    if (n["untyped"]) e.counters_untyped = y_.strings(n["untyped"], "untyped").value_or(std::vector<std::string>{});
    if (n["untyped"] && !n["untyped_from"])
      y_.report(n, "catalog/missing-field", "counters has untyped counts but no 'untyped_from' (what they come from)");
    if (n["untyped_from"]) e.counters_untyped_from = y_.string(n["untyped_from"], "untyped_from").value_or("");
  }

  void busy(const yaml::Node& n, ExporterBusy& b) {
    if (!y_.check_mapping(n, {"read", "why", "names", "labels", "label", "values"}, "busy")) return;
    require(n, {"read", "why", "names", "labels", "label", "values"}, "busy");
    if (n["names"]) b.names = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    if (n["labels"]) b.labels = y_.strings(n["labels"], "labels").value_or(std::vector<std::string>{});
    if (n["label"]) b.label = y_.string(n["label"], "label").value_or("");
    if (n["values"]) b.values = y_.strings(n["values"], "values").value_or(std::vector<std::string>{});
  }

  void adds_up(const yaml::Node& n, ExporterWhole& w) {
    if (!y_.check_mapping(n, {"read", "why", "names", "label", "how"}, "adds_up")) return;
    require(n, {"read", "why", "names", "label", "how"}, "adds_up");
    if (n["names"]) w.names = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    if (n["label"]) w.label = y_.string(n["label"], "label").value_or("");
    if (n["how"]) w.how = y_.string(n["how"], "how").value_or("");
  }

  // Name patterns: each has exactly one `*`, which stands for the rest of the name.
  std::vector<std::string> patterns(const yaml::Node& n) {
    std::vector<std::string> out = y_.strings(n, "patterns").value_or(std::vector<std::string>{});
    for (const std::string& p : out)
      if (std::count(p.begin(), p.end(), '*') != 1)
        y_.report(n, "catalog/structure", "pattern '" + p + "' must have exactly one '*'");
    std::erase_if(out, [](const std::string& p) { return std::count(p.begin(), p.end(), '*') != 1; });
    return out;
  }

  void gauges(const yaml::Node& n, ExporterGauges& g) {
    if (!y_.check_mapping(n,
                          {"read", "names", "prefixes", "patterns", "always_one", "zero_or_one", "untyped",
                           "untyped_by_label", "untyped_from", "timestamps", "one_in_cluster", "present_while"},
                          "gauges"))
      return;
    if (!n["read"]) y_.report(n, "catalog/missing-field", "gauges has no 'read' (where the types come from)");
    if (n["names"]) g.names = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    if (n["prefixes"]) g.prefixes = y_.strings(n["prefixes"], "prefixes").value_or(std::vector<std::string>{});
    if (n["patterns"]) g.patterns = patterns(n["patterns"]);
    if (n["always_one"]) g.always_one = y_.strings(n["always_one"], "always_one").value_or(std::vector<std::string>{});
    if (n["zero_or_one"])
      g.zero_or_one = y_.strings(n["zero_or_one"], "zero_or_one").value_or(std::vector<std::string>{});
    if (n["untyped"]) g.untyped = y_.strings(n["untyped"], "untyped").value_or(std::vector<std::string>{});
    if (n["timestamps"]) g.timestamps = y_.strings(n["timestamps"], "timestamps").value_or(std::vector<std::string>{});
    if (n["one_in_cluster"])
      g.one_in_cluster = y_.strings(n["one_in_cluster"], "one_in_cluster").value_or(std::vector<std::string>{});
    if (n["present_while"])
      g.present_while = y_.strings(n["present_while"], "present_while").value_or(std::vector<std::string>{});
    if (auto by = n["untyped_by_label"]) {
      if (!by.is_sequence()) y_.report(by, "yaml/type", "untyped_by_label must be a list of {metric, label, values}");
      for (std::size_t i = 0; by.is_sequence() && i < by.size(); ++i) {
        const yaml::Node item = by.at(i);
        if (!y_.check_mapping(item, {"metric", "label", "values"}, "untyped_by_label")) continue;
        if (!item["metric"] || !item["label"] || !item["values"]) {
          y_.report(item, "catalog/missing-field", "untyped_by_label needs 'metric', 'label' and 'values'");
          continue;
        }
        g.untyped_by_label.push_back({y_.string(item["metric"], "metric").value_or(""),
                                      y_.string(item["label"], "label").value_or(""),
                                      y_.strings(item["values"], "values").value_or(std::vector<std::string>{})});
      }
    }
    if ((n["untyped"] || n["untyped_by_label"]) && !n["untyped_from"])
      y_.report(n, "catalog/missing-field", "gauges has untyped levels but no 'untyped_from' (what they come from)");
    if (n["untyped_from"]) g.untyped_from = y_.string(n["untyped_from"], "untyped_from").value_or("");
  }

  void labels(const yaml::Node& n, ExporterMetric& m) {
    if (!n.is_map()) {
      y_.report(n, "yaml/type", "a metric's labels must be a mapping of label name to its facts");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      ExporterLabel& l = m.labels.emplace_back();
      l.name = std::string(it->first.scalar());
      yaml::Node spec = it->second; // a copy: the iterator hands out a temporary
      if (!y_.check_mapping(
              spec, {"values", "numbers", "since", "maybe", "target_label_too", "one_hot", "every_object", "outcome"},
              "label " + l.name))
        continue;
      if (auto v = spec["values"]) l.values = y_.strings(v, "values").value_or(std::vector<std::string>{});
      if (auto d = spec["numbers"]) l.numbers = y_.string(d, "numbers").value_or("");
      if (auto s = spec["since"]) l.since = y_.string(s, "since").value_or("");
      if (auto w = spec["maybe"]) l.maybe = y_.string(w, "maybe").value_or("");
      if (auto t = spec["target_label_too"]) l.target_label_too = y_.string(t, "target_label_too").value_or("");
      if (auto h = spec["one_hot"]) l.one_hot = y_.boolean(h, "one_hot").value_or(false);
      if (auto o = spec["every_object"]) l.every_object = y_.string(o, "every_object").value_or("");
      if (auto o = spec["outcome"]) l.outcome = y_.string(o, "outcome").value_or("");
    }
  }

  core::YamlReader y_;
};

} // namespace

Exporters load_exporters(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  return Loader(src, diags).run();
}

const Exporters& exporters() {
  static const Exporters known = [] {
    core::SourceFile src("<embedded exporters.yml>", std::string(embedded::exporters_yml));
    std::vector<core::Diagnostic> diags;
    Exporters e = load_exporters(src, diags);
    if (!diags.empty())
      throw Error("the embedded exporters.yml is invalid: line " + std::to_string(diags.front().span.line) + ": " +
                  diags.front().message);
    return e;
  }();
  return known;
}

} // namespace nsmon::catalog
