// lint-metrics: one exposition against the catalog (families, types, labels, values, buckets,
// series) and promtool's naming rules (metrics_naming.cpp). One streaming pass over the input:
// per-sample work is a label scan, and everything about the catalog is decided once per family.
#include "nsmon/lint/metrics_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

using EType = expfmt::MetricType;
using CType = catalog::MetricType;

constexpr std::size_t kNoOffset = static_cast<std::size_t>(-1);

// How a family relates to the catalog.
enum class Role {
  unknown,  // not in the catalog (a finding) or not checked
  external, // an allowed external namespace (node_, process_, ...): naming rules only
  main,     // the family of a catalog metric
  created,  // text format: the separate x_created gauge family of a counter/histogram/summary
};

// The exposition types a catalog type may appear as (prometheus_client's behaviour: in the text
// format an info is a gauge named x_info, _created series are gauges of their own).
bool type_matches(CType want, EType got, bool om) {
  switch (want) {
  case CType::counter: return got == EType::counter;
  case CType::gauge: return got == EType::gauge;
  case CType::histogram: return got == EType::histogram;
  case CType::summary: return got == EType::summary;
  case CType::info: return om ? got == EType::info : got == EType::gauge;
  }
  return false;
}

// The name and type promtool (which reads only the text format) would see for a family.
std::pair<std::string, EType> text_view(std::string_view name, EType type, bool om) {
  if (!om) return {std::string(name), type};
  switch (type) {
  case EType::counter: return {std::string(name) + "_total", EType::counter};
  case EType::info: return {std::string(name) + "_info", EType::gauge};
  case EType::stateset: return {std::string(name), EType::gauge};
  case EType::gaugehistogram: return {std::string(name), EType::histogram};
  default: return {std::string(name), type};
  }
}

std::string bounds_text(const std::vector<double>& b) {
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) out += (i ? ", " : "") + util::format_number(b[i]);
  return out;
}

class Checker final : public expfmt::Handler {
public:
  /// `text` is the whole input, even for a checker that parses only a part of it (offsets are
  /// taken from the whole).
  Checker(std::string_view text, bool om, const std::string& file, const MetricsOptions& o)
      : text_(text), om_(om), file_(file), opt_(o), cat_(o.catalog) {
    if (cat_)
      for (const auto& m : cat_->metrics) names_.push_back(m.name);
  }

  void on_family(const expfmt::FamilyView& f) override {
    finish_family();
    fam_ = Family{};
    fam_.name = std::string(f.name);
    fam_.type = f.type;
    fam_.line = f.line;
    first_line_.try_emplace(fam_.name, fam_.line);
    fam_.offset = offset_of(f.name);
    fam_.has_help = f.has_help;
    ++families_;
    if (cat_) classify(f);
  }

  void on_sample(const expfmt::SampleView& s) override {
    ++series_;
    ++fam_.samples;
    if (opt_.naming) label_names(s);
    if (fam_.metric) catalog_sample(s);
  }

  /// After parsing: the last family and the parser's errors.
  void close(const expfmt::ParseSummary& sum) {
    finish_family();
    for (const auto& e : sum.errors) add("metrics/syntax", e.line, e.column, 0, kNoOffset, e.message);
  }

