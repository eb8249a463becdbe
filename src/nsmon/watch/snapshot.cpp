#include "nsmon/watch/snapshot.hpp"

#include <algorithm>

namespace nsmon::watch {

const std::string* Series::label(std::string_view name) const {
  for (const auto& [k, v] : labels)
    if (k == name) return &v;
  return nullptr;
}

const std::vector<Series>& Snapshot::find(std::string_view name) const {
  static const std::vector<Series> none;
  auto it = samples.find(std::string(name));
  return it == samples.end() ? none : it->second;
}

namespace {

// Target labels (a federated or relabelled scrape) say where, not what.
bool target_label(const expfmt::LabelView& l) { return l.name == "job" || l.name == "instance"; }

class Collector final : public expfmt::Handler {
public:
  Collector(const std::unordered_set<std::string_view>& wanted, Snapshot& out, ScrapedSamples* all)
      : wanted_(wanted), out_(out), all_(all) {}

  void on_sample(const expfmt::SampleView& s) override {
    ++out_.series_total;
    if (all_) {
      all_->keys += s.name;
      for (const auto& l : s.labels) {
        all_->keys += '\xff';
        all_->keys += l.name;
        all_->keys += '\xfe';
        all_->keys += l.value;
      }
      all_->entries.push_back({all_->keys.size(), s.value, s.timestamp_ms});
    }
    if (s.name == "process_start_time_seconds" && std::all_of(s.labels.begin(), s.labels.end(), target_label))
      out_.process_start_time = std::min(s.value, out_.process_start_time.value_or(s.value));
    if (!wanted_.count(s.name)) return;
    Series series;
    series.value = s.value;
    for (const auto& l : s.labels) {
      if (target_label(l)) continue;
      series.labels.emplace_back(std::string(l.name), std::string(l.value));
    }
    std::sort(series.labels.begin(), series.labels.end());
    out_.samples[std::string(s.name)].push_back(std::move(series));
  }

private:
  const std::unordered_set<std::string_view>& wanted_;
  Snapshot& out_;
  ScrapedSamples* all_;
};

} // namespace

ParseOutcome parse_snapshot(std::string_view body, expfmt::Format format,
                            const std::unordered_set<std::string_view>& wanted, Snapshot& out, ScrapedSamples* all) {
  // The names take about as many bytes as the exposition, its comments and values aside.
  if (all) all->keys.reserve(body.size());
  Collector c(wanted, out, all);
  expfmt::Options opt;
  opt.max_errors = 100;
  // A watcher reads a live scrape: duplicate series are the exporter's problem, not a reason to
  // spend a hash set on every scrape (lint-metrics reports them).
  opt.check_duplicates = false;
  expfmt::ParseSummary sum = expfmt::parse(body, format, c, opt);
  ParseOutcome o;
  o.errors = sum.errors.size();
  if (!sum.errors.empty()) {
    const auto& e = sum.errors.front();
    o.first_error = std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
  }
  return o;
}

} // namespace nsmon::watch
