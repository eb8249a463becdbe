#include "nsmon/gotemplate/check.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "nsmon/text/go.hpp"

namespace nsmon::gotemplate {

namespace {

constexpr std::string_view kFunctions[] = {
    // Go text/template builtins
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq",
    "ge", "gt", "le", "lt", "ne",
    // Prometheus template functions
    "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper",
    "toLower", "graphLink", "tableLink", "sortByLabel", "stripPort", "stripDomain", "humanize", "humanize1024",
    "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "toDuration", "now", "pathPrefix",
    "externalURL", "parseDuration"};

// vmalert's own functions (app/vmalert/templates/template.go); Go's builtins as above.
constexpr std::string_view kVmalertFunctions[] = {
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq",
    "ge", "gt", "le", "lt", "ne",
    // vmalert's
    "query", "externalURL", "pathPrefix", "title", "toUpper", "toLower", "crlfEscape", "quotesEscape", "jsonEscape",
    "htmlEscape", "stripPort", "stripDomain", "match", "reReplaceAll", "parseDuration", "parseDurationTime", "humanize",
    "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "formatTime", "pathEscape",
    "queryEscape", "first", "label", "value", "strvalue", "sortByLabel", "now", "args", "safeHtml"};

bool is_function(std::string_view s, Dialect dialect) {
  if (dialect == Dialect::vmalert)
    return std::find(std::begin(kVmalertFunctions), std::end(kVmalertFunctions), s) != std::end(kVmalertFunctions);
  return std::find(std::begin(kFunctions), std::end(kFunctions), s) != std::end(kFunctions);
}

// ASCII, as std::isalnum and std::isspace in the "C" locale nsmon runs in (inline: a libc call per character cost
// more than the rest of the lexer).
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_alnum(char c) { return ascii_digit(c) || ascii_alpha(c); }
bool ident_char(char c) { return ascii_alnum(c) || c == '_'; }
bool ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

enum class Tok { ident, variable, field, string, number, pipe, lparen, rparen, declare, assign, comma, other };

struct Token {
  Tok kind;
  std::string_view text;
  std::size_t offset; ///< in the whole template
};

// What a value is, as far as labels go: the alert's data (what Prometheus executes the template
// with: .Labels, .Value), its label map ($labels, .Labels), the result of a query written in the
// template (its samples), one of those samples, or anything else (a string). Go's text/template
// rebinds the dot inside {{range}} and {{with}}, so .Labels.x there reads the element's labels, not
// the alert's.
enum class Dot { alert, labels, other, query, sample };

struct Val {
  Dot kind = Dot::other;
  int query = -1; ///< of a query or a sample: its index in TemplateInfo::queries
  bool operator==(Dot d) const { return kind == d; }
};

struct Variable {
  std::string name;
  Val kind;
};

class Checker {
public:
  Checker(std::string_view text, Dialect dialect) : text_(text), dialect_(dialect) {
    // vmalert declares more variables before the template (notifier/alert.go's tplHeaders).
    if (dialect == Dialect::vmalert)
      for (const char* v : {"$type", "$expr", "$interval", "$alertID", "$groupID", "$activeAt", "$for", "$isPartial"})
        variables_.push_back({v, {}});
  }

