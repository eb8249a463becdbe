#include "nsmon/cli/completion.hpp"

#include <CLI/CLI.hpp>
#include <map>
#include <sstream>

#include "nsmon/core/error.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

// Arguments CLI11 cannot describe: (command path, argument name or "*" for any positional, kind).
// A path matches its subcommands too ("query" covers "query series").
struct Known {
  const char* path;
  const char* name;
  const char* kind;
};
constexpr Known kKnown[] = {
    {"catalog show", "NAME", "metric"}, {"query label-values", "NAME", "none"}, {"query", "*", "metric"},
    {"promql", "EXPR", "metric"},       {"lint-metrics", "INPUT", "file"},      {"watch", "COMMAND", "command"},
};

// Value kinds named by an option's text (->option_text("FILE")) or a positional's name.
const std::map<std::string, std::string>& kinds_by_text() {
  static const std::map<std::string, std::string> m = {{"FILE", "file"},      {"FILES", "file"},    {"PATH", "file"},
                                                       {"DIR", "dir"},        {"METRIC", "metric"}, {"CHECK", "check"},
                                                       {"COMMAND", "command"}};
  return m;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

bool under(const std::string& path, const std::string& prefix) {
  return path == prefix || util::starts_with(path, prefix + " ");
}

// The value set of an IsMember / CheckedTransformer validator: its description is "{a,b}" or
// "{a->1,b->2}" (CLI11 2.1); empty when there is none.
std::vector<std::string> member_words(const CLI::Option& opt) {
  std::string type = opt.get_type_name();
  auto open = type.find('{'), close = type.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  std::vector<std::string> words;
  std::stringstream in(type.substr(open + 1, close - open - 1));
  for (std::string w; std::getline(in, w, ',');) {
    w = w.substr(0, w.find("->"));
    if (!w.empty()) words.push_back(w);
  }
  return words;
}

ValueSpec value_of(const std::string& path, const std::string& name, const CLI::Option& opt) {
  ValueSpec v;
  v.words = member_words(opt);
  if (!v.words.empty()) {
    v.kind = "words";
    return v;
  }
  for (const auto& k : kKnown)
    if (under(path, k.path) && (name == k.name || std::string_view(k.name) == "*") && opt.get_lnames().empty()) {
      v.kind = k.kind;
      return v;
    }
  const std::string& text = opt.get_option_text().empty() ? name : opt.get_option_text();
  auto it = kinds_by_text().find(text);
  if (it != kinds_by_text().end()) v.kind = it->second;
  return v;
}

void walk(const CLI::App& app, const std::string& path, std::vector<CommandSpec>& out) {
  CommandSpec c;
  c.path = path;
  c.help = first_line(app.get_description());
  std::vector<const CLI::App*> subs = app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); });
  for (const auto* s : subs) c.subcommands.push_back({s->get_name(), first_line(s->get_description())});
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_lnames().empty() && opt->get_snames().empty()) {
      c.positional = true;
      c.positional_value = value_of(path, opt->get_name(true), *opt);
      continue;
    }
    OptionSpec s;
    for (const auto& l : opt->get_lnames()) s.names.push_back("--" + l);
    for (const auto& n : opt->get_snames()) s.names.push_back("-" + n);
    s.help = first_line(opt->get_description());
    s.takes_value = opt->get_type_size_max() > 0;
    if (s.takes_value) s.value = value_of(path, opt->get_single_name(), *opt);
    c.options.push_back(std::move(s));
  }
  out.push_back(std::move(c));
  for (const auto* s : subs) walk(*s, path.empty() ? s->get_name() : path + " " + s->get_name(), out);
}

// A word quoted for bash, zsh and fish alike: '...' with ' written as '\''.
std::string sq(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += "'\\''";
    else out += ch;
  }
  return out + "'";
}

// The options accepted at a path: its own, then those of the commands above it (nsmon's
// subcommands fall through to their parents' options).
std::vector<const OptionSpec*> visible_options(const std::vector<CommandSpec>& cs, const std::string& path) {
  std::vector<const OptionSpec*> out;
  std::vector<std::string> seen;
  for (auto it = cs.rbegin(); it != cs.rend(); ++it) {
    if (!(it->path.empty() || under(path, it->path))) continue;
    for (const auto& o : it->options) {
      if (std::find(seen.begin(), seen.end(), o.names[0]) != seen.end()) continue;
      seen.push_back(o.names[0]);
      out.push_back(&o);
    }
  }
  return out;
}

