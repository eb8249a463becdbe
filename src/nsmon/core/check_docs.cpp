#include "nsmon/core/check_docs.hpp"

#include <algorithm>
#include <cstddef>
#include <sstream>

#include "nsmon/core/error.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::embedded {
/// The pages (cmake/EmbedDocs.cmake): {id, markdown}, sorted by id.
struct CheckPage {
  std::string_view id;
  std::string_view markdown;
};
extern const CheckPage check_pages[];
extern const std::size_t check_pages_size;
} // namespace nsmon::embedded

namespace nsmon::core {

namespace {

struct Line {
  std::string_view text;
  int number;
};

std::vector<Line> split_lines(std::string_view s) {
  std::vector<Line> out;
  int n = 1;
  while (!s.empty()) {
    std::size_t nl = s.find('\n');
    out.push_back({s.substr(0, nl), n++});
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
  return out;
}

bool is_fence(std::string_view line) { return line.starts_with("```"); }

[[noreturn]] void fail(std::string_view name, int line, const std::string& what) {
  throw Error(std::string(name) + ":" + std::to_string(line) + ": " + what);
}

// The words of a command line as a POSIX shell splits a plain one: blanks separate words, '...'
// is literal, "..." keeps blanks and takes \" and \\. Anything a shell would do more with (a
// variable, a pipe, a redirection) is refused: an example is one command, run as written.
std::vector<std::string> shell_words(std::string_view s, std::string_view name, int line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word)), word.clear(), in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      std::size_t end = s.find('\'', i + 1);
      if (end == std::string_view::npos) fail(name, line, "unterminated ' in the command");
      word.append(s.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
        else if (s[i] == '$' || s[i] == '`') fail(name, line, "the command must not expand anything");
        word += s[i];
      }
      if (i >= s.size()) fail(name, line, "unterminated \" in the command");
    } else if (std::string_view("$`|&;<>()*?\\").find(c) != std::string_view::npos) {
      fail(name, line, std::string("the command must be one plain command (quote '") + c + "')");
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// A file name of an example: relative, inside the directory the example runs in.
void check_file_name(std::string_view file, std::string_view name, int line) {
  if (file.empty() || file.front() == '/' || file == ".." || file.starts_with("../") ||
      file.find("/../") != std::string_view::npos || file.ends_with("/.."))
    fail(name, line, "an example's file must be a name relative to its directory: " + std::string(file));
}

DocExample read_example(const std::vector<Line>& lines, std::string_view name, int heading) {
  DocExample ex;
  bool have_command = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ex.markdown.append(lines[i].text).append(1, '\n');
    if (!is_fence(lines[i].text)) continue;
    std::string_view info = util::trim(lines[i].text.substr(3));
    std::string file;
    std::size_t at = info.find("file=");
    if (at != std::string_view::npos) {
      file = std::string(util::trim(info.substr(at + 5)));
      check_file_name(file, name, lines[i].number);
    }
    std::string body;
    std::size_t j = i + 1;
    for (; j < lines.size() && !is_fence(lines[j].text); ++j) {
      body.append(lines[j].text).append(1, '\n');
      ex.markdown.append(lines[j].text).append(1, '\n');
      if (!file.empty() || !lines[j].text.starts_with("$ nsmon ")) continue;
      if (have_command) fail(name, lines[j].number, "an example has one `$ nsmon` command line");
      ex.command = shell_words(lines[j].text.substr(8), name, lines[j].number);
      if (ex.command.empty()) fail(name, lines[j].number, "the `$ nsmon` line runs no command");
      have_command = true;
    }
    if (j == lines.size()) fail(name, lines[i].number, "a code block that is not closed");
    ex.markdown.append(lines[j].text).append(1, '\n');
    if (!file.empty()) {
      auto same = [&](const auto& f) { return f.first == file; };
      if (std::any_of(ex.files.begin(), ex.files.end(), same)) fail(name, lines[i].number, "file " + file + " twice");
      ex.files.emplace_back(file, std::move(body));
    }
    i = j;
  }
  if (!have_command) fail(name, heading, "an example needs a ```console block with one `$ nsmon ...` line");
  return ex;
}

std::string join_lines(const std::vector<Line>& lines) {
  std::string out;
  for (const auto& l : lines) out.append(l.text).append(1, '\n');
  while (out.ends_with('\n')) out.pop_back();
  std::size_t start = out.find_first_not_of('\n');
  return start == std::string::npos ? std::string() : out.substr(start);
}

// The ids a "## Related" section names: every `family/name` in backticks.
std::vector<std::string> related_ids(const std::vector<Line>& lines) {
  std::vector<std::string> ids;
  for (const auto& l : lines) {
    std::string_view s = l.text;
    for (std::size_t open = s.find('`'); open != std::string_view::npos; open = s.find('`', open)) {
      std::size_t close = s.find('`', open + 1);
      if (close == std::string_view::npos) break;
      std::string_view word = s.substr(open + 1, close - open - 1);
      if (word.find('/') != std::string_view::npos && word.find(' ') == std::string_view::npos) ids.emplace_back(word);
      open = close + 1;
    }
  }
  return ids;
}

} // namespace