  TemplateInfo run() {
    std::size_t pos = 0;
    while (info_.errors.empty()) {
      std::size_t open = text_.find("{{", pos);
      text_refs(pos, open == std::string_view::npos ? text_.size() : open);
      if (open == std::string_view::npos) break;
      info_.has_actions = true;
      std::size_t start = open + 2;
      if (start < text_.size() && text_[start] == '-' && start + 1 < text_.size() && ascii_space(text_[start + 1]))
        ++start;
      // A comment action {{/* ... */}} may contain "}}".
      std::size_t body = start;
      while (body < text_.size() && ascii_space(text_[body])) ++body;
      if (text_.substr(body, 2) == "/*") {
        std::size_t end_comment = text_.find("*/", body + 2);
        std::size_t close = end_comment == std::string_view::npos ? end_comment : text_.find("}}", end_comment + 2);
        if (close == std::string_view::npos) {
          fail(open, "unclosed comment");
          break;
        }
        pos = close + 2;
        continue;
      }
      std::size_t close = find_close(start);
      if (close == std::string_view::npos) {
        fail(open, "unclosed action");
        break;
      }
      std::size_t end = close;
      if (end > start && text_[end - 1] == '-' && end - 1 > start && ascii_space(text_[end - 2])) --end;
      action(start, end);
      // {{ $value }}% : the percent sign in the text right after the number (one space allowed).
      if (printed_value_) {
        std::size_t after = close + 2;
        if (after < text_.size() && text_[after] == ' ') ++after;
        if (*printed_value_ == kPercentInFormat || (after < text_.size() && text_[after] == '%'))
          info_.value_percents.push_back(start);
        if (auto per = per_time(text_, close + 2); per && per->seconds != 1)
          info_.value_per_time.push_back({start, per->seconds, per->written});
        else if (auto unit = time_unit(text_, close + 2))
          info_.value_time_units.push_back({start, unit->seconds, unit->written});
        else if (auto size = size_unit(text_, close + 2))
          info_.value_sizes.push_back({start, size->prefix, size->written, false});
      }
      // {{ $value | humanize1024 }}: bytes, with a binary prefix; before a '%' it prints a
      // percentage under 1024 as it is.
      if (binary_value_ && text_.substr(close + 2, 1) != "%" && text_.substr(close + 2, 2) != " %") {
        const auto size = size_unit(text_, close + 2);
        info_.value_sizes.push_back({*binary_value_, size ? size->prefix : 0, size ? size->written : "", true});
      }
      pos = close + 2;
    }
    if (info_.errors.empty() && !blocks_.empty())
      fail(blocks_.back().offset, "unexpected EOF: {{" + blocks_.back().keyword + "}} has no matching {{end}}");
    if (prints_braces_) info_.text_refs.clear();
    return std::move(info_);
  }

private:
  struct Block {
    std::string keyword;
    std::size_t offset;
    std::size_t scope;         ///< variables_ size when the block opened
    Val outer;                 ///< the dot around the block: its pipeline's, its {{else}}'s, and after {{end}}
    std::string guard;         ///< the alert's label x of {{if $labels.x}} / {{with $labels.x}}, until {{else}}
    std::size_t guard_ref = 0; ///< the index in label_refs of the guard's own reference
  };

  void fail(std::size_t offset, std::string msg) {
    if (info_.errors.empty()) info_.errors.push_back({offset, std::move(msg)});
  }

  // The "}}" closing an action, skipping string literals.
  std::size_t find_close(std::size_t i) const {
    while (i + 1 < text_.size()) {
      char c = text_[i];
      if (c == '"' || c == '`' || c == '\'') {
        std::size_t j = i + 1;
        while (j < text_.size() && text_[j] != c) j += (c != '`' && text_[j] == '\\') ? 2 : 1;
        if (j >= text_.size()) return std::string_view::npos;
        i = j + 1;
        continue;
      }
      if (c == '}' && text_[i + 1] == '}') return i;
      ++i;
    }
    return std::string_view::npos;
  }

  bool lex(std::size_t begin, std::size_t end, std::vector<Token>& out) {
    std::size_t i = begin;
    while (i < end) {
      char c = text_[i];
      if (ascii_space(c)) {
        ++i;
        continue;
      }
      std::size_t s = i;
      Tok kind = Tok::other;
      if (c == '"' || c == '`' || c == '\'') {
        ++i;
        while (i < end && text_[i] != c) i += (c != '`' && text_[i] == '\\') ? 2 : 1;
        if (i >= end) {
          fail(s, c == '\'' ? "unterminated character constant" : "unterminated quoted string");
          return false;
        }
        ++i;
        kind = Tok::string;
        if (c == '\'' && !(i - s == 3 || (i - s > 3 && text_[s + 1] == '\\'))) {
          fail(s, "malformed character constant: " + std::string(text_.substr(s, i - s)));
          return false;
        }
      } else if (c == '$') {
        ++i;
        while (i < end && ident_char(text_[i])) ++i;
        kind = Tok::variable;
        // $labels.x: the field chain stays part of the token
        while (i < end && text_[i] == '.' && i + 1 < end && ident_char(text_[i + 1])) {
          ++i;
          while (i < end && ident_char(text_[i])) ++i;
        }
      } else if (c == '.') {
        ++i;
        while (i < end && (ident_char(text_[i]) || text_[i] == '.')) ++i;
        kind = Tok::field;
      } else if (ascii_digit(c) || ((c == '-' || c == '+') && i + 1 < end && ascii_digit(text_[i + 1]))) {
        ++i;
        while (i < end && (ascii_alnum(text_[i]) || text_[i] == '.' || text_[i] == '_' ||
                           ((text_[i] == '-' || text_[i] == '+') && (text_[i - 1] == 'e' || text_[i - 1] == 'E'))))
          ++i;
        kind = Tok::number;
      } else if (ident_char(c)) {
        while (i < end && ident_char(text_[i])) ++i;
        kind = Tok::ident;
      } else if (c == ':' && i + 1 < end && text_[i + 1] == '=') {
        i += 2;
        kind = Tok::declare;
      } else {
        ++i;
        kind = c == '|'   ? Tok::pipe
               : c == '(' ? Tok::lparen
               : c == ')' ? Tok::rparen
               : c == '=' ? Tok::assign
               : c == ',' ? Tok::comma
                          : Tok::other;
        if (kind == Tok::other) {
          fail(s, std::string("unexpected \"") + c + "\" in command");
          return false;
        }
      }
      out.push_back({kind, text_.substr(s, i - s), s});
    }
    return true;
  }

