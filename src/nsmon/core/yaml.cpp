#include "nsmon/core/yaml.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::core {

std::optional<yaml::Node> YamlReader::parse(yaml::Dialect dialect) {
  doc_ = yaml::parse_in_place(src_.text(), dialect);
  duplicate_at_.clear();
  if (doc_) {
    // Go's yaml refuses a key written twice in any map it decodes (rule files and prometheus.yml
    // alike): reported here once for the whole tree; a loader's own report of the same key is
    // folded into this one (see report()).
    for (const auto& d : doc_.duplicates()) {
      std::string name = d.key.is_scalar() ? "'" + std::string(d.key.scalar()) + "'" : "null";
      Span at = span(d.key);
      duplicate_at_.emplace(std::pair{at.line, at.col}, out_.size());
      out_.push_back(make_diagnostic("yaml/duplicate-key", at,
                                     "duplicate key " + name + " (already defined at line " +
                                         std::to_string(d.first.mark().line + 1) + ")"));
    }
    return doc_.root();
  }
  const yaml::Error& e = *doc_.error();
  out_.push_back(make_diagnostic("yaml/syntax", {src_.file(), e.line + 1, e.column + 1, 1}, "YAML: " + e.message));
  return std::nullopt;
}

Span YamlReader::span(const yaml::Node& n) const {
  yaml::Mark m = n.mark();
  if (m.is_null()) return {src_.file(), 0, 0, 0};
  int len = n.is_scalar() ? static_cast<int>(n.scalar().size()) : 1;
  // A quoted scalar's text starts after its quote; keep the caret on the quote and cover both.
  auto off = static_cast<std::size_t>(m.pos);
  if (n.is_scalar() && off < src_.text().size() && (src_.text()[off] == '"' || src_.text()[off] == '\'')) len += 2;
  return {src_.file(), m.line + 1, m.column + 1, std::max(len, 1)};
}

Span YamlReader::use_span(const yaml::Node& n) const {
  if (n.alias_at() < 0) return span(n);
  // `*name`: an anchor's name runs to a blank, a line break or a flow indicator.
  auto at = static_cast<std::size_t>(n.alias_at());
  std::string_view text = src_.text();
  std::size_t end = std::min(text.find_first_of(" \t\r\n,[]{}", at + 1), text.size());
  return span_at(src_, at, end);
}

Span YamlReader::key_span(const yaml::Node& map, const std::string& key) const {
  if (map.is_map())
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.is_scalar() && it->first.scalar() == key) return span(it->first);
  return span(map);
}

Diagnostic& YamlReader::report(const yaml::Node& at, CheckId check, std::string message, std::string suggestion) {
  const YamlReader& parsed = parsed_ ? *parsed_ : *this;
  if (check == CheckId("yaml/duplicate-key") && !parsed.duplicate_at_.empty()) {
    Span where = span(at);
    auto it = parsed.duplicate_at_.find({where.line, where.col});
    // parse() reported this key already (unless the findings were moved since: then report it).
    if (it != parsed.duplicate_at_.end() && it->second < parsed.out_.size()) {
      Diagnostic& d = parsed.out_[it->second];
      if (check == d.check && d.span.line == where.line && d.span.col == where.col && d.span.file == where.file)
        return parsed_ ? folded_.emplace(d) : d;
    }
  }
  return out_.emplace_back(make_diagnostic(check, span(at), std::move(message), std::move(suggestion)));
}

bool YamlReader::check_mapping(const yaml::Node& n, const std::vector<std::string>& allowed, std::string_view what) {
  if (!n.is_map()) {
    report(n, "yaml/type", std::string(what) + " must be a mapping");
    return false;
  }
  util::FirstSeen first;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.is_scalar()) {
      report(it->first, "yaml/type", "keys of " + std::string(what) + " must be plain names");
      continue;
    }
    std::string_view key = it->first.scalar();
    // A !!binary key may hold any bytes: shown escaped, as Go's %q would.
    auto shown = [&] { return text::go::valid_utf8(key) ? "'" + std::string(key) + "'" : text::go::quote(key); };
    if (!first(key)) {
      report(it->first, "yaml/duplicate-key", "duplicate key " + shown() + " in " + std::string(what));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = util::did_you_mean(key, allowed);
      report(it->first, "yaml/unknown-field", "unknown field " + shown() + " in " + std::string(what),
             hint.empty() ? "" : "did you mean '" + hint + "'?");
    }
  }
  return true;
}

std::optional<std::string> YamlReader::string(const yaml::Node& n, std::string_view what) {
  if (n.is_scalar()) return std::string(n.scalar());
  report(n, "yaml/type", std::string(what) + " must be a string");
  return std::nullopt;
}

