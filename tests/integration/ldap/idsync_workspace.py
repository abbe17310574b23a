"""A folder with a host manifest for the LDAP connector tests, and the `idsync` CLI run on it:
the way an admin drives the connector. Commands may run with a prefix (`ip netns exec NS`) so
that they reach a server inside a test's own network namespace.

    ws = IdsyncWorkspace()
    ws.connector("AD", "ldap.ad", {"url": ..., "bind_password": ws.secret("pw", "...")})
    ws.write_manifest()
    result = ws.run_profile("AD", "Full Import")   # the JSON of `idsync run-profile --json`
    objects = ws.cs("AD")                          # the JSON of `idsync cs search --json`
"""
import json
import os
import shutil
import subprocess
import tempfile

SOURCE = os.environ.get("IDSYNC_SOURCE_DIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BUILD = os.environ.get("IDSYNC_BUILD_DIR", os.path.join(SOURCE, "build"))
IDSYNC = os.environ.get("IDSYNC_BIN", os.path.join(BUILD, "bin", "idsync"))

PROFILES = {
    "Full Import": [{"type": "full_import"}],
    "Delta Import": [{"type": "delta_import"}],
    "Full Sync": [{"type": "full_sync"}],
    "Delta Sync": [{"type": "delta_sync"}],
    "Export": [{"type": "export"}],
}


class IdsyncWorkspace:
    def __init__(self, prefix=()):
        self.dir = tempfile.mkdtemp(prefix="idsync-ldap-ws-")
        self.prefix = list(prefix)
        self.connectors = []
        self.extra = {}
        os.makedirs(self.path("rules"))

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def secret(self, name, value):
        """A secret file only the owner may read, as the host demands; returns the manifest's
        reference to it."""
        p = self.path(name)
        with open(p, "w") as f:
            f.write(value)
        os.chmod(p, 0o600)
        return {"file": p}

    def connector(self, name, type_, config, object_types=(), **extra):
        entry = {"name": name, "type": type_, "config": config,
                 "object_types": list(object_types), "run_profiles": PROFILES}
        entry.update(extra)
        self.connectors = [c for c in self.connectors if c["name"] != name] + [entry]

    def rule(self, file_name, rules):
        with open(self.path("rules", file_name), "w") as f:
            json.dump(rules, f, indent=1)

    def write_manifest(self, **extra):
        manifest = {"manifest_version": 1, "store": {"path": self.path("store")},
                    "log": {"level": "info"}, "connectors": self.connectors}
        manifest.update(self.extra)
        manifest.update(extra)
        with open(self.path("idsync.json"), "w") as f:
            json.dump(manifest, f, indent=1)

    def idsync(self, *args, check=True, timeout=300):
        cmd = self.prefix + [IDSYNC, "--manifest", self.path("idsync.json")] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}\nstdout:\n{p.stdout}\n"
                                 f"stderr:\n{p.stderr}")
        return p

    def run_profile(self, connector, profile, check=True):
        """The run's JSON result; with check, asserts it ended with success."""
        p = self.idsync("run-profile", "--connector", connector, "--profile", profile, "--json",
                        check=False)
        try:
            result = json.loads(p.stdout)
        except ValueError:
            raise AssertionError(f"run-profile {connector}/{profile} printed no JSON "
                                 f"(exit {p.returncode}):\n{p.stdout}\n{p.stderr}")
        if check and p.returncode != 0:
            raise AssertionError(f"run-profile {connector}/{profile} exited {p.returncode}:\n"
                                 f"{json.dumps(result, indent=1)}\n{p.stderr}")
        return result

    def cs(self, connector, *filters):
        """Staged objects of a connector space, as `idsync cs search --json` lists them."""
        p = self.idsync("cs", "search", "--connector", connector, "--json", *filters)
        return json.loads(p.stdout)
