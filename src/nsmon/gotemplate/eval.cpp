#include "nsmon/gotemplate/eval.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "nsmon/gotemplate/parse.hpp"
#include "nsmon/gotemplate/value.hpp"

namespace nsmon::gotemplate {

namespace {

using detail::Arg;
using detail::Cmd;
using detail::Node;
using detail::Param;
using detail::Pipe;
using detail::Value;
using Kind = Value::Kind;

/// An execution error: unwinds to expand_template, which words it.
struct ExecError {
  std::string message;
};

struct Var {
  std::string name;
  Value value;
};

/// A defined template: its nodes and the file that defines it (where its errors point).
struct Def {
  const std::vector<Node>* nodes = nullptr;
  const detail::Parsed* file = nullptr;
};
using Defs = std::map<std::string, Def, std::less<>>;

void define_all(const detail::Parsed& parsed, Defs& defs) {
  // Go's AddParseTree: a later definition replaces an earlier one unless its body is empty.
  for (const auto& [name, nodes] : parsed.templates) {
    bool empty = std::all_of(nodes.begin(), nodes.end(), [](const Node& n) {
      return n.kind == Node::Kind::text && n.text.find_first_not_of(" \t\r\n") == std::string::npos;
    });
    auto it = defs.find(name);
    if (it != defs.end() && empty) continue;
    defs[name] = {&nodes, &parsed};
  }
}

// html/template's escaping of an action's output, by where the output so far leaves it: in a
// quoted attribute (a URL one: href, src, action) or in text. Go derives the context from the
// template's own text; deriving it from the output is the same for templates that do not write
// markup through actions.
std::string html_context_escape(const std::string& out, const std::string& v, bool safe, bool urlquery_last) {
  std::size_t lt = out.rfind('<'), gt = out.rfind('>');
  bool in_tag = lt != std::string::npos && (gt == std::string::npos || gt < lt);
  std::string attr;
  bool url_attr = false, in_query = false;
  if (in_tag) {
    // Inside a tag: an attribute value is open when its opening quote has no closing one.
    std::size_t eq = out.rfind('=');
    if (eq != std::string::npos && eq > lt && eq + 1 < out.size() && (out[eq + 1] == '"' || out[eq + 1] == '\'')) {
      char q = out[eq + 1];
      if (out.find(q, eq + 2) != std::string::npos) return detail::html_escape_text(v);
      std::size_t b = eq;
      while (b > lt && (std::isalnum(static_cast<unsigned char>(out[b - 1])) || out[b - 1] == '-')) --b;
      attr = out.substr(b, eq - b);
      url_attr = attr == "href" || attr == "src" || attr == "action";
      in_query = url_attr && out.find('?', eq + 2) != std::string::npos;
      if (url_attr && out.size() == eq + 2) {
        // The start of a URL: schemes other than http, https and mailto are refused.
        std::string lower;
        for (char c : v.substr(0, v.find(':'))) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (v.find(':') != std::string::npos && v.find(':') < v.find_first_of("/?#") && lower != "http" &&
            lower != "https" && lower != "mailto")
          return "#ZgotmplZ";
      }
    }
  }
  if (safe && !in_tag) return v;
  if (!url_attr) return detail::html_escape_text(v);
  std::string u = in_query && !urlquery_last ? detail::url_escape(v, false) : detail::url_escape(v, true);
  return detail::html_escape_text(u);
}

// html/template drops the template text's HTML comments.
std::string without_comments(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open; (open = text.find("<!--", at)) != std::string::npos;) {
    std::size_t close = text.find("-->", open + 4);
    if (close == std::string::npos) break;
    out.append(text, at, open - at);
    at = close + 3;
  }
  return out.append(text, at);
}

class Executor {
public:
  Executor(const Defs& defs, const detail::Env& env, const TemplateLimits& limits, bool html = false)
      : defs_(defs), env_(env), limits_(limits), html_(html) {}