std::vector<std::string> sub_names(const CommandSpec& c) {
  std::vector<std::string> names;
  for (const auto& [name, help] : c.subcommands) names.push_back(name);
  return names;
}

// The case pattern of an option at a path: "path|--long"|"path|-s".
std::string patterns(const std::string& path, const OptionSpec& o) {
  std::vector<std::string> ps;
  for (const auto& n : o.names) ps.push_back(sq(path + "|" + n));
  return util::join(ps, "|");
}

// The case patterns of every option that takes a value, at the path that defines it.
std::vector<std::string> value_patterns(const std::vector<CommandSpec>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs)
    for (const auto& opt : c.options)
      if (opt.takes_value) out.push_back(patterns(c.path, opt));
  return out;
}

std::string bash_fill(const ValueSpec& v) {
  if (v.kind == "words") return "COMPREPLY=($(compgen -W " + sq(util::join(v.words, " ")) + " -- \"$cur\"))";
  if (v.kind == "file") return "_nsmon_files \"$cur\"";
  if (v.kind == "dir") return "_nsmon_dirs \"$cur\"";
  if (v.kind == "metric") return "_nsmon_metric_names \"$cur\"";
  if (v.kind == "check") return "COMPREPLY=($(compgen -W \"$_nsmon_checks\" -- \"$cur\"))";
  if (v.kind == "command") return "COMPREPLY=($(compgen -c -- \"$cur\"))";
  return "COMPREPLY=()";
}

std::string bash(const std::vector<CommandSpec>& cs, const std::vector<std::string>& metrics,
                 const std::vector<std::string>& checks) {
  std::ostringstream o;
  o << "# bash completion for nsmon                                -*- shell-script -*-\n"
       "# Generated by `nsmon completion bash` from nsmon's own command-line definition: do not edit.\n"
       "# Installed as share/bash-completion/completions/nsmon; or `source` it from ~/.bashrc.\n\n";
  o << "_nsmon_metrics=" << sq(util::join(metrics, " ")) << "\n";
  o << "_nsmon_checks=" << sq(util::join(checks, " ")) << "\n\n";

  o << "# _nsmon_subcommands PATH: the subcommands of a command path (\"\" is nsmon itself).\n"
       "_nsmon_subcommands() {\n  case \"$1\" in\n";
  for (const auto& c : cs)
    if (!c.subcommands.empty()) o << "    " << sq(c.path) << ") echo " << sq(util::join(sub_names(c), " ")) << " ;;\n";
  o << "  esac\n}\n\n";

  o << "# _nsmon_options PATH: the options accepted there (its own and its parents').\n"
       "_nsmon_options() {\n  case \"$1\" in\n";
  for (const auto& c : cs) {
    std::vector<std::string> names;
    for (const auto* opt : visible_options(cs, c.path)) names.insert(names.end(), opt->names.begin(), opt->names.end());
    o << "    " << sq(c.path) << ") echo " << sq(util::join(names, " ")) << " ;;\n";
  }
  o << "  esac\n}\n\n";

  o << "# _nsmon_takes_value PATH OPTION: whether OPTION, defined at PATH, takes a value.\n"
       "_nsmon_takes_value() {\n  case \"$1|$2\" in\n";
  std::vector<std::string> with_value = value_patterns(cs);
  if (!with_value.empty()) o << "    " << util::join(with_value, " | \\\n    ") << ") return 0 ;;\n";
  o << "  esac\n  return 1\n}\n\n";

  o << "# _nsmon_value PATH OPTION CUR: the values of OPTION, defined at PATH, that start with CUR.\n"
       "_nsmon_value() {\n  local cur=\"$3\"\n  case \"$1|$2\" in\n";
  for (const auto& c : cs)
    for (const auto& opt : c.options)
      if (opt.takes_value) o << "    " << patterns(c.path, opt) << ") " << bash_fill(opt.value) << " ;;\n";
  o << "    *) return 1 ;;\n  esac\n}\n\n";

  o << "# _nsmon_positional PATH CUR: what the arguments of PATH can be.\n"
       "_nsmon_positional() {\n  local cur=\"$2\"\n  case \"$1\" in\n";
  for (const auto& c : cs)
    if (c.positional && !c.positional_value.kind.empty())
      o << "    " << sq(c.path) << ") " << bash_fill(c.positional_value) << " ;;\n";
  o << "  esac\n}\n\n";

  o << R"SH(_nsmon_files() {
  local IFS=$'\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$1"))
}

