#include "nsmon/lint/expr_checks_impl.hpp"

// Vector matching: which series of two sides meet, and where a match fails, loses or copies
// labels (labels/*). The rest of a binary operator's checks are expr_binary.cpp's.
namespace nsmon::lint {

void ExprChecks::Impl::matching(const BinaryExpr& b, const VectorMatching& vm) {
  const Shape& l = inf_.at(b.lhs);
  const Shape& r = inf_.at(b.rhs);
  // A label every series of one side carries and that no series of the other can carry puts
  // the two sides' signatures apart for good; a label one side only may carry proves nothing.
  auto matched = [&](const std::string& x) { return x != "__name__" && compares(vm, x); };
  copied_labels(b, vm);
  // A side that can never return anything was reported where that began.
  if (!l.empty.empty() || !r.empty.empty()) return;
  std::vector<std::string> only_l = inf_.apart(l, r, vm), only_r = inf_.apart(r, l, vm);
  const std::vector<std::string> clash = inf_.values_apart(l, r, vm);
  if (only_l.empty() && only_r.empty() && clash.empty()) {
    if (on_removed(b, vm) || fewer_kept(b, vm)) return;
    if (is_set_operator(b.op)) return;
    // Prometheus checks the right side's groups first (engine.go, VectorBinop).
    if (vm.card == Cardinality::one_to_one && !duplicate_group(b, vm, false)) duplicate_group(b, vm, true);
    // group_left's "one" side is the right, group_right's the left (engine.go, VectorBinop).
    if (vm.card != Cardinality::one_to_one && !one_side_apart(b, vm)) one_side_mirrors(b, vm);
    return;
  }
  std::set<std::string> ls, rs;
  for (const auto& x : l.labels)
    if (matched(x)) ls.insert(x);
  for (const auto& x : r.labels)
    if (matched(x)) rs.insert(x);
  std::string why;
  const std::string since_l = only_l.empty() ? "" : added_since(*b.lhs, only_l);
  const std::string since_r = only_r.empty() ? "" : added_since(*b.rhs, only_r);
  // Where no release added the label, why the other side lacks it: its exporter never writes it there.
  const std::string without_r = only_l.empty() || !since_l.empty() ? "" : written_without(*b.rhs, only_l);
  const std::string without_l = only_r.empty() || !since_r.empty() ? "" : written_without(*b.lhs, only_r);
  if (!only_l.empty()) why += "only the left side has " + util::join(only_l, ", ") + since_l + without_r;
  if (!only_r.empty())
    why += std::string(why.empty() ? "" : "; ") + "only the right side has " + util::join(only_r, ", ") + since_r +
           without_l;
  auto quoted = [](const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "\"" : ", \"") + v + "\"";
    return out;
  };
  for (const auto& x : clash)
    why += util::concat({why.empty() ? "" : "; ", x, " is ", quoted(l.values.find(x)->second), " on the left side and ",
                         quoted(r.values.find(x)->second), " on the right"});
  std::vector<std::string> common;
  std::set_intersection(ls.begin(), ls.end(), rs.begin(), rs.end(), std::back_inserter(common));
  // MetricsQL reads a side of one series without labels as a number where no on, ignoring or
  // group modifier is written (VictoriaMetrics app/vmselect/promql/binary_op.go at 7532dbcd,
  // adjustBinaryOpTags' isScalar; not and, or, unless): `rate(x[5m]) / count(y)` divides every
  // series on vmalert (review corpus, homelab-monitor's ContainerHighCpuShare) and none here. In
  // a group known to be vmalert's the rule works, on vmalert only: VictoriaMetrics wrote its own
  // rules for Prometheus too (b87c515, shipped-bugs), and promtool's tests see nothing.
  const char* number = nullptr;
  if (!is_set_operator(b.op) && !vm.written)
    number = r.labels_known && r.labels.empty() ? "right" : l.labels_known && l.labels.empty() ? "left" : nullptr;
  std::string fix_number, as_number;
  if (number) {
    fix_number = util::concat({"make the ", number, " side a number, scalar(...), or match it with on() ",
                               std::string_view(number) == "right" ? "group_left" : "group_right",
                               ": Prometheus and vmalert both read that"});
    as_number = util::concat({"MetricsQL reads the ", number, " side, one series without labels, as a number"});
  }
  if (number && self_.metricsql_) {
    emit("labels/impossible-match", b.range,
         util::concat({"the two sides of '", to_string(b.op), "' match in vmalert only: ", why, ", and ", as_number,
                       "; Prometheus, and promtool's tests, match nothing"}),
         fix_number);
    return;
  }
  std::string outcome = b.op == BinaryOp::lunless ? ": unless never removes anything"
                        : b.op == BinaryOp::land  ? ": and never returns anything"
                                                  : ": the expression never returns anything";
  if (number) outcome += util::concat({" in Prometheus (vmalert's ", as_number, ")"});
  // A label an exporter added splits one side's series (failures by reason): matching on the
  // labels both have finds several of them in a group, so the fix ignores it and says which
  // side keeps a series per value (alertmanager aff09c2: ignoring (reason) group_left).
  std::string fix =
      "match on the labels both sides have: on(" + util::join(common, ", ") + ") or aggregate both sides by them";
  // Only values apart (flag="OL" against flag="OB" of one metric): the match must leave them out.
  if (only_l.empty() && only_r.empty())
    fix = "leave " + util::join(clash, ", ") + " out of the match: ignoring (" + util::join(clash, ", ") + ")";
  if (!is_set_operator(b.op) && (since_l.empty() != since_r.empty()) && (only_l.empty() || only_r.empty())) {
    const std::string added = util::join(since_l.empty() ? only_r : only_l, ", ");
    fix = util::concat({"ignoring (", added, ") ", since_l.empty() ? "group_right" : "group_left",
                        " keeps a series per ", added, ", or aggregate it away on the ",
                        since_l.empty() ? "right" : "left", " side (sum or max without (", added, "))"});
  }
  if (number) fix = fix_number;
  emit("labels/impossible-match", b.range,
       std::string("the two sides of '") + to_string(b.op) + "' can never match: " + why + outcome, fix);
}

