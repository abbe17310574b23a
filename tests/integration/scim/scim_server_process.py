"""Test-side control of the SCIM test server (server/, scimmy on express) in a subprocess.

ScimServer makes a CA and a server certificate for 127.0.0.1 in its work folder, runs
`node server.js` (behind an optional command prefix, such as one that enters a network
namespace), waits for the ready file, and drives the server's control API over the Unix domain
socket it serves in the work folder. The server exits by itself when this process goes away.
"""
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from unix_http import UnixHTTPConnection  # noqa: E402
SERVER_DIR = os.path.join(HERE, "server")
ENSURE_NPM_PEERS = os.path.join(HERE, "ensure_npm_peers.sh")



def make_certificates(folder):
    """A CA of its own (ca.pem) and a certificate for 127.0.0.1 and localhost signed by it
    (server.pem, server.key) in `folder`: clients verify the server as they would in
    production instead of switching verification off."""
    p = lambda name: os.path.join(folder, name)
    openssl = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=idsync SCIM test CA", "-keyout", p("ca.key"), "-out", p("ca.pem"))
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", p("server.key"), "-out", p("server.csr"))
    with open(p("san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", p("san.ext"), "-out", p("server.pem"))


class ControlError(Exception):
    """A control call the server refused; .status, .scim_type and .detail say why."""

    def __init__(self, error):
        super().__init__(f"{error.get('status')} {error.get('scimType') or ''}: {error.get('detail')}")
        self.status = error.get("status")
        self.scim_type = error.get("scimType")
        self.detail = error.get("detail")


def ensure_npm_peers():
    """Installs the server's npm packages unless they are there and current (fast then)."""
    subprocess.run(["bash", ENSURE_NPM_PEERS], check=True)


class ScimServer:
    def __init__(self, workdir=None, command_prefix=(), token=None, tls=True,
                 bulk_max_operations=50, bulk_max_payload=1048576, max_results=200,
                 refuse_filter_on=(), oauth_client=None, patch_supported=True):
        self.command_prefix = list(command_prefix)
        self._token = token or secrets.token_urlsafe(24)
        self.tls = tls
        self.limits = {"--bulk-max-operations": bulk_max_operations,
                       "--bulk-max-payload": bulk_max_payload, "--max-results": max_results,
                       "--refuse-filter-on": ",".join(refuse_filter_on),
                       # False: ServiceProviderConfig says PATCH is unsupported and PATCH is
                       # answered 501, so that clients must replace resources with PUT.
                       "--patch-supported": "true" if patch_supported else "false"}
        if oauth_client:  # (client id, secret) that /oauth/token gives the token to
            self.limits["--oauth-client-id"], self.limits["--oauth-client-secret"] = oauth_client
        self._own_workdir = workdir is None
        self.workdir = workdir
        self.process = None
        self.ready = None
        self._stderr = None

    # ---- life cycle --------------------------------------------------------------------------
    def start(self, timeout=30):
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout):
        ensure_npm_peers()
        if self.workdir is None:
            self.workdir = tempfile.mkdtemp(prefix="scim-server-")
        os.makedirs(self.workdir, exist_ok=True)
        ready_file = self.path("ready.json")
        if os.path.exists(ready_file):
            os.unlink(ready_file)
        # "--token=VALUE" in one word: a random token may begin with "-".
        command = self.command_prefix + [
            "node", os.path.join(SERVER_DIR, "server.js"), "--token=" + self._token,
            "--ready-file", ready_file, "--control-socket", self.path("control.sock"),
            "--exit-with-parent"]
        for option, value in self.limits.items():
            command.append(f"{option}={value}")
        if self.tls:
            make_certificates(self.workdir)
            command += ["--cert", self.path("server.pem"), "--key", self.path("server.key")]
        self._stderr = open(self.path("server.stderr"), "w+b")
        # stdin stays open as long as this object holds the server; its end stops the server.
        self.process = subprocess.Popen(command, cwd=SERVER_DIR, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=self._stderr)
        deadline = time.monotonic() + timeout
        while not os.path.exists(ready_file):
            if self.process.poll() is not None:
                raise RuntimeError(f"the SCIM server exited with {self.process.returncode}: "
                                   f"{self.stderr_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the SCIM server was not ready within {timeout} s: "
                                   f"{self.stderr_text()}")
            time.sleep(0.05)
        with open(ready_file) as ready:
            self.ready = json.load(ready)
        return self

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()  # the server exits when its stdin closes ...
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # ... or, failing that, when terminated
                self.process.terminate()
                self.process.wait(timeout=10)
            self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._own_workdir and self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()

    def path(self, *names):
        return os.path.join(self.workdir, *names)

    def stderr_text(self):
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    # ---- where it is -------------------------------------------------------------------------
    @property
    def port(self):
        return self.ready["port"]

    @property
    def base_url(self):
        return (f"{self.ready['scheme']}://{self.ready['host']}:{self.port}"
                f"{self.ready['base_path']}")

    @property
    def token_url(self):
        """The OAuth 2.0 token endpoint (client credentials), when a client was registered."""
        return f"{self.ready['scheme']}://{self.ready['host']}:{self.port}/oauth/token"

    @property
    def ca_file(self):
        return self.path("ca.pem") if self.tls else None

    @property
    def token(self):
        return self._token

    @property
    def control_socket(self):
        return self.ready["control_socket"]

    @property
    def pid(self):
        return self.ready["pid"]

    def ssl_context(self):
        """A client context that trusts only the server's CA, hostname checked."""
        return ssl.create_default_context(cafile=self.ca_file)

    # ---- control API (bypasses authentication and faults; changes stamp meta) ---------------
    def _call(self, operation, **arguments):
        connection = UnixHTTPConnection(self.control_socket)
        try:
            connection.request("POST", "/" + operation, body=json.dumps(arguments),
                               headers={"Content-Type": "application/json"})
            answer = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        if "error" in answer:
            raise ControlError(answer["error"])
        return answer["result"]

    def add(self, type, **resource):
        """Creates a resource of `type` (User, Group, Contact) as POST would; returns it."""
        return self._call("add", type=type, resource=resource)

    def add_user(self, **resource):
        return self.add("User", **resource)

    def add_group(self, **resource):
        return self.add("Group", **resource)

    def add_contact(self, **resource):
        return self.add("Contact", **resource)

    def put(self, type, id, **resource):
        """Replaces a resource as PUT would."""
        return self._call("put", type=type, id=id, resource=resource)

    def patch(self, type, id, *operations):
        """Applies PatchOp operations ({"op": ..., "path": ..., "value": ...}) as PATCH would;
        returns the resource afterwards."""
        return self._call("patch", type=type, id=id, operations=list(operations))

    def delete(self, type, id):
        return self._call("delete", type=type, id=id)

    def get(self, type, id):
        return self._call("get", type=type, id=id)

    def list(self, type):
        return self._call("list", type=type)

    def users(self):
        return self.list("User")

    def groups(self):
        return self.list("Group")

    def contacts(self):
        return self.list("Contact")

    def inject(self, status, count=1, method=None, path_prefix=None, retry_after=None,
               detail=None):
        """The next `count` matching API requests (None: all until clear_faults) fail with
        `status`. path_prefix is compared with the path below the SCIM base ("/Users") or the
        whole path; retry_after: seconds for Retry-After, None gives 429 and 503 one second,
        False sends none."""
        return self._call("inject", status=status, count=count, method=method,
                          path_prefix=path_prefix, retry_after=retry_after, detail=detail)

    def clear_faults(self):
        return self._call("clear_faults")

    def requests(self):
        """API requests so far: time, method, path, query, status, if_match, if_none_match,
        body."""
        return self._call("requests")

    def reset_requests(self):
        return self._call("reset_requests")

    def reset(self):
        """Empties storage, faults and the request log."""
        return self._call("reset")