  std::string run(const std::string& name, const Value& dot) {
    call(name, dot, nullptr);
    return std::move(out_);
  }

private:
  enum class Flow { normal, brk, cont };

  [[noreturn]] void fail(std::size_t pos, const std::string& context, const std::string& msg) {
    // Go 1.19 quotes the whole node; later versions cut it at 20 bytes.
    throw ExecError{"template: " + file_->location(pos) + ": executing \"" + current_ + "\" at <" + context +
                    ">: " + msg};
  }

  void step(std::size_t pos) {
    if (++steps_ > limits_.max_steps)
      fail(pos, "", "template too expensive: more than " + std::to_string(limits_.max_steps) + " steps");
  }

  void call(const std::string& name, const Value& dot, const Node* at) {
    auto it = defs_.find(name);
    if (it == defs_.end()) fail(at->pos, detail::to_string(*at), "template \"" + name + "\" not defined");
    if (depth_ >= limits_.max_call_depth)
      fail(at ? at->pos : 0, at ? detail::to_string(*at) : std::string(),
           "exceeded maximum template depth (" + std::to_string(limits_.max_call_depth) + ")");
    // A template runs with its own variables: only $, the dot it was given.
    std::vector<Var> saved;
    saved.swap(vars_);
    vars_.push_back({"$", dot});
    std::string saved_name = current_;
    const detail::Parsed* saved_file = file_;
    current_ = name;
    file_ = it->second.file;
    ++depth_;
    walk(*it->second.nodes, dot);
    --depth_;
    current_ = std::move(saved_name);
    file_ = saved_file;
    vars_.swap(saved);
  }

  // Blocks, parenthesized pipelines and template calls nest the executor's frames: together they
  // count against the depth limit, so the stack stays bounded whatever the template.
  struct Deeper {
    Executor& e;
    Deeper(Executor& ex, std::size_t pos) : e(ex) {
      if (++e.depth_ > e.limits_.max_call_depth) {
        --e.depth_;
        e.fail(pos, "", "exceeded maximum template depth (" + std::to_string(e.limits_.max_call_depth) + ")");
      }
    }
    ~Deeper() { --e.depth_; }
    Deeper(const Deeper&) = delete;
    Deeper& operator=(const Deeper&) = delete;
  };

  Flow walk(const std::vector<Node>& list, const Value& dot) {
    if (list.empty()) return Flow::normal;
    Deeper guard(*this, list.front().pos);
    for (const Node& n : list) {
      Flow f = walk_node(n, dot);
      if (f != Flow::normal) return f;
    }
    return Flow::normal;
  }

  Flow walk_node(const Node& n, const Value& dot) {
    step(n.pos);
    switch (n.kind) {
    case Node::Kind::text: emit(n.pos, html_ ? without_comments(n.text) : n.text); return Flow::normal;
    case Node::Kind::action: {
      Value v = pipeline(*n.pipe, dot);
      if (!n.pipe->decl.empty()) return Flow::normal;
      if (!html_) emit(n.pos, detail::print_action(v));
      else {
        const detail::Arg& last = n.pipe->cmds.back().args.front();
        bool urlquery = last.kind == detail::Arg::Kind::ident && last.name == "urlquery";
        emit(n.pos, html_context_escape(out_, detail::print_action(v), v.kind == Kind::html, urlquery));
      }
      return Flow::normal;
    }
    case Node::Kind::if_:
    case Node::Kind::with: {
      std::size_t mark = vars_.size();
      Value v = pipeline(*n.pipe, dot);
      bool yes = detail::truth(v);
      Flow f = Flow::normal;
      if (yes) f = walk(n.list, n.kind == Node::Kind::with ? v : dot);
      else f = walk(n.else_list, dot);
      vars_.resize(mark);
      return f;
    }
    case Node::Kind::range: return range(n, dot);
    case Node::Kind::template_: {
      if (!defs_.count(n.name)) fail(n.pos, detail::to_string(n), "template \"" + n.name + "\" not defined");
      Value v = n.pipe ? pipeline(*n.pipe, dot) : Value{};
      call(n.name, v, &n);
      return Flow::normal;
    }
    case Node::Kind::break_: return Flow::brk;
    case Node::Kind::continue_: return Flow::cont;
    }
    return Flow::normal;
  }

