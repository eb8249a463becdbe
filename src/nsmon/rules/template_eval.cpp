#include "nsmon/rules/template_eval.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "nsmon/rules/template_parse.hpp"
#include "nsmon/rules/template_value.hpp"

namespace nsmon::rules {

namespace {

using tmpl::Arg;
using tmpl::Cmd;
using tmpl::Node;
using tmpl::Param;
using tmpl::Pipe;
using tmpl::Value;
using Kind = Value::Kind;

/// An execution error: unwinds to expand_template, which words it.
struct ExecError {
  std::string message;
};

struct Var {
  std::string name;
  Value value;
};

class Executor {
public:
  Executor(const tmpl::Parsed& parsed, const tmpl::Env& env, const TemplateLimits& limits)
      : parsed_(parsed), env_(env), limits_(limits) {}

  std::string run(const std::string& name, const Value& dot) {
    call(name, dot, nullptr);
    return std::move(out_);
  }

private:
  enum class Flow { normal, brk, cont };

  [[noreturn]] void fail(std::size_t pos, const std::string& context, const std::string& msg) {
    // Go 1.19 quotes the whole node; later versions cut it at 20 bytes.
    throw ExecError{"template: " + parsed_.location(pos) + ": executing \"" + current_ + "\" at <" + context +
                    ">: " + msg};
  }

  void step(std::size_t pos) {
    if (++steps_ > limits_.max_steps)
      fail(pos, "", "template too expensive: more than " + std::to_string(limits_.max_steps) + " steps");
  }

  void call(const std::string& name, const Value& dot, const Node* at) {
    auto it = parsed_.templates.find(name);
    if (it == parsed_.templates.end()) fail(at->pos, tmpl::to_string(*at), "template \"" + name + "\" not defined");
    if (depth_ >= limits_.max_call_depth)
      fail(at ? at->pos : 0, at ? tmpl::to_string(*at) : std::string(),
           "exceeded maximum template depth (" + std::to_string(limits_.max_call_depth) + ")");
    // A template runs with its own variables: only $, the dot it was given.
    std::vector<Var> saved;
    saved.swap(vars_);
    vars_.push_back({"$", dot});
    std::string saved_name = current_;
    current_ = name;
    ++depth_;
    walk(it->second, dot);
    --depth_;
    current_ = std::move(saved_name);
    vars_.swap(saved);
  }

  Flow walk(const std::vector<Node>& list, const Value& dot) {
    for (const Node& n : list) {
      Flow f = walk_node(n, dot);
      if (f != Flow::normal) return f;
    }
    return Flow::normal;
  }

