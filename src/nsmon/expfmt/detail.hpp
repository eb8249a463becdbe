#pragma once
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nsmon/expfmt/parser.hpp"
#include "nsmon/expfmt/scan.hpp"

// The parser's state machine, shared by parser.cpp (driver, metadata lines, families) and
// sample.cpp (sample lines). Not part of the public API.

namespace nsmon::expfmt::detail {

/// A quoted, escaped, length-capped copy of input for messages: hostile lines stay out of them.
std::string excerpt(std::string_view s, std::size_t cap = 40);
/// The sample-name suffixes a family of type `t` owns ("_total", "_bucket", "" ...).
std::span<const std::string_view> suffixes(MetricType t, bool om);
inline bool is_ws(char c) { return c == ' ' || c == '\t'; }

class Parser {
public:
  Parser(std::string_view text, Format f, Handler& h, const Options& o)
      : text_(text), om_(f == Format::openmetrics), handler_(h), opt_(o) {}

  ParseSummary run();

private:
  struct Family {
    std::string_view name;
    MetricType type = MetricType::unknown;
    bool has_type = false, has_help = false, has_unit = false, has_samples = false;
    bool announced = false;
    std::string_view help_raw, unit;
    int line = 0, type_line = 0, help_line = 0, unit_line = 0;
  };

  bool fail(const char* at, std::string message);
  void parse_line();
  void parse_comment(const char* p);
  void parse_metadata(const char* p, std::string_view keyword);
  void parse_sample(const char* p);
  const char* parse_labels(const char* p, std::vector<LabelView>& out, bool sample);
  std::uint64_t hash_label(std::string_view lname, std::string_view raw, std::string_view raw_value);
  bool parse_om_timestamp(const char* at, std::string_view tok, std::int64_t& ms);
  bool check_label_names(std::span<const LabelView> labels, const char* what);
  bool resolve_family(std::string_view name, std::string_view& suffix);
  bool check_sample(const SampleView& s);
  bool check_duplicate(const SampleView& s);
  bool start_family(std::string_view name, const char* at, bool from_metadata);
  void announce();
  void close_family();
  const char* skip_ws(const char* p) const {
    if (!om_)
      while (p < le_ && is_ws(*p)) ++p;
    return p;
  }

  std::string_view text_;
  bool om_;
  Handler& handler_;
  const Options& opt_;
  ParseSummary sum_;

  const char* ls_ = nullptr; // current line start
  const char* le_ = nullptr; // current line end (excluding '\n')
  int line_ = 0;

  std::vector<LabelView> labels_, ex_labels_;
  std::string scratch_, help_scratch_;
  std::vector<std::string_view> sort_scratch_;
  ExemplarView exemplar_;
  // What parse_labels knows about the current sample's labels (labels_[i] <-> prev_[i]), kept
  // for the next sample, which reuses every label whose raw text is the same.
  struct PrevLabel {
    std::size_t end = 0;    // offset just past the closing quote, from the '{'
    std::uint64_t hash = 0; // hash_label()
    bool escaped = false;   // value decoded into scratch_: never reused
    std::uint8_t kind = 0;  // 1: le, 2: quantile
  };
  std::vector<PrevLabel> prev_;
  const char* prev_open_ = nullptr; // '{' of the label set prev_ describes
  const char* prev_le_ = nullptr;   // and the end of its line
  std::uint64_t labels_hash_ = 0;   // sum of label hashes of the current sample
  int le_index_ = -1, quantile_index_ = -1;
  bool names_same_ = false;       // label names equal to the last checked sample's
  bool prev_names_valid_ = false; // labels_ names passed check_label_names
  std::string_view last_name_;    // last sample name resolved in the current family
  std::string_view last_suffix_;
  double bound_ = 0; // parsed le / quantile of the current sample (check_sample)
  bool has_bound_ = false;

  Family fam_;
  bool have_fam_ = false;
  std::unordered_map<std::string_view, int> seen_;
  scan::HashSet series_;
};

} // namespace nsmon::expfmt::detail
