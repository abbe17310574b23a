"""Delta query for /users/delta and /groups/delta, read from the directory's change log.

A round starts without a token (every live object) or from a deltaLink (the changes since its
log position, up to the position when the round started) and is walked page by page through
nextLinks; its last page carries the deltaLink for the next round. Tokens are opaque and carry
$select, so later requests need no query options. A group's member list is spread over pages
(at most MEMBER_CAP member entries per page), as the service does for large groups.
"""
import urllib.parse

from .graph_errors import GraphError
from .odata import parse_select, query_options
from .paging_tokens import InvalidToken
from .schema import GROUP

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 999
MEMBER_CAP = 20


def sync_state_not_found():
    # The delta query overview ("token duration") says an expired token gives a 40X-series
    # error with the code syncStateNotFound; the identity resources answer 400 Bad Request
    # ("The sync state generation is not found..."), so that is the status used here, for an
    # expired token and for one that was never issued. (The 410 Gone / resyncRequired variant
    # is documented for Outlook resources, not for users and groups.)
    return GraphError(400, "syncStateNotFound",
                      "The sync state generation is not found. The delta token is expired and "
                      "data must be synchronized again.")


def parse_prefer(header):
    """(page size or None, return=minimal?) from Prefer header values."""
    page_size, minimal = None, False
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "odata.maxpagesize" and value.strip().isdigit():
            page_size = max(1, min(MAX_PAGE_SIZE, int(value.strip())))
        elif name.lower() == "return" and value.strip().lower() == "minimal":
            minimal = True
    return page_size, minimal


class DeltaService:
    def __init__(self, directory, codec):
        self.directory = directory
        self.codec = codec
        self.epoch = 0             # tokens of an older epoch are expired
        self.empty_pages = False   # insert an empty page (with a nextLink) before each page

    def expire_tokens(self):
        self.epoch += 1

    def _decode(self, entity, token, kind):
        try:
            state = self.codec.decode(token)
        except InvalidToken:
            raise sync_state_not_found() from None
        if state.get("k") != entity.name or state.get("t") != kind or state.get("e") != self.epoch:
            raise sync_state_not_found()
        return state

    def _link(self, entity, base_url, option, state):
        state = dict(state, k=entity.name, e=self.epoch)
        return (f"{base_url}/v1.0/{entity.collection}/delta?{option}="
                + urllib.parse.quote(self.codec.encode(state)))

    def page(self, entity, query, prefer, base_url):
        """(body, extra response headers) for one delta request."""
        options = query_options(query, {"$select", "$skiptoken", "$deltatoken"})
        page_size, minimal = parse_prefer(prefer)
        headers = {"Preference-Applied": f"odata.maxpagesize={page_size}"} if page_size else {}
        page_size = page_size or DEFAULT_PAGE_SIZE
        with self.directory.lock:
            position = self.directory.log.position()
            if "$skiptoken" in options:
                state = self._decode(entity, options["$skiptoken"], "skip")
                if self.empty_pages and not state.get("x"):
                    return self._body(entity, base_url, state["s"], [], self._link(
                        entity, base_url, "$skiptoken", dict(state, x=1)), None), headers
            elif options.get("$deltatoken") == "latest":
                select = parse_select(entity, options.get("$select"))
                return self._body(entity, base_url, select, [], None, self._link(
                    entity, base_url, "$deltatoken", {"t": "delta", "s": select, "d": position})
                ), headers
            elif "$deltatoken" in options:
                previous = self._decode(entity, options["$deltatoken"], "delta")
                state = {"t": "skip", "s": previous["s"], "f": previous["d"], "z": position,
                         "i": 0, "m": 0}
            else:
                state = {"t": "skip", "s": parse_select(entity, options.get("$select")),
                         "f": None, "z": position, "i": 0, "m": 0}
            values, index, offset, length = self._collect(entity, state, page_size, minimal)
            done = index >= length
        if done:
            delta_link = self._link(entity, base_url, "$deltatoken",
                                    {"t": "delta", "s": state["s"], "d": state["z"]})
            return self._body(entity, base_url, state["s"], values, None, delta_link), headers
        next_state = dict(state, i=index, m=offset, x=0)
        next_link = self._link(entity, base_url, "$skiptoken", next_state)
        return self._body(entity, base_url, state["s"], values, next_link, None), headers

    @staticmethod
    def _body(entity, base_url, select, values, next_link, delta_link):
        context = f"{base_url}/v1.0/$metadata#{entity.collection}"
        if select is not None:
            context += "(" + ",".join(select) + ")"
        body = {"@odata.context": context}
        if next_link:
            body["@odata.nextLink"] = next_link
        if delta_link:
            body["@odata.deltaLink"] = delta_link
        body["value"] = values
        return body

    def _sequence(self, entity, state):
        if state["f"] is None:
            return self.directory.order[entity.name]
        return list(self.directory.log.changes(entity.name, state["f"], state["z"]).items())

    def _collect(self, entity, state, page_size, minimal):
        sequence = self._sequence(entity, state)
        select = state["s"]
        tracks_members = entity is GROUP and (select is None or "members" in select)
        values, budget = [], MEMBER_CAP
        index, offset = state["i"], state["m"]
        while index < len(sequence) and len(values) < page_size:
            if state["f"] is None:
                entry, members = self._initial_entry(sequence[index], select, tracks_members)
            else:
                entry, members = self._change_entry(entity, *sequence[index], select, minimal,
                                                    tracks_members)
            if entry is None:
                index, offset = index + 1, 0
                continue
            if members:
                chunk = members[offset:offset + budget]
                entry["members@delta"] = chunk
                budget -= len(chunk)
                offset += len(chunk)
                values.append(entry)
                if offset < len(members):
                    break  # the rest of this group's members go on the next page
            else:
                values.append(entry)
            index, offset = index + 1, 0
            if budget == 0:
                break
        return values, index, offset, len(sequence)

    def _initial_entry(self, object_id, select, tracks_members):
        directory = self.directory
        if object_id not in directory.objects:
            return None, None
        members = None
        if tracks_members:
            members = [{"@odata.type": directory.member_type(member_id), "id": member_id}
                       for member_id in directory.members[object_id]]
        return directory.view(object_id, select), members

    def _change_entry(self, entity, object_id, change, select, minimal, tracks_members):
        directory = self.directory
        if object_id not in directory.objects:
            reason = change.removed_reason or "deleted"
            return {"id": object_id, "@removed": {"reason": reason}}, None
        names = set(select if select is not None else entity.default_select)
        members = None
        if tracks_members and change.members:
            members = []
            for member_id, (member_type, added) in change.members.items():
                item = {"@odata.type": member_type, "id": member_id}
                if not added:
                    item["@removed"] = {"reason": "deleted"}
                members.append(item)
        changed = change.properties & names
        if not (change.created or changed or members):
            return None, None  # nothing this client selected has changed
        if change.created or not minimal:
            return directory.view(object_id, select), members
        # Prefer: return=minimal: only the properties that changed (and the id).
        return directory.view(object_id, sorted(changed)), members
