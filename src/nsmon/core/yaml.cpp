#include "nsmon/core/yaml.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "nsmon/util/strings.hpp"

namespace nsmon::core {

std::optional<YAML::Node> YamlReader::parse() {
  try {
    return YAML::Load(src_.text());
  } catch (const YAML::DeepRecursion& e) {
    out_.push_back({Severity::error, {src_.path(), e.mark.line + 1, e.mark.column + 1, 1}, "yaml/syntax",
                    "YAML nesting is too deep", {}});
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    int col = e.mark.is_null() ? 1 : e.mark.column + 1;
    out_.push_back({Severity::error, {src_.path(), line, col, 1}, "yaml/syntax", "YAML: " + e.msg, {}});
  }
  return std::nullopt;
}

Span YamlReader::span(const YAML::Node& n) const {
  YAML::Mark m = n.Mark();
  if (m.is_null()) return {src_.path(), 0, 0, 0};
  int len = n.IsScalar() ? static_cast<int>(n.Scalar().size()) : 1;
  // A quoted scalar's text starts after its quote; keep the caret on the quote and cover both.
  auto off = static_cast<std::size_t>(m.pos);
  if (n.IsScalar() && off < src_.text().size() && (src_.text()[off] == '"' || src_.text()[off] == '\'')) len += 2;
  return {src_.path(), m.line + 1, m.column + 1, std::max(len, 1)};
}

Span YamlReader::key_span(const YAML::Node& map, const std::string& key) const {
  if (map.IsMap())
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return span(it->first);
  return span(map);
}

void YamlReader::add(Severity sev, const YAML::Node& at, std::string check, std::string message,
                     std::string suggestion) {
  out_.push_back({sev, span(at), std::move(check), std::move(message), std::move(suggestion)});
}

void YamlReader::error(const YAML::Node& at, std::string check, std::string message, std::string suggestion) {
  add(Severity::error, at, std::move(check), std::move(message), std::move(suggestion));
}

void YamlReader::warning(const YAML::Node& at, std::string check, std::string message, std::string suggestion) {
  add(Severity::warning, at, std::move(check), std::move(message), std::move(suggestion));
}

bool YamlReader::check_mapping(const YAML::Node& n, const std::vector<std::string>& allowed, std::string_view what) {
  if (!n.IsMap()) {
    error(n, "yaml/type", std::string(what) + " must be a mapping");
    return false;
  }
  std::set<std::string> seen;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) {
      error(it->first, "yaml/type", "keys of " + std::string(what) + " must be plain names");
      continue;
    }
    std::string key = it->first.Scalar();
    if (!seen.insert(key).second) {
      error(it->first, "yaml/duplicate-key", "duplicate key '" + key + "' in " + std::string(what));
      continue;
    }
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) {
      std::string hint = util::did_you_mean(key, allowed);
      error(it->first, "yaml/unknown-field", "unknown field '" + key + "' in " + std::string(what),
            hint.empty() ? "" : "did you mean '" + hint + "'?");
    }
  }
  return true;
}

std::optional<std::string> YamlReader::string(const YAML::Node& n, std::string_view what) {
  if (n.IsScalar()) return n.Scalar();
  error(n, "yaml/type", std::string(what) + " must be a string");
  return std::nullopt;
}

std::optional<double> YamlReader::number(const YAML::Node& n, std::string_view what) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    double v = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec == std::errc() && res.ptr == s.data() + s.size()) return v;
  }
  error(n, "yaml/type", std::string(what) + " must be a number");
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& n, std::string_view what) {
  if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
  error(n, "yaml/type", std::string(what) + " must be true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::strings(const YAML::Node& n, std::string_view what) {
  if (!n.IsSequence()) {
    error(n, "yaml/type", std::string(what) + " must be a list of strings");
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

namespace {
// Length of a double-quoted escape starting at text[i] == '\\' and the number of value bytes it
// produces (UTF-8 for \x, \u, \U).
std::pair<std::size_t, std::size_t> escape_length(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return {1, 1};
  auto hex = [&](std::size_t digits) {
    unsigned long cp = 0;
    for (std::size_t k = 0; k < digits && i + 2 + k < text.size(); ++k) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 2 + k])));
      cp = cp * 16 + static_cast<unsigned long>(c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= '0' && c <= '9' ? c - '0' : 0);
    }
    std::size_t bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    return std::pair<std::size_t, std::size_t>{2 + digits, bytes};
  };
  switch (text[i + 1]) {
  case 'x': return hex(2);
  case 'u': return hex(4);
  case 'U': return hex(8);
  case '\n': return {2, 0}; // escaped line break: joins lines, produces nothing
  default: return {2, 1};
  }
}
} // namespace

