"""The directory's change log: an append-only list that delta queries read from a position.

A delta token only records a position in this log, so answering a later delta round costs time
in proportion to the changes made since that position, not to the size of the directory.
"""
from dataclasses import dataclass, field

CREATED = None  # the property set of a "set" entry for a new object: all its properties


@dataclass
class ObjectChange:
    """What happened to one object between two log positions, netted."""
    created: bool = False
    properties: set = field(default_factory=set)
    removed_reason: str = None            # "changed" (soft delete) or "deleted" (permanent)
    members: dict = field(default_factory=dict)  # member id -> (odata type, added?) latest wins


class ChangeLog:
    def __init__(self):
        self._entries = []  # (kind, object id, op, payload); guarded by the directory's lock

    def position(self):
        return len(self._entries)

    def record_set(self, kind, object_id, properties=CREATED):
        self._entries.append((kind, object_id, "set",
                              None if properties is CREATED else frozenset(properties)))

    def record_removed(self, kind, object_id, reason):
        self._entries.append((kind, object_id, "removed", reason))

    def record_member(self, group_id, member_id, member_type, added):
        self._entries.append(("group", group_id, "member", (member_id, member_type, added)))

    def changes(self, kind, start, end):
        """Object id -> ObjectChange for entries [start, end) of one kind, in first-change order."""
        result = {}
        for entry_kind, object_id, op, payload in self._entries[start:end]:
            if entry_kind != kind:
                continue
            change = result.get(object_id)
            if change is None:
                change = result[object_id] = ObjectChange()
            if op == "set":
                if payload is None:
                    change.created = True
                else:
                    change.properties.update(payload)
            elif op == "removed":
                change.removed_reason = payload
            else:
                member_id, member_type, added = payload
                change.members[member_id] = (member_type, added)
        return result
