"""HTTPS on 127.0.0.1: the token endpoint and Graph v1.0, HTTP/1.1 with keep-alive.

The TLS handshake happens in the connection's own thread so that one slow client cannot hold
up the others. Every response carries Content-Length, request-id and client-request-id.
"""
import json
import re
import socket
import socketserver
import ssl
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .api import JSON_TYPE
from .graph_errors import error_body
from .response import Response

TOKEN_PATH = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")


class GraphRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GraphEmulator/1.0"
    timeout = 120  # an idle keep-alive connection is closed after this

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _handle(self, method):
        emulator = self.server.emulator
        body = self._read_body()
        headers = {name.lower(): ", ".join(self.headers.get_all(name))
                   for name in set(self.headers.keys())}
        ids = (str(uuid.uuid4()), headers.get("client-request-id") or str(uuid.uuid4()))
        try:
            response = self._dispatch(emulator, method, headers, body, ids)
        except Exception:  # a defect here must still answer, as the service's 500 would
            traceback.print_exc()
            response = Response(500, {}, error_body("generalException",
                                                    "An unexpected error occurred.", *ids))
        self._send(response, ids)

    def _dispatch(self, emulator, method, headers, body, ids):
        path = self.path.split("?", 1)[0]
        token_path = TOKEN_PATH.match(path)
        if token_path:
            response = self._token(emulator, method, token_path.group(1), headers, body, ids)
        elif path.startswith("/v1.0/"):
            challenge = emulator.tokens.check_bearer(headers.get("authorization"))
            if challenge is None:
                response = emulator.api.execute(method, self.path, headers, body, False, ids)
            else:
                response = Response(401, challenge.headers,
                                    error_body(challenge.code, challenge.message, *ids))
                emulator.request_log.add(method, self.path, 401, False)
        else:
            response = Response(404, {}, error_body(
                "BadRequest", f"Invalid version or resource: '{path}'.", *ids))
        return response

    def _token(self, emulator, method, tenant, headers, body, ids):
        if method != "POST":
            return Response(405, {}, {"error": "invalid_request",
                                      "error_description": "The token endpoint takes POST."})
        fault = emulator.faults.take(method, (self.path,), False, require_prefix=True)
        if fault is not None:
            return Response(fault.status, fault.headers,
                            error_body(fault.code, fault.message, *ids))
        status, answer = emulator.tokens.handle(tenant, headers.get("content-type"), body,
                                                headers.get("authorization"),
                                                headers.get("client-request-id"))
        return Response(status, {"Cache-Control": "no-store, no-cache"}, answer)

    def _send(self, response, ids):
        payload = b""
        self.send_response(response.status)
        if response.body is not None:
            payload = json.dumps(response.body).encode()
            self.send_header("Content-Type", JSON_TYPE)
        self.send_header("request-id", ids[0])
        self.send_header("client-request-id", ids[1])
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


class TlsGraphServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator, cert_file, key_file, port=0):
        self.emulator = emulator
        self.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.ssl_context.load_cert_chain(cert_file, key_file)
        super().__init__(("127.0.0.1", port), GraphRequestHandler)

    def server_bind(self):
        # HTTPServer.server_bind looks up the host's FQDN, which can stall for seconds in a
        # network namespace without DNS; the name is not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        request.settimeout(30)
        # Headers and body go out in two writes: with Nagle's algorithm the body would wait for
        # the client's delayed acknowledgement (some 40 ms per answer), as no real service does.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # e.g. a client that does not trust the CA gives up during the handshake
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (ssl.SSLError, OSError):
            pass
        finally:
            try:
                tls.close()
            except OSError:
                pass
