// Semantic actions of the PromQL grammar: they build the tree and report the errors Prometheus's
// parser reports while parsing (before type checking), with the same words and positions.
#include <cmath>
#include <limits>

#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/parser_impl.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::promql::detail {

namespace {

// Durations are int64 nanoseconds: literals beyond ±2^63 ns (about 292 years) do not fit.
bool duration_out_of_range(double seconds) { return seconds > 9223372036.854775808 || seconds < -9223372036.854775808; }

BinaryOp binary_op(TokenKind k) {
  switch (k) {
  case TokenKind::add: return BinaryOp::add;
  case TokenKind::sub: return BinaryOp::sub;
  case TokenKind::mul: return BinaryOp::mul;
  case TokenKind::div: return BinaryOp::div;
  case TokenKind::mod: return BinaryOp::mod;
  case TokenKind::pow: return BinaryOp::pow;
  case TokenKind::atan2: return BinaryOp::atan2;
  case TokenKind::eqlc: return BinaryOp::eql;
  case TokenKind::neq: return BinaryOp::neq;
  case TokenKind::gtr: return BinaryOp::gtr;
  case TokenKind::lss: return BinaryOp::lss;
  case TokenKind::gte: return BinaryOp::gte;
  case TokenKind::lte: return BinaryOp::lte;
  case TokenKind::trim_upper: return BinaryOp::trim_upper;
  case TokenKind::trim_lower: return BinaryOp::trim_lower;
  case TokenKind::land: return BinaryOp::land;
  case TokenKind::lor: return BinaryOp::lor;
  default: return BinaryOp::lunless;
  }
}

AggregateOp aggregate_op(TokenKind k) {
  switch (k) {
  case TokenKind::sum: return AggregateOp::sum;
  case TokenKind::avg: return AggregateOp::avg;
  case TokenKind::count: return AggregateOp::count;
  case TokenKind::min: return AggregateOp::min;
  case TokenKind::max: return AggregateOp::max;
  case TokenKind::group: return AggregateOp::group;
  case TokenKind::stddev: return AggregateOp::stddev;
  case TokenKind::stdvar: return AggregateOp::stdvar;
  case TokenKind::topk: return AggregateOp::topk;
  case TokenKind::bottomk: return AggregateOp::bottomk;
  case TokenKind::count_values: return AggregateOp::count_values;
  case TokenKind::quantile: return AggregateOp::quantile;
  case TokenKind::limitk: return AggregateOp::limitk;
  default: return AggregateOp::limit_ratio;
  }
}

DurationOp duration_op(TokenKind k) {
  switch (k) {
  case TokenKind::add: return DurationOp::add;
  case TokenKind::sub: return DurationOp::sub;
  case TokenKind::mul: return DurationOp::mul;
  case TokenKind::div: return DurationOp::div;
  case TokenKind::mod: return DurationOp::mod;
  case TokenKind::pow: return DurationOp::pow;
  case TokenKind::step: return DurationOp::step;
  case TokenKind::range: return DurationOp::range;
  case TokenKind::min_of: return DurationOp::min_of;
  default: return DurationOp::max_of;
  }
}

bool is_number(const Expr* e) { return e && e->kind == NodeKind::number_literal; }
// A number where a duration goes, written without a unit ([300]): Prometheus reads seconds.
bool unitless(const Expr* e) { return is_number(e) && !e->as<NumberLiteral>().duration; }
bool is_duration(const Expr* e) { return e && e->kind == NodeKind::duration; }

} // namespace

void ParserImpl::unexpected(std::string_view context, std::string_view expected) {
  std::string msg = "unexpected " + describe(last_, in_);
  if (!context.empty()) msg += " in " + std::string(context);
  if (!expected.empty()) msg += ", expected " + std::string(expected);
  error({last_.pos, last_.pos + last_.len}, std::move(msg));
  stop_ = true;
}