// Where a well-known exporter added one of `names` to a series of `side` in a version (since
// Alertmanager 0.26, alertmanager_notifications_failed_total carries reason): " (since ...)",
// or "". Older versions' series lack it, and the match holds there.
std::string ExprChecks::Impl::added_since(const Expr& side, const std::vector<std::string>& names) {
  std::string out;
  walk(side, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector || !out.empty()) return out.empty();
    if (const catalog::ExporterMetric* m = catalog::exporters().find(metric_name(n.as<VectorSelector>())))
      for (const auto& x : names)
        if (const catalog::ExporterLabel* l = m->label(x); l && !l->since.empty() && out.empty())
          out = util::concat({" (since ", m->exporter->name, " ", l->since, ", ", m->name, " carries ", x, ")"});
    return out.empty();
  });
  return out;
}

// Where `side` is a selector of a well-known exporter's metric that lists every label it carries
// (rules/exporters.yml, closed) and none of `names`: " (Cluster Autoscaler 1.36.1 writes x without
// direction)", or "". Said of a bare selector only: under an operator, the operator may be why.
std::string ExprChecks::Impl::written_without(const Expr& side, const std::vector<std::string>& names) {
  const Expr* top = unparen(&side);
  if (top->kind != NodeKind::vector_selector) return {};
  const catalog::ExporterMetric* m = catalog::exporters().find(metric_name(top->as<VectorSelector>()));
  if (!m || !m->exporter->closed ||
      std::any_of(names.begin(), names.end(), [&](const std::string& x) { return m->label(x) != nullptr; }))
    return {};
  return util::concat({" (", m->exporter->name, " ", m->exporter->version, " writes ", m->name, " without ",
                       util::word_list(names, "or"), ")"});
}

