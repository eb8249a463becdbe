#include "nsmon/lint/target_labels.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

// The names a regex matches when it is a plain alternation of names (`a|b`, `(a|b)`, `(?:a)`):
// what a labeldrop or labelkeep removes or keeps among labels that are not listed one by one.
std::optional<std::vector<std::string>> literal_names(std::string re) {
  if (util::starts_with(re, "(?:") && util::ends_with(re, ")")) re = re.substr(3, re.size() - 4);
  else if (util::starts_with(re, "(") && util::ends_with(re, ")")) re = re.substr(1, re.size() - 2);
  std::vector<std::string> out(1);
  for (char c : re) {
    if (c == '|') out.emplace_back();
    else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') out.back() += c;
    else return std::nullopt;
  }
  for (const auto& n : out)
    if (n.empty()) return std::nullopt;
  return out;
}

bool internal(const std::string& name) { return util::starts_with(name, "__"); }

std::string where(const rules::RelabelRule& r, const std::string& list) {
  return list + " (" + r.action + " at " + r.span.file.str() + ":" + std::to_string(r.span.line) + ":" +
         std::to_string(r.span.col) + ")";
}

} // namespace

Presence LabelFacts::presence(const std::string& name) const {
  if (auto it = named.find(name); it != named.end()) return it->second;
  return open ? Presence::maybe : Presence::absent;
}

void LabelFacts::set(const std::string& name, Presence p) {
  named[name] = p;
  if (p != Presence::absent) dropped.erase(name);
}

// A rule that may write any label name: nothing is proved absent any more.
void LabelFacts::open_all() {
  for (auto& [name, p] : named)
    if (p == Presence::absent) p = Presence::maybe;
  dropped.clear();
  open = true;
}

void LabelFacts::apply(const rules::RelabelRule& r, const std::string& list) {
  const std::string& a = r.action;
  const std::string& t = r.target_label;
  if (a == "replace") {
    if (t.find('$') != std::string::npos) return open_all();
    if (t.empty() || internal(t)) return;
    // The target is written only when the regex matches; an empty result deletes it.
    bool always_matches = r.regex == "(.*)" || r.regex == ".*";
    bool literal = r.replacement.find('$') == std::string::npos;
    Presence now = presence(t), next = Presence::maybe;
    if (literal && !r.replacement.empty())
      next = always_matches || now == Presence::present ? Presence::present : Presence::maybe;
    else if (literal) next = always_matches || now == Presence::absent ? Presence::absent : Presence::maybe;
    set(t, next);
  } else if (a == "lowercase" || a == "uppercase") {
    if (!t.empty() && !internal(t)) set(t, Presence::maybe); // the source may be empty
  } else if (a == "hashmod") {
    if (!t.empty() && !internal(t)) set(t, Presence::present);
  } else if (a == "labelmap") {
    if (r.replacement.find('$') != std::string::npos) return open_all();
    if (!internal(r.replacement) && presence(r.replacement) == Presence::absent) set(r.replacement, Presence::maybe);
  } else if (a == "labeldrop" || a == "labelkeep") {
    bool keep = a == "labelkeep";
    for (auto& [name, p] : named)
      if (p != Presence::absent && !internal(name) && r.matches && r.matches(name) != keep) {
        p = Presence::absent;
        dropped[name] = where(r, list);
      }
    if (!open) return;
    // Names not listed: those a plain alternation names are dropped (or become the only ones kept).
    auto names = literal_names(r.regex);
    if (!names) return;
    if (keep) {
      open = false;
      for (const auto& n : *names)
        if (!named.count(n)) named[n] = Presence::maybe;
    } else {
      for (const auto& n : *names)
        if (!named.count(n)) named[n] = Presence::absent, dropped[n] = where(r, list);
    }
  }
  // keep, drop, keepequal, dropequal: whole targets or series, not their labels.
}