  // `$labels.x`, `$value` and `$x` in text_[begin, end), outside any action: Go prints them as
  // written.
  void text_refs(std::size_t begin, std::size_t end) {
    for (std::size_t at = text_.find('$', begin); at < end; at = text_.find('$', at + 1)) {
      std::string_view rest = text_.substr(at + 1, end - at - 1);
      std::size_t n = 0;
      if (rest.substr(0, 7) == "labels." && rest.size() > 7 && ident_char(rest[7])) n = 8;
      else if (!rest.empty() && ident_char(rest[0]) && !ascii_digit(rest[0])) n = 1;
      while (n && n < rest.size() && ident_char(rest[n])) ++n;
      if (n) info_.text_refs.push_back({std::string(rest.substr(0, n)), at, n + 1});
      // ${labels.x}, ${ value }, ${x}: another template language's placeholder (giantswarm 0f38137).
      if (std::size_t b = 1; !n && !rest.empty() && rest[0] == '{') {
        while (b < rest.size() && rest[b] == ' ') ++b;
        std::size_t e = b;
        while (e < rest.size() && (ident_char(rest[e]) || rest[e] == '.')) ++e;
        std::size_t close = e;
        while (close < rest.size() && rest[close] == ' ') ++close;
        const std::string_view name = rest.substr(b, e - b);
        const bool plain = name.find('.') == std::string_view::npos;
        if (close < rest.size() && rest[close] == '}' && !name.empty() && !ascii_digit(name[0]) &&
            (plain ||
             (name.substr(0, 7) == "labels." && name.size() > 7 && name.find('.', 7) == std::string_view::npos)))
          info_.text_refs.push_back({std::string(name), at, close + 2});
      }
    }
    // A printf verb in the text (`30%s`, `%.0f`): the format of a formatter that did not run
    // (jsonnet's `%%s` where `%s` was meant, jsonnet-libs 0d94f19), which Go prints as written.
    // Not a URL's escape (`%20s`, `%2F`) or a word after a percent sign ("50%done").
    for (std::size_t at = text_.find('%', begin); at < end; at = text_.find('%', at + 1)) {
      std::size_t v = at + 1;
      std::string_view verbs = "sdvq";
      if (v < end && text_[v] == '.') {
        const std::size_t digits = ++v;
        while (v < end && ascii_digit(text_[v])) ++v;
        if (v == digits) continue;
        verbs = "fg";
      }
      if (v >= end || verbs.find(text_[v]) == std::string_view::npos || (v + 1 < end && ascii_alnum(text_[v + 1])))
        continue;
      info_.text_refs.push_back({std::string(text_.substr(at, v + 1 - at)), at, v + 1 - at});
    }
  }

