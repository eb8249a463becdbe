#pragma once
// rules/: the rulers besides Prometheus that read its rule file format, and what each adds. Thanos
// Ruler reads a group's `partial_response_strategy` (pkg/rules: the group decoded strictly with that
// one extra key, warn or abort in any case, empty meaning abort). Mimir's ruler reads
// `source_tenants`, `evaluation_delay` (the older name of query_offset) and
// `align_evaluation_time_on_interval` (mimir-prometheus's rulefmt.RuleGroup; Cortex's ruler reads
// Prometheus's rulefmt unchanged, pkg/ruler/rulespb). Loki's ruler reads Prometheus's group fields unchanged, with
// LogQL in `expr`. VictoriaMetrics' vmalert (app/vmalert/config: groups and rules decoded with
// yaml.v2, unknown fields refused) reads group fields of its own and, on rules, `debug` and
// `update_entries_limit`; a group's `type` names the language of its expressions: MetricsQL
// (`prometheus`, the default), Graphite or LogsQL (`vlogs`). Prometheus and promtool refuse every one of
// these fields ("field ... not found in type rulefmt.RuleGroup"), so a file that has them is some
// other ruler's: lint-rules reads it as that ruler does (--rule-schema picks one, or, by default, a
// group's own fields, or its rules', do).
#include <optional>
#include <string_view>
#include <vector>

namespace nsmon::rules {

/// Which ruler's format a rule file is read as. `automatic`: Prometheus's, and a group with
/// another ruler's field is that ruler's.
enum class Schema { automatic, prometheus, thanos, mimir, loki, vmalert };

/// "auto", "prometheus", "thanos", "mimir", "loki", "vmalert".
std::string_view to_string(Schema s);
std::optional<Schema> parse_schema(std::string_view name);
/// The ruler's name in a message: "Thanos Ruler", "Mimir ruler", ...
std::string_view ruler_name(Schema s);

/// The ruler that reads `field` in a rule group, besides Prometheus's fields; nullopt for a field
/// no other ruler reads.
std::optional<Schema> ruler_of_group_field(std::string_view field);
/// The group fields `ruler` reads besides Prometheus's (none for automatic, prometheus, loki).
std::vector<std::string_view> group_fields(Schema ruler);
/// The same for a rule's fields: only vmalert has some.
std::optional<Schema> ruler_of_rule_field(std::string_view field);
std::vector<std::string_view> rule_fields(Schema ruler);
/// The vmalert release 1.N that added `field`, a vmalert-only field of a group (or of a rule,
/// `on_rule`): N; 0 for any other field. An older vmalert refuses a file that has it.
int vmalert_minor_since(std::string_view field, bool on_rule);

/// Whether `expr`, which is no PromQL, has LogQL's shape: a stream selector `{...}` followed by
/// a log pipeline stage (`|=`, `|~`, `| json`, `| logfmt`, `| line_format ...`, any `|` stage,
/// or a `!=` / `!~` line filter with a string). PromQL has no `|` outside strings, and compares
/// nothing with a string, so neither can be a mistyped PromQL expression.
bool looks_like_logql(std::string_view expr);
/// Whether `expr` has LogQL's line filter `|=` or `|~` right after a stream selector `{...}`:
/// LogsQL, which shares the `{...}` stream filter and the `| stage` pipes, has neither (its
/// pipes are named, `| stats ...`), so an expression with one is LogQL whatever its group says.
bool has_logql_line_filter(std::string_view expr);

/// The languages a rule's expression can be written in.
enum class Language { promql, logql, metricsql, graphite, logsql };
/// "PromQL", "LogQL", "MetricsQL", "Graphite", "LogsQL".
std::string_view language_name(Language l);

/// What the expression `expr` of a rule in a group that `ruler` reads (with vmalert's `type`,
/// empty when not given) is written in. A Loki group's is LogQL, a vmalert group's of type
/// graphite or vlogs Graphite or LogsQL, whatever PromQL makes of them. Otherwise, one PromQL
/// refuses (`promql_ok` false) is LogQL when it has LogQL's shape (under auto), and MetricsQL
/// when it reads as MetricsQL (`metricsql`, promql/metricsql.hpp: `parses`, and `named` when it
/// uses one of MetricsQL's extensions by name) under auto or vmalert, and the group or file is
/// vmalert's (`vmalert`) or the expression names an extension: a PromQL typo stays PromQL's.
struct MetricsqlVerdict {
  bool parses = false;
  bool named = false;
};
Language language_of(Schema ruler, std::string_view type, std::string_view expr, bool promql_ok,
                     MetricsqlVerdict metricsql, bool vmalert);

} // namespace nsmon::rules