  void emit(std::size_t pos, std::string_view s) {
    out_ += s;
    if (out_.size() > limits_.max_output)
      fail(pos, "", "template output larger than " + std::to_string(limits_.max_output) + " bytes");
  }

  Flow range(const Node& n, const Value& dot) {
    std::size_t mark = vars_.size();
    Value v = pipeline(*n.pipe, dot);
    // The variables the pipeline declared take the key and the element on each pass.
    auto one = [&](const Value& key, const Value& elem) {
      if (n.pipe->decl.size() == 1) vars_[vars_.size() - 1].value = elem;
      else if (n.pipe->decl.size() == 2) {
        vars_[vars_.size() - 2].value = key;
        vars_[vars_.size() - 1].value = elem;
      }
      std::size_t inner = vars_.size();
      Flow f = walk(n.list, elem);
      vars_.resize(inner);
      return f;
    };
    std::size_t count = 0;
    Flow result = Flow::normal;
    auto visit = [&](const Value& key, const Value& elem) {
      ++count;
      Flow f = one(key, elem);
      return f != Flow::brk;
    };
    switch (v.kind) {
    case Kind::labels:
    case Kind::kv:
      for (const auto& [k, s] : *v.labels)
        if (!visit(Value::string(k), Value::string(s))) break;
      break;
    case Kind::list:
      for (std::size_t i = 0; i < v.list->size(); ++i)
        if (!visit(Value::integer(static_cast<std::int64_t>(i)), (*v.list)[i])) break;
      break;
    case Kind::any_map:
      for (const auto& [k, e] : *v.any_map)
        if (!visit(Value::string(k), e)) break;
      break;
    case Kind::samples:
      for (std::size_t i = 0; i < v.samples->size(); ++i) {
        Value e;
        e.kind = Kind::sample;
        e.sample = (*v.samples)[i];
        if (!visit(Value::integer(static_cast<std::int64_t>(i)), e)) break;
      }
      break;
    case Kind::nil: break;
    default:
      // Go reports it at the last node it evaluated.
      if (last_) fail(last_->pos, detail::to_string(*last_), "range can't iterate over " + detail::sprint_one(v));
      fail(n.pos, detail::to_string(n), "range can't iterate over " + detail::sprint_one(v));
    }
    if (count == 0) result = walk(n.else_list, dot);
    vars_.resize(mark);
    return result == Flow::brk || result == Flow::cont ? Flow::normal : result;
  }

  Value pipeline(const Pipe& p, const Value& dot) {
    Value v;
    bool have = false;
    for (const Cmd& c : p.cmds) {
      v = command(c, dot, have ? &v : nullptr);
      have = true;
    }
    for (const std::string& d : p.decl) {
      if (p.assign) {
        auto it = std::find_if(vars_.rbegin(), vars_.rend(), [&](const Var& x) { return x.name == d; });
        if (it == vars_.rend())
          fail(last_ ? last_->pos : p.pos, last_ ? detail::to_string(*last_) : "", "undefined variable: " + d);
        it->value = v;
      } else {
        vars_.push_back({d, v});
      }
    }
    return v;
  }