  void action(std::size_t begin, std::size_t end) {
    printed_value_.reset();
    binary_value_.reset();
    std::vector<Token>& toks = tokens_;
    toks.clear();
    if (toks.capacity() == 0) toks.reserve(16); // one allocation for most templates
    if (!lex(begin, end, toks)) return;
    if (toks.empty()) {
      fail(begin, "missing value for command");
      return;
    }
    if (toks.size() == 1 && toks[0].kind == Tok::string &&
        (toks[0].text.find("{{") != std::string_view::npos || toks[0].text.find("}}") != std::string_view::npos))
      prints_braces_ = true;
    std::size_t first = 0;
    Rebind rebind = Rebind::none;
    const Token& head = toks[0];
    if (head.kind == Tok::ident) {
      std::string_view kw = head.text;
      if (kw == "end") {
        if (blocks_.empty()) {
          fail(head.offset, "unexpected {{end}}");
          return;
        }
        variables_.resize(blocks_.back().scope);
        dot_ = blocks_.back().outer;
        blocks_.pop_back();
        return;
      }
      if (kw == "else") {
        if (blocks_.empty() ||
            (blocks_.back().keyword != "if" && blocks_.back().keyword != "range" && blocks_.back().keyword != "with")) {
          fail(head.offset, "unexpected {{else}}");
          return;
        }
        first = 1;
        if (toks.size() > 1 && toks[1].kind == Tok::ident && (toks[1].text == "if" || toks[1].text == "with"))
          first = 2;
        if (first == 1 && toks.size() > 1) {
          fail(toks[1].offset, "unexpected \"" + std::string(toks[1].text) + "\" in else");
          return;
        }
        // The else branch runs with the block's outer dot; {{else with x}} then binds it to x.
        dot_ = blocks_.back().outer;
        if (Block& b = blocks_.back(); !b.guard.empty())
          for (std::size_t i = b.guard_ref; i < info_.label_refs.size(); ++i)
            if (LabelRef& ref = info_.label_refs[i]; ref.guarded && ref.name == b.guard) ref.otherwise = true;
        blocks_.back().guard.clear();
        if (first == 1) return;
        rebind = toks[1].text == "with" ? Rebind::with : Rebind::none;
      } else if (kw == "if" || kw == "range" || kw == "with") {
        blocks_.push_back({std::string(kw), head.offset, variables_.size(), dot_});
        first = 1;
        if (toks.size() == 1) {
          fail(head.offset, "missing value for " + std::string(kw));
          return;
        }
        rebind = kw == "range" ? Rebind::range : kw == "with" ? Rebind::with : Rebind::none;
      } else if (kw == "define" || kw == "block") {
        // Their body runs with whatever dot {{template}} passes: nothing known of it.
        blocks_.push_back({std::string(kw), head.offset, variables_.size(), dot_});
        dot_ = Val{};
        return;
      } else if (kw == "break" || kw == "continue") {
        bool in_range =
            std::any_of(blocks_.begin(), blocks_.end(), [](const Block& b) { return b.keyword == "range"; });
        if (!in_range) fail(head.offset, "{{" + std::string(kw) + "}} outside {{range}}");
        return;
      } else if (kw == "template") {
        return;
      }
    }
    if (rebind != Rebind::none || !plain(toks, first)) info_.may_fault = true;
    if (rebind == Rebind::none) {
      if (auto at = value_humanized(toks, first, "humanizeDuration")) info_.value_durations.push_back(*at);
      if (auto at = value_humanized(toks, first, "humanizePercentage")) info_.value_ratios.push_back(*at);
      binary_value_ = value_humanized(toks, first, "humanize1024");
      printed_value_ = value_number(toks, first);
    }
    const std::size_t refs = info_.label_refs.size();
    pipeline(toks, first, rebind);
    // {{if $labels.x}}, {{with $labels.x}}, {{else if $labels.x}}: a test of the label alone.
    if (first > 0 && toks[first - 1].kind == Tok::ident &&
        (toks[first - 1].text == "if" || toks[first - 1].text == "with") && toks.size() == first + 1 &&
        info_.label_refs.size() == refs + 1 && !blocks_.empty()) {
      info_.label_refs.back().guarded = true;
      blocks_.back().guard = info_.label_refs.back().name;
      blocks_.back().guard_ref = info_.label_refs.size() - 1;
    }
  }

  // Whether the action's pipeline toks[i, ...) is a form whose types are always right: one of the
  // variables Prometheus declares or the alert's .Value and .Labels.x, alone, or $value piped to a
  // humanize function ({{ $labels.instance }}, {{ $value | humanizePercentage }}).
  // Whether a token is one of the variables Prometheus declares, or the alert's .Value or
  // .Labels.x, as it is: not redeclared ({{ $value := query "up" }}), not a field of one.
  bool declared(const Token& t) {
    std::size_t dots = static_cast<std::size_t>(std::count(t.text.begin(), t.text.end(), '.'));
    if (t.kind == Tok::field)
      return dot_ == Dot::alert && (t.text == ".Value" || (t.text.substr(0, 8) == ".Labels." && dots == 2));
    std::string_view name = t.text.substr(0, t.text.find('.'));
    const Variable* v = t.kind == Tok::variable ? lookup(name) : nullptr;
    return v && v - variables_.data() < kPreamble && name != "$" && dots <= 1;
  }

  // The alert's value, $value or .Value, as Prometheus declares it.
  bool alert_value(const Token& t) { return (t.text == "$value" || t.text == ".Value") && declared(t); }

  bool plain(const std::vector<Token>& toks, std::size_t i) {
    if (toks.size() == i + 1) return declared(toks[i]);
    return toks.size() == i + 3 && alert_value(toks[i]) && toks[i + 1].kind == Tok::pipe &&
           toks[i + 2].text.substr(0, 8) == "humanize";
  }

  // {{ $value | humanizeDuration }} or {{ humanizeDuration $value }} (.Value as well): the alert's
  // value printed as seconds; the same with humanizePercentage, printed times 100 with a %. The
  // offset of the function's name, if the action is that.
  std::optional<std::size_t> value_humanized(const std::vector<Token>& toks, std::size_t i, std::string_view fn) {
    auto named = [&](const Token& t) { return t.kind == Tok::ident && t.text == fn; };
    if (toks.size() == i + 3 && alert_value(toks[i]) && toks[i + 1].kind == Tok::pipe && named(toks[i + 2]))
      return toks[i + 2].offset;
    if (toks.size() == i + 2 && named(toks[i]) && alert_value(toks[i + 1])) return toks[i].offset;
    return std::nullopt;
  }