// One side keeps only the labels its operator lists, none at all (avg(x)) or some (sum by
// (namespace)), and the other keeps those and more (avg(y) by (cluster, namespace), sum by
// (namespace, pod)), matched on every label: the first side's label sets meet only series of the
// other that have none of the extra labels, where its by list grouped by nothing more. Whether a
// series has them is not known, but a by list names labels the author expects (tempo ea7bd7b^:
// TempoBlockListRisingQuickly's `avg(x) / avg(x offset 7d) by (cluster, namespace)` never fired).
// Whether it was reported.
bool ExprChecks::Impl::fewer_kept(const BinaryExpr& b, const VectorMatching& vm) {
  if (vm.on) return false;
  const Shape& l = inf_.at(b.lhs);
  const Shape& r = inf_.at(b.rhs);
  for (const Shape* fewer : {&l, &r}) {
    const Shape& other = fewer == &l ? r : l;
    if (!fewer->labels_known || fewer->closed_by.empty() || !other.labels_known || other.closed_by.empty()) continue;
    std::vector<std::string> extra;
    for (const auto& x : other.labels)
      if (x != "__name__" && compares(vm, x) && !fewer->labels.count(x)) extra.push_back(x);
    // An or's fallback without them (x{region=~"a|b"} or vector(0)) is made to meet the side without
    // them. by (cluster) is the mixins' multi-cluster convention (kubernetes-mixin's clusterLabel), a
    // no-op on the single cluster's series without it, where the sides do match (OpenShift's
    // in-cluster `sum(apiserver_request:burn5m) / sum by (cluster) (...)`, review corpus).
    if (extra.empty() || extra == std::vector<std::string>{"cluster"} ||
        std::any_of(extra.begin(), extra.end(), [&](const auto& x) { return other.lacking.count(x); }))
      continue;
    // vmalert reads a side without labels as a number (matching(), above): it meets every series.
    if (self_.metricsql_ && fewer->labels.empty() && !vm.written && !is_set_operator(b.op)) continue;
    const std::string op = to_string(b.op);
    const bool left = fewer == &l;
    const std::string kept = fewer->labels.empty() ? "keeps no label" : "keeps fewer labels";
    emit("labels/impossible-match", b.range,
         util::concat({"the two sides of '", op, "' match only where the ", left ? "right" : "left",
                       " side's series have none of ", util::join(extra, ", "), ": the ", left ? "left" : "right",
                       " side ", kept, " (", fewer->closed_by, ") and the other keeps them (", other.closed_by,
                       "), so where the series carry any, ",
                       b.op == BinaryOp::lunless ? "unless removes nothing" : "the expression returns nothing"}),
         util::concat({"aggregate both sides by the same labels (", left ? "left" : "right", ": add ",
                       util::join(extra, ", "), " to its by list), or match on () the labels both keep"}));
    return true;
  }
  return false;
}

// on (x) where an operator of a side removed x (sum by (job), a group by of other labels):
// Prometheus reads the missing label as empty, so that side matches only the other side's
// series without x, and where neither has it, on (x) keys on nothing. A side that surely has x
// against one that cannot is labels/impossible-match. Whether it was reported.
bool ExprChecks::Impl::on_removed(const BinaryExpr& b, const VectorMatching& vm) {
  if (!vm.on) return false;
  const Shape& l = inf_.at(b.lhs);
  const Shape& r = inf_.at(b.rhs);
  for (const auto& x : vm.labels) {
    const std::string wl = removed_by(l, x), wr = removed_by(r, x);
    if (wl.empty() && wr.empty()) continue;
    const std::string on = "on (" + util::join(vm.labels, ", ") + ")";
    if (!wl.empty() && !wr.empty())
      emit("labels/removed-label", b.range,
           util::concat({on, ": neither side has ", x, " (left: ", wl, "; right: ", wr, "): '", to_string(b.op),
                         "' matches its series as if ", x, " were not listed"}),
           "keep " + x + " where it is removed, or drop it from on ()");
    else
      emit("labels/removed-label", b.range,
           util::concat({on, ": the ", wl.empty() ? "right" : "left", " side has no ", x, ", ", wl.empty() ? wr : wl,
                         ": it matches only the ", wl.empty() ? "left" : "right", " side's series without ", x}),
           "keep " + x + " where it is removed, or drop it from on ()");
    return true;
  }
  return false;
}

