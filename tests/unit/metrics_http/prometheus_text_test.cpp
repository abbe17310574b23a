// PrometheusText: the exact lines it writes, grouping by metric, escaping, number formats, and
// refusing what a scraper would refuse.
#include "metrics_http/prometheus_text.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

using Catch::Matchers::Contains;
using idsync::metrics::PrometheusText;

namespace {

// The sample line PrometheusText writes for `value`, without the name and the '\n'.
std::string formatted(double value) {
  PrometheusText text;
  text.gauge("v", "", {}, value);
  const std::string& page = text.text();
  const std::size_t start = page.rfind("\nv ") + 3;
  return page.substr(start, page.size() - start - 1);
}

}  // namespace

TEST_CASE("an empty page is empty") { CHECK(PrometheusText().text().empty()); }

TEST_CASE("a gauge and a counter with their HELP and TYPE lines") {
  PrometheusText text;
  text.gauge("idsync_queue_entries", "Entries waiting to be exported.",
             {{"connector", "ldap"}, {"direction", "out"}}, 42);
  text.counter("idsync_errors_total", "Errors since the daemon started.", {}, 3);
  CHECK(text.text() ==
        "# HELP idsync_queue_entries Entries waiting to be exported.\n"
        "# TYPE idsync_queue_entries gauge\n"
        "idsync_queue_entries{connector=\"ldap\",direction=\"out\"} 42\n"
        "# HELP idsync_errors_total Errors since the daemon started.\n"
        "# TYPE idsync_errors_total counter\n"
        "idsync_errors_total 3\n");
}

TEST_CASE("samples of one metric are grouped under one header, in the order added") {
  PrometheusText text;
  text.gauge("a", "A.", {{"n", "1"}}, 1);
  text.gauge("b", "B.", {}, 2);
  text.gauge("a", "A.", {{"n", "2"}}, 3);
  text.counter("c", "C.", {}, 4);
  text.gauge("b", "B.", {{"n", "x"}}, 5);
  text.gauge("a", "A.", {{"n", "3"}}, 6);
  CHECK(text.text() ==
        "# HELP a A.\n# TYPE a gauge\na{n=\"1\"} 1\na{n=\"2\"} 3\na{n=\"3\"} 6\n"
        "# HELP b B.\n# TYPE b gauge\nb 2\nb{n=\"x\"} 5\n"
        "# HELP c C.\n# TYPE c counter\nc 4\n");
}

TEST_CASE("text() follows what is added after it was read") {
  PrometheusText text;
  text.gauge("a", "A.", {}, 1);
  CHECK(text.text() == "# HELP a A.\n# TYPE a gauge\na 1\n");
  text.gauge("a", "A.", {{"n", "2"}}, 2);
  CHECK(text.text() == "# HELP a A.\n# TYPE a gauge\na 1\na{n=\"2\"} 2\n");
}

TEST_CASE("label values and help text are escaped") {
  PrometheusText text;
  text.gauge("m", "Help with \\ and \"quotes\"\nand a second line.",
             {{"path", "C:\\dir \"x\"\nnext"}}, 1);
  CHECK(text.text() ==
        "# HELP m Help with \\\\ and \"quotes\"\\nand a second line.\n"
        "# TYPE m gauge\n"
        "m{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n");
}

TEST_CASE("label values are otherwise kept as they are, UTF-8 included") {
  PrometheusText text;
  text.gauge("m", "", {{"name", "Zoë Ünal, {x}='y'"}, {"empty", ""}}, 1);
  CHECK_THAT(text.text(), Contains("m{name=\"Zoë Ünal, {x}='y'\",empty=\"\"} 1\n"));
  CHECK_THAT(text.text(), Contains("# HELP m\n"));
}

