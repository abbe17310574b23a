"""A small Graph client for the emulator's tests: one keep-alive HTTPS connection that trusts
only the emulator's CA, JSON in and out, and the client credentials token request."""
import http.client
import json
import urllib.parse


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    @property
    def error(self):
        return (self.body or {}).get("error") if isinstance(self.body, dict) else None

    def __repr__(self):
        return f"Reply({self.status}, {self.body!r})"


class GraphTestClient:
    def __init__(self, emulator, access_token=None):
        self.emulator = emulator
        self.access_token = access_token
        self.connection = http.client.HTTPSConnection("127.0.0.1", emulator.port,
                                                      context=emulator.ssl_context(), timeout=30)

    def close(self):
        self.connection.close()

    def raw(self, method, target, body=None, headers=None):
        """target: a path ("/v1.0/users") or an absolute URL (a nextLink)."""
        if target.startswith("https://"):
            parts = urllib.parse.urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        self.connection.request(method, target, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        assert response.getheader("Content-Length") == str(len(data)), "Content-Length"
        parsed = json.loads(data) if data else None
        return Reply(response.status, response.headers, parsed)

    def call(self, method, path, body=None, headers=None):
        """A Graph request: path relative to /v1.0 or an absolute link, with the bearer token."""
        headers = dict(headers or {})
        if self.access_token is not None:
            headers.setdefault("Authorization", f"Bearer {self.access_token}")
        target = path if path.startswith("https://") else "/v1.0" + path
        return self.raw(method, target, body, headers)

    def token_request(self, fields, tenant=None):
        tenant = tenant or self.emulator.tenant
        return self.raw("POST", f"/{tenant}/oauth2/v2.0/token",
                        urllib.parse.urlencode(fields),
                        {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, client_id, secret):
        reply = self.token_request({"grant_type": "client_credentials", "client_id": client_id,
                                    "client_secret": secret, "scope": self.emulator.scope})
        assert reply.status == 200, reply
        self.access_token = reply.body["access_token"]
        return reply.body

    def pages(self, path, headers=None):
        """Every page of a paged GET (following @odata.nextLink); returns the list of bodies."""
        bodies = []
        while path:
            reply = self.call("GET", path, headers=headers)
            assert reply.status == 200, reply
            bodies.append(reply.body)
            path = reply.body.get("@odata.nextLink")
        return bodies
