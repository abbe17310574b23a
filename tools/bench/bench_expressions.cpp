// Evaluations per second of a typical displayName sync-rule expression, compiled once and
// evaluated repeatedly against one object (the shape of an inbound sync run).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "expressions/expression.hpp"

int main(int argc, char** argv) {
  using namespace idsync::expr;
  const long iterations = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  const char* source =
      R"(IIF(IsPresent([displayName]), Trim([displayName]), )"
      R"(Trim(PCase([givenName]) & " " & UCase(Left([sn], 1)) & LCase(Mid([sn], 2, 64)))))";
  Expression e = Expression::compile(source);
  MapContext ctx;
  ctx.set("givenName", Value::string("jOHN")).set("sn", Value::string("mcALLISTER"));
  std::size_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) bytes += e.evaluate(ctx).value[0].bytes.size();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "expression: %s\nresult: %s\n%ld evaluations in %.3f s: %.0f evaluations/s (%zu bytes)\n",
      source, describe(e.evaluate(ctx).value).c_str(), iterations, secs, iterations / secs, bytes);
  return 0;
}