_nsmon_dirs() {
  local IFS=$'\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -d -- "$1"))
}

# _nsmon_metric_names CUR: metric names for the name being typed at the end of CUR, which may be
# inside an expression ('rate(gpu_<TAB>' completes gpu_, keeping 'rate(' in front).
_nsmon_metric_names() {
  local name="${1##*[^a-zA-Z0-9_:]}"
  local head="${1:0:${#1}-${#name}}"
  COMPREPLY=($(compgen -P "$head" -W "$_nsmon_metrics" -- "$name"))
}

# _nsmon_up FUNCTION PATH OPTION [CUR]: FUNCTION for OPTION at PATH, else at each parent of PATH.
_nsmon_up() {
  local p="$2"
  while :; do
    "$1" "$p" "$3" "$4" && return 0
    [[ -z $p ]] && return 1
    if [[ $p == *" "* ]]; then p="${p% *}"; else p=""; fi
  done
}

_nsmon() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" path="" i w sub
  COMPREPLY=()
  # The command path so far: subcommand names, skipping options and their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    if [[ $w == "--" ]]; then # what follows is a command and its arguments (watch -- COMMAND ...)
      if ((i == COMP_CWORD - 1)); then COMPREPLY=($(compgen -c -- "$cur")); else _nsmon_files "$cur"; fi
      return 0
    fi
    if [[ $w == -* ]]; then
      [[ $w == *=* ]] && continue
      if [[ ${COMP_WORDS[i + 1]} == "=" ]]; then ((i += 2)); continue; fi
      _nsmon_up _nsmon_takes_value "$path" "$w" && ((i++))
      continue
    fi
    for sub in $(_nsmon_subcommands "$path"); do
      if [[ $w == "$sub" ]]; then path="${path:+$path }$w"; break; fi
    done
  done
  # An option's value: "--format js", or "--format=js" (which bash splits into --format = js).
  ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"
  if [[ $cur == "=" ]]; then cur=""
  elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then prev="${COMP_WORDS[COMP_CWORD - 2]}"
  fi
  if [[ $prev == -* ]] && _nsmon_up _nsmon_takes_value "$path" "$prev"; then
    _nsmon_up _nsmon_value "$path" "$prev" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_nsmon_options "$path")" -- "$cur"))
    return 0
  fi
  _nsmon_positional "$path" "$cur"
  COMPREPLY+=($(compgen -W "$(_nsmon_subcommands "$path")" -- "$cur"))
  return 0
}

complete -F _nsmon nsmon
)SH";
  return o.str();
}

std::string zsh_fill(const ValueSpec& v, const std::string& what) {
  if (v.kind == "words") return "compadd -- " + util::join(v.words, " ");
  if (v.kind == "file") return "_files";
  if (v.kind == "dir") return "_files -/";
  if (v.kind == "metric") return "compset -P '*[^a-zA-Z0-9_:]'; compadd -- ${=_nsmon_metrics}";
  if (v.kind == "check") return "compadd -- ${=_nsmon_checks}";
  if (v.kind == "command") return "_command_names -e";
  return "_message " + sq(what);
}

std::string described(const std::string& name, const std::string& help) { return sq(name + ":" + help); }

