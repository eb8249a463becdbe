// An alert's threshold against the amounts its annotations state (units/*): a duration, a
// percentage or a size said in another unit than the expression's values.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>

#include "nsmon/gotemplate/check.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

namespace {

// A duration, a percentage, a size or a rate an annotation states ("> 100ms", "longer than 0.5
// seconds", "above 80%", "less than 5GB", "more than 100 executions per minute"), outside its
// template actions: the number as written and its unit, in seconds for a duration (1 or 0.001),
// kPercent for a percentage, in bytes for a size (`size`), per seconds for a rate (`per`).
struct Stated {
  double value, scale;
  std::string text;
  bool size = false;
  double per = 0; ///< a number per this many seconds ("100 executions per minute": 60), scale 0
};
constexpr double kPercent = 0.01;

std::vector<Stated> stated_amounts(std::string_view t) {
  std::vector<Stated> out;
  // ASCII, as std::isalpha and std::isdigit in the "C" locale nsmon runs in, and "{{" by its
  // bytes: every byte of every annotation comes here, where a call per test cost the most.
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      const auto close = t.find("}}", i + 2);
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    // A number of its own: not a part of p99, http2, 1.2.3 or a label value's digits.
    if (!digit(t[i]) || (i > 0 && (letter(t[i - 1]) || digit(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '_')))
      continue;
    std::size_t j = i;
    while (j < t.size() && (digit(t[j]) || (t[j] == '.' && j + 1 < t.size() && digit(t[j + 1])))) ++j;
    std::size_t w = j < t.size() && t[j] == ' ' ? j + 1 : j;
    std::size_t e = w;
    while (e < t.size() && letter(t[e])) ++e;
    std::string word(t.substr(w, e - w));
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Compared as a view: its size first, where a std::string against a literal takes strlen and
    // memcmp for each of the ten (every number of every annotation comes here).
    const std::string_view unit = word;
    double scale = 0;
    if (unit == "ms" || unit == "msec" || unit == "msecs" || unit == "millisecond" || unit == "milliseconds")
      scale = 0.001;
    else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") scale = 1;
    else if (w < t.size() && t[w] == '%') scale = kPercent, e = w + 1; // "80%", "80 %"
    else if (unit == "percent") scale = kPercent;
    bool size = false;
    // "5GB" is read as 10^9 bytes; 2^30 is checked too, as GB often means GiB (size_threshold).
    static constexpr std::pair<std::string_view, double> sizes[] = {{"kb", 1e3},     {"mb", 1e6},     {"gb", 1e9},
                                                                    {"tb", 1e12},    {"kib", 0x1p10}, {"mib", 0x1p20},
                                                                    {"gib", 0x1p30}, {"tib", 0x1p40}};
    for (const auto& [name, bytes] : sizes)
      if (scale == 0 && unit == name) scale = bytes, size = true;
    // strtod, not stod: a number out of range is HUGE_VAL here, not an exception.
    if (scale > 0)
      out.push_back({std::strtod(std::string(t.substr(i, j - i)).c_str(), nullptr), scale,
                     std::string(t.substr(i, e - i)), size});
    else if (auto per = gotemplate::per_time(t, j))
      out.push_back({std::strtod(std::string(t.substr(i, j - i)).c_str(), nullptr), 0,
                     std::string(t.substr(i, t.find(per->written, j) + per->written.size() - i)), false, per->seconds});
    i = j;
  }
  return out;
}

bool same_number(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

// Bytes divided by a constant and compared with a size the annotations state, where the
// threshold is the stated number but the divisor makes it another size: `available_bytes /
// (10 * 1000 * 1000 * 1000) < 5` described as "Less than 5GB" is below 50 GB (govuk-helm-charts
// dd033c2: "the units returned by the query were actually 10s of GBs"). A size agrees in either
// reading of its unit (GB is 10^9 or 2^30 bytes); a stated size whose number is not the threshold
// says nothing. The finding's message and help, or nothing.
std::optional<std::pair<std::string, std::string>>
size_mismatch(const Expr& side, double v, const std::vector<std::pair<std::string, Stated>>& stated,
              const Inference& inf) {
  // The bytes as they are (k = 1), or divided by a constant.
  const Expr* u = unparen(&side);
  std::optional<double> k = 1;
  std::string divisor;
  if (u->kind == NodeKind::binary && u->as<BinaryExpr>().op == BinaryOp::div) {
    const auto& q = u->as<BinaryExpr>();
    k = inf.constant(q.rhs);
    divisor = " / " + print(*q.rhs);
    u = q.lhs;
  }
  std::string of;
  if (v <= 0 || !k || *k <= 0 || unit_by_name(*u, &of) != "bytes") return {};
  const double bytes = v * *k;
  const std::pair<std::string, Stated>* wrong = nullptr;
  for (const auto& kd : stated) {
    const Stated& d = kd.second;
    if (!d.size) continue;
    const double n = std::round(std::log10(d.scale) / 3); // KB 1, MB 2, GB 3, TB 4
    if (same_number(bytes, d.value * std::pow(1e3, n)) || same_number(bytes, d.value * std::pow(2, 10 * n))) return {};
    if (same_number(v, d.value) && !wrong) wrong = &kd;
  }
  if (!wrong) return {};
  const auto& [key, said] = *wrong;
  const std::string unit = said.text.substr(said.text.find_first_not_of("0123456789."));
  return std::pair{
      util::concat({"the ", key, " annotation says ", said.text, ", but ", of, divisor,
                    *k == 1 ? " is in bytes" : " counts units of " + util::format_number(*k) + " bytes",
                    ": the threshold ", util::format_number(v), " is ",
                    *k == 1 ? util::format_number(v) + " bytes" : util::format_number(bytes / said.scale) + unit}),
      util::concat({"divide by ", util::format_number(said.scale), " to compare in ", util::trim(unit), ", or write ",
                    util::format_number(said.value * said.scale / *k), " for ", said.text})};
}

// Whether `n` sits in the right side of an and/unless, whose values never reach the result:
// `burn_rate > 3 and budget_remaining < 0.5` alerts with the burn rate as $value (aragora cd2985a).
bool filter_only(const Expr& n, std::span<const Expr* const> path) {
  const Expr* child = &n;
  for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
    if ((*it)->kind != NodeKind::binary) continue;
    const auto& b = (*it)->as<BinaryExpr>();
    if ((b.op == BinaryOp::land || b.op == BinaryOp::lunless) && b.rhs == child) return true;
  }
  return false;
}

// Whether `x` is the share `d` states, as its percentage (5 for "5%") or as a ratio (0.05).
bool is_share(double x, const Stated& d) {
  return d.scale == kPercent && (same_number(x, d.value) || same_number(x * 100, d.value));
}

// Whether a comparison in `root` other than `skip`, of values that are no count of events, has a
// number that is the share `d`: that one states the share, and a count of events compared beside
// it is a minimum of traffic (`errors / all > 0.20 and increase(all[10m]) >= 20`, "More than 20%
// of requests").
bool share_compared(const Expr& root, const Expr& skip, const Stated& d) {
  bool found = false;
  walk(root, [&](const Expr& x, auto) { // false skips the children only: once found, nothing more
    if (found) return false;
    if (&x == &skip || x.kind != NodeKind::binary || !is_comparison(x.as<BinaryExpr>().op)) return true;
    const auto& o = x.as<BinaryExpr>();
    const bool right = unparen(o.rhs)->kind == NodeKind::number_literal;
    const Expr* num = unparen(right ? o.rhs : o.lhs);
    found = num->kind == NodeKind::number_literal && is_share(num->as<NumberLiteral>().value, d) &&
            events_counted(right ? *o.lhs : *o.rhs).empty();
    return !found;
  });
  return found;
}

} // namespace