// A job is a set of targets, each with its own instance, and so is a Kubernetes service (the
// Prometheus Operator names the job after it): on (job), on (service) or on () leaves them
// apart, unless a matcher pins `s` to one instance, or every series `side` reads is of an
// exporter that one target serves in a cluster (Ceph's active mgr: a standby serves nothing).
bool ExprChecks::Impl::instances_apart(const VectorMatching& vm, const Shape& s, const Expr& side) const {
  const auto pinned = s.values.find("instance");
  if ((vm.on &&
       !std::all_of(vm.labels.begin(), vm.labels.end(), [](const auto& x) { return x == "job" || x == "service"; })) ||
      (pinned != s.values.end() && pinned->second.size() == 1))
    return false;
  const std::set<std::string> reads = scraped_reads(side, inf_.recorded());
  return reads.empty() || !std::all_of(reads.begin(), reads.end(), [](const std::string& name) {
           const catalog::Exporter* e = catalog::exporters().by_prefix(name);
           return e && !e->one_target.empty();
         });
}

// The selector a side reads under functions of it (rate(), label_replace()), or null.
const VectorSelector* ExprChecks::Impl::selector_below(const Expr* e) {
  for (e = unparen(e); e && e->kind == NodeKind::call;) {
    const auto& args = e->as<Call>().args;
    auto it = std::find_if(args.begin(), args.end(),
                           [](const Expr* a) { return a->type == ValueType::vector || a->type == ValueType::matrix; });
    e = it == args.end() ? nullptr : unparen(*it);
  }
  return e ? selector_of(e) : nullptr;
}

// Whether `x` tells apart the several things of one target that a well-known exporter writes a
// metric for (node_exporter's cpu, device, mountpoint; rules/exporters.yml's `apart`), where `side`
// is that metric's selector, alone or under functions of it (rate(), label_replace()): a fact,
// where a regex matcher or a by list that keeps x is only a sign. A matcher that picks values of
// x (container=~"jupyter-nb-.*") may leave one per target, and so do the labels of one of the
// fact's `pins`, each fixed by an equality matcher or compared by the match (container_id).
bool ExprChecks::Impl::apart_by_exporter(const Expr& side, const std::string& x, const VectorMatching& vm,
                                         const Shape& s) {
  const VectorSelector* vs = selector_below(&side);
  if (!vs) return false;
  const catalog::ExporterFamily* f = catalog::exporters().family(metric_name(*vs));
  const bool picked = std::any_of(vs->matchers.begin(), vs->matchers.end(), [&](const Matcher& m) {
    return m.name == x && (m.op == MatchOp::equal || m.op == MatchOp::regex);
  });
  if (!f || picked || std::none_of(f->apart.begin(), f->apart.end(), [&](const auto& a) { return a.first == x; }))
    return false;
  // A label the match compares fixes one value per group only where every series carries it.
  auto fixed = [&](const std::string& l) {
    return (compares(vm, l) && Inference::present(s, l)) ||
           std::any_of(vs->matchers.begin(), vs->matchers.end(),
                       [&](const Matcher& m) { return m.name == l && m.op == MatchOp::equal; });
  };
  if (std::any_of(f->within.begin(), f->within.end(), [&](const auto& w) { return w.first == x && !fixed(w.second); }))
    return false;
  return std::none_of(f->pins.begin(), f->pins.end(),
                      [&](const auto& pin) { return std::all_of(pin.begin(), pin.end(), fixed); });
}

// Whether `x` tells apart the objects of one name that `side`'s exporter writes (kube-state-metrics'
// namespace, rules/exporters.yml's `within`): the match should compare it, not aggregate it away,
// which would add up the objects of one name in every namespace.
bool ExprChecks::Impl::names_within(const Expr& side, const std::string& x) {
  const VectorSelector* vs = selector_below(&side);
  const catalog::ExporterFamily* f = vs ? catalog::exporters().family(metric_name(*vs)) : nullptr;
  return f && std::any_of(f->within.begin(), f->within.end(), [&](const auto& w) { return w.first == x; });
}

std::string ExprChecks::Impl::match_too(const VectorMatching& vm, const std::string& x) {
  return vm.on ? "match on " + x + " too: on (" + util::join(vm.labels, ", ") + ", " + x + ")" : "stop ignoring " + x;
}

