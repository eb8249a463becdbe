#include "nsmon/watch/expected.hpp"

#include <algorithm>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/watch/stats.hpp"

namespace nsmon::watch {

namespace {

using catalog::MetricType;

// What a figure reads, as the catalog declares it.
struct Figure {
  std::string_view series;
  const catalog::Metric* metric = nullptr;
  std::string base; ///< the name every type's series are made from (a counter's without _total)
};

// The suffixes another type's series add to the base: gauge or untyped "", counter _total and
// _created, histogram _bucket (and _sum, _count), summary _sum and _count, info _info.
constexpr std::string_view kSuffixes[] = {"", "_total", "_created", "_bucket", "_sum", "_count", "_info"};

const std::vector<Figure>& figures() {
  static const std::vector<Figure> all = [] {
    std::vector<Figure> out;
    const catalog::Catalog& cat = catalog::embedded();
    for (std::string_view name : figure_names()) {
      Figure f{name, nullptr, {}};
      if (auto ref = cat.resolve(name)) f.metric = ref->metric;
      if (!f.metric) continue; // not the catalog's: nothing to expect
      f.base = f.metric->name;
      if (f.metric->type == MetricType::counter && util::ends_with(f.base, "_total")) f.base.resize(f.base.size() - 6);
      out.push_back(std::move(f));
    }
    return out;
  }();
  return all;
}

std::string with(const std::string& base, std::string_view suffix) { return base + std::string(suffix); }

} // namespace

const std::unordered_set<std::string_view>& scraped_names() {
  // The strings live as long as the set: both are built once.
  static const std::vector<std::string> lookalikes = [] {
    std::vector<std::string> out;
    const catalog::Catalog& cat = catalog::embedded();
    for (const Figure& f : figures())
      for (std::string_view sfx : kSuffixes) {
        std::string n = with(f.base, sfx);
        // Another catalog metric's series is that metric's, not a sign of this one's type.
        auto ref = cat.resolve(n);
        if ((ref && ref->metric != f.metric) || (!ref && cat.find(n))) continue;
        if (!wanted_names().count(n) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
      }
    return out;
  }();
  static const std::unordered_set<std::string_view> names = [] {
    std::unordered_set<std::string_view> s = wanted_names();
    s.insert(lookalikes.begin(), lookalikes.end());
    return s;
  }();
  return names;
}

std::string missing_text(const MissingSeries& m) {
  return m.series + " is not in the scrape" + (m.cause.empty() ? "" : ": " + m.cause) +
         " (the figures that read it stay blank)";
}

void SeriesSeen::add(const Snapshot& s) {
  for (const auto& [name, series] : s.samples)
    if (!series.empty() && !seen_.count(name)) seen_.insert(name);
}

std::vector<MissingSeries> SeriesSeen::missing() const {
  std::vector<MissingSeries> explained, unexplained;
  for (const Figure& f : figures()) {
    if (seen_.count(f.series)) continue;
    const MetricType t = f.metric->type;
    MissingSeries m{std::string(f.series), f.metric->name, catalog::to_string(t), {}, {}};
    auto has = [&](std::string_view sfx) { return seen_.count(with(f.base, sfx)) > 0; };
    // The names of the metric that were scraped, for the evidence.
    auto scraped = [&](std::initializer_list<std::string_view> sfxs) {
      for (std::string_view sfx : sfxs)
        if (has(sfx)) m.instead.push_back(with(f.base, sfx));
    };
    std::string as;
    if (t != MetricType::counter && has("_total")) {
      as = "a counter";
      scraped({"_total", "_created"});
    } else if (t != MetricType::histogram && has("_bucket")) {
      as = "a histogram";
      scraped({"_bucket", "_sum", "_count"});
    } else if (t != MetricType::summary && !has("_bucket") && (has("_sum") || has("_count"))) {
      as = "a summary";
      scraped({"_sum", "_count"});
    } else if (t != MetricType::gauge && with(f.base, "") != f.series && has("")) {
      as = "a gauge or untyped";
      scraped({""});
    } else if (t != MetricType::info && has("_info")) {
      as = "an info";
      scraped({"_info"});
    }
    if (!as.empty()) {
      m.cause = "exported as " + as + " (" + util::join(m.instead, ", ") +
                (as == "a summary" ? ", no " + with(f.base, "_bucket") : "") + "); the catalog says " + m.type;
      explained.push_back(std::move(m));
    } else {
      unexplained.push_back(std::move(m));
    }
  }
  explained.insert(explained.end(), std::make_move_iterator(unexplained.begin()),
                   std::make_move_iterator(unexplained.end()));
  return explained;
}

std::vector<MissingSeries> SeriesSeen::take_new_causes() {
  std::vector<MissingSeries> out;
  for (auto& m : missing())
    if (!m.cause.empty() && told_.insert(m.series).second) out.push_back(std::move(m));
  return out;
}

} // namespace nsmon::watch