  Value command(const Cmd& c, const Value& dot, const Value* final) {
    step(c.pos);
    const Arg& first = c.args.front();
    if (first.kind == Arg::Kind::ident) return function(c, dot, final);
    if ((final || c.args.size() > 1) && !first.fields.empty() && first.kind != Arg::Kind::dot) {
      // A method given arguments (.CommonLabels.Remove .GroupLabels.Names).
      Value recv = first.kind == Arg::Kind::field      ? dot
                   : first.kind == Arg::Kind::variable ? lookup_var(first)
                                                       : pipeline(*first.pipe, dot);
      for (std::size_t k = 0; k + 1 < first.fields.size(); ++k) recv = field(first, recv, first.fields[k]);
      if (const detail::Method* m = detail::find_method(recv, first.fields.back()))
        return method(c, *m, recv, dot, final);
    }
    if (final || c.args.size() > 1) {
      // Arguments to something that is not a function: a field chain says which kind of field.
      std::string ctx = detail::to_string(first);
      if (!first.fields.empty() && first.kind != Arg::Kind::dot) {
        Value recv = first.kind == Arg::Kind::field      ? dot
                     : first.kind == Arg::Kind::variable ? lookup_var(first)
                                                         : pipeline(*first.pipe, dot);
        for (std::size_t k = 0; k + 1 < first.fields.size(); ++k) recv = field(first, recv, first.fields[k]);
        const std::string& last = first.fields.back();
        if (recv.kind == Kind::data || recv.kind == Kind::sample || recv.kind == Kind::object) {
          field(first, recv, last);
          fail(first.pos, ctx, last + " has arguments but cannot be invoked as function");
        }
        if (recv.kind == Kind::labels || recv.kind == Kind::any_map || recv.kind == Kind::kv)
          fail(first.pos, ctx, last + " is not a method but has arguments");
        field(first, recv, last);
      }
      fail(first.pos, ctx, "can't give argument to non-function " + ctx);
    }
    return operand(first, dot);
  }

  Value lookup_var(const Arg& a) {
    auto it = std::find_if(vars_.rbegin(), vars_.rend(), [&](const Var& x) { return x.name == a.name; });
    if (it == vars_.rend()) fail(a.pos, detail::to_string(a), "undefined variable: " + a.name);
    return it->value;
  }

  Value operand(const Arg& a, const Value& dot) {
    Value v;
    last_ = &a;
    switch (a.kind) {
    case Arg::Kind::dot: return dot;
    case Arg::Kind::nil: fail(a.pos, "nil", "nil is not a command");
    case Arg::Kind::boolean: return Value::boolean(a.name == "true");
    case Arg::Kind::string: return Value::string(a.value);
    case Arg::Kind::number: return constant(a);
    case Arg::Kind::field: v = dot; break;
    case Arg::Kind::variable: v = lookup_var(a); break;
    case Arg::Kind::chain: {
      Deeper guard(*this, a.pos);
      v = pipeline(*a.pipe, dot);
    }
      // Go's field errors after a parenthesized pipeline point at the last node it evaluated.
      if (last_) {
        const Arg& at = *last_;
        for (const std::string& f : a.fields) v = field(at, v, f);
        return v;
      }
      break;
    case Arg::Kind::ident: {
      Cmd c;
      c.pos = a.pos;
      c.args.push_back(a);
      // last_ may point into c, which dies here, also by an error: the node evaluated last is then
      // `a`, c's copy of it (a fuzzed `(query print).x` read the dead copy).
      struct PointAtA {
        const Arg*& last;
        const Arg* a;
        ~PointAtA() { last = a; }
      } point{last_, &a};
      return function(c, dot, nullptr);
    }
    }
    for (const std::string& f : a.fields) v = field(a, v, f);
    return v;
  }

  Value constant(const Arg& a) {
    if (a.is_int) return Value::integer(a.int_value);
    if (a.is_float) return Value::floating(a.float_value);
    fail(a.pos, a.name, "number constant out of range: " + a.name);
  }