  /// Takes over what a checker of a later part of the same input found. A family in both parts
  /// is not contiguous, which each part's parser could not see.
  void merge(Checker&& later) {
    // Lines of the later part's families that reopen one of ours: one parser would have
    // dropped them with an error, so their other findings go.
    std::vector<int> starts;
    for (const auto& [name, line] : later.first_line_) starts.push_back(line);
    std::sort(starts.begin(), starts.end());
    std::vector<std::pair<int, int>> dropped;
    for (const auto& [name, line] : later.first_line_) {
      auto it = first_line_.find(name);
      if (it == first_line_.end()) {
        first_line_.emplace(name, line);
        continue;
      }
      add("metrics/syntax", line, 1, 0, kNoOffset,
          "metric family \"" + name + "\" already appeared at line " + std::to_string(it->second) +
              "; a family's lines must be contiguous");
      auto next = std::upper_bound(starts.begin(), starts.end(), line);
      dropped.emplace_back(line, next == starts.end() ? INT32_MAX : *next);
    }
    for (std::size_t i = 0; i < later.diags_.size(); ++i) {
      const auto& d = later.diags_[i];
      bool gone = d.check != core::CheckId("metrics/syntax") &&
                  std::any_of(dropped.begin(), dropped.end(),
                              [&](const auto& r) { return d.span.line >= r.first && d.span.line < r.second; });
      if (gone) continue;
      diags_.push_back(std::move(later.diags_[i]));
      offsets_.push_back(later.offsets_[i]);
    }
    seen_.insert(later.seen_.begin(), later.seen_.end());
    families_ += later.families_;
    series_ += later.series_;
  }

  /// Moves every line number `n` lines down (for a part that does not start the input).
  void shift_lines(int n) {
    for (auto& d : diags_)
      if (d.span.line > 0) d.span.line += n;
    for (auto& [name, line] : first_line_) line += n;
  }

  /// The findings about the whole input, sorted.
  std::vector<core::Diagnostic> finish() {
    if (families_ == 0 && series_ == 0) nothing_parsed();
    else if (cat_) missing_metrics();
    fix_columns();
    core::sort_diagnostics(diags_);
    return std::move(diags_);
  }

  std::string take_quoted() { return std::move(quoted_); }
  std::size_t families() const { return families_; }
  std::size_t series() const { return series_; }

private:
  struct Bucketed {
    std::vector<double> bounds;
    int line = 0;
    std::size_t offset = kNoOffset;
  };
  struct Family {
    std::string name;
    EType type = EType::unknown;
    int line = 0;
    std::size_t offset = kNoOffset;
    std::size_t samples = 0;
    bool has_help = false;
    Role role = Role::unknown;
    const catalog::Metric* metric = nullptr;
    std::set<std::string> reported;            // dedup keys of sample-level findings
    std::set<std::string> suffixes;            // sample suffixes seen
    std::map<std::string, Bucketed> buckets;   // series (labels without le) -> its bounds
    std::vector<std::string_view> last_labels; // label names of the previous sample (naming rules)
  };

  // An input without one metric family is not the scrape asked for (binary junk, an HTML page, a
  // YAML file, an empty file): one finding says so; each of its lines that does not parse, and
  // each catalog metric it lacks, would only repeat it.
  void nothing_parsed() {
    std::size_t first = diags_.size(), errors = 0;
    for (std::size_t i = 0; i < diags_.size(); ++i)
      if (diags_[i].check == core::CheckId("metrics/syntax")) {
        ++errors;
        if (first == diags_.size() || diags_[i].span.line < diags_[first].span.line) first = i;
      }
    if (errors > 0) {
      core::Diagnostic d = std::move(diags_[first]);
      const std::size_t offset = offsets_[first];
      d.message = "not an exposition (text format 0.0.4 or OpenMetrics 1.0): " + d.message +
                  (errors > 1 ? " (and " + std::to_string(errors - 1) + " more)" : "");
      diags_ = {std::move(d)};
      offsets_ = {offset};
      return;
    }
    if (!cat_ || cat_->metrics.empty()) return; // nothing to check against: promtool says nothing either
    const bool blank = text_.find_first_not_of(" \t\r\n") == std::string_view::npos;
    add("metrics/missing-metric", 0, 0, 0, kNoOffset,
        std::string(blank ? "the exposition is empty" : "the exposition has no metrics") + ": none of the catalog's " +
            std::to_string(cat_->metrics.size()) + " metrics is in it");
  }