// A one-to-one match (no group_left or group_right) takes at most one series per match group on
// each side. A side that keeps a label the match leaves out, which tells its series apart (a
// regex matcher accepting several values, a by list, a job's instances, an exporter's devices)
// holds several series in a group, and Prometheus fails the evaluation (engine.go, VectorBinop):
// on the right whatever the left holds, on the left where a right series meets them. Said where
// the other side lacks the label (one of its series meets several), or where an exporter's fact
// says the label tells things apart, whatever the other side has (x / on (instance)
// node_cpu_seconds_total): a matcher or a by list on both sides may pick one value per group
// (datname=~"a|b" where each host serves one database). Whether it was reported.
bool ExprChecks::Impl::duplicate_group(const BinaryExpr& b, const VectorMatching& vm, bool left) {
  const Shape& s = inf_.at(left ? b.lhs : b.rhs);
  const Shape& other = inf_.at(left ? b.rhs : b.lhs);
  auto left_out = [&](const std::string& x) {
    return !compares(vm, x) && s.labels.count(x) && !inf_.absent(s, x) &&
           (inf_.absent(other, x) || apart_by_exporter(left ? *b.lhs : *b.rhs, x, vm, s));
  };
  std::string label, why;
  for (const auto& [x, w] : s.several)
    if (left_out(x)) {
      label = x, why = w;
      break;
    }
  if (label.empty() && left_out("instance") && inf_.absent(other, "instance") &&
      instances_apart(vm, s, left ? *b.lhs : *b.rhs))
    label = "instance", why = "each target of a job or service has its own instance";
  const bool superset = label.empty() && !left && !(label = right_reads_more(b, vm, why)).empty();
  if (label.empty()) return false;
  const std::string match = std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")";
  const char* side = left ? "left" : "right";
  const bool both = Inference::present(other, label);
  emit("labels/duplicate-match-group", b.range,
       util::concat(
           {"the ", side, " side keeps ", label, ", which ", match, " leaves out",
            inf_.absent(other, label) ? std::string(" and the ") + (left ? "right" : "left") + " side lacks" : "", " (",
            why, "): a match group can hold several ", side, " series, and Prometheus then fails the evaluation: \"",
            left ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                 : "found duplicate series for the match group ... on the right hand-side of the operation",
            "\""}),
       superset ? util::concat({"aggregate ", label, " away on both sides (sum without (", label, ") (...))"})
       : both || (names_within(left ? *b.lhs : *b.rhs, label) && !inf_.absent(other, label))
           ? match_too(vm, label)
           : util::concat({"aggregate ", label, " away on the ", side, " side (sum without (", label, ") (...))",
                           left ? ", or write group_left to keep a series per " + label : ""}));
  return true;
}

// The right side of a one-to-one match reads every series the left reads and more: the same
// selector through the same per-series functions, with fewer matchers (a constant added, or a
// floor from clamp_min, on the way), while the left's matchers pick values of a label the match
// leaves out (proteos' x{code=~"5.."} / on (instance) (x + 1e-9)). A group then holds the left's
// series and those of every other value: where there are two, Prometheus fails the evaluation;
// where the left's is alone, it meets itself. A label naming where series come from (job,
// namespace) is left alone: its values seldom share a group. That label, and `why`, or "".
std::string ExprChecks::Impl::right_reads_more(const BinaryExpr& b, const VectorMatching& vm, std::string& why) const {
  const Expr* whole = unparen(b.rhs);
  for (;;) {
    if (whole->kind == NodeKind::binary && whole->as<BinaryExpr>().op == BinaryOp::add) {
      const auto& a = whole->as<BinaryExpr>();
      if (inf_.constant(a.rhs)) whole = unparen(a.lhs);
      else if (inf_.constant(a.lhs)) whole = unparen(a.rhs);
      else break;
    } else if (whole->kind == NodeKind::call && whole->as<Call>().name == "clamp_min" &&
               whole->as<Call>().args.size() == 2 && inf_.constant(whole->as<Call>().args[1])) {
      whole = unparen(whole->as<Call>().args[0]);
    } else break;
  }
  if (!inf_.reads_itself(b.lhs, whole)) return "";
  const VectorSelector* part = selector_below(b.lhs);
  const VectorSelector* all = selector_below(whole);
  if (!part || !all) return "";
  for (const auto& m : part->matchers)
    if (m.name != "__name__" && !names_origin(m.name) && !compares(vm, m.name) && !narrows(*all, m.name) &&
        !matches_empty(m)) {
      why = util::concat({"it reads every ", m.name, " of ", metric_name(*part), ", the left side only ",
                          format_matcher(m), "; a group that holds the left's series alone meets itself"});
      return m.name;
    }
  return "";
}

