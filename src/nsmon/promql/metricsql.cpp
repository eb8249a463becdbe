#include "nsmon/promql/metricsql.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/lexer.hpp"
#include "nsmon/promql/parser_impl.hpp"

namespace nsmon::promql {

namespace {

// metricsql's aggrFuncs (aggr.go) that are no PromQL aggregation, sorted.
constexpr std::string_view kAggregations[] = {
    "any",          "bottomk_avg",  "bottomk_last", "bottomk_max", "bottomk_median", "bottomk_min",
    "distinct",     "geomean",      "histogram",    "mad",         "median",         "mode",
    "outliers_iqr", "outliers_mad", "outliersk",    "quantiles",   "share",          "sum2",
    "topk_avg",     "topk_last",    "topk_max",     "topk_median", "topk_min",       "zscore",
};

// metricsql's rollupFuncs and transformFuncs (rollup.go, transform.go) that are no PromQL
// function, sorted.
constexpr std::string_view kFunctions[] = {
    "aggr_over_time",
    "ascent_over_time",
    "bitmap_and",
    "bitmap_or",
    "bitmap_xor",
    "buckets_limit",
    "changes_prometheus",
    "count_eq_over_time",
    "count_gt_over_time",
    "count_le_over_time",
    "count_ne_over_time",
    "count_values_over_time",
    "decreases_over_time",
    "default_rollup",
    "delta_prometheus",
    "deriv_fast",
    "descent_over_time",
    "distinct_over_time",
    "drop_common_labels",
    "drop_empty_series",
    "duration_over_time",
    "geomean_over_time",
    "histogram_over_time",
    "histogram_share",
    "hoeffding_bound_lower",
    "hoeffding_bound_upper",
    "holt_winters",
    "ideriv",
    "increase_prometheus",
    "increase_pure",
    "increases_over_time",
    "integrate",
    "interpolate",
    "keep_last_value",
    "keep_next_value",
    "label_copy",
    "label_del",
    "label_graphite_group",
    "label_keep",
    "label_lowercase",
    "label_map",
    "label_match",
    "label_mismatch",
    "label_move",
    "label_set",
    "label_transform",
    "label_uppercase",
    "label_value",
    "labels_equal",
    "lag",
    "lifetime",
    "limit_offset",
    "median_over_time",
    "mode_over_time",
    "now",
    "outlier_iqr_over_time",
    "prometheus_buckets",
    "quantiles_over_time",
    "rand",
    "rand_exponential",
    "rand_normal",
    "range_avg",
    "range_first",
    "range_last",
    "range_linear_regression",
    "range_mad",
    "range_max",
    "range_min",
    "range_normalize",
    "range_over_time",
    "range_quantile",
    "range_stddev",
    "range_stdvar",
    "range_sum",
    "range_trim_outliers",
    "range_trim_spikes",
    "range_trim_zscore",
    "range_zscore",
    "rate_over_sum",
    "rate_prometheus",
    "remove_resets",
    "rollup",
    "rollup_candlestick",
    "rollup_delta",
    "rollup_deriv",
    "rollup_increase",
    "rollup_rate",
    "rollup_scrape_interval",
    "running_avg",
    "running_max",
    "running_min",
    "running_sum",
    "scrape_interval",
    "share_eq_over_time",
    "share_gt_over_time",
    "share_le_over_time",
    "smooth_exponential",
    "sort_by_label_numeric",
    "sort_by_label_numeric_desc",
    "stale_samples_over_time",
    "sum2_over_time",
    "sum_eq_over_time",
    "sum_gt_over_time",
    "sum_le_over_time",
    "tfirst_over_time",
    "timestamp_with_name",
    "timezone_offset",
    "tlast_change_over_time",
    "tlast_over_time",
    "tmax_over_time",
    "tmin_over_time",
    "union",
    "zscore_over_time",
};

bool listed(const std::string_view* begin, const std::string_view* end, std::string_view name) {
  return std::binary_search(begin, end, name);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_name(TokenKind k) { return k == TokenKind::identifier || k == TokenKind::metric_identifier; }

// Where an operand can end, so that a word after it is a binary operator (`x default 0`).
bool ends_operand(TokenKind k) {
  return k == TokenKind::right_paren || k == TokenKind::right_brace || k == TokenKind::right_bracket ||
         k == TokenKind::number || k == TokenKind::string || k == TokenKind::duration || is_name(k);
}

bool balanced(const std::vector<Token>& toks) {
  std::vector<TokenKind> open;
  for (const Token& t : toks) {
    switch (t.kind) {
    case TokenKind::left_paren: open.push_back(TokenKind::right_paren); break;
    case TokenKind::left_brace: open.push_back(TokenKind::right_brace); break;
    case TokenKind::left_bracket: open.push_back(TokenKind::right_bracket); break;
    case TokenKind::right_paren:
    case TokenKind::right_brace:
    case TokenKind::right_bracket:
      if (open.empty() || open.back() != t.kind) return false;
      open.pop_back();
      break;
    default: break;
    }
  }
  return open.empty();
}

} // namespace

MetricsqlReading read_metricsql(std::string_view expr) {
  MetricsqlReading out;
  std::vector<Token> toks;
  Lexer lexer(expr);
  for (Token t = lexer.next(); t.kind != TokenKind::eof; t = lexer.next()) {
    if (t.kind == TokenKind::error) return out; // MetricsQL's own lexical forms (`[5i]`, `1Ki`) are not read
    if (t.kind != TokenKind::comment) toks.push_back(t);
  }
  auto note = [&](std::string_view name) {
    if (out.extension.empty()) out.extension = std::string(name);
  };
  // The expression rewritten into PromQL of the same shape: a MetricsQL function `f(a, b)` is read
  // as `vector(a, b)`, an aggregation `f(a, b) by (l)` as `sum(vector(a, b)) by (l)` (the parser
  // checks neither arity nor types: the type checker does, and it does not run), an operator of
  // MetricsQL's as `or`; `keep_metric_names` and `limit N` are dropped.
  std::string promql;
  std::vector<int> closes;            // for each open parenthesis: how many extra `)` its `)` closes
  bool aggregation_args_next = false; // the next `(` opens a MetricsQL aggregation's arguments
  TokenKind prev = TokenKind::eof;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    const std::string_view text = t.text(expr);
    const TokenKind next = i + 1 < toks.size() ? toks[i + 1].kind : TokenKind::eof;
    std::string_view emit = text;
    if (is_name(t.kind)) {
      const std::string name = lower(text);
      const bool call = next == TokenKind::left_paren;
      if (name == "with" && call) {
        note("WITH");
        out.parses = balanced(toks);
        return out;
      }
      if (call && !find_function(text) && listed(std::begin(kFunctions), std::end(kFunctions), name)) {
        note(text);
        emit = "vector";
      } else if ((call || next == TokenKind::by || next == TokenKind::without) &&
                 listed(std::begin(kAggregations), std::end(kAggregations), name)) {
        note(text);
        emit = "sum";
        aggregation_args_next = true;
      } else if (ends_operand(prev) && (name == "default" || name == "if" || name == "ifnot")) {
        note(name);
        emit = "or";
      } else if (prev == TokenKind::right_paren && name == "keep_metric_names") {
        note(name);
        continue;
      } else if (prev == TokenKind::right_paren && name == "limit" && next == TokenKind::number) {
        note(name);
        ++i;
        continue;
      }
    }
    if (t.kind == TokenKind::left_paren) {
      // An aggregation's arguments, after its name or its `by (...)`: not the grouping's own `(`.
      const bool args = aggregation_args_next && prev != TokenKind::by && prev != TokenKind::without;
      closes.push_back(args ? 1 : 0);
      if (args) {
        aggregation_args_next = false;
        emit = "(vector(";
      }
    } else if (t.kind == TokenKind::right_paren && !closes.empty()) {
      if (closes.back() == 1) emit = "))";
      closes.pop_back();
    }
    promql.append(emit).push_back(' ');
    prev = t.kind;
  }
  // PromQL's parser alone: its syntax, not its types.
  Arena arena;
  std::vector<ParseError> errors;
  ParseOptions options;
  options.experimental_functions = true;
  options.duration_expressions = true;
  const Expr* root = detail::ParserImpl(promql, options, arena, errors).run();
  out.parses = root != nullptr && errors.empty();
  return out;
}

} // namespace nsmon::promql