TEST_CASE("values: integers without a decimal point, other doubles exactly") {
  CHECK(formatted(42) == "42");
  CHECK(formatted(42.0) == "42");
  CHECK(formatted(-3) == "-3");
  CHECK(formatted(0) == "0");
  CHECK(formatted(-0.0) == "0");
  CHECK(formatted(1234567890123.0) == "1234567890123");
  CHECK(formatted(9007199254740992.0) == "9007199254740992");
  CHECK(formatted(0.1) == "0.1");
  CHECK(formatted(1.5) == "1.5");
  CHECK(formatted(-2.25) == "-2.25");
  CHECK(formatted(1e300) == "1e+300");
  CHECK(formatted(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(formatted(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(formatted(-std::numeric_limits<double>::infinity()) == "-Inf");
  // Enough digits to read back the same double.
  for (const double value : {1.0 / 3, 0.1 + 0.2, 1e-300, 123456.789e10, 5e-324}) {
    CAPTURE(value);
    CHECK(std::strtod(formatted(value).c_str(), nullptr) == value);
  }
}

TEST_CASE("invalid metric names are refused, naming the text") {
  const std::string name = GENERATE("", "1abc", "a-b", "a b", "a.b", "a{b}", "é", "a\n");
  CAPTURE(name);
  PrometheusText text;
  CHECK_THROWS_MATCHES(text.gauge(name, "", {}, 1), std::invalid_argument,
                       Catch::Matchers::Message("\"" + name +
                                                "\" is not a valid metric name: expected "
                                                "[a-zA-Z_:][a-zA-Z0-9_:]*"));
  CHECK_THROWS_AS(text.counter(name, "", {}, 1), std::invalid_argument);
  CHECK(text.text().empty());
}

TEST_CASE("valid metric and label names are accepted") {
  PrometheusText text;
  text.gauge("_a:b_9", "", {{"_x", "1"}, {"Y9_", "2"}}, 1);
  text.gauge(":colon_first", "", {}, 1);
  CHECK_THAT(text.text(), Contains("_a:b_9{_x=\"1\",Y9_=\"2\"} 1\n"));
  CHECK_THAT(text.text(), Contains(":colon_first 1\n"));
}

TEST_CASE("invalid label names are refused, naming the text") {
  const std::string label = GENERATE("", "1x", "a:b", "a-b", "a b", "é");
  CAPTURE(label);
  PrometheusText text;
  CHECK_THROWS_WITH(text.gauge("m", "", {{"ok", "1"}, {label, "v"}}, 1),
                    Contains("\"" + label + "\" is not a valid label name") &&
                        Contains("[a-zA-Z_][a-zA-Z0-9_]*"));
  CHECK(text.text().empty());
}

TEST_CASE("what a scraper would refuse is refused, and the page stays as it was") {
  PrometheusText text;
  text.gauge("m", "M.", {{"a", "1"}, {"b", "2"}}, 1);
  text.counter("c", "C.", {}, 1);
  const std::string before = text.text();

  SECTION("a label given twice in one sample") {
    CHECK_THROWS_WITH(text.gauge("m", "M.", {{"a", "1"}, {"x", "2"}, {"a", "3"}}, 1),
                      Contains("the label a is given twice"));
  }
  SECTION("the same labels twice for one metric, in any order") {
    CHECK_THROWS_WITH(text.gauge("m", "M.", {{"b", "2"}, {"a", "1"}}, 5),
                      Contains("already has a sample with the labels"));
    CHECK_THROWS_AS(text.counter("c", "C.", {}, 2), std::invalid_argument);
  }
  SECTION("a metric added again with another type") {
    CHECK_THROWS_WITH(text.counter("m", "M.", {{"a", "9"}}, 1),
                      Contains("was added as a gauge, not a counter"));
  }
  SECTION("a metric added again with other help") {
    CHECK_THROWS_WITH(text.gauge("m", "Other.", {{"a", "9"}}, 1),
                      Contains("was added with other help text"));
  }
  SECTION("a negative counter") {
    CHECK_THROWS_WITH(text.counter("d", "D.", {}, -1), Contains("negative value -1"));
  }
  CHECK(text.text() == before);
  // Samples that differ are still accepted afterwards.
  text.gauge("m", "M.", {{"a", "1"}, {"b", "3"}}, 2);
  CHECK_THAT(text.text(), Contains("m{a=\"1\",b=\"3\"} 2\n"));
}
