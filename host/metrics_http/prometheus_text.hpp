// Builds a page in the Prometheus text exposition format (version 0.0.4), the body that
// GET /metrics returns, so that callers cannot produce output a scraper would reject.
//
// Contract:
//   - Every metric name gets one "# HELP" and one "# TYPE" line, written before its first
//     sample. All samples of a name are grouped under that header even when they were added
//     between samples of other names: the format allows a name's samples in one group only.
//     Names appear in the order they were first added; samples keep the order they were added in.
//   - A name's help and type are fixed by its first sample. A later sample of the same name
//     with another help or type throws std::invalid_argument, since the page could only keep
//     one of them and silently dropping the other would hide a bug.
//   - Metric names must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*;
//     anything else throws std::invalid_argument naming the offending text. So do a label name
//     given twice in one sample, and two samples of one name with the same labels (in any
//     order): a scraper refuses both.
//   - A sample's labels print in the order given. Label values may hold any text: backslash,
//     double quote and line feed are escaped as the format requires. In help text, backslash
//     and line feed are escaped.
//   - Values: an integer prints without a decimal point ("42", also for 42.0), any other
//     double with the fewest digits that read back as the same double ("0.1", "1e+300").
//     NaN and the infinities print as the format spells them: "NaN", "+Inf", "-Inf".
//   - A counter never goes down, so a negative counter value throws std::invalid_argument.
//   - A call that throws leaves the page as it was.
//   - Not safe for concurrent use, even of text() alone (it assembles the page lazily): build a
//     page on one thread, typically inside the render function given to MetricsServer.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idsync::metrics {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // A value that can go up and down (items in a queue, seconds since the last sync).
  void gauge(std::string_view name, std::string_view help, Labels labels, double value);
  // A value that only goes up, except that it restarts from zero with the process (entries
  // imported, errors). Throws std::invalid_argument for a negative value.
  void counter(std::string_view name, std::string_view help, Labels labels, double value);

  // The page: every metric added so far, each line ending in '\n'. Empty when nothing was added.
  // The reference stays valid until the next call to any member.
  const std::string& text() const;

 private:
  struct Metric {
    std::string name;
    std::string help;
    std::string type;
    std::string samples;  // the sample lines, each ending in '\n'
    // Each sample's labels, sorted and escaped, to find duplicates whatever their order.
    std::set<std::string> label_sets;
  };

  void add(std::string_view name, std::string_view help, std::string_view type,
           const Labels& labels, double value);

  std::vector<Metric> metrics_;                            // in the order names were first added
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in metrics_
  // text() assembles the page when something was added since it last did.
  mutable std::string text_;
  mutable bool text_current_ = true;
};

}  // namespace idsync::metrics
