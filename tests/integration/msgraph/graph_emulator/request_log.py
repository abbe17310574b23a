"""The log of Graph requests the control API hands to tests."""
import threading
import time

from .faults import WRITE_METHODS


class RequestLog:
    """Every Graph request and $batch sub-request, for tests to assert on."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, method, path, status, in_batch):
        with self._lock:
            self._entries.append({"time": time.time(), "method": method, "path": path,
                                  "status": status, "write": method in WRITE_METHODS
                                  and not path.startswith("/v1.0/$batch"),
                                  "in_batch": in_batch})

    def entries(self):
        with self._lock:
            return list(self._entries)

    def reset(self):
        with self._lock:
            self._entries.clear()