  // A method call: its arguments checked as a function's, Go's errors for their number.
  Value method(const Cmd& c, const detail::Method& m, const Value& recv, const Value& dot, const Value* final) {
    const Arg& first = c.args.front();
    std::size_t given = c.args.size() - 1 + (final ? 1 : 0);
    if (given != m.params.size())
      fail(first.pos, detail::to_string(first),
           "wrong number of args for " + std::string(m.name) + ": want " + std::to_string(m.params.size()) + " got " +
               std::to_string(given));
    std::vector<Value> args;
    for (std::size_t i = 1; i < c.args.size(); ++i) args.push_back(argument(c.args[i], m.params[i - 1], dot));
    if (final) args.push_back(check(c.pos, detail::to_string(c), *final, m.params.back()));
    detail::CallResult r = detail::call_method(m, recv, args);
    if (r.error) fail(first.pos, detail::to_string(first), "error calling " + std::string(m.name) + ": " + *r.error);
    return r.value;
  }

  Value field(const Arg& a, const Value& v, const std::string& name) {
    if (const detail::Method* m = detail::find_method(v, name)) {
      if (!m->params.empty())
        fail(a.pos, detail::to_string(a),
             "wrong number of args for " + name + ": want " + std::to_string(m->params.size()) + " got 0");
      detail::CallResult r = detail::call_method(*m, v, {});
      if (r.error) fail(a.pos, detail::to_string(a), "error calling " + name + ": " + *r.error);
      return r.value;
    }
    switch (v.kind) {
    case Kind::kv: {
      auto it = std::lower_bound(v.labels->begin(), v.labels->end(), name,
                                 [](const auto& p, const std::string& n) { return p.first < n; });
      return Value::string(it != v.labels->end() && it->first == name ? it->second : std::string());
    }
    case Kind::object:
      for (const auto& [k, e] : *v.any_map)
        if (k == name) return e;
      break;
    case Kind::labels: {
      auto it = std::lower_bound(v.labels->begin(), v.labels->end(), name,
                                 [](const auto& p, const std::string& n) { return p.first < n; });
      // missingkey=zero: an absent label is the zero string.
      return Value::string(it != v.labels->end() && it->first == name ? it->second : std::string());
    }
    case Kind::any_map: {
      for (const auto& [k, e] : *v.any_map)
        if (k == name) return e;
      return Value{};
    }
    case Kind::data: {
      const TemplateData& d = *v.data;
      if (name == "Labels") return Value::label_map(d.labels);
      if (name == "ExternalLabels") return Value::label_map(d.external_labels);
      if (name == "ExternalURL") return Value::string(d.external_url);
      if (name == "Value") return Value::floating(d.value);
      break;
    }
    case Kind::sample:
      if (!v.sample) fail(a.pos, detail::to_string(a), "nil pointer evaluating *template.sample." + name);
      if (name == "Labels") return Value::label_map(v.sample->labels);
      if (name == "Value") return Value::floating(v.sample->value);
      break;
    case Kind::nil: fail(a.pos, detail::to_string(a), "nil pointer evaluating interface {}." + name);
    default: break;
    }
    fail(a.pos, detail::to_string(a), "can't evaluate field " + name + " in type " + detail::type_name(v));
  }

  // An argument for a parameter of type `p`: constants as Go converts them, other values checked.
  Value argument(const Arg& a, Param p, const Value& dot) {
    std::string ctx = detail::to_string(a);
    last_ = &a;
    bool literal = a.kind == Arg::Kind::string || a.kind == Arg::Kind::number || a.kind == Arg::Kind::boolean ||
                   a.kind == Arg::Kind::nil;
    if (literal) {
      step(a.pos);
      switch (p) {
      case Param::any:
        if (a.kind == Arg::Kind::nil) return Value{};
        return operand(a, dot);
      case Param::string:
        if (a.kind == Arg::Kind::string) return Value::string(a.value);
        fail(a.pos, ctx, "expected string; found " + ctx);
      case Param::number:
        if (a.kind == Arg::Kind::number && a.is_float) return Value::floating(a.float_value);
        fail(a.pos, ctx, "expected float; found " + ctx);
      case Param::sample:
        if (a.kind == Arg::Kind::nil) {
          Value v;
          v.kind = Kind::sample;
          return v;
        }
        fail(a.pos, ctx, "can't handle " + ctx + " for arg of type *template.sample");
      case Param::samples:
        if (a.kind == Arg::Kind::nil) {
          Value v;
          v.kind = Kind::samples;
          v.samples = std::make_shared<detail::Samples>();
          return v;
        }
        fail(a.pos, ctx, "can't handle " + ctx + " for arg of type template.queryResult");
      case Param::strings: fail(a.pos, ctx, "can't handle " + ctx + " for arg of type []string");
      }
    }
    return check(a.pos, ctx, operand(a, dot), p);
  }