// A threshold the annotations state in another unit than the expression's values, where the
// threshold is the number they state:
// - a duration in the other unit of time: `rate(read_time_seconds_total) / rate(reads_completed_total) > 100`
//   described as "> 100ms" (awesome-prometheus-alerts 4266b4d), an average in milliseconds compared with 0.1,
//   "longer than 100ms" (cbc2022), or a recorded p95 in seconds (type:rails_requests_completed_seconds:p95)
//   compared with 2000, "over 2s" (gitlab-com d2d59af). Said only where the threshold is a stated duration,
//   written as is or converted between seconds and milliseconds, in the other unit than the names give, and no
//   stated duration agrees with the threshold in theirs;
// - a percentage, where the values are a unit over itself (used_bytes / capacity_bytes), a plain ratio that
//   reaches 80 only at 8,000%: `> 80` described as "exceeded 80%" (openstack-helm-infra 8411362).
void RuleChecks::threshold_unit() {
  std::vector<std::pair<std::string, Stated>> stated;
  for (const auto& kv : r_.annotations)
    for (auto& d : stated_amounts(kv.value.value)) stated.emplace_back(kv.key.value, std::move(d));
  if (stated.empty()) return;
  walk(*pr_.parsed->expr(), [&](const Expr& n, auto path) {
    if (n.kind != NodeKind::binary) return true;
    const auto& b = n.as<BinaryExpr>();
    if (!is_comparison(b.op) || b.op == BinaryOp::eql || b.op == BinaryOp::neq) return true;
    const Expr* l = unparen(b.lhs);
    const Expr* r = unparen(b.rhs);
    const bool right = r->kind == NodeKind::number_literal;
    if (right == (l->kind == NodeKind::number_literal)) return true;
    const double v = (right ? r : l)->as<NumberLiteral>().value;
    const Expr& side = right ? *l : *r;
    std::string of;
    // The threshold is a stated percentage: the values must be one, not a ratio where 1 is 100%.
    const auto percent = std::find_if(stated.begin(), stated.end(), [&](const auto& kd) {
      return kd.second.scale == kPercent && same_number(v, kd.second.value);
    });
    if (v != 0 && percent != stated.end()) {
      const bool quotient = unit_by_name(side, &of) == "quotient";
      if (quotient || count_ratio(side, &of)) {
        const auto& [key, said] = *percent;
        emit("units/ratio-as-percent", b.range,
             util::concat({"the ", key, " annotation says ", said.text, ", but ", of,
                           quotient ? " is a unit over itself" : " is a ratio of two counts of events",
                           ", a ratio where 1 is 100%: the threshold ", util::format_number(v), " is ",
                           util::format_number(v * 100), "%"}),
             util::concat(
                 {"write ", util::format_number(v / 100), " for ", said.text, ", or multiply the ratio by 100"}));
        return true;
      }
    }
    // A count of events compared with a share the annotations state: KrishiMitra's
    // `rate(krishimitra_ml_fallbacks_total[10m]) > 0.1`, "More than 10% of requests", fires at
    // 0.02% of 1,000 requests a second (proofs/review43-missed.test.yml).
    const auto share =
        std::find_if(stated.begin(), stated.end(), [&](const auto& kd) { return is_share(v, kd.second); });
    if (const std::string counter = events_counted(side);
        !counter.empty() && v != 0 && share != stated.end() && !share_compared(*pr_.parsed->expr(), n, share->second)) {
      const auto& [key, said] = *share;
      const Call& c = *counted_by(side);
      const bool per_second = c.name != "increase";
      emit("units/events-as-share", b.range,
           util::concat({"the ", key, " annotation says ", said.text, ", but ", print(c), " counts ", counter,
                         per_second ? "'s events per second" : "'s events in its range",
                         ", no share of anything: the threshold ", util::format_number(v), " is ",
                         util::format_number(v), per_second ? " events a second" : " events",
                         ", whatever share of all the events that is"}),
           util::concat({"divide by the ", c.name, "() of all the events it is a share of, over the same range"}));
      return true;
    }
    // A threshold below 1 that is a stated percentage divided by 100, where an annotation prints
    // $value with a % after it: the annotations read the values as percentages, in which the
    // threshold is a fraction of a percent; if they are ratios, that annotation prints 85% as 0.85%.
    // Either way one is wrong (otc-prometheus-exporter 761b255: `elb_l4_con_usage > 0.8`, "> 80%",
    // "Current: {{ $value }}%", on a 0-100 usage: always firing). A percentage by name, or a proven
    // ratio, is units/percent-as-ratio's or units/ratio-printed-as-percent's.
    const auto hundredth = std::find_if(stated.begin(), stated.end(), [&](const auto& kd) {
      return kd.second.scale == kPercent && same_number(v * 100, kd.second.value);
    });
    const auto printed = std::find_if(r_.annotations.begin(), r_.annotations.end(),
                                      [](const rules::KeyValue& kv) { return !kv.tmpl().value_percents.empty(); });
    if (v > 0 && v < 1 && hundredth != stated.end() && printed != r_.annotations.end() && !filter_only(n, path) &&
        unit_by_name(side, &of) != "percent" && inf_.at(&side).unit != "percent" && ratio_printed().empty()) {
      const auto& [key, said] = *hundredth;
      emit("units/percent-as-ratio", b.range,
           util::concat({"the ", key, " annotation says ", said.text, " and ", printed->key.value,
                         " prints $value with a % after it, as a percentage (0-100), in which the threshold ",
                         util::format_number(v), " is ", util::format_number(v), "%; if the values are ratios (0-1), ",
                         printed->key.value, " prints ", said.text, " as ", util::format_number(v), "%"}),
           util::concat({"write ", util::format_number(said.value), " for ", said.text,
                         " if the values are percentages, or print {{ $value | humanizePercentage }}"}));
      return true;
    }
    // A rate per second compared with the number the annotations state per minute or per hour:
    // Aegis-BPF's `rate(aegisbpf_blocks_total[5m]) > 100`, "more than 100 executions per minute",
    // is silent at 600 a minute (proofs/rate-per-second.test.yml). A number stated per second agrees.
    if (const Call* c = counted_by(side); c && c->name != "increase" && v != 0) {
      auto said_per = [&](auto pred) {
        return std::find_if(stated.begin(), stated.end(), [&](const auto& kd) {
          return kd.second.per > 0 && same_number(v, kd.second.value) && pred(kd.second.per);
        });
      };
      const auto said = said_per([](double per) { return per != 1; });
      if (said != stated.end() && said_per([](double per) { return per == 1; }) == stated.end()) {
        const auto& [key, amount] = *said;
        const std::string per = util::format_number(amount.per);
        char meant[32];
        std::snprintf(meant, sizeof meant, "%.4g", v / amount.per); // 1.667, not 1.6666666666666667
        emit("units/threshold-unit", b.range,
             util::concat({"the ", key, " annotation says ", amount.text, ", but ", print(*c),
                           " is per second: the threshold ", util::format_number(v), " is ",
                           util::format_number(v * amount.per), " per ", time_unit(amount.per)}),
             util::concat({"write ", meant, " for ", amount.text, ", or compare ", print(*c), " * ", per}));
        return true;
      }
    }
    if (auto m = size_mismatch(side, v, stated, inf_)) {
      emit("units/threshold-unit", b.range, m->first, m->second);
      return true;
    }
    const double unit = duration_unit(side, &of);
    if ((unit != 1 && unit != 0.001) || v == 0) return true; // stated durations are seconds or milliseconds
    // A recording rule of these files that scales what it records (x * 1000) under a name in
    // seconds breaks the name's promise: the name says nothing then.
    bool scaled_record = false;
    walk(side, [&](const Expr& x, auto) {
      if (x.kind != NodeKind::vector_selector) return true;
      auto it = inf_.recorded().find(promql::metric_name(x.as<VectorSelector>()));
      scaled_record = scaled_record || (it != inf_.recorded().end() && it->second.scaled);
      return !scaled_record;
    });
    if (scaled_record) return true;
    // The unit the threshold was written in, as each stated duration would have it.
    const std::pair<std::string, Stated>* wrong = nullptr; // the annotation's key and its duration
    for (const auto& kd : stated) {
      const Stated& d = kd.second;
      if (d.scale == kPercent || d.size || d.per > 0) continue;
      double meant = 0;
      if (same_number(v, d.value)) meant = d.scale;
      else if (d.scale == 0.001 && same_number(v, d.value / 1000)) meant = 1;
      else if (d.scale == 1 && same_number(v, d.value * 1000)) meant = 0.001;
      if (meant == unit) return true;
      if (meant != 0 && !wrong) wrong = &kd;
    }
    if (!wrong) return true;
    const std::string& key = wrong->first;
    const Stated& said = wrong->second;
    emit("units/threshold-unit", b.range,
         util::concat({"the ", key, " annotation says ", said.text, ", but ", of, " is in ", time_units(unit),
                       " by its names: the threshold ", util::format_number(v), " is ", util::format_number(v), " ",
                       time_units(unit)}),
         util::concat({"write ", util::format_number(said.value * said.scale / unit), " for ", said.text}));
    return true;
  });
}

const char* time_units(double seconds) {
  return seconds == 0.001   ? "milliseconds"
         : seconds == 1     ? "seconds"
         : seconds == 60    ? "minutes"
         : seconds == 3600  ? "hours"
         : seconds == 86400 ? "days"
                            : nullptr;
}

std::string time_unit(double seconds) {
  return seconds == 60      ? "minute"
         : seconds == 3600  ? "hour"
         : seconds == 86400 ? "day"
                            : util::format_number(seconds) + " seconds";
}

} // namespace nsmon::lint
