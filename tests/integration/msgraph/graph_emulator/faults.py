"""Injected failures and write throttling, with the error bodies the throttling and error
responses pages document (429 with Retry-After, 503 with Retry-After, other 5xx without)."""
import math
import threading
import time
from collections import deque

from .graph_errors import GraphError

ERROR_CODES = {
    400: ("badRequest", "The request is malformed or incorrect."),
    401: ("InvalidAuthenticationToken", "Access token validation failure."),
    403: ("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    404: ("Request_ResourceNotFound", "The requested resource does not exist."),
    409: ("conflict", "The current state conflicts with what the request expects."),
    429: ("TooManyRequests", "Too many requests."),
    500: ("generalException", "An unspecified error has occurred."),
    502: ("generalException", "Bad gateway."),
    503: ("serviceNotAvailable", "The service is temporarily unavailable for maintenance or "
                                 "is overloaded. You may repeat the request after a delay."),
    504: ("generalException", "The gateway timed out."),
}
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def fault_error(status, retry_after=None, code=None):
    default_code, message = ERROR_CODES.get(status, ("generalException", "Injected failure."))
    """retry_after: seconds; None gives 429 and 503 a default of 1; False sends none (the
    throttling guidance tells clients to back off exponentially when it is missing)."""
    headers = {}
    if retry_after is None and status in (429, 503):
        retry_after = 1
    if retry_after is not None and retry_after is not False:
        headers["Retry-After"] = str(retry_after)
    return GraphError(status, code or default_code, message, headers=headers)


class FaultInjector:
    """Rules "the next N matching requests fail with status S"."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, status, count=1, method=None, path_prefix=None, retry_after=None,
            in_batch=None, code=None):
        with self._lock:
            self._rules.append({"status": int(status), "left": int(count), "method": method,
                                "path_prefix": path_prefix, "retry_after": retry_after,
                                "in_batch": in_batch, "code": code})

    def clear(self):
        with self._lock:
            self._rules.clear()

    def take(self, method, paths, in_batch, require_prefix=False):
        """The error for this request if a rule matches it (and uses up one of its count).
        paths: the forms the rule's path_prefix may match (with and without "/v1.0").
        require_prefix: only rules naming a path apply (the token endpoint is not Graph, so a
        rule without a path never fails token requests)."""
        with self._lock:
            for rule in self._rules:
                if require_prefix and not rule["path_prefix"]:
                    continue
                if rule["method"] and rule["method"].upper() != method:
                    continue
                if rule["path_prefix"] and not any(p.startswith(rule["path_prefix"])
                                                   for p in paths):
                    continue
                if rule["in_batch"] is not None and bool(rule["in_batch"]) != in_batch:
                    continue
                rule["left"] -= 1
                if rule["left"] <= 0:
                    self._rules.remove(rule)
                return fault_error(rule["status"], rule["retry_after"], rule["code"])
        return None


class WriteThrottle:
    """While set, at most per_second writes are accepted in any one-second window."""

    def __init__(self):
        self._lock = threading.Lock()
        self._per_second = None
        self._accepted = deque()

    def set_rate(self, per_second):
        with self._lock:
            self._per_second = per_second or None
            self._accepted.clear()

    def check(self, method):
        if method not in WRITE_METHODS:
            return None
        with self._lock:
            if self._per_second is None:
                return None
            now = time.monotonic()
            while self._accepted and now - self._accepted[0] >= 1.0:
                self._accepted.popleft()
            if len(self._accepted) < self._per_second:
                self._accepted.append(now)
                return None
            wait = max(1, math.ceil(1.0 - (now - self._accepted[0])))
        return fault_error(429, wait)
