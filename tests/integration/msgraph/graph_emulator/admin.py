"""The control API: plain HTTP over a Unix domain socket in the work directory.

A pathname Unix socket is reachable from any network namespace that shares the file system,
so a test can control an emulator running inside the namespace of the system under test.
Each call is POST /<operation> with a JSON object of arguments, answered {"result": ...} or,
when the directory refuses the change, a 400 with the Graph error.
"""
import json
import os
import secrets
import socketserver
import traceback
from http.server import BaseHTTPRequestHandler

from .graph_errors import GraphError, not_found
from .schema import GROUP, USER


def _add_user(emulator, **props):
    upn = props.get("userPrincipalName")
    local = upn.partition("@")[0] if isinstance(upn, str) else None
    defaults = {"accountEnabled": True, "displayName": local, "mailNickname": local,
                "passwordProfile": {"password": secrets.token_urlsafe(16)}}
    return emulator.directory.create(USER, {**defaults, **props}, trusted=True)


def _add_group(emulator, **props):
    name = props.get("displayName") or "group"
    nickname = "".join(c for c in name if c.isascii() and c.isalnum()) or "group"
    defaults = {"mailEnabled": False, "securityEnabled": True, "mailNickname": nickname,
                "groupTypes": []}
    return emulator.directory.create(GROUP, {**defaults, **props}, trusted=True)


def _get(emulator, object_id):
    with emulator.directory.lock:
        if object_id not in emulator.directory.objects:
            return None
        return emulator.directory.full_view(object_id)


def _all(emulator, kind):
    directory = emulator.directory
    with directory.lock:
        return [directory.full_view(object_id) for _, object_id in directory.live_ids(kind)]


def _members(emulator, group_id):
    with emulator.directory.lock:
        if group_id not in emulator.directory.members:
            raise not_found(group_id)
        return list(emulator.directory.members[group_id])


def _clear_faults(emulator):
    emulator.faults.clear()
    emulator.throttle.set_rate(None)
    emulator.delta.empty_pages = False


OPERATIONS = {
    "add_client": lambda e, client_id, secret=None, certificate_pem=None:
        e.tokens.add_client(client_id, secret, certificate_pem),
    "add_user": _add_user,
    "add_group": _add_group,
    "update": lambda e, object_id, **props: e.directory.update(object_id, props, trusted=True),
    # Not permanent: as a DELETE through Graph would (users and Microsoft 365 groups go to
    # deleted items, security groups are gone at once).
    "delete": lambda e, object_id, permanent=False:
        e.directory.delete(object_id, permanent=True if permanent else None),
    "add_member": lambda e, group_id, member_id: e.directory.add_member(group_id, member_id),
    "remove_member": lambda e, group_id, member_id:
        e.directory.remove_member(group_id, member_id),
    "generate_users": lambda e, count, prefix: e.directory.generate_users(int(count), prefix),
    "users": lambda e: _all(e, "user"),
    "groups": lambda e: _all(e, "group"),
    "get": _get,
    "members": _members,
    "inject": lambda e, status, count=1, method=None, path_prefix=None, retry_after=None,
        in_batch=None, code=None: e.faults.add(status, count, method, path_prefix, retry_after,
                                               in_batch, code),
    "clear_faults": _clear_faults,
    "throttle_writes": lambda e, per_second: e.throttle.set_rate(per_second),
    "expire_delta_tokens": lambda e: e.delta.expire_tokens(),
    "empty_delta_pages": lambda e, enabled=True: setattr(e.delta, "empty_pages", bool(enabled)),
    "set_token_lifetime": lambda e, seconds: e.tokens.set_lifetime(seconds),
    "requests": lambda e: e.request_log.entries(),
    "reset_requests": lambda e: e.request_log.reset(),
}


class AdminRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_POST(self):
        operation = OPERATIONS.get(self.path.strip("/"))
        length = int(self.headers.get("Content-Length") or 0)
        try:
            arguments = json.loads(self.rfile.read(length) or b"{}")
            if operation is None:
                status, answer = 404, {"error": {"code": "unknownOperation",
                                                 "message": self.path}}
            else:
                status, answer = 200, {"result": operation(self.server.emulator, **arguments)}
        except GraphError as error:
            status, answer = 400, {"error": {"status": error.status, "code": error.code,
                                             "message": error.message,
                                             "details": error.details}}
        except Exception as error:  # report a bad call to the test instead of dropping it
            status, answer = 500, {"error": {"code": type(error).__name__,
                                             "message": str(error),
                                             "trace": traceback.format_exc()}}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class AdminServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, emulator, socket_path):
        self.emulator = emulator
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        super().__init__(socket_path, AdminRequestHandler)
