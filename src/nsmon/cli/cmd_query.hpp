#pragma once
// nsmon query: shared between cmd_query.cpp (options, verbs, the run), cmd_query_render.cpp
// (table, csv, jsonl, humanized values) and cmd_query_graph.cpp (the terminal chart).
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/promapi/reader.hpp"

namespace nsmon::cli::query {

/// How a value is shown in tables and charts: the catalog unit of the series or the expression.
enum class Unit { none, seconds, bytes, percent, ratio };
Unit parse_unit(const std::string& catalog_unit);
/// "0.45 s", "1.5 GiB", "82 %", "5,687", "NaN".
std::string humanize(double v, Unit u);
/// A sample value as the server wrote it, humanized ("1.5 GiB"); unparsable text is kept.
std::string humanize(const std::string& value, Unit u);

/// The unit of a result series: from its __name__ in the catalog, else `fallback` (the expression's).
Unit series_unit(const promapi::Series& s, const catalog::Catalog& cat, Unit fallback);

/// `name{a="b", c="d"}` with labels sorted (PromQL selector syntax, values escaped).
std::string series_name(const promapi::Series& s);

/// --check 'OP VALUE'.
struct Check {
  std::string op; ///< < <= > >= == !=
  double value = 0;
  bool holds(double v) const;
};
/// Throws UsageError for anything but 'OP NUMBER'.
Check parse_check(const std::string& text);

/// Buffered writing to stdout for large streamed outputs.
class Out {
public:
  ~Out() { flush(); }
  void write(std::string_view s);
  std::string& buffer() { return buf_; }
  void flush();

private:
  std::string buf_;
};

/// What is written only once the whole answer is in (json: a script never reads half a document;
/// csv: the header names every label), kept in an unnamed temporary file meanwhile so that a
/// large answer streams through in constant memory.
class Spool {
public:
  Spool();
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  void write(std::string_view s);
  /// Each line read back through `line` (which appends it, changed or not, to the buffer), then
  /// out to stdout.
  void copy_to(Out& out, const std::function<void(std::string&, std::string_view)>& line = {});

private:
  std::FILE* file_;
  std::string buf_;
};

/// csv: a header of `__name__`, every label name, timestamp and value, then a line per sample.
/// add() spools the samples with the series' number; finish() writes the header and the lines.
class CsvWriter {
public:
  void add(const promapi::Series& s);
  void finish(Out& out);

private:
  Spool spool_;
  std::vector<std::vector<std::pair<std::string, std::string>>> labels_;
};
/// Streamed series output: one jsonl line per sample.
void write_jsonl(Out& out, const promapi::Series& s);
/// Appends a sample's time exactly as util::format_number writes it.
void append_time(std::string& b, double t);

/// An aligned table (or csv): header and rows of text.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right; ///< the columns right-aligned in a table (figures); empty: none
};
std::string render(const Table& t, const std::string& format); ///< "table" or "csv"
std::string csv_field(const std::string& s);

/// Unitless numbers of one table column in one format: integers exact with separators, else
/// four significant digits, all in scientific notation when one value needs it.
std::vector<std::string> number_column(const std::vector<double>& values);

/// One row per series: a column per label (sorted, __name__ first as NAME), then the value
/// (instant) or LAST, MIN, MAX, SAMPLES (range), humanized.
Table series_table(const std::vector<promapi::Series>& series, bool range, const catalog::Catalog& cat, Unit fallback);

/// The verbs' answers (series, labels, label-values, targets, rules, alerts, metadata,
/// buildinfo) as a table, and as jsonl items.
Table verb_table(const std::string& verb, const nlohmann::json& data, const std::string& label_name);
std::vector<nlohmann::json> verb_items(const std::string& verb, const nlohmann::json& data);

/// Range results as a Unicode braille chart of `width` x `height` cells (axes and legend
/// included), coloured when `color`.
std::string render_graph(const std::vector<promapi::Series>& series, double start, double end, double step,
                         const catalog::Catalog& cat, Unit fallback, int width, int height, bool color);

} // namespace nsmon::cli::query