std::vector<std::size_t> YamlReader::value_offsets(const YAML::Node& n) const {
  std::vector<std::size_t> out;
  if (!n.IsScalar() || n.Mark().is_null()) return out;
  const std::string& value = n.Scalar();
  std::string_view text = src_.text();
  std::size_t cur = std::min(static_cast<std::size_t>(n.Mark().pos), text.size());
  char style = cur < text.size() ? text[cur] : ' ';
  out.reserve(value.size());
  if (style == '"' || style == '\'') {
    // Quoted: walk the escapes; folded line breaks map to the break.
    ++cur;
    std::size_t v = 0;
    while (v < value.size() && cur < text.size()) {
      if (style == '"' && text[cur] == '\\') {
        auto [len, bytes] = escape_length(text, cur);
        for (std::size_t k = 0; k < bytes && v < value.size(); ++k, ++v) out.push_back(cur);
        cur += len;
        while (len == 2 && text[cur - 1] == '\n' && cur < text.size() && (text[cur] == ' ' || text[cur] == '\t')) ++cur;
        continue;
      }
      if (style == '\'' && text[cur] == '\'' && cur + 1 < text.size() && text[cur + 1] == '\'') {
        out.push_back(cur);
        ++v;
        cur += 2;
        continue;
      }
      if (text[cur] == value[v]) {
        out.push_back(cur++);
        ++v;
        continue;
      }
      // Folding: a line break (and the next line's indentation) became a space or a newline.
      if (value[v] == ' ' || value[v] == '\n') {
        out.push_back(cur);
        ++v;
        while (cur < text.size() && (text[cur] == ' ' || text[cur] == '\t' || text[cur] == '\n' || text[cur] == '\r'))
          ++cur;
        continue;
      }
      ++cur;
    }
  } else {
    // Plain and block scalars: the value's bytes appear in the text in order; what lies between
    // them is indentation, header, or a folded line break.
    if (style == '|' || style == '>') {
      while (cur < text.size() && text[cur] != '\n') ++cur;
    }
    for (std::size_t v = 0; v < value.size(); ++v) {
      std::size_t probe = cur;
      while (probe < text.size() && text[probe] != value[v]) {
        // Never skip over visible text for a folded break: stop at the next line start.
        if (value[v] == ' ' && text[probe] == '\n') break;
        ++probe;
      }
      if (probe < text.size() && text[probe] == value[v]) {
        out.push_back(probe);
        cur = probe + 1;
      } else if (probe < text.size()) {
        out.push_back(probe); // a folded line break became a space
        cur = probe + 1;
      } else {
        out.push_back(std::min(cur, text.size()));
      }
    }
  }
  while (out.size() < value.size()) out.push_back(out.empty() ? cur : out.back());
  return out;
}

Span YamlReader::value_span(const YAML::Node& n, const std::vector<std::size_t>& offsets, std::size_t begin,
                            std::size_t end) const {
  if (offsets.empty()) return span(n);
  begin = std::min(begin, offsets.size() - 1);
  end = std::clamp(end, begin + 1, offsets.size());
  auto lc = src_.line_col(offsets[begin]);
  auto last = src_.line_col(offsets[end - 1]);
  int len = last.line == lc.line ? last.col - lc.col + 1 : static_cast<int>(src_.line(lc.line).size()) - lc.col + 1;
  return {src_.path(), lc.line, lc.col, std::max(len, 1)};
}

} // namespace nsmon::core
