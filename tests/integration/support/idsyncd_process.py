"""idsyncd on a test workspace (tests/integration/ldap/idsync_workspace.py): started with the
workspace's manifest and command prefix (a network namespace), its output in the workspace's
daemon.log, ready once its control socket answers `idsync run-status`.

    daemon = Idsyncd(ws, binary)
    daemon.start()            # raises RuntimeError with the log when it does not come up
    ...
    daemon.stop()             # idempotent; for addCleanup
"""
import os
import subprocess
import time


class Idsyncd:
    def __init__(self, ws, binary):
        self.ws = ws
        self.binary = binary
        self.proc = None
        self.log_path = ws.path("daemon.log")

    def start(self, timeout=30):
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.ws.prefix + [self.binary, "--manifest", self.ws.path("idsync.json")],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (os.path.exists(self.ws.path("run", "idsync.sock")) and
                    self.ws.idsync("run-status", check=False).returncode == 0):
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"idsyncd exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.1)
        raise RuntimeError(f"idsyncd did not come up within {timeout} s:\n{self.log()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=120)

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()
