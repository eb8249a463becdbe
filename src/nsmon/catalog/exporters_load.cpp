// Reads rules/exporters.yml, the well-known exporters' facts that nsmon compiles in
// (catalog::exporters()); the lookups over them are exporters.cpp's.
#include <algorithm>
#include <string>
#include <vector>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/yaml.hpp"

namespace nsmon::embedded {
extern const std::string_view exporters_yml;
}

namespace nsmon::catalog {

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
      if (!y_.check_mapping(n, {"name",   "source",     "license",  "version", "history", "read",       "prefix",
                                "jobs",   "one_target", "closed",   "metrics", "renamed", "gauges",     "families",
                                "served", "parts",      "counters", "busy",    "adds_up", "shared_with"},
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
      if (n["shared_with"])
        e.shared_with = y_.strings(n["shared_with"], "shared_with").value_or(std::vector<std::string>{});
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
    if (!Exporters::is_day(s)) y_.report(n, "catalog/structure", std::string(what) + " must be a date, YYYY-MM-DD");
    return s;
  }

  void families(const yaml::Node& n, Exporter& e) {
    if (!y_.check_mapping(n, {"read", "prefixes", "apart", "within", "pins"}, "families")) return;
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
    if (const yaml::Node a = n["within"]) within(a, e);
    if (const yaml::Node a = n["pins"]) pins(a, e);
  }

  // within: {prefix: {label: other}}, for a label of apart's and another of the prefix's labels.
  void within(const yaml::Node& n, Exporter& e) {
    label_maps(n, e, "within", "other label", [&](ExporterFamily& f, const yaml::Node& key, const yaml::Node& value) {
      std::string label(key.scalar());
      std::string other = y_.string(value, "within").value_or("");
      const bool is_apart =
          std::any_of(f.apart.begin(), f.apart.end(), [&](const auto& a) { return a.first == label; });
      if (!is_apart || std::find(f.labels.begin(), f.labels.end(), other) == f.labels.end())
        y_.report(key, "catalog/structure", "within's " + label + " must be apart's, and its other label the prefix's");
      else f.within.emplace_back(std::move(label), std::move(other));
    });
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
    label_maps(n, e, "apart", "what", [&](ExporterFamily& f, const yaml::Node& key, const yaml::Node& value) {
      std::string label(key.scalar());
      if (std::find(f.labels.begin(), f.labels.end(), label) == f.labels.end())
        y_.report(key, "catalog/structure", "apart's " + label + " is not one of its prefix's labels");
      else f.apart.emplace_back(std::move(label), y_.string(value, "apart").value_or(""));
    });
  }

  // {prefix: {label: value}} for a family's prefix: each label and value, given to `each`.
  template <class Each>
  void label_maps(const yaml::Node& n, Exporter& e, const std::string& key, const char* value, Each each) {
    const std::string shape = std::string("{label: ") + value + "}";
    if (!n.is_map()) {
      y_.report(n, "catalog/structure", key + " needs a mapping of name prefix to " + shape);
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string_view prefix = it->first.scalar();
      auto f = std::find_if(e.families.begin(), e.families.end(), [&](const auto& x) { return x.prefix == prefix; });
      if (f == e.families.end() || !it->second.is_map()) {
        y_.report(it->first, "catalog/structure",
                  key + "'s prefixes must be prefixes' too, each a " + shape + " mapping");
        continue;
      }
      for (auto l = it->second.begin(); l != it->second.end(); ++l) each(*f, l->first, l->second);
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
    if (!y_.check_mapping(n, {"read", "names", "patterns", "untyped", "untyped_from", "since", "until", "new_series"},
                          "counters"))
      return;
    if (n["since"].is_defined() != n["until"].is_defined())
      y_.report(n, "catalog/missing-field",
                "counters has 'since' or 'until' without the other (when counting starts anew)");
    if (n["since"]) e.counters_since = y_.string(n["since"], "since").value_or(e.counters_since);
    if (n["until"]) e.counters_until = y_.string(n["until"], "until").value_or(e.counters_until);
    if (n["new_series"]) e.counters_new_series = y_.boolean(n["new_series"], "new_series").value_or(false);
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
    if (!y_.check_mapping(n, {"read", "why", "names", "label", "how", "at_most", "each"}, "adds_up")) return;
    require(n, {"read", "why", "names", "label", "how"}, "adds_up");
    if (n["names"]) w.names = y_.strings(n["names"], "names").value_or(std::vector<std::string>{});
    if (n["label"]) w.label = y_.string(n["label"], "label").value_or("");
    if (n["how"]) w.how = y_.string(n["how"], "how").value_or("");
    if (bool(n["at_most"]) != bool(n["each"]))
      y_.report(n, "catalog/structure", "adds_up: at_most and each go together");
    if (n["at_most"] && n["each"]) {
      w.at_most = y_.number(n["at_most"], "at_most").value_or(0);
      w.each = y_.string(n["each"], "each").value_or("");
    }
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
                           "untyped_by_label", "untyped_from", "timestamps", "attempt_dates", "one_in_cluster",
                           "present_while"},
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
    if (auto d = n["attempt_dates"]) {
      if (!d.is_map()) y_.report(d, "yaml/type", "attempt_dates must map an attempt's timestamp to its success's");
      for (auto it = d.begin(); d.is_map() && it != d.end(); ++it) {
        if (!it->second.is_scalar()) {
          y_.report(it->second, "yaml/type", "attempt_dates' value must be a metric name");
          continue;
        }
        g.attempt_dates.emplace_back(std::string(it->first.scalar()), std::string(it->second.scalar()));
      }
    }
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
