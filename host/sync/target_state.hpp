// What a target connector holds for one of its objects, as far as outbound sync can tell, and
// the value-level changes that take it to what the outbound rules want.
//
// The connector space keeps what the last import saw; an export confirmation (export_confirm)
// what an export since then sent and no import has read back yet; a pending export what is
// decided and not yet sent. The expected state is the three applied in that order, so that
// outbound sync never asks for a change already on its way, and an object whose rules
// are evaluated twice before an export gets the net change once.
#pragma once

#include <idsync/plugin_abi.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/cs_object.hpp"
#include "store/export_confirm.hpp"
#include "store/pending_export.hpp"

namespace idsync::sync {

struct TargetAttribute {
  std::string name;  // as first spelled
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // never empty in a TargetState
};

// Keyed by lowercase attribute name.
using TargetAttributes = std::map<std::string, TargetAttribute, std::less<>>;

struct TargetState {
  std::string dn;
  TargetAttributes attributes;
};

// The expected state: `cs` (may be absent: a provisioned object not yet imported), then
// `confirm`, then `pending` applied (an add or delete-add replaces everything with its values;
// an update applies replace/add/remove per attribute and its rename).
TargetState expected_state(const std::optional<store::CsObject>& cs,
                           const std::optional<store::ExportConfirm>& confirm,
                           const std::optional<store::PendingExport>& pending);

// What the outbound rules want for one attribute.
struct DesiredAttribute {
  std::string name;  // as the rule spells it
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // empty: the attribute must have no value
  // Merge and MergeCaseInsensitive flows only add the values the target lacks and never remove
  // any (the target may hold values other systems put there).
  bool add_only = false;
  bool case_insensitive = false;  // MergeCaseInsensitive: "A" is already there when "a" is
};

using DesiredAttributes = std::map<std::string, DesiredAttribute, std::less<>>;

// The deltas that take `expected` to `desired`, for the attributes `desired` names, in the
// order a PendingExport keeps (by name, then replace/add/remove):
//   - equal value sets (order ignored): nothing;
//   - both sides at most one value: a replace (with no values: clear the attribute);
//   - otherwise value-level: an add of the missing values and a remove of the surplus ones, so
//     one member more in a large group is one value to send.
std::vector<store::AttributeDelta> attribute_deltas(const TargetState& expected,
                                                    const DesiredAttributes& desired);

// The initial values of a provisioned object: every desired attribute with values, as replaces.
std::vector<store::AttributeDelta> initial_values(const DesiredAttributes& desired);

}  // namespace idsync::sync