  // Whether the action prints $value (or .Value) as a number: alone, through humanize, or through
  // printf with one float verb; kPercentInFormat when printf's format itself ends in "%%".
  static constexpr int kPercentInFormat = 2;
  std::optional<int> value_number(const std::vector<Token>& toks, std::size_t i) {
    auto humanize = [](const Token& t) { return t.kind == Tok::ident && t.text == "humanize"; };
    const std::size_t n = toks.size() - i;
    if ((n == 1 && alert_value(toks[i])) ||
        (n == 3 && alert_value(toks[i]) && toks[i + 1].kind == Tok::pipe && humanize(toks[i + 2])) ||
        (n == 2 && humanize(toks[i]) && alert_value(toks[i + 1])))
      return 1;
    // printf "%.2f" $value, $value | printf "%.2f": a format of one float verb, maybe with "%%" after.
    const Token* format =
        n == 3 && toks[i].text == "printf" && alert_value(toks[i + 2])                                    ? &toks[i + 1]
        : n == 4 && alert_value(toks[i]) && toks[i + 1].kind == Tok::pipe && toks[i + 2].text == "printf" ? &toks[i + 3]
                                                                                                          : nullptr;
    if (!format || format->kind != Tok::string || format->text.size() < 2) return std::nullopt;
    std::string_view f = format->text.substr(1, format->text.size() - 2);
    const bool percent = f.ends_with("%%");
    if (percent) f.remove_suffix(2);
    // %f, %.2f, %g, %.1g, %v: one verb and nothing else.
    if (f.size() < 2 || f.front() != '%' || std::string_view("fgv").find(f.back()) == std::string_view::npos ||
        f.find_first_not_of("0123456789.", 1) != f.size() - 1)
      return std::nullopt;
    return percent ? kPercentInFormat : 1;
  }

  // How an action sets the dot for what follows it: {{range}} to each element, {{with}} to its value.
  enum class Rebind { none, range, with };

  // pipeline := [decl] command { '|' command }
  void pipeline(const std::vector<Token>& toks, std::size_t i, Rebind rebind) {
    // Declarations: $x := ... or $k, $v := range ...
    std::vector<std::string> declared;
    std::size_t j = i;
    while (j < toks.size() && toks[j].kind == Tok::variable && toks[j].text.find('.') == std::string_view::npos) {
      if (j + 1 < toks.size() && (toks[j + 1].kind == Tok::declare || toks[j + 1].kind == Tok::assign)) {
        declared.emplace_back(toks[j].text);
        i = j + 2;
        break;
      }
      if (j + 1 < toks.size() && toks[j + 1].kind == Tok::comma) {
        declared.emplace_back(toks[j].text);
        j += 2;
        continue;
      }
      break;
    }
    if (i >= toks.size()) {
      fail(toks.back().offset, "missing value for command");
      return;
    }
    int depth = 0;
    bool expect_command = true;
    for (std::size_t k = i; k < toks.size(); ++k) {
      const Token& t = toks[k];
      switch (t.kind) {
      case Tok::pipe:
        if (expect_command) {
          fail(t.offset, "unexpected \"|\" in command");
          return;
        }
        expect_command = true;
        continue;
      case Tok::lparen:
        ++depth;
        expect_command = true;
        continue;
      case Tok::rparen:
        if (k > 0 && toks[k - 1].kind == Tok::lparen) {
          fail(t.offset, "missing value for parenthesized pipeline");
          return;
        }
        if (--depth < 0) {
          fail(t.offset, "unexpected right paren");
          return;
        }
        continue;
      case Tok::declare:
      case Tok::assign:
      case Tok::comma: fail(t.offset, "unexpected \"" + std::string(t.text) + "\" in command"); return;
      case Tok::ident:
        // Go parses {{ nil }}, and so does promtool; executing it fails, wherever it runs.
        if (t.text == "nil" && expect_command) {
          fail(t.offset, "nil is not a command (promtool accepts it; executing it fails)");
          return;
        }
        if (t.text == "true" || t.text == "false" || t.text == "nil") break;
        if (!is_function(t.text, dialect_)) {
          fail(t.offset, "function \"" + std::string(t.text) + "\" not defined");
          return;
        }
        if (t.text == "index" && k + 2 < toks.size() && kind_of(toks[k + 1]) == Dot::labels &&
            toks[k + 2].kind == Tok::string)
          add_label_ref(toks[k + 2].text.substr(1, toks[k + 2].text.size() - 2), toks[k + 2].offset + 1);
        break;
      case Tok::variable: variable(t); break;
      case Tok::field:
        // (x).Labels.y reads the parenthesized value's field, not the dot's.
        if (k == 0 || toks[k - 1].kind != Tok::rparen || toks[k - 1].offset + 1 != t.offset) field(t);
        break;
      default: break;
      }
      expect_command = false;
      if (!info_.errors.empty()) return;
    }
    if (depth > 0) {
      fail(toks.back().offset, "unclosed left paren");
      return;
    }
    // Go accepts a trailing "|" ({{ $value | }}); only an empty pipeline is an error.
    if (expect_command && toks.back().kind != Tok::pipe) {
      fail(toks.back().offset, "missing value for command");
      return;
    }
    // What the pipeline's value is, for the variables it declares and the dot of a with.
    Val value = chain(toks, i, toks.size());
    // An element: a sample of a query, or a label value, a number.
    if (rebind == Rebind::range) value = value.kind == Dot::query ? Val{Dot::sample, value.query} : Val{};
    for (auto& d : declared) {
      Variable* old = lookup(d);
      if (toks[i - 1].kind == Tok::assign && old) old->kind = value;
      else variables_.push_back({std::move(d), value});
    }
    if (rebind != Rebind::none) dot_ = value;
  }

