#include "sync_rules/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "manifest/json_path.hpp"
#include "sync_rules/ascii.hpp"
#include "sync_rules/readers.hpp"
#include "sync_rules/rules_error.hpp"

namespace idsync::sync_rules {

namespace fs = std::filesystem;

namespace {

// "rules/hr.json: rules[0]", or just the file for a file holding one rule.
std::string location(const SyncRule& rule) {
  return rule.path.empty() ? rule.file : rule.file + ": " + rule.path;
}

// Names are unique ignoring case and precedences unique per direction; both conflicts are
// reported at the later rule, naming the earlier one, so the admin sees which two collide.
void check_across_rules(const std::vector<detail::ReadRule>& rules,
                        std::vector<RuleDiagnostic>& problems) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const detail::ReadRule& later = rules[i];
    for (std::size_t j = 0; j < i; ++j) {
      const detail::ReadRule& earlier = rules[j];
      if (later.has_name && earlier.has_name &&
          detail::iequal(later.rule.name, earlier.rule.name)) {
        problems.push_back({later.rule.file,
                            {manifest::member_path(later.rule.path, "name"),
                             "\"" + later.rule.name + "\" is already the name of the rule at " +
                                 location(earlier.rule) + " (names are unique ignoring case)"}});
        break;
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      const detail::ReadRule& earlier = rules[j];
      if (later.has_precedence && earlier.has_precedence && later.has_direction &&
          earlier.has_direction && later.rule.direction == earlier.rule.direction &&
          later.rule.precedence == earlier.rule.precedence) {
        problems.push_back(
            {later.rule.file,
             {manifest::member_path(later.rule.path, "precedence"),
              std::to_string(later.rule.precedence) + " is already the precedence of " +
                  std::string(to_string(earlier.rule.direction)) + " rule \"" + earlier.rule.name +
                  "\" at " + location(earlier.rule)}});
        break;
      }
    }
  }
}

bool is_rule_file(const fs::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  if (name.empty() || name[0] == '.' || entry.path().extension() != ".json") return false;
  std::error_code ec;
  return entry.is_regular_file(ec);  // follows symlinks
}

// Every problem of `files` joins `problems` (which may already hold problems with the folder);
// the set is built only when there are none.
RuleSet build(const std::vector<RuleFileText>& files, const LoadOptions& options,
              std::vector<RuleDiagnostic> problems) {
  std::vector<detail::ReadRule> rules;
  for (const RuleFileText& f : files) {
    detail::Problems file_problems;
    auto read = detail::read_rule_file(f.text, f.file, options, file_problems);
    for (auto& p : file_problems) problems.push_back({f.file, std::move(p)});
    for (auto& r : read) rules.push_back(std::move(r));
  }
  check_across_rules(rules, problems);
  if (!problems.empty()) throw RulesError(std::move(problems));
  std::vector<SyncRule> out;
  out.reserve(rules.size());
  for (auto& r : rules) out.push_back(std::move(r.rule));
  return RuleSet(std::move(out));
}

}  // namespace

RuleSet parse_rules(const std::vector<RuleFileText>& files, const LoadOptions& options) {
  return build(files, options, {});
}

RuleSet load_rules(const fs::path& folder, const LoadOptions& options) {
  const std::string folder_name = folder.string();
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (status.type() == fs::file_type::not_found) return RuleSet();
  if (ec) throw RulesError({{folder_name, {"", "cannot read the rules folder: " + ec.message()}}});
  if (!fs::is_directory(status)) throw RulesError({{folder_name, {"", "not a folder"}}});

  std::vector<fs::path> paths;
  fs::directory_iterator it(folder, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (is_rule_file(*it)) paths.push_back(folder / it->path().filename());
  if (ec) throw RulesError({{folder_name, {"", "cannot read the rules folder: " + ec.message()}}});
  std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });

  std::vector<RuleFileText> files;
  std::vector<RuleDiagnostic> unreadable;
  for (const fs::path& p : paths) {
    errno = 0;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      const int err = errno != 0 ? errno : EIO;
      unreadable.push_back(
          {p.string(), {"", "cannot read: " + std::system_category().message(err)}});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({p.string(), text.str()});
  }
  return build(files, options, std::move(unreadable));
}

}  // namespace idsync::sync_rules