  // The catalog metrics the exposition lacks, in one finding: none of them (another exporter's
  // scrape), one, or several listed.
  void missing_metrics() {
    std::vector<const catalog::Metric*> missing;
    for (const auto& m : cat_->metrics)
      if (!seen_.count(&m)) missing.push_back(&m);
    if (missing.empty()) return;
    auto describe = [](const catalog::Metric& m) {
      return m.name + " (" + catalog::to_string(m.type) + ", " + m.stage + ")";
    };
    if (missing.size() == cat_->metrics.size())
      add("metrics/missing-metric", 0, 0, 0, kNoOffset,
          "none of the catalog's " + std::to_string(cat_->metrics.size()) +
              " metrics is in the exposition: it is not the application's scrape",
          "--no-catalog checks another exporter's naming only; --catalog FILE checks it against its own catalog");
    else if (missing.size() == 1)
      add("metrics/missing-metric", 0, 0, 0, kNoOffset,
          describe(*missing.front()) + " is in the catalog but not in the exposition");
    else {
      std::vector<std::string> names;
      for (const auto* m : missing) names.push_back(describe(*m));
      add("metrics/missing-metric", 0, 0, 0, kNoOffset,
          std::to_string(missing.size()) + " of the catalog's " + std::to_string(cat_->metrics.size()) +
              " metrics are not in the exposition: " + util::join(names, ", "));
    }
  }

  std::size_t offset_of(std::string_view v) const {
    if (v.data() >= text_.data() && v.data() < text_.data() + text_.size())
      return static_cast<std::size_t>(v.data() - text_.data());
    return kNoOffset;
  }

  void add(core::CheckId check, int line, int col, int len, std::size_t offset, std::string message,
           std::string suggestion = {}) {
    diags_.push_back(core::make_diagnostic(check, {file_, line, col, len}, std::move(message), std::move(suggestion)));
    offsets_.push_back(offset);
  }

  void family_finding(core::CheckId check, std::string message, std::string suggestion = {}) {
    add(check, fam_.line, 1, static_cast<int>(fam_.name.size()), fam_.offset, std::move(message),
        std::move(suggestion));
  }

  // Once per family and key: findings about samples would otherwise repeat for every series.
  bool first_time(const std::string& key) { return fam_.reported.insert(key).second; }

  // promlint's label rules; consecutive samples usually carry the same label names.
  void label_names(const expfmt::SampleView& s) {
    auto& last = fam_.last_labels;
    bool same = last.size() == s.labels.size();
    for (std::size_t i = 0; same && i < s.labels.size(); ++i) same = last[i] == s.labels[i].name;
    if (same) return;
    last.clear();
    auto [name, type] = text_view(fam_.name, fam_.type, om_);
    for (const auto& l : s.labels) {
      last.push_back(l.name);
      std::vector<NamingProblem> problems;
      label_naming_problems(l.name, type, problems);
      for (auto& p : problems)
        if (first_time(std::string(p.check.id()) + '\0' + p.message))
          add(p.check, s.line, 1, static_cast<int>(l.name.size()), offset_of(l.name), name + ": " + p.message);
    }
  }

