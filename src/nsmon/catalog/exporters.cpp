#include "nsmon/catalog/exporters.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

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
  // A name of the prefix that no release served is not the exporter's: another program's
  // (kube-scheduler's kube_pod_resource_limit), a recording rule's (sapcc's
  // kube_pod_status_ready_normalized) or a misspelling, whose labels are not the family's.
  if (!best) return nullptr;
  const auto& served = best->exporter->served.sorted;
  return served.empty() || std::binary_search(served.begin(), served.end(), series) ? best : nullptr;
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

const std::pair<std::string, std::string>* Exporters::attempt_date(std::string_view series, const Exporter** by) const {
  for (const Exporter& e : exporters)
    for (const auto& d : e.gauges.attempt_dates)
      if (d.first == series) {
        if (by) *by = &e;
        return &d;
      }
  return nullptr;
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

bool Exporters::is_day(std::string_view s) { return parse_day(s).has_value(); }

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

} // namespace nsmon::catalog
