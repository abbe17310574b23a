#include "importer/source_health.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace idsync::importer {

namespace {

// `word` as one shell word, quoted only when it needs to be ("Full Import").
std::string shell_word(std::string_view word) {
  const auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_-.,:/@%+=").find(c) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return std::string(word);
  if (word.find_first_of("\"\\$`!") == std::string_view::npos)
    return "\"" + std::string(word) + "\"";
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string source_health_message(const MissingObjects& missing, const common::DeleteLimit& limit,
                                  const std::string& connector, const std::string& profile) {
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%",
                100.0 * static_cast<double>(missing.missing) /
                    static_cast<double>(std::max<uint64_t>(missing.objects, 1)));
  std::string limit_text = limit.to_string();
  if (limit.percent)
    limit_text += " (" + std::to_string(limit.allowed(missing.objects)) + " objects)";
  return "this full import would delete " + std::to_string(missing.missing) + " of the " +
         std::to_string(missing.objects) + " objects in the connector space (" + share +
         "), more than the full_import_delete_limit of " + limit_text +
         ": the source may be broken, so no deletes were staged and the watermark is unchanged. "
         "Check the source; if the deletes are right, `idsync run-profile --connector " +
         shell_word(connector) + " --profile " +
         (profile.empty() ? std::string("PROFILE") : shell_word(profile)) +
         " --allow-deletes` stages them once";
}

}  // namespace idsync::importer
