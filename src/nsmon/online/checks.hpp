#pragma once
// online/: `lint-rules --prometheus`: what only the server knows about the rules' selectors
// (`checks.*`: whether each matches series now — many selectors to one `group()` query —, and when
// not why: a metric the server never had, series that stopped (last seen when, where), a label
// never carried, a value never taken, a job nobody scrapes; rate() over what the metadata calls a
// gauge; a range under two scrape intervals of the targets; a recording rule the server lacks; each
// rule's samples per evaluation from `stats=all`, handed to `lint/cost` to judge), as `server/*`
// findings positioned on the selector; every question through one `promapi::Batch`; no printing.
//
// lint-rules --prometheus: what only the server knows about the rules' selectors — whether each
// matches series now and over a lookback window and, when not, why (the metric is unknown, it
// stopped, a label it never carries, a value the label never takes, a job nobody scrapes); rate()
// over what the server's metadata calls a gauge; a range shorter than two scrape intervals of the
// targets; a recording rule the server does not have; what each rule's evaluation reads (its
// samples go to the Summary: lint/cost.hpp judges them).
// Findings are server/* checks, positioned on the selector in the rule file.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/promapi/batch.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::online {

struct Options {
  std::string server; ///< named in messages (credentials masked by the caller)
  double now = 0;     ///< Unix seconds: "now" for every question
  std::int64_t lookback_s = 7 * 86400;
  promql::ParseOptions parse;
  bool cost = true; ///< ask each rule's evaluation cost (stats=all)
};

/// What the run learnt beyond its findings, for the report's facts.
struct Summary {
  std::size_t selectors = 0;    ///< distinct selectors asked about
  std::size_t requests = 0;     ///< requests sent
  std::size_t cost_queries = 0; ///< of which the rules' own expressions (stats=all), one a rule
  bool metadata = false;        ///< the server answered /api/v1/metadata with types
  bool targets = false;         ///< ... /api/v1/targets
  bool rules = false;           ///< ... /api/v1/rules
  bool exact_cost = false;      ///< query stats (Prometheus's stats=all) were answered
  /// The samples one evaluation of each rule reads, as the server counts them (lint/cost.hpp
  /// judges them, beside the catalog's estimates).
  std::map<const rules::Rule*, double> samples;
};

/// Asks the server about every rule of `files` through `batch` and returns server/* findings.
/// Throws what the batch throws (the server down, an answer that is not the API's): one error
/// for the run, never one per rule.
std::vector<core::Diagnostic> check(const std::vector<rules::RuleFile>& files, promapi::Batch& batch, const Options& o,
                                    Summary& summary);

/// Drops the server findings that say again what an offline finding at the same place says (an
/// unknown metric, label or value of the catalog; rate() over a catalog gauge).
void drop_repeated(std::vector<core::Diagnostic>& online, const std::vector<core::Diagnostic>& offline);

} // namespace nsmon::online
