// Finding the object an export operation is about by its anchor, not by the DN the host last
// saw: someone may have renamed or moved it since the last import. Active Directory objects are
// found by objectGUID (the anchor is its GUID text; the filter asserts the 16 raw bytes), other
// directories by entryUUID. Every partition the connector reads is searched.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory_session.hpp"
#include "entry.hpp"

namespace idsync::ldap {

// The search filter for the object with `anchor`; nullopt when the text cannot be an anchor of
// this directory (not GUID/UUID text), so that no object has it.
std::optional<std::string> anchor_filter(const Options& options, std::string_view anchor);

// The entry with `anchor` with the `attributes` asked for, or nullopt when no partition holds
// it (or the anchor is malformed). Throws sdk::Error when a search fails (the connection,
// or a refusal other than "no such object").
std::optional<Entry> find_by_anchor(DirectorySession& session, std::string_view anchor,
                                    const std::vector<std::string>& attributes);

}  // namespace idsync::ldap