  // Which catalog metric (if any) a family is, and whether its type is the catalog's.
  void classify(const expfmt::FamilyView& f) {
    const std::string& name = fam_.name;
    if (cat_->is_external(name)) {
      fam_.role = Role::external;
      return;
    }
    std::optional<catalog::SeriesRef> ref = cat_->resolve(name);
    if ((!ref || (om_ && f.type == EType::counter)) && cat_->resolve(name + "_total"))
      ref = cat_->resolve(name + "_total");
    if (ref) {
      const catalog::Metric& m = *ref->metric;
      seen_.insert(&m);
      if (ref->suffix == "_created" && !om_) {
        fam_.role = Role::created;
        if (f.type != EType::gauge && f.type != EType::unknown)
          family_finding("metrics/type",
                         name + " is a " + expfmt::to_string(f.type) + " here; a _created series is a gauge");
        return;
      }
      fam_.role = Role::main;
      fam_.metric = &m;
      bool info_text = !om_ && m.type == CType::info;
      if (!ref->suffix.empty() && !(info_text && ref->suffix == "_info")) {
        // A series name used as a family: samples without # TYPE, or the wrong TYPE line.
        family_finding("metrics/type",
                       name + " is exposed as a family of its own (" + expfmt::to_string(f.type) + "); it is a " +
                           std::string(ref->suffix) + " series of the " + catalog::to_string(m.type) + " " + m.name,
                       "expose " + m.name + " with # TYPE " + m.name + " " + catalog::to_string(m.type));
        fam_.metric = nullptr;
        return;
      }
      if (!type_matches(m.type, f.type, om_))
        family_finding("metrics/type",
                       name + " is a " + (f.has_type ? expfmt::to_string(f.type) : "untyped metric") +
                           " here; the catalog says " + catalog::to_string(m.type),
                       "# TYPE " + name + " " + (m.type == CType::info && !om_ ? "gauge" : catalog::to_string(m.type)));
      if (f.has_help && f.help != m.help)
        family_finding("metrics/help", name + ": HELP differs from the catalog's \"" + m.help + "\"");
      if (!f.unit.empty() && f.unit != m.unit && m.unit != "none" && m.unit != "count")
        family_finding("metrics/unit",
                       name + " has # UNIT " + std::string(f.unit) + "; the catalog's unit is " + m.unit);
      return;
    }
    // Not in the catalog: renamed, or unknown (with a suggestion).
    std::string base = name;
    for (const char* sfx : {"_created", "_total", "_info", "_bucket", "_count", "_sum"})
      if (util::ends_with(base, sfx)) {
        base.resize(base.size() - std::strlen(sfx));
        break;
      }
    for (const std::string& old : {name, base, base + "_total"})
      if (const catalog::Metric* m = cat_->renamed_to(old)) {
        seen_.insert(m);
        if (!util::ends_with(name, "_created"))
          family_finding("metrics/renamed-metric", name + " was renamed to " + m->name, "export " + m->name);
        return;
      }
    if (util::ends_with(name, "_created") && (cat_->find(base) || cat_->find(base + "_total"))) return;
    std::string hint = util::did_you_mean(name, names_);
    family_finding("metrics/unknown-metric", "metric " + name + " is not in the catalog",
                   hint.empty() ? "" : "did you mean " + hint + "?");
  }

  void catalog_sample(const expfmt::SampleView& s) {
    const catalog::Metric& m = *fam_.metric;
    fam_.suffixes.insert(std::string(s.suffix));
    std::string series_name(s.name);
    auto wire = catalog::Catalog::wire_names(m);
    // A summary's quantile series carry its base name (prometheus_client exports none).
    if (m.type == CType::summary) wire.push_back(m.name);
    if (std::find(wire.begin(), wire.end(), series_name) == wire.end()) {
      if (first_time(std::string("series") + '\0' + series_name))
        add("metrics/series-name", s.line, 1, static_cast<int>(s.name.size()), offset_of(s.name),
            std::string(s.name) + " is not a series of the " + catalog::to_string(m.type) + " " + m.name,
            "its series: " + util::join(wire, ", "));
      return;
    }
    check_labels(s, m);
    if (m.type == CType::histogram && s.suffix == "_bucket") collect_bucket(s);
  }