// group_left's "one" side (group_right's left) takes one series per match group, checked before
// anything is matched (engine.go, VectorBinop). A well-known exporter's metric that keeps a label
// telling a target's several things apart (rules/exporters.yml's `apart`), which the match leaves
// out, holds several in a group (kube-state-metrics' containers of a pod under on (pod)), whatever
// the many side holds. Whether it was reported.
bool ExprChecks::Impl::one_side_apart(const BinaryExpr& b, const VectorMatching& vm) {
  const bool left = vm.card == Cardinality::one_to_many;
  const Expr& side = left ? *b.lhs : *b.rhs;
  const Shape& s = inf_.at(&side);
  for (const auto& [x, why] : s.several) {
    if (compares(vm, x) || !s.labels.count(x) || inf_.absent(s, x) || !apart_by_exporter(side, x, vm, s)) continue;
    const std::string name = left ? "left" : "right";
    const std::string match = std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")";
    emit(
        "labels/duplicate-match-group", b.range,
        util::concat({"the ", name, " side, the \"one\" side of ", left ? "group_right" : "group_left", ", keeps ", x,
                      ", which ", match, " leaves out (", why, "): a match group can hold several ", name,
                      " series, and Prometheus then fails the evaluation: \"found duplicate series for the match group",
                      " ... on the ", name, " hand-side of the operation ...; many-to-many matching not allowed\""}),
        names_within(side, x) && !inf_.absent(inf_.at(left ? b.rhs : b.lhs), x)
            ? match_too(vm, x)
            : util::concat(
                  {"pick one series per group on the ", name, " side (a matcher, or sum without (", x, ") (...))"}));
    return true;
  }
  return false;
}

// group_left's "one" side (group_right's left) takes one series per match group. A "one" side
// that reads the very metrics of the many side, aggregated on neither side, filtered and pinned
// no tighter, holds as many series in a group as the many side, and group_left is written
// because that can be several: Prometheus then fails the evaluation (paas-cf 5bab342:
// x:delta5m / on () group_left () x:mean5m, both of one per-router metric). A label the match
// leaves out must tell the series apart on both sides (a scraped series' instance).
void ExprChecks::Impl::one_side_mirrors(const BinaryExpr& b, const VectorMatching& vm) {
  const bool left = vm.card == Cardinality::one_to_many;
  const Shape& one = inf_.at(left ? b.lhs : b.rhs);
  const Shape& many = inf_.at(left ? b.rhs : b.lhs);
  // A filter may keep one of them (GitLab's primary, `x and is_replica == 0`, against its replicas).
  if (one.aggregated || many.aggregated || one.filters) return;
  for (const auto& [x, v] : one.values)
    if (auto it = many.values.find(x); v.size() == 1 && (it == many.values.end() || it->second != v)) return;
  // The label that tells the series apart in a group: a job's instances (on (), on (job)), or
  // one that the many side's matchers or by list split; a label that may hold one value per
  // group (job under on (instance)) lets a needless group_left pass.
  auto left_out = [&](const std::string& x) {
    return !compares(vm, x) && Inference::present(one, x) && Inference::present(many, x);
  };
  std::string label = left_out("instance") && instances_apart(vm, one, left ? *b.lhs : *b.rhs) ? "instance" : "";
  for (const auto& [x, w] : many.several)
    if (label.empty() && one.several.count(x) && left_out(x)) label = x;
  if (label.empty()) return;
  const std::set<std::string> reads = scraped_reads(left ? *b.lhs : *b.rhs, inf_.recorded());
  if (reads.empty() || reads != scraped_reads(left ? *b.rhs : *b.lhs, inf_.recorded())) return;
  const std::string side = left ? "left" : "right", other = left ? "right" : "left";
  const std::string group = left ? "group_right" : "group_left";
  const std::string match = std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")";
  const std::string names = util::join(std::vector<std::string>(reads.begin(), reads.end()), ", ");
  emit("labels/duplicate-match-group", b.range,
       "the " + side + " side, the \"one\" side of " + group + ", reads the same series as the " + other + " side (" +
           names + ") and aggregates none away: a match group holds as many " + side + " series as " + other +
           " ones (they differ in " + label + ", which " + match + " leaves out), several wherever " + group +
           " is needed, and Prometheus then fails the evaluation: \"found duplicate series for the match " +
           "group ... on the " + side + " hand-side of the operation ...; many-to-many matching not allowed\"",
       "match series by series (" + (vm.on ? "on (..., " + label + ")" : std::string("ignoring fewer labels")) +
           ", no group modifier), or aggregate the " + side + " side to the match labels");
}