  // The value of the commands toks[b, e) joined by '|' (each passes its value on as the last
  // argument of the next), as far as queries go: `query "up"` and `printf "..." x | query` run
  // one (registered in info_.queries), `first` takes a sample of it, `label "x"` and
  // `(...).Labels.x` read a label of a sample. Syntax is checked by the caller.
  Val chain(const std::vector<Token>& toks, std::size_t b, std::size_t e) {
    Val cur;
    const Token* text = nullptr; // a string the previous command made: a literal, or printf's format
    bool formatted = false;
    for (std::size_t cb = b; cb < e;) {
      std::size_t ce = cb;
      for (int depth = 0; ce < e && !(depth == 0 && toks[ce].kind == Tok::pipe); ++ce)
        depth += toks[ce].kind == Tok::lparen ? 1 : toks[ce].kind == Tok::rparen ? -1 : 0;
      const Token& h = toks[cb];
      const bool arg = cb + 1 < ce && toks[cb + 1].kind == Tok::string;
      const Token* made = nullptr;
      bool made_formatted = false;
      Val next;
      if (ce - cb == 1 && h.kind == Tok::string) made = &h;
      else if (ce - cb == 1 && cb == b) next = kind_of(h);
      else if (h.kind == Tok::lparen && ce - cb >= 3 && toks[ce - 1].kind == Tok::field &&
               toks[ce - 2].kind == Tok::rparen && toks[ce - 2].offset + 1 == toks[ce - 1].offset) {
        const Token& f = toks[ce - 1]; // (...).Labels.x
        if (f.text.size() > 1) fields(chain(toks, cb + 1, ce - 2), f.text.substr(1), f.offset + 1);
      } else if (h.kind == Tok::lparen && toks[ce - 1].kind == Tok::rparen) next = chain(toks, cb + 1, ce - 1);
      else if (h.kind == Tok::ident && h.text == "printf" && arg) made = &toks[cb + 1], made_formatted = true;
      else if (h.kind == Tok::ident && h.text == "query") {
        // Go checks the argument count before the call: `query "a" $x "b"` fails there, and no
        // query runs (the type check says so).
        if (arg && ce - cb == 2) next = add_query(toks[cb + 1], false);
        else if (text && ce - cb == 1) next = add_query(*text, formatted);
      } else if (h.kind == Tok::ident && h.text == "first" && cur.kind == Dot::query) next = {Dot::sample, cur.query};
      else if (h.kind == Tok::ident && (h.text == "label" || h.text == "sortByLabel") && arg && ce - cb == 2 &&
               (cur.kind == Dot::sample || cur.kind == Dot::query)) {
        const Token& l = toks[cb + 1];
        add_query_label(cur.query, l.text.substr(1, l.text.size() - 2), l.offset + 1);
        if (h.text == "sortByLabel") next = cur;
      }
      cur = next, text = made, formatted = made_formatted;
      cb = ce + 1;
    }
    return cur;
  }

  // A query whose text is the string literal `lit` (a printf format when `formatted`).
  Val add_query(const Token& lit, bool formatted) {
    std::optional<std::string> text = text::go::unquote(lit.text);
    if (!text) return {};
    info_.queries.push_back({std::move(*text), formatted, lit.offset, lit.text.size(), {}});
    return {Dot::query, static_cast<int>(info_.queries.size() - 1)};
  }

  void add_query_label(int query, std::string_view name, std::size_t offset) {
    if (query >= 0 && !name.empty())
      info_.queries[static_cast<std::size_t>(query)].label_refs.push_back({std::string(name), offset, name.size()});
  }

  // The variable `name` declared last (an inner one hides an outer one), or nullptr.
  Variable* lookup(std::string_view name) {
    for (auto it = variables_.rbegin(); it != variables_.rend(); ++it)
      if (it->name == name) return &*it;
    return nullptr;
  }

