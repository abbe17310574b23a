"""Graph v1.0 request handling independent of the transport: routing of /users, /groups,
members, delta and $batch, with fault injection, write throttling and the request log applied
to every request and every $batch sub-request alike."""
import json
import urllib.parse

from . import batch
from .directory import reference_id
from .graph_errors import GraphError, bad_request, error_body
from .odata import list_page, parse_select, parse_top, query_options
from .paging_tokens import InvalidToken
from .response import Response
from .schema import BY_COLLECTION, GROUP, USER

JSON_TYPE = ("application/json;odata.metadata=minimal;odata.streaming=true;"
             "IEEE754Compatible=false;charset=utf-8")
DELTA_SEGMENTS = ("delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()")


def method_not_allowed():
    return GraphError(405, "Request_BadRequest",
                      "Specified HTTP method is not allowed for the request target.")


def segment_not_found(segment):
    return bad_request(f"Resource not found for the segment '{segment}'.", code="BadRequest")


class GraphApi:
    def __init__(self, directory, delta, codec, faults, throttle, request_log):
        self.directory = directory
        self.delta = delta
        self.codec = codec
        self.faults = faults
        self.throttle = throttle
        self.request_log = request_log
        self.base_url = None  # set once the port is known

    def execute(self, method, target, headers, body, in_batch, ids):
        """Run one request whose target starts with /v1.0; headers have lower-case names;
        ids = (request-id, client-request-id) for error bodies."""
        path, _, query = target.partition("?")
        relative = path[len("/v1.0"):] or "/"
        try:
            error = self.faults.take(method, (path, relative), in_batch)
            if error is None and relative != "/$batch":
                error = self.throttle.check(method)
            if error is not None:
                raise error
            response = self.route(method, relative, query, headers, body, ids)
        except GraphError as error:
            response = Response(error.status, dict(error.headers),
                                error_body(error.code, error.message, *ids, error.details))
        self.request_log.add(method, target, response.status, in_batch)
        return response

    @staticmethod
    def _json(body):
        if not isinstance(body, (bytes, bytearray)):
            return body
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise bad_request("Unable to read JSON request payload. Please ensure Content-Type "
                              "header is set and payload is of valid JSON format.",
                              code="BadRequest") from None

    def _object_body(self, body):
        payload = self._json(body)
        if not isinstance(payload, dict):
            raise bad_request("Unable to read JSON request payload. Please ensure Content-Type "
                              "header is set and payload is of valid JSON format.",
                              code="BadRequest")
        return payload

    def route(self, method, relative, query, headers, body, ids):
        segments = [urllib.parse.unquote(s) for s in relative.strip("/").split("/")]
        if segments == ["$batch"]:
            if method != "POST":
                raise method_not_allowed()
            return batch.run(self, self._json(body), ids)
        entity = BY_COLLECTION.get(segments[0])
        if entity is None:
            raise segment_not_found(segments[0])
        directory = self.directory
        if len(segments) == 1:
            if method == "GET":
                return Response(200, {}, list_page(directory, entity,
                                                   query_options(query, {"$select", "$filter",
                                                                         "$top", "$skiptoken"}),
                                                   self.codec, self.base_url))
            if method == "POST":
                created = directory.create(entity, self._object_body(body))
                location = f"{self.base_url}/v1.0/{entity.collection}/{created['id']}"
                context = f"{self.base_url}/v1.0/$metadata#{entity.collection}/$entity"
                return Response(201, {"Location": location},
                                {"@odata.context": context, **created})
            raise method_not_allowed()
        if len(segments) == 2 and segments[1] in DELTA_SEGMENTS:
            if method != "GET":
                raise method_not_allowed()
            page, extra = self.delta.page(entity, query, headers.get("prefer"), self.base_url)
            return Response(200, extra, page)
        with directory.lock:
            object_id = directory.resolve(entity, segments[1])
        if len(segments) == 2:
            return self._single(method, entity, object_id, query, body)
        if entity is GROUP and segments[2] == "members":
            return self._members(method, object_id, segments[3:], query, body)
        raise segment_not_found(segments[2])

    def _single(self, method, entity, object_id, query, body):
        if method == "GET":
            select = parse_select(entity, query_options(query, {"$select"}).get("$select"))
            with self.directory.lock:
                view = self.directory.view(object_id, select)
            context = f"{self.base_url}/v1.0/$metadata#{entity.collection}/$entity"
            return Response(200, {}, {"@odata.context": context, **view})
        if method == "PATCH":
            self.directory.update(object_id, self._object_body(body))
            return Response(204)
        if method == "DELETE":
            self.directory.delete(object_id)
            return Response(204)
        raise method_not_allowed()

    def _members(self, method, group_id, rest, query, body):
        bases = self.directory.reference_bases
        if not rest and method == "GET":
            return Response(200, {}, self._member_page(group_id, query))
        if rest == ["$ref"] and method == "POST":
            member_id = reference_id(self._object_body(body).get("@odata.id"), bases)
            self.directory.add_member(group_id, member_id)
            return Response(204)
        if len(rest) == 2 and rest[1] == "$ref" and method == "DELETE":
            self.directory.remove_member(group_id, rest[0])
            return Response(204)
        if rest and rest[-1] != "$ref" and len(rest) <= 2:
            raise method_not_allowed()
        raise segment_not_found(rest[-1] if rest else "members")

    def _member_page(self, group_id, query):
        options = query_options(query, {"$select", "$top", "$skiptoken"})
        if "$skiptoken" in options:
            try:
                state = self.codec.decode(options["$skiptoken"])
                if state.get("members") != group_id:
                    raise InvalidToken()
            except InvalidToken:
                raise bad_request("Invalid skip token.") from None
            select, top, start = state["s"], state["n"], state["i"]
        else:
            text = options.get("$select")
            select = None
            if text is not None:  # members are users or groups: a name of either type is valid
                names = [n.strip() for n in text.split(",") if n.strip()]
                for name in names:
                    if name not in USER.properties and name not in GROUP.properties:
                        parse_select(USER, name)  # raises the documented error
                select = names
            top, start = parse_top(options.get("$top")), 0
        values = []
        with self.directory.lock:
            member_ids = list(self.directory.members[group_id])
            for member_id in member_ids[start:start + top]:
                entity = self.directory.entity_of(member_id)
                names = None if select is None else [n for n in select if n in entity.properties]
                values.append({"@odata.type": entity.odata_type,
                               **self.directory.view(member_id, names)})
        body = {"@odata.context": f"{self.base_url}/v1.0/$metadata#directoryObjects"}
        if start + top < len(member_ids):
            token = self.codec.encode({"members": group_id, "s": select, "n": top,
                                       "i": start + top})
            body["@odata.nextLink"] = (f"{self.base_url}/v1.0/groups/{group_id}/members?"
                                       f"$skiptoken={urllib.parse.quote(token)}")
        body["value"] = values
        return body
