#include "nsmon/promql/parser.hpp"

#include "nsmon/promql/parser_impl.hpp"

namespace nsmon::promql {

namespace detail {

namespace {

int terminal_of(TokenKind k) {
  switch (k) {
  case TokenKind::identifier: return static_cast<int>(Term::IDENTIFIER);
  case TokenKind::metric_identifier: return static_cast<int>(Term::METRIC_IDENTIFIER);
  case TokenKind::number: return static_cast<int>(Term::NUMBER);
  case TokenKind::duration: return static_cast<int>(Term::DURATION);
  case TokenKind::string: return static_cast<int>(Term::STRING);
  case TokenKind::left_paren: return static_cast<int>(Term::LEFT_PAREN);
  case TokenKind::right_paren: return static_cast<int>(Term::RIGHT_PAREN);
  case TokenKind::left_brace: return static_cast<int>(Term::LEFT_BRACE);
  case TokenKind::right_brace: return static_cast<int>(Term::RIGHT_BRACE);
  case TokenKind::left_bracket: return static_cast<int>(Term::LEFT_BRACKET);
  case TokenKind::right_bracket: return static_cast<int>(Term::RIGHT_BRACKET);
  case TokenKind::comma: return static_cast<int>(Term::COMMA);
  case TokenKind::colon: return static_cast<int>(Term::COLON);
  case TokenKind::eql: return static_cast<int>(Term::EQL);
  case TokenKind::add: return static_cast<int>(Term::ADD);
  case TokenKind::sub: return static_cast<int>(Term::SUB);
  case TokenKind::mul: return static_cast<int>(Term::MUL);
  case TokenKind::div: return static_cast<int>(Term::DIV);
  case TokenKind::mod: return static_cast<int>(Term::MOD);
  case TokenKind::pow: return static_cast<int>(Term::POW);
  case TokenKind::eqlc: return static_cast<int>(Term::EQLC);
  case TokenKind::neq: return static_cast<int>(Term::NEQ);
  case TokenKind::lss: return static_cast<int>(Term::LSS);
  case TokenKind::gtr: return static_cast<int>(Term::GTR);
  case TokenKind::lte: return static_cast<int>(Term::LTE);
  case TokenKind::gte: return static_cast<int>(Term::GTE);
  case TokenKind::trim_upper: return static_cast<int>(Term::TRIM_UPPER);
  case TokenKind::trim_lower: return static_cast<int>(Term::TRIM_LOWER);
  case TokenKind::eql_regex: return static_cast<int>(Term::EQL_REGEX);
  case TokenKind::neq_regex: return static_cast<int>(Term::NEQ_REGEX);
  case TokenKind::at: return static_cast<int>(Term::AT);
  case TokenKind::land: return static_cast<int>(Term::LAND);
  case TokenKind::lor: return static_cast<int>(Term::LOR);
  case TokenKind::lunless: return static_cast<int>(Term::LUNLESS);
  case TokenKind::atan2: return static_cast<int>(Term::ATAN2);
  case TokenKind::avg: return static_cast<int>(Term::AVG);
  case TokenKind::bottomk: return static_cast<int>(Term::BOTTOMK);
  case TokenKind::count: return static_cast<int>(Term::COUNT);
  case TokenKind::count_values: return static_cast<int>(Term::COUNT_VALUES);
  case TokenKind::group: return static_cast<int>(Term::GROUP);
  case TokenKind::max: return static_cast<int>(Term::MAX);
  case TokenKind::min: return static_cast<int>(Term::MIN);
  case TokenKind::quantile: return static_cast<int>(Term::QUANTILE);
  case TokenKind::stddev: return static_cast<int>(Term::STDDEV);
  case TokenKind::stdvar: return static_cast<int>(Term::STDVAR);
  case TokenKind::sum: return static_cast<int>(Term::SUM);
  case TokenKind::topk: return static_cast<int>(Term::TOPK);
  case TokenKind::limitk: return static_cast<int>(Term::LIMITK);
  case TokenKind::limit_ratio: return static_cast<int>(Term::LIMIT_RATIO);
  case TokenKind::bool_: return static_cast<int>(Term::BOOL);
  case TokenKind::by: return static_cast<int>(Term::BY);
  case TokenKind::group_left: return static_cast<int>(Term::GROUP_LEFT);
  case TokenKind::group_right: return static_cast<int>(Term::GROUP_RIGHT);
  case TokenKind::fill: return static_cast<int>(Term::FILL);
  case TokenKind::fill_left: return static_cast<int>(Term::FILL_LEFT);
  case TokenKind::fill_right: return static_cast<int>(Term::FILL_RIGHT);
  case TokenKind::ignoring: return static_cast<int>(Term::IGNORING);
  case TokenKind::offset: return static_cast<int>(Term::OFFSET);
  case TokenKind::smoothed: return static_cast<int>(Term::SMOOTHED);
  case TokenKind::anchored: return static_cast<int>(Term::ANCHORED);
  case TokenKind::on: return static_cast<int>(Term::ON);
  case TokenKind::without: return static_cast<int>(Term::WITHOUT);
  case TokenKind::start: return static_cast<int>(Term::START);
  case TokenKind::end: return static_cast<int>(Term::END);
  case TokenKind::step: return static_cast<int>(Term::STEP);
  case TokenKind::range: return static_cast<int>(Term::RANGE);
  case TokenKind::max_of: return static_cast<int>(Term::MAX_OF);
  case TokenKind::min_of: return static_cast<int>(Term::MIN_OF);
  case TokenKind::eof: return static_cast<int>(Term::EOF_TOKEN);
  case TokenKind::error:
  case TokenKind::comment: break;
  }
  return static_cast<int>(Term::ERROR);
}

} // namespace

ParserImpl::ParserImpl(std::string_view input, const ParseOptions& options, Arena& arena,
                       std::vector<ParseError>& errors)
    : in_(input), opts_(options), arena_(arena), errors_(errors), lexer_(input) {}

void ParserImpl::error(PosRange r, std::string message) { errors_.push_back({r, std::move(message)}); }

// The parser reads tokens lazily, exactly when the yacc automaton needs a lookahead, because
// Prometheus records lexical errors at that moment (their order against semantic errors matters).
int ParserImpl::next_terminal() {
  if (!started_) {
    started_ = true;
    return static_cast<int>(Term::START_EXPRESSION);
  }
  if (eof_sent_) return kEndTerminal;
  for (;;) {
    Token t = lexer_.next();
    if (t.kind == TokenKind::comment) continue;
    last_ = t;
    if (t.kind == TokenKind::error) {
      error({t.pos, in_.size()}, lexer_.error_message());
      stop_ = true;
      return -1;
    }
    if (t.kind == TokenKind::eof) eof_sent_ = true;
    return terminal_of(t.kind);
  }
}

Expr* ParserImpl::run() {
  values_.reserve(kStackDepth);
  states_.reserve(kStackDepth);
  states_.push_back(0);
  values_.emplace_back();
  int la = -1;
  int errflag = 0;
  for (;;) {
    if (stop_) return nullptr;
    const int s = states_.back();
    if (kNeedsLookahead[s] && la < 0) {
      la = next_terminal();
      if (stop_) return nullptr;
    }
    int a = la >= 0 ? kActions[s][la] : 0;
    if (a > 0) {
      Value v;
      v.tok = last_;
      v.range = {last_.pos, last_.pos + last_.len};
      states_.push_back(static_cast<short>(a - 1));
      values_.push_back(v);
      la = -1;
      if (errflag > 0) --errflag;
      continue;
    }
    if (a == 0) a = kDefaultReduce[s] >= 0 ? -kDefaultReduce[s] - 3 : -1;
    if (a == -2) return result_;
    if (a == -1) {
      // yacc error recovery: pop to a state that shifts `error`; its error rule reports the
      // token. While recovering (errflag 3) further bad tokens are discarded.
      if (errflag == 3) {
        if (la == kEndTerminal) break;
        la = -1;
        continue;
      }
      errflag = 3;
      bool shifted = false;
      while (!states_.empty()) {
        int e = kActions[states_.back()][kErrorTerminal];
        if (e > 0) {
          states_.push_back(static_cast<short>(e - 1));
          Value v;
          v.range = {last_.pos, last_.pos};
          values_.push_back(v);
          shifted = true;
          break;
        }
        states_.pop_back();
        values_.pop_back();
      }
      if (!shifted) break;
      continue;
    }
    reduce(-a - 3);
  }
  if (errors_.empty()) unexpected("", "");
  return nullptr;
}

void ParserImpl::reduce(int rule) {
  const Rule& r = kRules[rule];
  const std::size_t n = static_cast<std::size_t>(r.length);
  const std::size_t base = values_.size() - n;
  if (n == 1 && r.action == Action::none) { // "expr: vector_selector": the value stays, with its span
    states_.back() = kGoto[states_[base - 1]][r.lhs];
    return;
  }
  Value out = n > 0 ? values_[base] : Value{};
  if (n > 0) {
    out.range = {values_[base].range.start, values_.back().range.end};
  } else {
    out.range = {last_.pos, last_.pos};
  }
  if (r.action != Action::none) act(r.action, values_.data() + base, out);
  values_.resize(base);
  states_.resize(base);
  const short next = kGoto[states_.back()][r.lhs];
  states_.push_back(next);
  values_.push_back(out);
}

} // namespace detail

std::string position_string(std::string_view input, std::size_t offset) {
  if (input.empty()) return "unknown position";
  if (offset > input.size()) return "invalid position";
  std::size_t line = 1;
  std::size_t last_break = 0;
  bool seen_break = false;
  for (std::size_t i = 0; i < offset; ++i) {
    if (input[i] == '\n') {
      ++line;
      last_break = i;
      seen_break = true;
    }
  }
  std::size_t col = seen_break ? offset - last_break : offset + 1;
  return std::to_string(line) + ":" + std::to_string(col);
}

std::string ParseResult::error_string() const {
  if (errors_.empty()) return "";
  return position_string(*input_, errors_.front().range.start) + ": parse error: " + errors_.front().message;
}

ParseResult parse(std::string_view input, const ParseOptions& options) {
  ParseResult res;
  res.input_ = std::make_shared<const std::string>(input);
  res.arena_ = std::make_shared<Arena>();
  std::string_view in = *res.input_;
  detail::ParserImpl parser(in, options, *res.arena_, res.errors_);
  Expr* root = parser.run();
  // Like Prometheus, type checking runs only on a syntactically valid tree.
  if (res.errors_.empty() && root) detail::check_ast(root, in, res.errors_);
  res.expr_ = res.errors_.empty() ? root : nullptr;
  return res;
}

} // namespace nsmon::promql