  // What one operand is: `.`, `.Labels`, `$`, `$labels`, `$x.Labels`, ...
  Val kind_of(const Token& t) {
    std::string_view base = t.text, fields;
    if (t.kind == Tok::field) base = ".", fields = t.text.size() > 1 ? t.text.substr(1) : "";
    else if (t.kind == Tok::variable && t.text.find('.') != std::string_view::npos)
      base = t.text.substr(0, t.text.find('.')), fields = t.text.substr(base.size() + 1);
    else if (t.kind != Tok::variable) return {};
    Val kind;
    if (base == ".") kind = dot_;
    else if (const Variable* v = lookup(base)) kind = v->kind;
    if (fields.empty()) return kind;
    return kind == Dot::alert && fields == "Labels" ? Val{Dot::labels} : Val{};
  }

  void variable(const Token& t) {
    std::string_view name = t.text.substr(0, t.text.find('.'));
    const Variable* v = lookup(name);
    if (!v) {
      fail(t.offset, "undefined variable \"" + std::string(name) + "\"");
      return;
    }
    if (name == "$value") info_.value_refs.push_back(t.offset);
    if (t.text.size() > name.size() + 1) fields(v->kind, t.text.substr(name.size() + 1), t.offset + name.size() + 1);
    if (name == "$externalLabels" && t.text.size() > name.size() + 1) {
      std::string_view rest = t.text.substr(name.size() + 1);
      rest = rest.substr(0, rest.find('.'));
      if (!rest.empty())
        info_.external_label_refs.push_back({std::string(rest), t.offset + name.size() + 1, rest.size()});
    }
  }

  void field(const Token& t) {
    if (t.text.size() > 1) fields(dot_, t.text.substr(1), t.offset + 1);
  }

  // The field chain `rest` (at `offset`) of a value of `kind`: the alert's .Labels.x and .Value,
  // a label map's .x, a query's sample's .Labels.x.
  void fields(Val kind, std::string_view rest, std::size_t offset) {
    std::string_view head = rest.substr(0, rest.find('.'));
    if (kind == Dot::sample && head == "Labels" && rest.size() > 7) {
      rest.remove_prefix(7);
      add_query_label(kind.query, rest.substr(0, rest.find('.')), offset + 7);
    } else if (kind == Dot::labels) add_label_ref(head, offset);
    else if (kind == Dot::alert && head == "Value" && head.size() == rest.size())
      info_.value_refs.push_back(offset - 1);
    else if (kind == Dot::alert && head == "Labels" && rest.size() > 7) {
      rest.remove_prefix(7);
      add_label_ref(rest.substr(0, rest.find('.')), offset + 7);
    }
  }

  void add_label_ref(std::string_view name, std::size_t offset) {
    if (name.empty()) return;
    const bool guarded = std::any_of(blocks_.begin(), blocks_.end(), [&](const Block& b) { return b.guard == name; });
    info_.label_refs.push_back({std::string(name), offset, name.size(), guarded});
  }

