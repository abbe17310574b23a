// The join decision over the candidates the engine finds per join group.
#include <catch2/catch.hpp>
#include <map>

#include "sync_rules/join.hpp"

using namespace idsync::sync_rules;
using Outcome = JoinDecision::Outcome;
using Ids = std::vector<std::string>;

namespace {

const std::vector<JoinGroup> kGroups{
    JoinGroup{{JoinCondition{"employeeId", "employeeId", true}}},
    JoinGroup{{JoinCondition{"mail", "mail", false}}},
    JoinGroup{{JoinCondition{"givenName", "givenName", false}, JoinCondition{"sn", "sn", false}}},
};

// Candidates per group index, recording which groups were asked.
struct Lookup {
  std::map<std::size_t, Ids> found;
  std::vector<std::size_t> asked;

  JoinLookup fn() {
    return [this](std::size_t index, const JoinGroup& group) {
      CHECK(group == kGroups[index]);
      asked.push_back(index);
      auto it = found.find(index);
      return it == found.end() ? Ids{} : it->second;
    };
  }
};

}  // namespace

TEST_CASE("the first group with exactly one candidate joins", "[sync_rules][join]") {
  Lookup l{{{0, {}}, {1, {"mv-7"}}, {2, {"mv-8"}}}, {}};
  const JoinDecision d = decide_join(kGroups, l.fn());
  CHECK(d.outcome == Outcome::kJoined);
  CHECK(d.group_index == 1u);
  CHECK(d.candidates == Ids{"mv-7"});
  CHECK(l.asked == std::vector<std::size_t>{0, 1});  // later groups are not consulted
}

TEST_CASE("the same MV object found twice is one candidate", "[sync_rules][join]") {
  Lookup l{{{0, {"mv-1", "mv-1"}}}, {}};
  const JoinDecision d = decide_join(kGroups, l.fn());
  CHECK(d.outcome == Outcome::kJoined);
  CHECK(d.candidates == Ids{"mv-1"});
}

TEST_CASE("several candidates in the first matching group are a join error", "[sync_rules][join]") {
  Lookup l{{{0, {}}, {1, {"mv-9", "mv-3", "mv-9"}}, {2, {"mv-4"}}}, {}};
  const JoinDecision d = decide_join(kGroups, l.fn());
  CHECK(d.outcome == Outcome::kAmbiguous);
  CHECK(d.group_index == 1u);
  CHECK(d.candidates == Ids{"mv-3", "mv-9"});        // sorted, distinct
  CHECK(l.asked == std::vector<std::size_t>{0, 1});  // a looser group must not hide the duplicate
}

TEST_CASE("no candidate in any group is no match", "[sync_rules][join]") {
  Lookup l;
  const JoinDecision d = decide_join(kGroups, l.fn());
  CHECK(d == JoinDecision{Outcome::kNoMatch, std::nullopt, {}});
  CHECK(l.asked == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("a rule without join groups never joins", "[sync_rules][join]") {
  Lookup l{{{0, {"mv-1"}}}, {}};
  CHECK(decide_join({}, l.fn()).outcome == Outcome::kNoMatch);
  CHECK(l.asked.empty());
}