  void check_labels(const expfmt::SampleView& s, const catalog::Metric& m) {
    const bool bucket = m.type == CType::histogram && s.suffix == "_bucket";
    const bool quantile = m.type == CType::summary && s.suffix.empty();
    for (const auto& l : s.labels) {
      if ((bucket && l.name == "le") || (quantile && l.name == "quantile")) continue;
      const catalog::Label* spec = m.label(l.name);
      if (!spec) {
        bool target =
            std::find(cat_->target_labels.begin(), cat_->target_labels.end(), l.name) != cat_->target_labels.end();
        if (m.open_labels || target) continue;
        std::string key = std::string("label") + '\0' + std::string(l.name);
        if (!first_time(key)) continue;
        std::vector<std::string> known;
        for (const auto& k : m.labels) known.push_back(k.name);
        std::string hint = util::did_you_mean(l.name, known);
        add("metrics/unknown-label", s.line, 1, static_cast<int>(l.name.size()), offset_of(l.name),
            m.name + " has no label " + std::string(l.name) +
                (known.empty() ? " (it has no labels)" : " (labels: " + util::join(known, ", ") + ")"),
            hint.empty() ? "" : "did you mean " + hint + "?");
        continue;
      }
      if (!spec->values.empty() && std::find(spec->values.begin(), spec->values.end(), l.value) == spec->values.end() &&
          first_time(std::string("value") + '\0' + std::string(l.name) + '\0' + std::string(l.value))) {
        std::size_t at = offset_of(l.value);
        add("metrics/unknown-label-value", s.line, 1,
            static_cast<int>(at == kNoOffset ? l.name.size() : l.value.size()),
            at == kNoOffset ? offset_of(l.name) : at,
            "label " + spec->name + " of " + m.name + " never has the value \"" + std::string(l.value) +
                "\" (values: " + util::join(spec->values, ", ") + ")",
            "the catalog is the contract: fix the exporter's value, or add it to the label's values in the catalog");
      }
    }
    for (const auto& spec : m.labels) {
      bool present = std::any_of(s.labels.begin(), s.labels.end(), [&](const auto& l) { return l.name == spec.name; });
      if (!present && first_time(std::string("missing") + '\0' + spec.name))
        add("metrics/missing-label", s.line, 1, static_cast<int>(s.name.size()), offset_of(s.name),
            std::string(s.name) + " has no label " + spec.name + ", which the catalog gives " + m.name);
    }
  }

  void collect_bucket(const expfmt::SampleView& s) {
    std::string key;
    double le = NAN;
    for (const auto& l : s.labels) {
      if (l.name == "le") {
        le = expfmt::parse_value(l.value).value_or(NAN);
        continue;
      }
      if (!key.empty()) key.push_back(',');
      key.append(l.name).append("=\"").append(l.value).push_back('"');
    }
    Bucketed& b = fam_.buckets[key];
    if (b.line == 0) {
      b.line = s.line;
      b.offset = offset_of(s.name);
    }
    b.bounds.push_back(le);
  }

  void finish_family() {
    if (fam_.samples == 0) return; // promtool drops families without samples; so does the catalog
    if (opt_.naming) {
      auto [name, type] = text_view(fam_.name, fam_.type, om_);
      std::vector<NamingProblem> problems;
      naming_problems(name, type, fam_.has_help, problems);
      // The catalog is the contract: a name it declares, exposed with its type, is not the
      // scrape's finding; catalog/reserved-suffix says so once, where the catalog is loaded.
      const bool declared = fam_.metric && type_matches(fam_.metric->type, fam_.type, om_);
      for (auto& p : problems)
        if (!declared || p.check != core::CheckId("metrics/reserved-suffix"))
          family_finding(p.check, name + ": " + p.message);
    }
    if (!fam_.metric) return;
    const catalog::Metric& m = *fam_.metric;
    // The series a metric must have once it has samples (a _created series may be absent).
    std::vector<std::string> need;
    if (m.type == CType::histogram) {
      need = {"_bucket", "_count"};
      if (m.buckets.empty() || m.buckets.front() >= 0) need.push_back("_sum");
    } else if (m.type == CType::summary) {
      need = {"_count", "_sum"};
    }
    std::vector<std::string> missing;
    for (const auto& n : need)
      if (!fam_.suffixes.count(n)) missing.push_back(m.name + n);
    if (!missing.empty())
      family_finding("metrics/missing-series", m.name + " has samples but no " + util::join(missing, ", ") + " series");
    if (m.type != CType::histogram) return;
    std::vector<double> want = m.buckets;
    want.push_back(INFINITY);
    for (auto& [key, b] : fam_.buckets) {
      std::sort(b.bounds.begin(), b.bounds.end());
      if (b.bounds == want) continue;
      const std::string& labels = key;
      add("metrics/buckets", b.line, 1, static_cast<int>(m.name.size()) + 7, b.offset,
          m.name + (labels.empty() ? "" : "{" + labels + "}") + " has the buckets " + bounds_text(b.bounds) +
              "; the catalog says " + bounds_text(want));
      break; // one series tells the story; the others are usually the same
    }
  }

