#include "metrics_http/prometheus_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace idsync::metrics {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names are the same without ':'.
bool is_valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty() || is_digit(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [colon_allowed](char c) {
    return is_letter(c) || is_digit(c) || c == '_' || (colon_allowed && c == ':');
  });
}

void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && escape_quote)
      out += "\\\"";
    else
      out += c;
  }
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return "0";  // not "-0", which reads as a reset to anyone skimming the page
  // Integers print in full as long as a double holds every integer (up to 2^53), since counts
  // are read by people too; beyond that the shortest form that reads back exactly, which may
  // use an exponent.
  constexpr double kExactIntegers = 9007199254740992.0;
  char buffer[64];
  const auto format = value == std::trunc(value) && std::fabs(value) <= kExactIntegers
                          ? std::chars_format::fixed
                          : std::chars_format::general;
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format);
  return std::string(buffer, result.ptr);
}

}  // namespace

void PrometheusText::gauge(std::string_view name, std::string_view help, Labels labels,
                           double value) {
  add(name, help, "gauge", labels, value);
}

void PrometheusText::counter(std::string_view name, std::string_view help, Labels labels,
                             double value) {
  if (value < 0)
    throw std::invalid_argument("the counter " + std::string(name) + " has the negative value " +
                                format_value(value) + "; counters never go below zero");
  add(name, help, "counter", labels, value);
}

void PrometheusText::add(std::string_view name, std::string_view help, std::string_view type,
                         const Labels& labels, double value) {
  // Everything is checked and formatted before anything is stored, so that a refused sample
  // leaves the page as it was.
  if (!is_valid_name(name, true))
    throw std::invalid_argument("\"" + std::string(name) +
                                "\" is not a valid metric name: expected [a-zA-Z_:][a-zA-Z0-9_:]*");
  const auto found = index_.find(name);
  if (found != index_.end()) {
    const Metric& metric = metrics_[found->second];
    if (metric.type != type)
      throw std::invalid_argument("the metric " + metric.name + " was added as a " + metric.type +
                                  ", not a " + std::string(type));
    if (metric.help != help)
      throw std::invalid_argument("the metric " + metric.name + " was added with other help text");
  }

  // The sample line keeps the labels in the order given; the key that finds duplicates has
  // them sorted, since {a="1",b="2"} and {b="2",a="1"} are the same series.
  std::string label_text;
  std::vector<std::pair<std::string_view, std::string>> sorted;
  sorted.reserve(labels.size());
  for (const auto& [label, label_value] : labels) {
    if (!is_valid_name(label, false))
      throw std::invalid_argument("\"" + label + "\" is not a valid label name (metric " +
                                  std::string(name) + "): expected [a-zA-Z_][a-zA-Z0-9_]*");
    std::string pair = label + "=\"";
    append_escaped(pair, label_value, true);
    pair += '"';
    if (!label_text.empty()) label_text += ',';
    label_text += pair;
    sorted.emplace_back(label, std::move(pair));
  }
  std::sort(sorted.begin(), sorted.end());
  std::string label_set;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i - 1].first == sorted[i].first)
      throw std::invalid_argument("the label " + std::string(sorted[i].first) +
                                  " is given twice in a sample of " + std::string(name));
    if (i > 0) label_set += ',';
    label_set += sorted[i].second;
  }
  if (found != index_.end() && metrics_[found->second].label_sets.count(label_set) != 0)
    throw std::invalid_argument("the metric " + std::string(name) +
                                " already has a sample with the labels {" + label_text + "}");

  std::string line(name);
  if (!labels.empty()) line += "{" + label_text + "}";
  line += ' ';
  line += format_value(value);
  line += '\n';

  if (found != index_.end()) {
    Metric& metric = metrics_[found->second];
    metric.label_sets.insert(label_set);
    try {
      metric.samples += line;
    } catch (...) {
      metric.label_sets.erase(label_set);
      throw;
    }
  } else {
    Metric metric{std::string(name), std::string(help), std::string(type), std::move(line), {}};
    metric.label_sets.insert(std::move(label_set));
    metrics_.push_back(std::move(metric));
    try {
      index_.emplace(std::string(name), metrics_.size() - 1);
    } catch (...) {
      metrics_.pop_back();
      throw;
    }
  }
  text_current_ = false;
}

const std::string& PrometheusText::text() const {
  if (!text_current_) {
    std::string page;
    for (const Metric& metric : metrics_) {
      page += "# HELP " + metric.name;
      if (!metric.help.empty()) {
        page += ' ';
        append_escaped(page, metric.help, false);
      }
      page += "\n# TYPE " + metric.name + " " + metric.type + "\n";
      page += metric.samples;
    }
    text_ = std::move(page);
    text_current_ = true;
  }
  return text_;
}

}  // namespace idsync::metrics
