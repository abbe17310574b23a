// Pushes Graph objects, as the service returns them, into the host's import.
#pragma once

#include <boost/json.hpp>
#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "graph_schema.hpp"

namespace idsync::msgraph {

// Members of a group as value changes: ids of users and groups (other member types, such as
// devices and service principals, are not objects of this connector and are left out).
struct MemberChanges {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && removed.empty(); }
};

// A member entry of a members list or of members@delta is a user or a group.
bool is_member_type(const boost::json::object& entry);

// Reads members@delta of a group from a delta page.
MemberChanges member_delta(const boost::json::object& group);

// A whole object of a full import: its state, with every property present, and `members` (for a
// group) as its whole member list.
void push_whole(sdk::ImportWriter& out, const ObjectTypeSchema& type,
                const boost::json::object& object, const std::vector<std::string>* members);

// A changed object of a delta import: a deleted one (@removed) is a delete; a user is its
// state (the service sends every selected property that has a value); a group is an update
// replacing the properties the service sent (null clears one; one it left out keeps its
// value) and adding and removing members.
void push_changed(sdk::ImportWriter& out, const ObjectTypeSchema& type,
                  const boost::json::object& object, const MemberChanges& members);

// The id of an object; throws sdk::Error(INVALID_VALUE) when the service sent none.
std::string object_id(const boost::json::object& object, std::string_view type);

}  // namespace idsync::msgraph
