#include "nsmon/expfmt/model.hpp"

namespace nsmon::expfmt {

const std::string* Sample::label(std::string_view label_name) const {
  for (const auto& l : labels)
    if (l.name == label_name) return &l.value;
  return nullptr;
}

const Family* Exposition::find(std::string_view name) const {
  for (const auto& f : families)
    if (f.name == name) return &f;
  return nullptr;
}

std::size_t Exposition::sample_count() const {
  std::size_t n = 0;
  for (const auto& f : families) n += f.samples.size();
  return n;
}

namespace {

std::vector<Label> copy_labels(std::span<const LabelView> in) {
  std::vector<Label> out;
  out.reserve(in.size());
  for (const auto& l : in) out.push_back(Label{std::string(l.name), std::string(l.value)});
  return out;
}

class Builder final : public Handler {
public:
  explicit Builder(Exposition& e) : e_(e) {}

  void on_family(const FamilyView& f) override {
    Family fam;
    fam.name = f.name;
    fam.type = f.type;
    fam.has_type = f.has_type;
    fam.help = f.help;
    fam.unit = f.unit;
    fam.line = f.line;
    e_.families.push_back(std::move(fam));
  }

  void on_sample(const SampleView& s) override {
    Sample out;
    out.name = s.name;
    out.suffix = s.suffix;
    out.labels = copy_labels(s.labels);
    out.value = s.value;
    out.timestamp_ms = s.timestamp_ms;
    out.line = s.line;
    if (s.exemplar)
      out.exemplar = Exemplar{copy_labels(s.exemplar->labels), s.exemplar->value, s.exemplar->timestamp_ms};
    // The parser announces a family before its first sample, so there always is one.
    e_.families.back().samples.push_back(std::move(out));
  }

private:
  Exposition& e_;
};

} // namespace

Exposition parse_all(std::string_view text, Format format, const Options& options) {
  Exposition e;
  Builder b(e);
  ParseSummary sum = parse(text, format, b, options);
  e.errors = std::move(sum.errors);
  e.eof = sum.saw_eof;
  e.stopped_early = sum.stopped_early;
  return e;
}

} // namespace nsmon::expfmt