std::string zsh(const std::vector<CommandSpec>& cs, const std::vector<std::string>& metrics,
                const std::vector<std::string>& checks) {
  std::ostringstream o;
  o << "#compdef nsmon\n"
       "# zsh completion for nsmon, generated by `nsmon completion zsh` from nsmon's own command-line\n"
       "# definition: do not edit. Installed as share/zsh/vendor-completions/_nsmon (any directory\n"
       "# in $fpath works).\n\n";
  o << "_nsmon_metrics=" << sq(util::join(metrics, " ")) << "\n";
  o << "_nsmon_checks=" << sq(util::join(checks, " ")) << "\n\n";

  o << "_nsmon_subcommands() {\n  case $1 in\n";
  for (const auto& c : cs) {
    if (c.subcommands.empty()) continue;
    std::vector<std::string> items;
    for (const auto& [name, help] : c.subcommands) items.push_back(described(name, help));
    o << "    (" << sq(c.path) << ") reply=(" << util::join(items, " ") << ") ;;\n";
  }
  o << "    (*) reply=() ;;\n  esac\n}\n\n";

  o << "_nsmon_options() {\n  case $1 in\n";
  for (const auto& c : cs) {
    std::vector<std::string> items;
    for (const auto* opt : visible_options(cs, c.path))
      for (const auto& n : opt->names) items.push_back(described(n, opt->help));
    o << "    (" << sq(c.path) << ") reply=(" << util::join(items, " ") << ") ;;\n";
  }
  o << "  esac\n}\n\n";

  o << "_nsmon_takes_value() {\n  case \"$1|$2\" in\n";
  std::vector<std::string> with_value = value_patterns(cs);
  if (!with_value.empty()) o << "    (" << util::join(with_value, " | \\\n     ") << ") return 0 ;;\n";
  o << "  esac\n  return 1\n}\n\n";

  o << "_nsmon_value() {\n  case \"$1|$2\" in\n";
  for (const auto& c : cs)
    for (const auto& opt : c.options)
      if (opt.takes_value) o << "    (" << patterns(c.path, opt) << ") " << zsh_fill(opt.value, opt.help) << " ;;\n";
  o << "    (*) return 1 ;;\n  esac\n  return 0\n}\n\n";

  o << "_nsmon_positional() {\n  case $1 in\n";
  for (const auto& c : cs)
    if (c.positional && !c.positional_value.kind.empty())
      o << "    (" << sq(c.path) << ") " << zsh_fill(c.positional_value, "argument") << " ;;\n";
  o << "  esac\n}\n\n";

  // zsh ties `path` to $PATH: the command path is `cmd` here.
  o << R"SH(_nsmon_up() {
  local p=$2
  while true; do
    $1 "$p" "$3" && return 0
    [[ -z $p ]] && return 1
    if [[ $p == *' '* ]]; then p=${p% *}; else p=''; fi
  done
}

_nsmon() {
  local cur=$words[CURRENT] prev=$words[CURRENT-1] cmd='' i w sub
  local -a reply subs opts
  for ((i = 2; i < CURRENT; i++)); do
    w=$words[i]
    if [[ $w == -- ]]; then
      if (( i == CURRENT - 1 )); then _command_names -e; else _files; fi
      return
    fi
    if [[ $w == -* ]]; then
      [[ $w == *=* ]] && continue
      _nsmon_up _nsmon_takes_value "$cmd" "$w" && (( i++ ))
      continue
    fi
    _nsmon_subcommands "$cmd"
    for sub in ${reply%%:*}; do
      if [[ $w == $sub ]]; then cmd=${cmd:+$cmd }$w; break; fi
    done
  done
  if [[ $cur == -*=* ]]; then
    local opt=${cur%%=*}
    compset -P '*='
    _nsmon_up _nsmon_value "$cmd" "$opt"
    return
  fi
  if [[ $prev == -* ]] && _nsmon_up _nsmon_takes_value "$cmd" "$prev"; then
    _nsmon_up _nsmon_value "$cmd" "$prev"
    return
  fi
  if [[ $cur == -* ]]; then
    _nsmon_options "$cmd"; opts=($reply)
    _describe -t options 'option' opts
    return
  fi
  _nsmon_subcommands "$cmd"; subs=($reply)
  (( $#subs )) && _describe -t commands 'subcommand' subs
  _nsmon_positional "$cmd"
}

if [[ $funcstack[1] == _nsmon ]]; then _nsmon "$@"; else compdef _nsmon nsmon; fi
)SH";
  return o.str();
}

std::string fish_value(const ValueSpec& v) {
  if (v.kind == "words") return " -x -a " + sq(util::join(v.words, " "));
  if (v.kind == "file") return " -r -F";
  if (v.kind == "dir") return " -x -a '(__fish_complete_directories)'";
  if (v.kind == "metric") return " -x -a '(__nsmon_metrics)'";
  if (v.kind == "check") return " -x -a '(__nsmon_checks)'";
  if (v.kind == "command") return " -x -a '(__fish_complete_command)'";
  return " -x";
}

