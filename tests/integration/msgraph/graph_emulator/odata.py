"""The OData query options the emulator supports on collections: $select, $top, a documented
subset of $filter, and server-driven paging with an opaque $skiptoken in @odata.nextLink."""
import re
import urllib.parse

from .graph_errors import GraphError, bad_request
from .paging_tokens import InvalidToken

DEFAULT_PAGE_SIZE = 100
MAX_TOP = 999


def query_options(query, allowed):
    """Parse the query string into {"$name": value}; "$" is optional in v1.0."""
    options = {}
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        key = name if name.startswith("$") else "$" + name
        if key not in allowed:
            raise bad_request(f"Query option '{key}' is not allowed.", code="BadRequest")
        if key in options:
            raise bad_request(f"Query option '{key}' was specified more than once.",
                              code="BadRequest")
        options[key] = value
    return options


def parse_select(entity, text):
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in entity.properties and not (entity.name == "group" and name == "members"):
            raise bad_request(f"Could not find a property named '{name}' on type "
                              f"'microsoft.graph.{entity.name}'.", code="BadRequest")
    return names


def parse_top(text):
    if text is None:
        return DEFAULT_PAGE_SIZE
    if not text.isdigit() or not 1 <= int(text) <= MAX_TOP:
        raise bad_request(f"Invalid page size specified: '{text}'. Must be between 1 and "
                          f"{MAX_TOP} inclusive.", code="Request_BadRequest")
    return int(text)


# ---- $filter -------------------------------------------------------------------------------
TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<punct>[(),:/])|"
                   r"(?P<word>[A-Za-z_][A-Za-z0-9_.]*))")


def unsupported(entity, detail=None):
    message = "Unsupported Query." if detail is None else (
        f"Unsupported or invalid query filter clause specified for property '{detail}' of "
        f"resource '{entity.name.capitalize()}'.")
    return GraphError(400, "Request_UnsupportedQuery", message)


def tokenize(entity, text):
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match:
            raise unsupported(entity)
        position = match.end()
        if match.group("string") is not None:
            tokens.append(("string", match.group("string")[1:-1].replace("''", "'")))
        elif match.group("punct"):
            tokens.append(("punct", match.group("punct")))
        else:
            tokens.append(("word", match.group("word")))
    return tokens


class FilterParser:
    """expr := and ('or' and)*; and := atom ('and' atom)*; atom := '(' expr ')' |
    prop eq literal | startswith(prop, 'v') | proxyAddresses/any(x: x eq 'v')."""

    def __init__(self, entity, text):
        self.entity = entity
        self.tokens = tokenize(entity, text)
        self.at = 0

    def parse(self):
        predicate = self.expression()
        if self.at != len(self.tokens):
            raise unsupported(self.entity)
        return predicate

    def peek(self, kind=None, value=None):
        if self.at >= len(self.tokens):
            return None
        token = self.tokens[self.at]
        if (kind and token[0] != kind) or (value and token[1].lower() != value):
            return None
        return token

    def take(self, kind=None, value=None):
        token = self.peek(kind, value)
        if token is None:
            raise unsupported(self.entity)
        self.at += 1
        return token[1]

    def expression(self):
        parts = [self.conjunction()]
        while self.peek("word", "or"):
            self.at += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda o: any(p(o) for p in parts))

    def conjunction(self):
        parts = [self.atom()]
        while self.peek("word", "and"):
            self.at += 1
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else (lambda o: all(p(o) for p in parts))

    def literal(self):
        kind, value = self.tokens[self.at] if self.at < len(self.tokens) else (None, None)
        self.at += 1
        if kind == "string":
            return value
        if kind == "word" and value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        raise unsupported(self.entity)

    def atom(self):
        if self.peek("punct", "("):
            self.at += 1
            inner = self.expression()
            self.take("punct", ")")
            return inner
        name = self.take("word")
        if name == "startswith":
            self.take("punct", "(")
            prop = self.take("word")
            self.take("punct", ",")
            prefix = self.literal()
            self.take("punct", ")")
            if prop not in self.entity.filter_startswith or not isinstance(prefix, str):
                raise unsupported(self.entity, prop)
            prefix = prefix.lower()
            return lambda o: isinstance(o.get(prop), str) and o[prop].lower().startswith(prefix)
        if name == "proxyAddresses" and self.peek("punct", "/"):
            self.at += 1
            self.take("word", "any")
            self.take("punct", "(")
            variable = self.take("word")
            self.take("punct", ":")
            if self.take("word") != variable:
                raise unsupported(self.entity, name)
            self.take("word", "eq")
            wanted = self.literal()
            self.take("punct", ")")
            if not isinstance(wanted, str):
                raise unsupported(self.entity, name)
            wanted = wanted.lower()
            return lambda o: any(a.lower() == wanted for a in o.get("proxyAddresses") or [])
        if name not in self.entity.filter_eq:
            raise unsupported(self.entity, name)
        self.take("word", "eq")
        value = self.literal()
        if isinstance(value, str):
            value = value.lower()
            return lambda o: isinstance(o.get(name), str) and o[name].lower() == value
        return lambda o: o.get(name) == value


def parse_filter(entity, text):
    if text is None or not text.strip():
        return None
    return FilterParser(entity, text).parse()


# ---- listing with server-driven paging -----------------------------------------------------
def list_page(directory, entity, options, codec, base_url):
    """One page of GET /users or /groups; the skiptoken carries the query and the position."""
    if "$skiptoken" in options:
        try:
            state = codec.decode(options["$skiptoken"])
            if state.get("list") != entity.name:
                raise InvalidToken()
        except InvalidToken:
            raise bad_request("Invalid skip token.", code="Request_BadRequest") from None
        select, filter_text, top, start = state["s"], state["f"], state["n"], state["i"]
    else:
        select = parse_select(entity, options.get("$select"))
        filter_text = options.get("$filter")
        top = parse_top(options.get("$top"))
        start = 0
    predicate = parse_filter(entity, filter_text)
    values, next_start = [], None
    with directory.lock:
        for position, object_id in directory.live_ids(entity.name, start):
            if len(values) == top:
                next_start = position
                break
            if predicate is None or predicate(directory.objects[object_id]):
                values.append(directory.view(object_id, select))
    context = f"{base_url}/v1.0/$metadata#{entity.collection}"
    if select is not None:
        context += "(" + ",".join(select) + ")"
    body = {"@odata.context": context}
    if next_start is not None:
        token = codec.encode({"list": entity.name, "s": select, "f": filter_text, "n": top,
                              "i": next_start})
        body["@odata.nextLink"] = (f"{base_url}/v1.0/{entity.collection}?$skiptoken="
                                   + urllib.parse.quote(token))
    body["value"] = values
    return body
