#include "manifest/diagnostics.hpp"

#include <utility>

namespace idsync::manifest {

std::string to_string(const Diagnostic& d) {
  if (d.line != 0)
    return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
  if (d.path.empty()) return d.message;
  return d.path + ": " + d.message;
}

namespace {

std::string describe(const std::string& file, const std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.empty()) return file + ": invalid manifest";
  if (diagnostics.size() == 1) {
    // file:line:col reads as one location, like a compiler's; everything else gets ": ".
    const Diagnostic& d = diagnostics.front();
    return file + (d.line != 0 ? ":" : ": ") + to_string(d);
  }
  std::string out = file + ": " + std::to_string(diagnostics.size()) + " problems:";
  for (const Diagnostic& d : diagnostics) out += "\n  " + to_string(d);
  return out;
}

}  // namespace

ManifestError::ManifestError(std::string file, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(describe(file, diagnostics)),
      file_(std::move(file)),
      diagnostics_(std::move(diagnostics)) {}

}  // namespace idsync::manifest