CheckDoc parse_check_doc(std::string_view markdown, std::string_view name) {
  CheckDoc doc;
  doc.markdown = std::string(markdown);
  std::vector<Line> lines = split_lines(markdown);
  std::size_t i = 0;
  while (i < lines.size() && util::trim(lines[i].text).empty()) ++i;
  if (i == lines.size() || !lines[i].text.starts_with("# "))
    fail(name, i < lines.size() ? lines[i].number : 1, "a page starts with `# family/name`");
  doc.id = std::string(util::trim(lines[i].text.substr(2)));
  ++i;

  // Sections at "## " outside code blocks; the text before the first is what the check catches.
  std::string section;
  int heading = lines.empty() ? 1 : lines[i - 1].number;
  std::vector<Line> body;
  auto finish = [&] {
    if (section.empty()) doc.what = join_lines(body);
    else if (section == "Why it matters") doc.why = join_lines(body);
    else if (section == "Configuration") doc.configuration = join_lines(body);
    else if (section == "Related") doc.related = related_ids(body), doc.related_markdown = join_lines(body);
    else if (section == "Bad") doc.bad = read_example(body, name, heading);
    else if (section == "Good") doc.good = read_example(body, name, heading);
    else if (section == "Transcript") doc.transcript = join_lines(body);
    else
      fail(name, heading,
           "unknown section '" + section + "' (Why it matters, Configuration, Related, Bad, Good, Transcript)");
    body.clear();
  };
  bool in_code = false;
  for (; i < lines.size(); ++i) {
    if (is_fence(lines[i].text)) in_code = !in_code;
    if (!in_code && lines[i].text.starts_with("## ")) {
      finish();
      section = std::string(util::trim(lines[i].text.substr(3)));
      heading = lines[i].number;
      continue;
    }
    body.push_back(lines[i]);
  }
  finish();
  if (doc.why.empty()) fail(name, 1, "a page needs a `## Why it matters` section");
  return doc;
}

std::string_view check_page(std::string_view id) {
  const auto* begin = embedded::check_pages;
  const auto* end = begin + embedded::check_pages_size;
  const auto* it = std::lower_bound(begin, end, id, [](const auto& p, std::string_view v) { return p.id < v; });
  return it != end && it->id == id ? it->markdown : std::string_view();
}

namespace {

// The subcommand of nsmon's arguments: the first word that is no global option (--catalog FILE,
// --color WHEN) nor its value, with its own subcommand where that is what runs ("slo generate").
std::string command_name(const std::vector<std::string>& words) {
  std::size_t i = 0;
  while (i + 1 < words.size() && words[i].starts_with("--")) i += words[i].find('=') == std::string::npos ? 2 : 1;
  if (i >= words.size()) return "";
  std::string cmd = words[i];
  if ((cmd == "slo" || cmd == "routes" || cmd == "promql" || cmd == "catalog" || cmd == "config") &&
      i + 1 < words.size())
    cmd += " " + words[i + 1];
  return cmd;
}

} // namespace

std::string check_command(const CheckDoc& doc) {
  const DocExample* ex = doc.bad ? &*doc.bad : doc.good ? &*doc.good : nullptr;
  if (ex) return command_name(ex->command);
  std::size_t at = doc.transcript.find("$ nsmon ");
  if (at == std::string::npos) return "";
  std::string_view line = std::string_view(doc.transcript).substr(at + 8);
  line = line.substr(0, line.find('\n'));
  std::vector<std::string> words;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) words.push_back(w);
  return command_name(words);
}

std::optional<CheckDoc> check_doc(std::string_view id) {
  std::string_view page = check_page(id);
  if (page.empty()) return std::nullopt;
  return parse_check_doc(page, check_page_path(id));
}

std::string check_page_path(std::string_view id) { return "docs/checks/" + std::string(id) + ".md"; }

} // namespace nsmon::core