std::string fish(const std::vector<CommandSpec>& cs, const std::vector<std::string>& metrics,
                 const std::vector<std::string>& checks) {
  std::ostringstream o;
  o << "# fish completion for nsmon, generated by `nsmon completion fish` from nsmon's own command-line\n"
       "# definition: do not edit. Installed as share/fish/vendor_completions.d/nsmon.fish.\n\n";
  o << "function __nsmon_metrics\n  printf '%s\\n' " << util::join(metrics, " ") << "\nend\n\n";
  o << "function __nsmon_checks\n  printf '%s\\n' " << util::join(checks, " ") << "\nend\n\n";

  o << "function __nsmon_subcommands\n  switch $argv[1]\n";
  for (const auto& c : cs)
    if (!c.subcommands.empty())
      o << "    case " << sq(c.path) << "\n      printf '%s\\n' " << util::join(sub_names(c), " ") << "\n";
  o << "  end\nend\n\n";

  o << "function __nsmon_takes_value\n  switch \"$argv[1]|$argv[2]\"\n";
  std::vector<std::string> with_value;
  for (const auto& c : cs)
    for (const auto& opt : c.options)
      if (opt.takes_value)
        for (const auto& n : opt.names) with_value.push_back(sq(c.path + "|" + n));
  if (!with_value.empty()) o << "    case " << util::join(with_value, " \\\n        ") << "\n      return 0\n";
  o << "  end\n  return 1\nend\n\n";

  o << R"SH(# The command path typed so far ("" is nsmon itself): subcommand names, options skipped.
function __nsmon_path
  set -l path ''
  set -l skip 0
  set -l words (commandline -opc)
  set -e words[1]
  for w in $words
    if test $skip = 1
      set skip 0
      continue
    end
    if test "$w" = '--'
      break
    end
    if string match -q -- '-*' $w
      if not string match -q -- '*=*' $w
        set -l p $path
        while true
          if __nsmon_takes_value "$p" $w
            set skip 1
            break
          end
          test -z "$p"; and break
          set p (string replace -r ' ?[^ ]*$' '' -- $p)
        end
      end
      continue
    end
    if contains -- $w (__nsmon_subcommands "$path")
      set path (string trim -- "$path $w")
    end
  end
  echo $path
end

function __nsmon_at
  test (__nsmon_path) = "$argv[1]"
end

# Whether the path is argv[1] or a subcommand of it (options fall through to subcommands).
function __nsmon_under
  test -z "$argv[1]"; and return 0
  set -l path (__nsmon_path)
  test "$path" = "$argv[1]"; or string match -q -- "$argv[1] *" "$path"
end

complete -c nsmon -f
)SH";
  for (const auto& c : cs) {
    for (const auto& [name, help] : c.subcommands)
      o << "complete -c nsmon -n " << sq("__nsmon_at \"" + c.path + "\"") << " -a " << sq(name) << " -d " << sq(help)
        << "\n";
    for (const auto& opt : c.options) {
      o << "complete -c nsmon -n " << sq("__nsmon_under \"" + c.path + "\"");
      for (const auto& n : opt.names) o << (util::starts_with(n, "--") ? " -l " + n.substr(2) : " -s " + n.substr(1));
      if (opt.takes_value) o << fish_value(opt.value);
      o << " -d " << sq(opt.help) << "\n";
    }
    if (c.positional && !c.positional_value.kind.empty())
      o << "complete -c nsmon -n " << sq("__nsmon_at \"" + c.path + "\"") << fish_value(c.positional_value) << "\n";
  }
  return o.str();
}

} // namespace

std::vector<CommandSpec> describe(const CLI::App& app) {
  std::vector<CommandSpec> out;
  walk(app, "", out);
  return out;
}

std::string completion_script(const std::vector<CommandSpec>& commands, const std::string& shell,
                              const std::vector<std::string>& metrics, const std::vector<std::string>& checks) {
  if (shell == "bash") return bash(commands, metrics, checks);
  if (shell == "zsh") return zsh(commands, metrics, checks);
  if (shell == "fish") return fish(commands, metrics, checks);
  throw UsageError("no completion for the shell '" + shell + "': bash, zsh or fish");
}

} // namespace nsmon::cli