  Value check(std::size_t pos, const std::string& ctx, Value v, Param p) {
    static const char* const names[] = {
        "string", "float64", "interface {}", "*template.sample", "template.queryResult", "[]string"};
    const char* want = names[static_cast<int>(p)];
    if (p == Param::any) return v;
    if (v.kind == Kind::nil) {
      if (p == Param::sample) {
        v.kind = Kind::sample;
        return v;
      }
      if (p == Param::samples) {
        v.kind = Kind::samples;
        v.samples = std::make_shared<detail::Samples>();
        return v;
      }
      fail(pos, ctx, std::string("invalid value; expected ") + want);
    }
    bool ok = (p == Param::strings && v.kind == Kind::list && v.s == "[]string") ||
              (p == Param::string && v.kind == Kind::string) || (p == Param::number && v.kind == Kind::floating) ||
              (p == Param::sample && v.kind == Kind::sample) || (p == Param::samples && v.kind == Kind::samples);
    if (!ok) fail(pos, ctx, std::string("wrong type for value; expected ") + want + "; got " + detail::type_name(v));
    return v;
  }

  Value function(const Cmd& c, const Value& dot, const Value* final) {
    const Arg& id = c.args.front();
    const detail::Function* fn = detail::find_function(id.name);
    last_ = &id;
    std::size_t given = c.args.size() - 1 + (final ? 1 : 0);
    std::size_t fixed = fn->params.size() - (fn->variadic ? 1 : 0);
    if (fn->variadic ? given < fixed : given != fixed)
      fail(id.pos, id.name,
           "wrong number of args for " + id.name + ": want " + (fn->variadic ? "at least " : "") +
               std::to_string(fixed) + " got " + std::to_string(given));
    // and/or return the first argument that decides, without evaluating the rest.
    if (id.name == "and" || id.name == "or") {
      bool is_and = id.name == "and";
      Value v;
      for (std::size_t i = 1; i <= given; ++i) {
        v = i < c.args.size() ? argument(c.args[i], Param::any, dot) : *final;
        if (detail::truth(v) != is_and) return v;
      }
      return v;
    }
    std::vector<Value> args;
    for (std::size_t i = 1; i < c.args.size(); ++i) {
      Param p = fn->params[std::min(i - 1, fn->params.size() - 1)];
      args.push_back(argument(c.args[i], p, dot));
    }
    if (final) {
      Param p = fn->params[std::min(given - 1, fn->params.size() - 1)];
      // Go's context is the node it evaluated last: the last argument, or the function's name.
      const Arg& last = c.args.back();
      args.push_back(check(last.pos, detail::to_string(last), *final, p));
    }
    if (id.name == "call")
      fail(c.pos, detail::to_string(c),
           "error calling call: non-function " + (args.empty() ? std::string() : detail::type_name(args[0])));
    detail::CallResult r = detail::call_function(*fn, args, env_);
    if (r.error) fail(c.pos, detail::to_string(c), "error calling " + id.name + ": " + *r.error);
    return r.value;
  }