  // Columns from absolute offsets, and the quoted lines. A finding with an offset is on the
  // offset's line, found by looking back to its newline; only findings without one (the
  // parser's) need a forward scan.
  void fix_columns() {
    std::map<int, std::string_view> text_of;
    std::vector<int> unknown;
    for (std::size_t i = 0; i < diags_.size(); ++i) {
      const int line = diags_[i].span.line;
      if (line <= 0) continue;
      if (offsets_[i] == kNoOffset || offsets_[i] >= text_.size()) {
        unknown.push_back(line);
        continue;
      }
      std::size_t start = offsets_[i];
      while (start > 0 && text_[start - 1] != '\n') --start;
      diags_[i].span.col = static_cast<int>(offsets_[i] - start) + 1;
      if (!text_of.count(line))
        text_of[line] = text_.substr(start, std::min(text_.find('\n', start), text_.size()) - start);
    }
    std::sort(unknown.begin(), unknown.end());
    unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
    std::erase_if(unknown, [&](int l) { return text_of.count(l) > 0; });
    std::vector<std::size_t> at = line_starts(text_, unknown);
    for (std::size_t i = 0; i < unknown.size(); ++i)
      if (at[i] != std::string_view::npos)
        text_of[unknown[i]] = text_.substr(at[i], std::min(text_.find('\n', at[i]), text_.size()) - at[i]);
    int written = 1;
    for (const auto& [line, text] : text_of) {
      quoted_.append(static_cast<std::size_t>(line - written), '\n');
      quoted_.append(text);
      written = line;
    }
  }

  std::string_view text_;
  bool om_;
  const std::string& file_;
  const MetricsOptions& opt_;
  const catalog::Catalog* cat_;
  std::vector<std::string> names_;
  std::set<const catalog::Metric*> seen_;
  Family fam_;
  std::size_t families_ = 0, series_ = 0;
  std::vector<core::Diagnostic> diags_;
  std::vector<std::size_t> offsets_;                // parallel to diags_
  std::unordered_map<std::string, int> first_line_; // family -> its first line
  std::string quoted_;
};

} // namespace

std::vector<core::Diagnostic> check_metrics(std::string_view text, expfmt::Format format, const std::string& file,
                                            const MetricsOptions& options, MetricsSummary* summary) {
  const bool om = format == expfmt::Format::openmetrics;
  // A large scrape is parsed in two halves at once (text format: OpenMetrics needs its # EOF
  // last); the halves' findings are merged as if one parser had read it all.
  const std::size_t split = !om && text.size() > options.parallel_above ? split_point(text) : std::string_view::npos;
  Checker checker(text, om, file, options);
  expfmt::ParseSummary sum;
  if (split == std::string_view::npos) {
    sum = expfmt::parse(text, format, checker);
    checker.close(sum);
  } else {
    Checker later(text, om, file, options);
    expfmt::ParseSummary later_sum;
    std::thread worker([&] {
      later_sum = expfmt::parse(text.substr(split), format, later);
      later.close(later_sum);
    });
    sum = expfmt::parse(text.substr(0, split), format, checker);
    checker.close(sum);
    worker.join();
    // The later part's lines count from its start: the first part's lines come before them.
    later.shift_lines(sum.stopped_early ? static_cast<int>(count_newlines(text.data(), split))
                                        : static_cast<int>(sum.lines));
    checker.merge(std::move(later));
    sum.errors.insert(sum.errors.end(), later_sum.errors.begin(), later_sum.errors.end());
  }
  auto diags = checker.finish();
  if (summary)
    *summary = MetricsSummary{checker.families(), checker.series(), sum.errors.size(), checker.take_quoted()};
  return diags;
}

} // namespace nsmon::lint
