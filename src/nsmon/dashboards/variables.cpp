#include "nsmon/dashboards/variables.hpp"

#include <algorithm>
#include <cctype>

#include "nsmon/dashboards/model.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::dashboards {

namespace {
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
} // namespace

bool is_global_variable(std::string_view name) {
  static const std::vector<std::string_view> globals = {"__interval",         "__interval_ms", "__rate_interval",
                                                        "__rate_interval_ms", "__range",       "__range_s",
                                                        "__range_ms",         "__from",        "__to",
                                                        "__dashboard",        "__org",         "__user"};
  return std::find(globals.begin(), globals.end(), name) != globals.end();
}

std::string all_value(const Variable& v) {
  const std::string& name = v.name.value;
  if (v.type != "query" || (name != "job" && name != "instance" && name != "model")) return "";
  return ".+";
}

promql::PosRange Substituted::original(promql::PosRange range) const {
  if (from_begin.empty()) return {0, 0};
  std::size_t b = std::min(range.start, from_begin.size() - 1);
  std::size_t e = std::clamp(range.end, b + 1, from_end.size());
  return {from_begin[b], std::max(from_end[e - 1], from_begin[b] + 1)};
}

Substituted substitute_variables(std::string_view q) {
  Substituted out;
  out.text.reserve(q.size());
  auto copy = [&](std::string_view bytes, std::size_t b, std::size_t e) {
    for (char c : bytes) {
      out.text.push_back(c);
      out.from_begin.push_back(b);
      out.from_end.push_back(e);
    }
  };
  char quote = 0; // the quote of the string we are in
  int brackets = 0;
  for (std::size_t i = 0; i < q.size();) {
    char c = q[i];
    if (quote) {
      if (c == '\\' && quote != '`' && i + 1 < q.size()) {
        copy(q.substr(i, 2), i, i + 1);
        out.from_begin.back() = i + 1, out.from_end.back() = i + 2;
        i += 2;
        continue;
      }
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (c == '[') {
      ++brackets;
    } else if (c == ']') {
      brackets = std::max(brackets - 1, 0);
    } else if (c == '#') {
      // A comment runs to the end of the line; a $ in it is not a reference.
      std::size_t e = std::min(q.find('\n', i), q.size());
      for (std::size_t k = i; k < e; ++k) copy(q.substr(k, 1), k, k + 1);
      i = e;
      continue;
    }
    // [[name]]: Grafana's deprecated form (never valid PromQL, and `[[:alpha:]]` has no name).
    if (c == '[' && q.substr(i, 2) == "[[") {
      std::size_t j = i + 2;
      while (j < q.size() && name_char(q[j])) ++j;
      if (j > i + 2 && q.substr(j, 2) == "]]") {
        VariableRef ref{std::string(q.substr(i + 2, j - i - 2)), i, j + 2, quote != 0, !quote && brackets > 1};
        if (!quote) brackets = std::max(brackets - 1, 0); // the '[' counted above
        copy(ref.in_string ? q.substr(i, j + 2 - i) : std::string_view(ref.in_range ? "5m" : "1"), i, j + 2);
        i = j + 2;
        out.refs.push_back(std::move(ref));
        continue;
      }
    }
    if (c != '$') {
      copy(q.substr(i, 1), i, i + 1);
      ++i;
      continue;
    }
    // $name, ${name} or ${name:format}
    VariableRef ref;
    ref.begin = i;
    std::size_t j = i + 1;
    if (j < q.size() && q[j] == '{') {
      std::size_t close = q.find('}', j);
      if (close == std::string_view::npos) {
        copy(q.substr(i, 1), i, i + 1);
        ++i;
        continue;
      }
      std::string_view inside = q.substr(j + 1, close - j - 1);
      ref.name = std::string(inside.substr(0, inside.find(':')));
      ref.end = close + 1;
    } else {
      while (j < q.size() && name_char(q[j])) ++j;
      ref.name = std::string(q.substr(i + 1, j - i - 1));
      ref.end = j;
    }
    if (ref.name.empty()) {
      copy(q.substr(i, 1), i, i + 1);
      ++i;
      continue;
    }
    ref.in_string = quote != 0;
    ref.in_range = !quote && brackets > 0;
    std::string_view replacement = ref.in_string  ? q.substr(ref.begin, ref.end - ref.begin)
                                   : ref.in_range ? std::string_view("5m")
                                                  : std::string_view("1");
    copy(replacement, ref.begin, ref.end);
    i = ref.end;
    out.refs.push_back(std::move(ref));
  }
  return out;
}

std::string interpolate(std::string_view query, const std::function<std::string(const VariableRef&)>& value) {
  std::string out;
  std::size_t from = 0;
  for (const auto& ref : substitute_variables(query).refs) {
    out.append(query.substr(from, ref.begin - from));
    out += value(ref);
    from = ref.end;
  }
  out.append(query.substr(from));
  return out;
}

std::string prometheus_regex_escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\\\\\";
    else if (std::string_view("$^*{}[]'+?.()|").find(c) != std::string_view::npos) out += std::string("\\\\") + c;
    else out += c;
  }
  return out;
}

std::vector<LegendRef> legend_labels(std::string_view legend) {
  std::vector<LegendRef> out;
  for (std::size_t i = legend.find("{{"); i != std::string_view::npos; i = legend.find("{{", i)) {
    std::size_t close = legend.find("}}", i + 2);
    if (close == std::string_view::npos) break;
    std::string_view inside = util::trim(legend.substr(i + 2, close - i - 2));
    std::size_t at = legend.find(inside, i + 2);
    out.push_back({std::string(inside), at, at + inside.size()});
    i = close + 2;
  }
  return out;
}

} // namespace nsmon::dashboards