  Flow walk_node(const Node& n, const Value& dot) {
    step(n.pos);
    switch (n.kind) {
    case Node::Kind::text: emit(n.pos, n.text); return Flow::normal;
    case Node::Kind::action: {
      Value v = pipeline(*n.pipe, dot);
      if (n.pipe->decl.empty()) emit(n.pos, tmpl::print_action(v));
      return Flow::normal;
    }
    case Node::Kind::if_:
    case Node::Kind::with: {
      std::size_t mark = vars_.size();
      Value v = pipeline(*n.pipe, dot);
      bool yes = tmpl::truth(v);
      Flow f = Flow::normal;
      if (yes) f = walk(n.list, n.kind == Node::Kind::with ? v : dot);
      else f = walk(n.else_list, dot);
      vars_.resize(mark);
      return f;
    }
    case Node::Kind::range: return range(n, dot);
    case Node::Kind::template_: {
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
      for (const auto& [k, s] : *v.labels)
        if (!visit(Value::string(k), Value::string(s))) break;
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
      if (last_) fail(last_->pos, tmpl::to_string(*last_), "range can't iterate over " + tmpl::sprint_one(v));
      fail(n.pos, tmpl::to_string(n), "range can't iterate over " + tmpl::sprint_one(v));
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
        if (it != vars_.rend()) it->value = v;
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
    if (final || c.args.size() > 1) {
      const Arg& extra = final ? first : c.args[1];
      if (first.kind == Arg::Kind::field || first.kind == Arg::Kind::variable || first.kind == Arg::Kind::chain)
        fail(extra.pos, tmpl::to_string(first),
             first.fields.empty() ? "can't give argument to non-function " + tmpl::to_string(first)
                                  : first.fields.back() + " is not a method but has arguments");
      fail(c.pos, tmpl::to_string(c), "can't give argument to non-function " + tmpl::to_string(first));
    }
    return operand(first, dot);
  }

  Value lookup_var(const Arg& a) {
    auto it = std::find_if(vars_.rbegin(), vars_.rend(), [&](const Var& x) { return x.name == a.name; });
    if (it == vars_.rend()) fail(a.pos, tmpl::to_string(a), "undefined variable: " + a.name);
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
    case Arg::Kind::chain: v = pipeline(*a.pipe, dot); break;
    case Arg::Kind::ident: {
      Cmd c;
      c.pos = a.pos;
      c.args.push_back(a);
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

  Value field(const Arg& a, const Value& v, const std::string& name) {
    switch (v.kind) {
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
      if (!v.sample) fail(a.pos, tmpl::to_string(a), "nil pointer evaluating *template.sample." + name);
      if (name == "Labels") return Value::label_map(v.sample->labels);
      if (name == "Value") return Value::floating(v.sample->value);
      break;
    case Kind::nil: fail(a.pos, tmpl::to_string(a), "nil pointer evaluating interface {}." + name);
    default: break;
    }
    fail(a.pos, tmpl::to_string(a), "can't evaluate field " + name + " in type " + tmpl::type_name(v));
  }

  // An argument for a parameter of type `p`: constants as Go converts them, other values checked.
  Value argument(const Arg& a, Param p, const Value& dot) {
    std::string ctx = tmpl::to_string(a);
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
          v.samples = std::make_shared<tmpl::Samples>();
          return v;
        }
        fail(a.pos, ctx, "can't handle " + ctx + " for arg of type template.queryResult");
      }
    }
    return check(a.pos, ctx, operand(a, dot), p);
  }

  Value check(std::size_t pos, const std::string& ctx, Value v, Param p) {
    static const char* const names[] = {"string", "float64", "interface {}", "*template.sample",
                                        "template.queryResult"};
    const char* want = names[static_cast<int>(p)];
    if (p == Param::any) return v;
    if (v.kind == Kind::nil) {
      if (p == Param::sample) {
        v.kind = Kind::sample;
        return v;
      }
      if (p == Param::samples) {
        v.kind = Kind::samples;
        v.samples = std::make_shared<tmpl::Samples>();
        return v;
      }
      fail(pos, ctx, std::string("invalid value; expected ") + want);
    }
    bool ok = (p == Param::string && v.kind == Kind::string) || (p == Param::number && v.kind == Kind::floating) ||
              (p == Param::sample && v.kind == Kind::sample) || (p == Param::samples && v.kind == Kind::samples);
    if (!ok) fail(pos, ctx, std::string("wrong type for value; expected ") + want + "; got " + tmpl::type_name(v));
    return v;
  }

  Value function(const Cmd& c, const Value& dot, const Value* final) {
    const Arg& id = c.args.front();
    const tmpl::Function* fn = tmpl::find_function(id.name);
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
        if (tmpl::truth(v) != is_and) return v;
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
      args.push_back(check(c.pos, tmpl::to_string(c), *final, p));
    }
    if (id.name == "call")
      fail(c.pos, tmpl::to_string(c),
           "error calling call: non-function " + (args.empty() ? std::string() : tmpl::type_name(args[0])));
    tmpl::CallResult r = tmpl::call_function(*fn, args, env_);
    if (r.error) fail(c.pos, tmpl::to_string(c), "error calling " + id.name + ": " + *r.error);
    return r.value;
  }

  const tmpl::Parsed& parsed_;
  const tmpl::Env& env_;
  const TemplateLimits& limits_;
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
  tmpl::Parsed parsed = tmpl::parse(name, text, limits.max_nesting);
  if (parsed.error) {
    result.error = "error parsing template " + std::string(name) + ": " + *parsed.error;
    return result;
  }
  tmpl::Env env{&data, &query};
  Value dot;
  dot.kind = Kind::data;
  dot.data = &data;
  try {
    result.text = Executor(parsed, env, limits).run(std::string(name), dot);
  } catch (const ExecError& e) {
    result.error = "error executing template " + std::string(name) + ": " + e.message;
  }
  return result;
}

Expanded expand_alert_template(std::string_view alertname, std::string_view text, const TemplateData& data,
                               const QueryFn& query) {
  std::string full = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := "
                     ".ExternalURL}}{{$value := .Value}}";
  full += text;
  Expanded e = expand_template("__alert_" + std::string(alertname), full, data, query);
  if (e.error) e.text = "<error expanding template: " + *e.error + ">";
  return e;
}

} // namespace nsmon::rules