  const Defs& defs_;
  const detail::Env& env_;
  const TemplateLimits& limits_;
  bool html_ = false;
  const detail::Parsed* file_ = nullptr; ///< the file of the template running
  std::vector<Var> vars_;
  std::string out_;
  std::string current_;
  std::size_t steps_ = 0;
  std::size_t depth_ = 0;
  const Arg* last_ = nullptr; ///< the node Go's state would point at (s.at)
};

} // namespace

Expanded expand_template(std::string_view name, std::string_view text, const TemplateData& data, const QueryFn& query,
                         const TemplateLimits& limits) {
  Expanded result;
  detail::Parsed parsed = detail::parse(name, text, limits.max_nesting);
  if (parsed.error) {
    result.error = "error parsing template " + std::string(name) + ": " + *parsed.error;
    return result;
  }
  detail::Env env{&data, &query};
  Value dot;
  dot.kind = Kind::data;
  dot.data = &data;
  Defs defs;
  define_all(parsed, defs);
  try {
    result.text = Executor(defs, env, limits).run(std::string(name), dot);
  } catch (const ExecError& e) {
    result.error = "error executing template " + std::string(name) + ": " + e.message;
  }
  return result;
}

Expanded expand_alert_template(std::string_view alertname, std::string_view text, const TemplateData& data,
                               const QueryFn& query) {
  std::string full(detail::kAlertPreamble);
  full += text;
  Expanded e = expand_template("__alert_" + std::string(alertname), full, data, query);
  if (e.error) e.text = "<error expanding template: " + *e.error + ">";
  return e;
}

struct NotificationTemplates::Files {
  std::vector<std::unique_ptr<std::string>> texts; ///< what each Parsed's source views
  std::vector<std::unique_ptr<detail::Parsed>> parsed;
  Defs defs;
};

NotificationTemplates::NotificationTemplates() : files_(std::make_unique<Files>()) {}
NotificationTemplates::~NotificationTemplates() = default;
NotificationTemplates::NotificationTemplates(NotificationTemplates&&) noexcept = default;
NotificationTemplates& NotificationTemplates::operator=(NotificationTemplates&&) noexcept = default;

namespace {
bool alertmanager_function(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "and",     "or",      "not",     "len",      "index", "slice", "call",     "print",        "printf",
      "println", "html",    "js",      "urlquery", "eq",    "ne",    "lt",       "le",           "gt",
      "ge",      "toUpper", "toLower", "title",    "join",  "match", "safeHtml", "reReplaceAll", "stringSlice"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}
} // namespace

std::optional<std::string> NotificationTemplates::add(const std::string& name, std::string text) {
  auto owned = std::make_unique<std::string>(std::move(text));
  auto parsed = std::make_unique<detail::Parsed>(
      detail::parse(name, *owned, TemplateLimits{}.max_nesting, alertmanager_function));
  if (parsed->error) return parsed->error;
  define_all(*parsed, files_->defs);
  files_->texts.push_back(std::move(owned));
  files_->parsed.push_back(std::move(parsed));
  return std::nullopt;
}

bool NotificationTemplates::defines(const std::string& name) const { return files_->defs.count(name) > 0; }

Expanded NotificationTemplates::render(std::string_view text, const NotificationData& data, bool html) const {
  Expanded result;
  if (text.empty()) return result;
  detail::Parsed parsed = detail::parse("", text, TemplateLimits{}.max_nesting, alertmanager_function);
  if (parsed.error) {
    result.error = *parsed.error;
    return result;
  }
  Defs defs = files_->defs;
  define_all(parsed, defs);
  defs[""] = {&parsed.templates.at(""), &parsed};
  detail::Env env;
  env.alertmanager = true;
  try {
    result.text = Executor(defs, env, TemplateLimits{}, html).run("", detail::notification_value(data));
  } catch (const ExecError& e) {
    result.error = e.message;
  }
  return result;
}

} // namespace nsmon::gotemplate