  std::string_view text_;
  Dialect dialect_;
  TemplateInfo info_;
  std::vector<Block> blocks_;
  /// Declared variables, innermost last; Prometheus declares these four before the template.
  static constexpr std::ptrdiff_t kPreamble = 5; ///< the variables below that Prometheus declares
  std::vector<Variable> variables_{
      {"$", {Dot::alert}}, {"$labels", {Dot::labels}}, {"$value", {}}, {"$externalLabels", {}}, {"$externalURL", {}}};
  Val dot_{Dot::alert};
  std::vector<Token> tokens_;               ///< the current action's, kept for the next
  bool prints_braces_ = false;              ///< an action is a string holding "{{" or "}}" (text_refs)
  std::optional<int> printed_value_;        ///< the last action prints the value as a number (value_number)
  std::optional<std::size_t> binary_value_; ///< the last action is humanize1024 of the value: its offset
};

} // namespace

// The seconds in a unit of time a word names, in its singular (English, and Spanish's and
// Portuguese's whole words: review52's "más de 5 por minuto", "erros por hora"; not Spanish's
// "día", whose í ends an ASCII word), or 0. No single letter but s and h: "m" may be minutes,
// metres or milli, "d" a word's end.
static double word_seconds(std::string_view u) {
  return u == "ms" || u == "msec" || u == "millisecond"              ? 0.001
         : u == "s" || u == "sec" || u == "second" || u == "segundo" ? 1
         : u == "min" || u == "minute" || u == "minuto"              ? 60
         : u == "h" || u == "hr" || u == "hour" || u == "hora"       ? 3600
         : u == "day" || u == "dia"                                  ? 86400
                                                                     : 0;
}

std::optional<PerTime> per_time(std::string_view text, std::size_t at) {
  auto word_end = [&](std::size_t i) {
    while (i < text.size() && ascii_alnum(text[i])) ++i;
    return i;
  };
  std::size_t marker = at < text.size() && text[at] == ' ' ? at + 1 : at;
  // Up to three words of a noun first ("tokens", "B", "resync events"), but not "per" itself, nor
  // Spanish's and Portuguese's "por" (review52's "{{ $value }} erros por minuto").
  for (int words = 0; words < 3; ++words) {
    const std::size_t e = word_end(marker);
    if (e == marker || e - marker > 24 || text.substr(marker, e - marker) == "per" ||
        text.substr(marker, e - marker) == "por")
      break;
    const bool space = e < text.size() && text[e] == ' ';
    marker = space ? e + 1 : e;
    if (!space) break;
  }
  std::size_t unit = marker + 1;
  if (text.substr(marker, 4) == "per " || text.substr(marker, 4) == "por ") unit = marker + 4;
  else if (marker >= text.size() || text[marker] != '/') return std::nullopt;
  else if (unit < text.size() && text[unit] == ' ') ++unit; // "times / 5 minutes"
  // "per 5 minutes": a number of units.
  double count = 1;
  if (std::size_t d = unit; d < text.size() && ascii_digit(text[d])) {
    while (d < text.size() && ascii_digit(text[d])) ++d;
    if (d - unit > 6 || d >= text.size() || text[d] != ' ') return std::nullopt;
    count = std::strtod(std::string(text.substr(unit, d - unit)).c_str(), nullptr);
    unit = d + 1;
  }
  const std::size_t end = word_end(unit);
  std::string_view u = text.substr(unit, end - unit);
  if (count != 1 && u.ends_with('s')) u.remove_suffix(1); // "per 5 minutes"
  const double seconds = word_seconds(u);
  if (seconds < 1) return std::nullopt;
  return PerTime{seconds * count, std::string(text.substr(marker, end - marker))};
}

// The word at `at`, after one space at most, that may write a unit after a number; `end` is where
// it ends. Empty where there is none, or it starts a longer token ("5s/s", "2h30", "MB/s").
static std::string_view unit_word(std::string_view text, std::size_t at, std::size_t& end) {
  const std::size_t unit = at < text.size() && text[at] == ' ' ? at + 1 : at;
  end = unit;
  while (end < text.size() && ascii_alpha(text[end])) ++end;
  if (end < text.size() && (ascii_digit(text[end]) || text[end] == '/' || text[end] == '_')) return {};
  return text.substr(unit, end - unit);
}

std::optional<PerTime> time_unit(std::string_view text, std::size_t at) {
  std::size_t end = 0;
  std::string_view u = unit_word(text, at, end);
  if (u.size() > 2 && u.ends_with('s')) u.remove_suffix(1); // "seconds", "hrs"
  const double seconds = word_seconds(u);
  if (seconds == 0) return std::nullopt;
  return PerTime{seconds, std::string(text.substr(at, end - at))};
}

std::optional<PrintedSize> size_unit(std::string_view text, std::size_t at) {
  std::size_t end = 0;
  const std::string_view u = unit_word(text, at, end); // "GBps" is no unit below
  int prefix = -2;
  if (u == "B" || u == "bytes" || u == "Bytes" || u == "byte") prefix = 0;
  else if (u == "Gb" || u == "Mb" || u == "Tb") prefix = -1; // gigabits, or gigabytes written loosely
  else if ((u.size() == 2 && u[1] == 'B') || (u.size() == 3 && u.substr(1) == "iB")) {
    const std::string_view prefixes = "KMGTP";
    const std::size_t p = prefixes.find(u[0] == 'k' ? 'K' : u[0]);
    if (p != std::string_view::npos) prefix = static_cast<int>(p) + 1;
  }
  if (prefix == -2) return std::nullopt;
  return PrintedSize{0, prefix, std::string(text.substr(at, end - at)), false};
}

TemplateInfo check_template(std::string_view text, Dialect dialect) {
  // Plain text, as most labels are, has nothing to check: no checker is set up for it. A '$'
  // may be a $labels.x written as text, a '%' a printf verb (Checker::text_refs).
  if (text.find("{{") == std::string_view::npos && text.find('$') == std::string_view::npos &&
      text.find('%') == std::string_view::npos)
    return {};
  return Checker(text, dialect).run();
}

std::string fill_verbs(std::string_view format, std::string_view with) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    std::size_t j = i + 1; // flags, width, precision, argument index, then the verb
    while (j < format.size() && std::string_view("+-# 0123456789.[]*").find(format[j]) != std::string_view::npos) ++j;
    if (j < format.size() && format[j] == '%') out += '%';
    else out += with;
    i = j;
  }
  return out;
}

} // namespace nsmon::gotemplate