std::optional<double> YamlReader::number(const yaml::Node& n, std::string_view what) {
  if (n.is_scalar()) {
    const std::string s(n.scalar());
    if (auto special = yaml_v2::special_float(s)) return *special;
    // from_chars also reads inf, nan and infinity, which YAML reads as strings.
    std::string_view digits = std::string_view(s).substr(s.starts_with('-') ? 1 : 0);
    double v = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!digits.empty() && !std::isalpha(static_cast<unsigned char>(digits[0])) && res.ec == std::errc() &&
        res.ptr == s.data() + s.size())
      return v;
  }
  report(n, "yaml/type", std::string(what) + " must be a number");
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const yaml::Node& n, std::string_view what) {
  if (n.is_scalar() && (n.scalar() == "true" || n.scalar() == "false")) return n.scalar() == "true";
  report(n, "yaml/type", std::string(what) + " must be true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::strings(const yaml::Node& n, std::string_view what) {
  if (!n.is_sequence()) {
    report(n, "yaml/type", std::string(what) + " must be a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : n) {
    auto s = string(item, std::string(what) + " entries");
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

std::vector<std::size_t> YamlReader::value_offsets(const yaml::Node& n) const {
  // The parser scans the scalar again, recording where each byte of the value came from.
  return doc_.value_offsets(n);
}

Located YamlReader::located(const yaml::Node& n) const {
  Located t{std::string(n.scalar()), span(n), n.tag() == "?"};
  t.source = &src_;
  if (n.alias_at() >= 0) {
    // The text is the anchor's, elsewhere; what is said about the value is said where it is used.
    t.anchor_line = std::max(1, t.span.line);
    t.span = use_span(n);
    t.base = static_cast<std::size_t>(n.alias_at());
    return t;
  }
  // Plain and quoted scalars without escapes or line breaks are the file's bytes: no per-byte
  // table is needed (a 10,000-rule file has ~100,000 of them).
  std::string_view text = src_.text();
  auto pos = static_cast<std::size_t>(n.mark().pos);
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) ++pos;
  bool verbatim = !n.mark().is_null() && pos <= text.size() && text.substr(pos, t.value.size()) == t.value;
  if (verbatim) t.base = pos;
  else t.offsets = value_offsets(n);
  return t;
}

namespace {
// A value read through the alias `via` (an aliased collection): placed at the alias, with the
// anchored collection's line.
Located through(Located t, const yaml::Node& via, const YamlReader& y) {
  if (!via || via.alias_at() < 0 || t.anchor_line) return t;
  t.span = y.use_span(via);
  t.anchor_line = std::max(1, y.span(via).line);
  t.base = static_cast<std::size_t>(via.alias_at());
  t.offsets.clear();
  return t;
}
} // namespace

Located YamlReader::located(const yaml::Node& n, const yaml::Node& via) const {
  // Most values are read through no alias: returned as made, not moved through through() (every
  // key and value of every rule comes here).
  if (!via || via.alias_at() < 0) return located(n);
  return through(located(n), via, *this);
}

Located YamlReader::alias_name(const yaml::Node& n, const yaml::Node& via) const {
  Span at = use_span(n); // `*name`
  auto begin = static_cast<std::size_t>(n.alias_at()) + 1;
  std::size_t end = begin + static_cast<std::size_t>(std::max(at.len - 1, 0));
  Located t{std::string(src_.text().substr(begin, end - begin)), at, true};
  t.source = &src_;
  t.base = begin;
  return through(std::move(t), via, *this);
}

Span Located::at(std::size_t begin, std::size_t end) const {
  if (value.empty() || !source || anchor_line) return span;
  return span_at(*source, file_offset(begin), file_offset(std::max(end, begin + 1) - 1) + 1);
}

std::string Located::anchor_note() const {
  return anchor_line ? " (the text of the anchor at line " + std::to_string(anchor_line) + ")" : std::string();
}

namespace {

// A "---" or "..." line, which ends a document.
bool is_marker(std::string_view line) {
  return (line.substr(0, 3) == "---" || line.substr(0, 3) == "...") &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

bool has_marker(std::string_view text) {
  for (std::string_view m : {"---", "..."})
    for (std::size_t at = text.find(m); at != std::string_view::npos; at = text.find(m, at + 1)) {
      std::string_view start = text.substr(at, 4); // all is_marker looks at
      if ((at == 0 || text[at - 1] == '\n') && is_marker(start.substr(0, start.find('\n')))) return true;
    }
  return false;
}
} // namespace

std::vector<std::pair<std::size_t, std::size_t>> document_ranges(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  bool content = false;
  const bool one = !has_marker(text); // then the first line of content says it all
  for (std::size_t at = 0; at < text.size();) {
    std::size_t eol = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, eol - at);
    if (is_marker(line)) {
      if (content) out.emplace_back(begin, at);
      content = false;
      begin = line[0] == '-' ? at : eol; // "---" belongs to the document it starts, "..." to none
      if (line[0] == '-') {
        std::string_view rest = util::trim(line.substr(3));
        content = !rest.empty() && rest[0] != '#'; // "--- {groups: []}"
      }
    } else {
      std::string_view t = util::trim(line);
      if (!t.empty() && t[0] != '#' && t[0] != '%') content = true;
    }
    if (one && content) break;
    at = eol + 1;
  }
  if (content) out.emplace_back(begin, text.size());
  return out;
}

SourceFile masked(const SourceFile& src, std::size_t begin, std::size_t end) {
  std::string text(src.text());
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((i < begin || i >= end) && text[i] != '\n' && text[i] != '\r') text[i] = ' ';
  return SourceFile(src.path(), std::move(text));
}

std::vector<SourceFile> documents(const SourceFile& src) {
  auto ranges = document_ranges(src.text());
  if (ranges.size() <= 1) return {SourceFile(src.path(), std::string(src.text()))};
  std::vector<SourceFile> out;
  for (const auto& [begin, end] : ranges) out.push_back(masked(src, begin, end));
  return out;
}

} // namespace nsmon::core
