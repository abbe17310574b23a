"""Test-side control of a Microsoft Graph emulator running as a subprocess (graph_emulator/).

The emulator always runs in a process of its own, optionally behind a command prefix (for
example one that enters a network namespace); this class starts it, waits for its ready file
and drives its control API over the Unix domain socket it serves in the work directory.
"""
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from unix_http import UnixHTTPConnection  # noqa: E402


class EmulatorError(Exception):
    """A control call the emulator refused; .error holds its error object."""

    def __init__(self, error):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error


class GraphEmulator:
    def __init__(self, workdir=None, command_prefix=(), tenant="idsync-test-tenant-id",
                 verified_domains=("idsync.test",), token_lifetime=3600):
        self.command_prefix = list(command_prefix)
        self.tenant = tenant
        self.verified_domains = list(verified_domains)
        self.token_lifetime = token_lifetime
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="graph-emulator-")
        self.process = None
        self.ready = None

    # ---- life cycle --------------------------------------------------------------------------
    def start(self, timeout=20):
        os.makedirs(self.workdir, exist_ok=True)
        ready_file = os.path.join(self.workdir, "ready.json")
        if os.path.exists(ready_file):
            os.unlink(ready_file)
        command = self.command_prefix + [
            sys.executable, "-B", "-m", "graph_emulator", "--workdir", self.workdir,
            "--tenant", self.tenant, "--token-lifetime", str(self.token_lifetime),
            "--ready-file", ready_file, "--exit-with-stdin"]
        for domain in self.verified_domains:
            command += ["--verified-domain", domain]
        self._stderr = open(os.path.join(self.workdir, "emulator.stderr"), "w+b")
        # The package is found through the working directory (python -m puts it first on the
        # path), which holds even behind a prefix that resets the environment, and PYTHONPATH.
        self.process = subprocess.Popen(command, cwd=HERE, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=self._stderr,
                                        env=self._environment())
        deadline = time.monotonic() + timeout
        while not os.path.exists(ready_file):
            if self.process.poll() is not None:
                raise RuntimeError(f"the Graph emulator exited with {self.process.returncode}:"
                                   f" {self._stderr_text()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Graph emulator was not ready within {timeout} s: "
                                   f"{self._stderr_text()}")
            time.sleep(0.05)
        with open(ready_file) as ready:
            self.ready = json.load(ready)
        return self

    @staticmethod
    def _environment():
        path = os.environ.get("PYTHONPATH")
        return dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                    PYTHONPATH=HERE + (os.pathsep + path if path else ""))

    def _stderr_text(self):
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()  # the emulator exits when its stdin closes ...
            if self.process.poll() is None:
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:  # ... or, failing that, when terminated
                    self.process.terminate()
                    self.process.wait(timeout=10)
            self.process = None
            self._stderr.close()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()

    # ---- where it is -------------------------------------------------------------------------
    @property
    def port(self):
        return self.ready["port"]

    @property
    def base_url(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def graph_url(self):
        return self.base_url + "/v1.0"

    @property
    def authority_url(self):
        return self.base_url

    @property
    def token_url(self):
        return f"{self.authority_url}/{self.tenant}/oauth2/v2.0/token"

    @property
    def scope(self):
        return f"{self.base_url}/.default"

    @property
    def ca_file(self):
        return self.ready["ca_file"]

    @property
    def admin_socket(self):
        return self.ready["admin_socket"]

    @property
    def pid(self):
        return self.ready["pid"]

    def ssl_context(self):
        """A client context that trusts only the emulator's CA, hostname checked."""
        context = ssl.create_default_context(cafile=self.ca_file)
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        return context

    # ---- control API -------------------------------------------------------------------------
    def _call(self, operation, **arguments):
        # Generating a large directory takes a while.
        connection = UnixHTTPConnection(self.admin_socket, timeout=120)
        try:
            connection.request("POST", "/" + operation, body=json.dumps(arguments),
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = json.loads(response.read())
        finally:
            connection.close()
        if "error" in answer:
            raise EmulatorError(answer["error"])
        return answer["result"]

    def add_client(self, client_id, secret=None, certificate_pem=None):
        return self._call("add_client", client_id=client_id, secret=secret,
                          certificate_pem=certificate_pem)

    def add_user(self, **props):
        return self._call("add_user", **props)

    def add_group(self, **props):
        return self._call("add_group", **props)

    def update(self, object_id, **props):
        return self._call("update", object_id=object_id, **props)

    def delete(self, object_id, permanent=False):
        """As DELETE through Graph (users and Microsoft 365 groups to deleted items, security
        groups for good); permanent=True deletes for good, also from deleted items."""
        return self._call("delete", object_id=object_id, permanent=permanent)

    def add_member(self, group_id, member_id):
        return self._call("add_member", group_id=group_id, member_id=member_id)

    def remove_member(self, group_id, member_id):
        return self._call("remove_member", group_id=group_id, member_id=member_id)

    def generate_users(self, count, prefix):
        return self._call("generate_users", count=count, prefix=prefix)

    def users(self):
        return self._call("users")

    def groups(self):
        return self._call("groups")

    def get(self, object_id):
        return self._call("get", object_id=object_id)

    def members(self, group_id):
        return self._call("members", group_id=group_id)

    def inject(self, status, count=1, method=None, path_prefix=None, retry_after=None,
               in_batch=None, code=None):
        """The next `count` matching requests (or $batch sub-requests; in_batch None matches
        both, True only sub-requests, False only top-level ones) fail with `status` and a Graph
        error body (`code` overrides its error code). retry_after: seconds for Retry-After;
        None gives 429/503 one second, False sends none. Token requests fail only through a
        rule whose path_prefix names the token endpoint."""
        return self._call("inject", status=status, count=count, method=method,
                          path_prefix=path_prefix, retry_after=retry_after, in_batch=in_batch,
                          code=code)

    def clear_faults(self):
        """Drop pending injections, stop write throttling and empty delta pages."""
        return self._call("clear_faults")

    def throttle_writes(self, per_second):
        return self._call("throttle_writes", per_second=per_second)

    def expire_delta_tokens(self):
        return self._call("expire_delta_tokens")

    def empty_delta_pages(self, enabled=True):
        return self._call("empty_delta_pages", enabled=enabled)

    def set_token_lifetime(self, seconds):
        return self._call("set_token_lifetime", seconds=seconds)

    def requests(self):
        return self._call("requests")

    def reset_requests(self):
        return self._call("reset_requests")