// A label that a group_left (x) below copied, which this operator drops again: one-to-one on ()
// keeps only its labels and ignoring () drops its own, and/unless and the "one" side of a
// group_left keep none of that side's. A label the match compares is used, not dropped.
void ExprChecks::Impl::join_undone(const BinaryExpr& b, const VectorMatching& vm) {
  const Shape& out = inf_.at(&b);
  for (const Expr* side : {b.lhs, b.rhs})
    for (const auto& [x, how] : inf_.at(side).joined) {
      if (out.joined.count(x) || compares(vm, x)) continue;
      const std::string op = vm.card == Cardinality::one_to_one && !is_set_operator(b.op)
                                 ? std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")"
                                 : std::string("'") + to_string(b.op) + "'" +
                                       (vm.card == Cardinality::many_to_one   ? " group_left"
                                        : vm.card == Cardinality::one_to_many ? " group_right"
                                                                              : "");
      const bool whole_side = is_set_operator(b.op) || (side == b.rhs) != (vm.card == Cardinality::one_to_many);
      emit("labels/copied-label-dropped", b.range,
           util::concat({op, " drops ", x, ", which ", how, " copied onto the ", side == b.lhs ? "left" : "right",
                         " side: ",
                         whole_side ? "the result takes its labels from the other side"
                                    : (vm.on ? "one-to-one matching keeps only the on () labels"
                                             : "one-to-one matching drops the ignored labels"),
                         ", so the join adds nothing"}),
           "keep " + x + " through the match (on (..., " + x + ") or group_left (" + x +
               ")), or drop the join if the label is not wanted");
      return; // one finding per operator
    }
}

// group_left (x) copies x from the other side's series; where they have none, it removes x from
// the result instead. Where the kept side has no x either, the join adds no x and loses none: a
// no-op, said at info (a later join may add x, as OpenShift's SLO rules do), since the join
// written to add x (the detector's version) still adds nothing.
void ExprChecks::Impl::copied_labels(const BinaryExpr& b, const VectorMatching& vm) {
  if (vm.card != Cardinality::many_to_one && vm.card != Cardinality::one_to_many) return;
  const bool left = vm.card == Cardinality::many_to_one;
  const Shape& other = inf_.at(left ? b.rhs : b.lhs);
  const Shape& kept = inf_.at(left ? b.lhs : b.rhs);
  for (const auto& inc : vm.include)
    if (inf_.absent(other, inc)) {
      const bool loses = !inf_.absent(kept, inc);
      std::string why = removed_by(other, inc);
      self_.emit(
          "labels/copied-label-absent", b.range,
          util::concat({left ? "group_left" : "group_right", " (", inc, ") copies ", inc, " from the ",
                        left ? "right" : "left", " side, whose series have none", why.empty() ? "" : " (" + why + ")",
                        loses ? ": the result loses " + inc : ": the join adds no " + inc}),
          "keep " + inc + " on the " + (left ? "right" : "left") + " side, e.g. by (" + inc + ", ...)",
          loses ? core::Severity::warning : core::Severity::info);
    }
}

} // namespace nsmon::lint