TargetLabels::TargetLabels(const catalog::Catalog& cat, const rules::Config* cfg) {
  for (const auto* list : {&cat.metrics, &cat.prometheus_series})
    for (const auto& m : *list)
      for (const auto& l : m.labels) vocabulary_.insert(l.name);
  if (!cfg) {
    // No config: Prometheus always adds job and instance; what else the targets carry is unknown.
    Job j;
    for (const auto& t : cat.target_labels) j.targets.set(t, Presence::present);
    j.targets.open = true;
    jobs_.push_back(std::move(j));
    return;
  }
  for (const auto& sj : cfg->jobs) {
    Job j;
    j.name = sj.name.value;
    j.job = &sj;
    LabelFacts& f = j.targets;
    f.set("job", Presence::present);
    std::map<std::string, std::size_t> seen;
    for (const auto& kv : sj.labels) ++seen[kv.key.value];
    // A static label is on every target when every static_configs entry sets it and nothing is discovered.
    for (const auto& [name, n] : seen)
      f.set(name, n == sj.static_configs && !sj.has_service_discovery ? Presence::present : Presence::maybe);
    f.open = sj.has_service_discovery; // file_sd, http_sd, ...: any label; the others, __meta_*
    for (const auto& r : sj.relabel_configs) {
      f.apply(r, "job " + j.name + "'s relabel_configs");
      // Only a rule that names job rewrites it: a labelmap of pod labels or a ${1} target could in
      // theory produce "job" too, but taking over Prometheus's own job label that way would break
      // every job="..." selector of the setup, so job="x" still selects job_name x there.
      if (r.target_label == "job" || (r.action == "labelmap" && r.replacement == "job")) j.name_kept = false;
    }
    // After relabelling: __* labels go, and instance defaults to the address.
    for (auto it = f.named.begin(); it != f.named.end();) it = internal(it->first) ? f.named.erase(it) : std::next(it);
    f.set("instance", Presence::present);
    jobs_.push_back(std::move(j));
  }
  if (jobs_.empty()) { // a config without jobs scrapes nothing; keep the usual two labels
    Job j;
    for (const auto& t : cat.target_labels) j.targets.set(t, Presence::present);
    jobs_.push_back(std::move(j));
  }
}

std::vector<const TargetLabels::Job*> TargetLabels::jobs_for(const promql::VectorSelector& vs) const {
  std::vector<const Job*> out;
  for (const auto& j : jobs_) {
    bool selected = true;
    for (const auto& m : vs.matchers)
      if (m.name == "job" && j.job && j.name_kept) {
        if (m.op == promql::MatchOp::equal && m.value != j.name) selected = false;
        if (m.op == promql::MatchOp::not_equal && m.value == j.name) selected = false;
      }
    if (selected) out.push_back(&j);
  }
  if (out.empty())
    for (const auto& j : jobs_) out.push_back(&j);
  return out;
}

LabelFacts TargetLabels::scraped(const Job& j, const std::set<std::string>& own) const {
  LabelFacts f = j.targets;
  bool honor = j.job && j.job->honor_labels;
  for (const auto& l : own) {
    auto it = j.targets.named.find(l);
    if (!honor && it != j.targets.named.end() && it->second != Presence::absent)
      f.set("exported_" + l, it->second == Presence::present ? Presence::present : Presence::maybe);
    f.set(l, Presence::present);
  }
  // honor_labels is for federation and the Pushgateway: the exposition carries labels of its own.
  if (honor) f.open = true;
  if (j.job)
    for (const auto& r : j.job->metric_relabel_configs) f.apply(r, "job " + j.name + "'s metric_relabel_configs");
  return f;
}

const LabelFacts& TargetLabels::scraped(const Job& j, const catalog::Metric& m, bool bucket) const {
  std::lock_guard lock(memo_mutex_);
  auto [it, added] = memo_.try_emplace({&j, &m, bucket});
  if (added) {
    std::set<std::string> own;
    for (const auto& l : m.labels) own.insert(l.name);
    if (bucket) own.insert("le");
    it->second = scraped(j, own);
  }
  return it->second;
}

const TargetLabels::Selected& TargetLabels::selected(const catalog::Metric& m, bool bucket,
                                                     const std::vector<const Job*>& jobs) const {
  std::lock_guard lock(selected_mutex_);
  auto [it, added] = selected_.try_emplace({&m, bucket, jobs});
  if (!added) return it->second;
  Selected& s = it->second;
  std::vector<const LabelFacts*> per_job;
  for (const auto* j : jobs) per_job.push_back(m.prometheus ? &j->targets : &scraped(*j, m, bucket));
  for (const auto* f : per_job) {
    s.open = s.open || f->open;
    for (const auto& [name, p] : f->named)
      if (p != Presence::absent && name.rfind("__", 0) != 0) s.labels.insert(name);
  }
  for (const auto& name : s.labels)
    for (const auto* f : per_job)
      if (f->presence(name) != Presence::present) s.maybe.insert(name);
  for (const auto* f : per_job)
    for (const auto& drop : f->dropped)
      if (std::all_of(per_job.begin(), per_job.end(),
                      [&](const LabelFacts* g) { return g->presence(drop.first) == Presence::absent; }))
        s.dropped.insert(drop);
  s.labels.insert("__name__");
  return s;
}

} // namespace nsmon::lint