std::string ParserImpl::unquote(const Token& t) {
  auto s = text::go::unquote(t.text(in_));
  if (!s) {
    error({last_.pos, last_.pos + last_.len},
          "error unquoting string " + text::go::quote(t.text(in_)) + ": invalid syntax");
    return {};
  }
  return std::move(*s);
}

double ParserImpl::number_value(const Token& t) {
  std::string err;
  auto v = text::go::parse_number(t.text(in_), err);
  if (!v) {
    error({last_.pos, last_.pos + last_.len}, "error parsing number: " + err);
    return 0;
  }
  return *v;
}

double ParserImpl::duration_value(const Token& t, PosRange where) {
  std::string err;
  auto ms = text::parse_duration(t.text(in_), &err);
  if (!ms) {
    error(where, err);
    return 0;
  }
  // time.Duration.Seconds(): whole seconds plus the fraction, as Go computes it.
  return static_cast<double>(*ms / 1000) + static_cast<double>((*ms % 1000) * 1000000) / 1e9;
}

Expr* ParserImpl::make_aggregate(const Value& op, const Value& mods, const Value& body, const PosRange& span) {
  auto* ag = node<AggregateExpr>();
  ag->op = aggregate_op(op.tok.kind);
  ag->range = span;
  if (mods.labels) ag->grouping = std::move(*mods.labels);
  ag->without = mods.flag;
  const std::vector<Expr*> none;
  const std::vector<Expr*>& args = body.args ? *body.args : none;
  if (args.empty()) {
    error(span, "no arguments for aggregate expression provided");
    return ag;
  }
  std::size_t desired = 1;
  if (takes_parameter(ag->op)) {
    if (!opts_.experimental_functions && is_experimental(ag->op)) {
      error(span, std::string(to_string(ag->op)) +
                      "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
      return ag;
    }
    desired = 2;
    ag->param = args[0];
  }
  if (args.size() != desired) {
    error(span, "wrong number of arguments for aggregate expression provided, expected " + std::to_string(desired) +
                    ", got " + std::to_string(args.size()));
    return ag;
  }
  ag->expr = args[desired - 1];
  return ag;
}

Expr* ParserImpl::make_call(const Value& name, const Value& body, const PosRange& span) {
  auto* call = node<Call>();
  call->name = text(name.tok);
  call->range = span;
  call->func = find_function(call->name);
  PosRange at{name.tok.pos, name.tok.pos + name.tok.len};
  if (!call->func) error(at, "unknown function with name " + text::go::quote(call->name));
  if (call->func && call->func->experimental && !opts_.experimental_functions)
    error(at, "function " + text::go::quote(call->name) + " is not enabled");
  if (body.args) call->args = std::move(*body.args);
  call->type = call->func ? call->func->return_type : ValueType::none;
  return call;
}

void ParserImpl::experimental_duration(const Expr* e) {
  if (!opts_.duration_expressions) error(e->range, "experimental duration expression is not enabled");
}

Expr* ParserImpl::make_duration(DurationOp op, Expr* lhs, Expr* rhs, PosRange span) {
  auto* d = node<DurationExpr>();
  d->op = op;
  d->lhs = lhs;
  d->rhs = rhs;
  d->range = span;
  return d;
}

Expr* ParserImpl::duration_literal_checked(Expr* e) {
  if (is_number(e) && duration_out_of_range(e->as<NumberLiteral>().value)) {
    error(e->range, "duration out of range");
    auto* zero = node<NumberLiteral>();
    zero->range = e->range;
    return zero;
  }
  return e;
}

Expr* ParserImpl::wrap_duration(Expr* e, PosRange span) {
  if (is_duration(e)) {
    e->as<DurationExpr>().wrapped = true;
    e->range = span;
    return e;
  }
  auto* d = static_cast<DurationExpr*>(make_duration(DurationOp::add, nullptr, e, span));
  d->wrapped = true;
  return d;
}

Expr* ParserImpl::apply_unary_to_duration(const Token& op, Expr* e, bool wrapped, PosRange span) {
  if (wrapped) e = wrap_duration(e, {span.start + 1, span.end});
  if (is_duration(e)) {
    if (op.kind == TokenKind::sub) return make_duration(DurationOp::sub, nullptr, e, span);
    return e;
  }
  if (is_number(e)) {
    auto& nl = e->as<NumberLiteral>();
    if (op.kind == TokenKind::sub) nl.value = -nl.value;
    if (duration_out_of_range(nl.value)) {
      error({op.pos, op.pos + op.len}, "duration out of range");
      auto* zero = node<NumberLiteral>();
      zero->range = span;
      return zero;
    }
    nl.range.start = op.pos;
    return e;
  }
  error({op.pos, op.pos + op.len}, "expected number literal or duration expression");
  return node<NumberLiteral>();
}

TimeModifiers* ParserImpl::modifiers_of(Expr* e, const char* modifier) {
  switch (e->kind) {
  case NodeKind::vector_selector: return &e->as<VectorSelector>().modifiers;
  case NodeKind::matrix_selector: {
    Expr* vs = e->as<MatrixSelector>().selector;
    if (vs->kind == NodeKind::vector_selector) return &vs->as<VectorSelector>().modifiers;
    error(e->range, "ranges only allowed for vector selectors");
    return nullptr;
  }
  case NodeKind::subquery: return &e->as<SubqueryExpr>().modifiers;
  default:
    error(e->range,
          std::string(modifier) +
              " modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    return nullptr;
  }
}

void ParserImpl::add_offset(Expr* e, std::int64_t ns, DurationExpr* expr, bool unitless_ns, std::size_t end) {
  TimeModifiers* mods = modifiers_of(e, "offset");
  if (!mods) return;
  if (mods->offset_ns != 0 || mods->offset_expr) {
    error(e->range, "offset may not be set multiple times");
  } else if (expr) {
    mods->offset_expr = expr;
  } else {
    mods->offset_ns = ns;
    mods->offset_unitless = unitless_ns;
  }
  e->range.end = end;
}

void ParserImpl::set_at(Expr* e, AtKind kind, double ts, std::size_t end) {
  if (kind == AtKind::timestamp &&
      (std::isinf(ts) || std::isnan(ts) || ts >= 9223372036854775807.0 || ts <= -9223372036854775808.0))
    error(e->range, "timestamp out of bounds for @ modifier: " + text::go::format_float6(ts));
  TimeModifiers* mods = modifiers_of(e, "@");
  if (!mods) return;
  if (mods->at != AtKind::none) {
    error(e->range, "@ <timestamp> may not be set multiple times");
    return;
  }
  mods->at = kind;
  if (kind == AtKind::timestamp) {
    // timestamp.FromFloatSeconds; Go turns out-of-range conversions into INT64_MIN on amd64.
    double ms = std::round(ts * 1000);
    mods->at_ms = ms < 9223372036854775808.0 && ms >= -9223372036854775808.0 ? static_cast<std::int64_t>(ms)
                                                                             : std::numeric_limits<std::int64_t>::min();
  }
  e->range.end = end;
}

void ParserImpl::set_extended(Expr* e, bool anchored) {
  const char* what = anchored ? "anchored" : "smoothed";
  if (!opts_.extended_range_selectors) {
    error(e->range, std::string(what) + " modifier is experimental and not enabled");
    return;
  }
  VectorSelector* vs = nullptr;
  switch (e->kind) {
  case NodeKind::vector_selector: vs = &e->as<VectorSelector>(); break;
  case NodeKind::matrix_selector:
    if (e->as<MatrixSelector>().selector->kind != NodeKind::vector_selector) return;
    vs = &e->as<MatrixSelector>().selector->as<VectorSelector>();
    break;
  case NodeKind::subquery: error(e->range, std::string(what) + " modifier is not supported for subqueries"); return;
  default: error(e->range, std::string(what) + " modifier not implemented"); return;
  }
  (anchored ? vs->anchored : vs->smoothed) = true;
  if (vs->anchored && vs->smoothed) error(e->range, "anchored and smoothed modifiers cannot be used together");
}

Matcher ParserImpl::make_matcher(const Value& name, const Value& op, const Value& value) {
  Matcher m;
  m.name = name.str ? *name.str : text(name.tok);
  switch (op.tok.kind) {
  case TokenKind::neq: m.op = MatchOp::not_equal; break;
  case TokenKind::eql_regex: m.op = MatchOp::regex; break;
  case TokenKind::neq_regex: m.op = MatchOp::not_regex; break;
  default: m.op = MatchOp::equal; break;
  }
  m.value = unquote(value.tok);
  m.range = {name.range.start, value.range.end};
  if (m.op == MatchOp::regex || m.op == MatchOp::not_regex) {
    if (auto err = regex_error(m.value)) error(m.range, *err);
  }
  return m;
}

void ParserImpl::act(Action action, Value* v, Value& out) {
  const PosRange span = out.range;
  switch (action) {
  case Action::none:
  case Action::nothing: break;
  case Action::no_expression: error({0, 0}, "no expression found in input"); break;
  case Action::result: result_ = v[1].node; break;
  case Action::err_top: unexpected("", ""); break;

  // Aggregations.
  case Action::agg_mod_first: out.node = make_aggregate(v[0], v[1], v[2], span); break;
  case Action::agg_mod_last: out.node = make_aggregate(v[0], v[2], v[1], span); break;
  case Action::agg_plain: out.node = make_aggregate(v[0], Value{}, v[1], span); break;
  case Action::err_aggregation: unexpected("aggregation", ""); break;
  case Action::agg_by:
  case Action::agg_without:
    out.labels = v[1].labels;
    out.flag = action == Action::agg_without;
    break;

  // Binary operators and their modifiers.
  case Action::binary: {
    auto* b = node<BinaryExpr>();
    b->op = binary_op(v[1].tok.kind);
    b->lhs = v[0].node;
    b->rhs = v[3].node;
    b->return_bool = v[2].flag;
    b->modifiers = v[2].mods;
    b->range = span;
    bool scalar = b->lhs->type == ValueType::scalar && b->rhs->type == ValueType::scalar;
    b->type = scalar ? ValueType::scalar : ValueType::vector;
    out.node = b;
    if (!opts_.binop_fill_modifiers && b->modifiers && (b->modifiers->fill_lhs || b->modifiers->fill_rhs))
      error(span, "binop fill modifiers are experimental and not enabled");
    break;
  }
  case Action::mods_plain:
    out.mods = nullptr;
    out.flag = false;
    break;
  case Action::mods_bool:
    out.mods = nullptr;
    out.flag = true;
    break;
  case Action::mods_ignoring:
  case Action::mods_on:
    out.mods = arena_.make_matching();
    out.mods->written = true;
    out.mods->on = action == Action::mods_on;
    if (v[2].labels) out.mods->labels = std::move(*v[2].labels);
    break;
  case Action::mods_group_left:
  case Action::mods_group_right:
    if (!out.mods) out.mods = arena_.make_matching();
    out.mods->written = true;
    out.mods->card = action == Action::mods_group_left ? Cardinality::many_to_one : Cardinality::one_to_many;
    if (v[2].labels) out.mods->include = std::move(*v[2].labels);
    break;
  case Action::fill_both:
  case Action::fill_left:
  case Action::fill_right:
  case Action::fill_left_right:
  case Action::fill_right_left:
    if (!out.mods) out.mods = arena_.make_matching();
    out.mods->written = true;
    if (action == Action::fill_both) out.mods->fill_lhs = out.mods->fill_rhs = v[2].num;
    if (action == Action::fill_left) out.mods->fill_lhs = v[2].num;
    if (action == Action::fill_right) out.mods->fill_rhs = v[2].num;
    if (action == Action::fill_left_right) out.mods->fill_lhs = v[2].num, out.mods->fill_rhs = v[4].num;
    if (action == Action::fill_right_left) out.mods->fill_rhs = v[2].num, out.mods->fill_lhs = v[4].num;
    break;
  case Action::fill_value: out.num = v[1].node->as<NumberLiteral>().value; break;
  case Action::fill_value_signed: {
    double n = v[2].node->as<NumberLiteral>().value;
    out.num = v[1].tok.kind == TokenKind::sub ? -n : n;
    break;
  }

  // Grouping labels.
  case Action::labels_paren: out.labels = v[1].labels; break;
  case Action::labels_empty: out.labels = new_labels(); break;
  case Action::labels_none: out.labels = nullptr; break;
  case Action::err_grouping_paren: unexpected("grouping opts", "\"(\""); break;
  case Action::labels_first:
    out.labels = new_labels();
    out.labels->push_back(*v[0].str);
    break;
  case Action::labels_append:
    out.labels = v[0].labels;
    out.labels->push_back(*v[2].str);
    break;
  case Action::err_grouping_list: unexpected("grouping opts", "\",\" or \")\""); break;
  case Action::label_ident: out.str = new_string(text(v[0].tok)); break;
  case Action::label_string: {
    out.str = new_string(unquote(v[0].tok));
    if (out.str->empty() || !text::go::valid_utf8(*out.str))
      error(v[0].range, "invalid label name for grouping: " + text::go::quote(*out.str));
    break;
  }
  case Action::err_grouping_label: unexpected("grouping opts", "label"); break;

  // Function calls.
  case Action::call: out.node = make_call(v[0], v[1], span); break;
  case Action::args_paren: out.args = v[1].args; break;
  case Action::args_empty: out.args = new_args(); break;
  case Action::args_first:
    out.args = new_args();
    out.args->push_back(v[0].node);
    break;
  case Action::args_append:
    out.args = v[0].args;
    out.args->push_back(v[2].node);
    break;
  case Action::args_trailing_comma:
    error(v[1].range, "trailing commas not allowed in function call args");
    out.args = v[0].args;
    break;

  case Action::paren: {
    auto* p = node<ParenExpr>();
    p->expr = v[1].node;
    p->range = span;
    p->type = p->expr->type;
    out.node = p;
    break;
  }

  // Offsets, @, anchored/smoothed.
  case Action::positive_duration:
    if (is_number(v[0].node) && !(v[0].node->as<NumberLiteral>().value > 0) &&
        !std::isnan(v[0].node->as<NumberLiteral>().value)) {
      error(v[0].node->range, "duration must be greater than 0");
      auto* zero = node<NumberLiteral>();
      zero->range = v[0].node->range;
      out.node = zero;
    }
    break;
  case Action::offset:
    if (is_number(v[2].node)) {
      add_offset(v[0].node, text::go::seconds_to_ns(v[2].node->as<NumberLiteral>().value), nullptr, unitless(v[2].node),
                 span.end);
    } else {
      add_offset(v[0].node, 0, &v[2].node->as<DurationExpr>(), false, span.end);
    }
    out.node = v[0].node;
    break;
  case Action::err_offset: unexpected("offset", "number, duration, step(), or range()"); break;
  case Action::anchored:
  case Action::smoothed: set_extended(v[0].node, action == Action::anchored); break;
  case Action::at_number: set_at(v[0].node, AtKind::timestamp, v[2].num, span.end); break;
  case Action::at_start_end:
    set_at(v[0].node, v[2].tok.kind == TokenKind::start ? AtKind::start : AtKind::end, 0, span.end);
    break;
  case Action::err_at: unexpected("@", "timestamp"); break;

  // Ranges and subqueries.
  case Action::matrix: {
    Expr* e = v[0].node;
    const char* msg = nullptr;
    if (e->kind != NodeKind::vector_selector) {
      msg = "ranges only allowed for vector selectors";
    } else {
      const auto& m = e->as<VectorSelector>().modifiers;
      if (m.offset_ns != 0 || m.offset_expr) msg = "no offset modifiers allowed before range";
      else if (m.at != AtKind::none) msg = "no @ modifiers allowed before range";
    }
    if (msg) error({v[1].range.start, v[3].range.end}, msg);
    auto* ms = node<MatrixSelector>();
    ms->selector = e;
    ms->range = span;
    if (is_number(v[2].node)) ms->range_ns = text::go::seconds_to_ns(v[2].node->as<NumberLiteral>().value);
    if (is_duration(v[2].node)) ms->range_expr = &v[2].node->as<DurationExpr>();
    ms->range_unitless = unitless(v[2].node);
    out.node = ms;
    break;
  }
  case Action::subquery:
  case Action::subquery_step: {
    auto* sq = node<SubqueryExpr>();
    sq->expr = v[0].node;
    sq->range = span;
    if (is_number(v[2].node)) sq->range_ns = text::go::seconds_to_ns(v[2].node->as<NumberLiteral>().value);
    if (is_duration(v[2].node)) sq->range_expr = &v[2].node->as<DurationExpr>();
    sq->range_unitless = unitless(v[2].node);
    if (action == Action::subquery_step) {
      if (is_number(v[4].node)) sq->step_ns = text::go::seconds_to_ns(v[4].node->as<NumberLiteral>().value);
      if (is_duration(v[4].node)) sq->step_expr = &v[4].node->as<DurationExpr>();
      sq->step_unitless = unitless(v[4].node);
    }
    out.node = sq;
    break;
  }
  case Action::err_subquery_close: unexpected("subquery selector", "\"]\""); break;
  case Action::err_subquery_step: unexpected("subquery selector", "number, duration, step(), range(), or \"]\""); break;
  case Action::err_subquery_colon: unexpected("subquery or range", "\":\" or \"]\""); break;
  case Action::err_subquery_range:
    unexpected("subquery or range selector", "number, duration, step(), or range()");
    break;

  case Action::unary:
    if (is_number(v[1].node)) {
      auto& nl = v[1].node->as<NumberLiteral>();
      if (v[0].tok.kind == TokenKind::sub) nl.value = -nl.value;
      nl.range.start = v[0].tok.pos;
      out.node = &nl;
    } else {
      auto* u = node<UnaryExpr>();
      u->op = v[0].tok.kind == TokenKind::sub ? UnaryOp::minus : UnaryOp::plus;
      u->expr = v[1].node;
      u->range = span;
      u->type = u->expr->type;
      out.node = u;
    }
    break;

  // Vector selectors and label matchers.
  case Action::selector_name_braces: {
    auto& vs = v[1].node->as<VectorSelector>();
    vs.name = text(v[0].tok);
    vs.range = span;
    out.node = &vs;
    break;
  }
  case Action::selector_name: {
    auto* vs = node<VectorSelector>();
    vs->name = text(v[0].tok);
    vs->range = span;
    out.node = vs;
    break;
  }
  case Action::selector_braces: break;
  case Action::braces:
  case Action::braces_comma:
  case Action::braces_empty: {
    auto* vs = node<VectorSelector>();
    if (action != Action::braces_empty && v[1].matchers) vs->matchers = std::move(*v[1].matchers);
    vs->range = span;
    out.node = vs;
    break;
  }
  case Action::matchers_first: out.matchers = v[0].matchers; break;
  case Action::matchers_append:
    out.matchers = v[0].matchers;
    if (v[2].matchers) out.matchers->insert(out.matchers->end(), v[2].matchers->begin(), v[2].matchers->end());
    break;
  case Action::err_matchers: unexpected("label matching", "\",\" or \"}\""); break;
  case Action::matcher:
    out.matchers = new_matchers();
    out.matchers->push_back(make_matcher(v[0], v[1], v[2]));
    break;
  case Action::matcher_name_only:
    out.matchers = new_matchers();
    out.matchers->push_back(Matcher{{"__name__", MatchOp::equal, *v[0].str}, v[0].range});
    break;
  case Action::err_matcher_string: unexpected("label matching", "string"); break;
  case Action::err_matcher_op: unexpected("label matching", "label matching operator"); break;
  case Action::err_matcher: unexpected("label matching", "identifier or \"}\""); break;

  // Literals.
  case Action::literal_number:
  case Action::literal_duration: {
    auto* nl = node<NumberLiteral>();
    nl->range = v[0].range;
    nl->duration = action == Action::literal_duration;
    nl->value = nl->duration ? duration_value(v[0].tok, v[0].range) : number_value(v[0].tok);
    out.node = nl;
    break;
  }
  case Action::number: out.num = number_value(v[0].tok); break;
  case Action::number_duration: out.num = duration_value(v[0].tok, v[0].range); break;
  case Action::plus_number: out.num = v[1].num; break;
  case Action::minus_number: out.num = -v[1].num; break;
  case Action::literal_string: {
    auto* s = node<StringLiteral>();
    s->value = unquote(v[0].tok);
    s->range = v[0].range;
    out.node = s;
    break;
  }
  case Action::string_identifier: out.str = new_string(unquote(v[0].tok)); break;

  // Duration expressions.
  case Action::dur_literal: out.node = duration_literal_checked(v[0].node); break;
  case Action::dur_signed_literal: {
    auto& nl = v[1].node->as<NumberLiteral>();
    if (v[0].tok.kind == TokenKind::sub) nl.value = -nl.value;
    if (duration_out_of_range(nl.value)) {
      error(v[0].range, "duration out of range");
      auto* zero = node<NumberLiteral>();
      zero->range = span;
      out.node = zero;
      break;
    }
    nl.range.start = v[0].tok.pos;
    out.node = &nl;
    break;
  }
  case Action::dur_step:
  case Action::dur_range:
    out.node = make_duration(duration_op(v[0].tok.kind), nullptr, nullptr, span);
    experimental_duration(out.node);
    break;
  case Action::dur_signed_step:
  case Action::dur_signed_range: {
    Expr* inner = make_duration(duration_op(v[1].tok.kind), nullptr, nullptr, {v[1].range.start, span.end});
    out.node = make_duration(duration_op(v[0].tok.kind), nullptr, inner, span);
    experimental_duration(out.node);
    break;
  }
  case Action::dur_min_max:
    out.node = make_duration(duration_op(v[0].tok.kind), v[2].node, v[4].node, span);
    experimental_duration(out.node);
    break;
  case Action::dur_signed_min_max: {
    Expr* inner = make_duration(duration_op(v[1].tok.kind), v[3].node, v[5].node, {v[1].range.start, span.end});
    out.node = make_duration(duration_op(v[0].tok.kind), nullptr, inner, span);
    experimental_duration(out.node);
    break;
  }
  case Action::dur_signed_paren:
    out.node = apply_unary_to_duration(v[0].tok, v[2].node, true, {v[0].range.start, span.end});
    break;
  case Action::dur_unary: out.node = apply_unary_to_duration(v[0].tok, v[1].node, false, span); break;
  case Action::dur_binary: {
    experimental_duration(v[0].node);
    TokenKind op = v[1].tok.kind;
    if ((op == TokenKind::div || op == TokenKind::mod) && is_number(v[2].node) &&
        v[2].node->as<NumberLiteral>().value == 0) {
      error(v[1].range, op == TokenKind::div ? "division by zero" : "modulo by zero");
      auto* zero = node<NumberLiteral>();
      zero->range = span;
      out.node = zero;
      break;
    }
    out.node = make_duration(duration_op(op), v[0].node, v[2].node, span);
    break;
  }
  case Action::dur_paren:
    experimental_duration(v[1].node);
    out.node = wrap_duration(v[1].node, span);
    break;
  }
}

} // namespace nsmon::promql::detail
