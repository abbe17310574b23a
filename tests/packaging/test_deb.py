"""The Debian package: built with cpack from the build folder, unpacked with dpkg-deb into a
scratch root, and checked there as an admin would meet it.

Run through CTest (which sets the variables below), or by hand from this folder:
  IDSYNC_BUILD_DIR=/abs/path/to/build IDSYNC_VERSION=0.1.0 python3 -m unittest -v test_deb
"""
import configparser
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import unittest

BUILD = os.environ.get("IDSYNC_BUILD_DIR", "")
VERSION = os.environ.get("IDSYNC_VERSION", "")
CPACK = os.environ.get("IDSYNC_CPACK") or "cpack"
EXPECT_DAEMON = os.environ.get("IDSYNC_EXPECT_DAEMON") == "1"

MANIFEST = "/etc/idsync/idsync.json"
RULES_README = "/etc/idsync/rules/README"
UNIT = "/lib/systemd/system/idsyncd.service"
PLUGINS = "usr/lib/idsync/plugins"
# Where the sample manifest points, and where the scratch copy of it points instead.
SYSTEM_DIRS = ("/etc/idsync", "/var/lib/idsync", "/run/idsync")


def run(cmd, check=0, timeout=120, **kwargs):
    # A session of its own, so that a timeout ends whatever the command started too (cpack
    # runs make, which runs the compiler when the build folder is out of date).
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"{cmd} ran over {timeout} s")
    p = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if check is not None and p.returncode != check:
        raise AssertionError(f"{cmd} exited {p.returncode}, expected {check}\n"
                             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def package_names(depends):
    """Package names of a Depends field, alternatives included, without versions."""
    names = set()
    for clause in depends.split(","):
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ")[0].split("(")[0]
            if name:
                names.add(name)
    return names


def owning_package(path):
    """The installed package that holds a library file, trying the merged-/usr spellings, and
    the names it answers to: its own and those it Provides (a library's shlibs may name one)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):
        if p.startswith("/usr/"):
            candidates.append(p[len("/usr"):])
        else:
            candidates.append("/usr" + p)
    for c in candidates:
        p = subprocess.run(["dpkg-query", "-S", c], capture_output=True, text=True)
        if p.returncode == 0:
            package = p.stdout.split(":")[0].strip()
            provides = run(["dpkg-query", "-W", "-f=${Provides}", package]).stdout
            return package, {package} | package_names(provides)
    return None, set()


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BUILD or not VERSION:
            raise unittest.SkipTest("IDSYNC_BUILD_DIR and IDSYNC_VERSION are not set")
        cls.tmp = tempfile.mkdtemp(prefix="idsync-deb-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        out = os.path.join(cls.tmp, "out")
        # cpack first builds what is out of date (its preinstall step): quick on a built tree.
        run([CPACK, "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", out],
            cwd=BUILD, timeout=240)
        cls.debs = sorted(f for f in os.listdir(out) if f.endswith(".deb"))
        if len(cls.debs) != 1:
            raise AssertionError(f"cpack made {cls.debs}, expected one package")
        cls.deb = os.path.join(out, cls.debs[0])
        cls.arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        cls.root = os.path.join(cls.tmp, "root")
        cls.control = os.path.join(cls.tmp, "control")
        run(["dpkg-deb", "-x", cls.deb, cls.root])
        run(["dpkg-deb", "-e", cls.deb, cls.control])
        cls.contents = run(["dpkg-deb", "-c", cls.deb]).stdout.splitlines()

    def path(self, absolute):
        return os.path.join(self.root, absolute.lstrip("/"))

    def field(self, name):
        return run(["dpkg-deb", "-f", self.deb, name]).stdout.strip()

    def unit(self):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # systemd keys are case-sensitive
        parser.read(self.path(UNIT))
        return parser

    def scratch_manifest(self):
        """The shipped manifest with every system folder moved into the scratch root."""
        with open(self.path(MANIFEST), encoding="utf-8") as f:
            text = f.read()
        for d in SYSTEM_DIRS:
            for quoted in (f'"{d}/', f'"{d}"'):
                text = text.replace(quoted, '"' + self.root + quoted[1:])
        path = os.path.join(self.tmp, "idsync.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    # --- the package and its control data ---------------------------------------------------

    def test_file_name(self):
        self.assertEqual(self.debs, [f"idsync_{VERSION}_{self.arch}.deb"])

    def test_fields(self):
        self.assertEqual(self.field("Package"), "idsync")
        self.assertEqual(self.field("Version"), VERSION)
        self.assertEqual(self.field("Architecture"), self.arch)
        self.assertIn("adduser", package_names(self.field("Depends")), "postinst runs adduser")

    def test_depends_names_every_linked_library(self):
        # What dpkg-shlibdeps must have found: the package of each shared library a packaged
        # binary or plugin needs itself (its NEEDED entries), as the dynamic loader resolves it
        # on this machine. What those libraries need in turn their own packages depend on.
        depends = package_names(self.field("Depends"))
        elves = [os.path.join(d, f) for d, _, files in os.walk(self.path("/usr")) for f in files
                 if not os.path.islink(os.path.join(d, f)) and is_elf(os.path.join(d, f))]
        self.assertTrue(any(e.endswith("/usr/bin/idsync") for e in elves), elves)
        libraries = {}
        for elf in elves:
            needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]",
                                    run(["readelf", "-d", elf]).stdout))
            for line in run(["ldd", elf]).stdout.splitlines():
                m = re.match(r"\s*(\S+) => (/\S+)", line)
                if m and m.group(1) in needed:
                    libraries[m.group(1)] = m.group(2)
        self.assertIn("libc.so.6", libraries)
        for soname, path in sorted(libraries.items()):
            package, names = owning_package(path)
            self.assertIsNotNone(package, f"no installed package holds {path} ({soname})")
            self.assertTrue(names & depends, f"{soname} comes from {package} ({names}): {depends}")

    def test_conffiles(self):
        with open(os.path.join(self.control, "conffiles"), encoding="utf-8") as f:
            conffiles = f.read().split()
        self.assertIn(MANIFEST, conffiles)
        # Debian policy: every file the package puts under /etc is a conffile.
        under_etc = sorted("/" + os.path.relpath(os.path.join(d, f), self.root)
                           for d, _, files in os.walk(self.path("/etc")) for f in files)
        self.assertEqual(sorted(conffiles), under_etc)

    def test_maintainer_scripts_parse(self):
        for name in ("postinst", "prerm", "postrm"):
            script = os.path.join(self.control, name)
            self.assertEqual(stat.S_IMODE(os.stat(script).st_mode), 0o755, name)
            with open(script, encoding="utf-8") as f:
                self.assertEqual(f.readline().strip(), "#!/bin/sh", name)
            run(["sh", "-n", script])

    # --- the files ---------------------------------------------------------------------------

    def test_layout(self):
        self.assertTrue(os.access(self.path("/usr/bin/idsync"), os.X_OK))
        self.assertEqual(os.path.isfile(self.path("/usr/bin/idsyncd")), EXPECT_DAEMON,
                         "usr/bin/idsyncd is packaged exactly when the daemon is built")
        for f in (MANIFEST, RULES_README, UNIT, "/usr/include/idsync/plugin_abi.h",
                  "/usr/include/idsync/sdk.hpp"):
            self.assertTrue(os.path.isfile(self.path(f)), f)
        sdk_configs = [d for d, _, files in os.walk(self.path("/usr/lib"))
                       if d.endswith("/cmake/idsync-sdk") and "idsync-sdk-config.cmake" in files]
        self.assertEqual(len(sdk_configs), 1, "the SDK's CMake package")
        # The shipped plugins, each a folder with plugin.json and the library it names.
        plugins = os.path.join(self.root, PLUGINS)
        self.assertIn("idsync_file", os.listdir(plugins))
        for name in os.listdir(plugins):
            with open(os.path.join(plugins, name, "plugin.json"), encoding="utf-8") as f:
                library = json.load(f)["library"]
            self.assertTrue(os.path.isfile(os.path.join(plugins, name, library)), name)
        # The state folder: empty, and closed to others before postinst hands it to idsync.
        state = self.path("/var/lib/idsync")
        self.assertEqual(os.listdir(state), [])
        self.assertEqual(stat.S_IMODE(os.stat(state).st_mode), 0o750)
        # Nothing outside the Debian places, and everything owned by root in the archive.
        self.assertEqual(sorted(os.listdir(self.root)), ["etc", "lib", "usr", "var"])
        for line in self.contents:
            self.assertEqual(line.split()[1], "root/root", line)

    def test_binaries_fit_the_sandbox(self):
        # The unit sets MemoryDenyWriteExecute: a text relocation or an executable stack would
        # need memory made executable at load time, which it refuses. Also stripped.
        elves = [os.path.join(d, f) for d, _, files in os.walk(self.path("/usr")) for f in files
                 if is_elf(os.path.join(d, f))]
        self.assertGreaterEqual(len(elves), 2)
        for elf in elves:
            dynamic = run(["readelf", "-dW", elf]).stdout
            self.assertNotIn("TEXTREL", dynamic, elf)
            stacks = [ln for ln in run(["readelf", "-lW", elf]).stdout.splitlines()
                      if "GNU_STACK" in ln]
            self.assertEqual(len(stacks), 1, elf)
            self.assertEqual(stacks[0].split()[-2], "RW", f"{elf}: {stacks[0]}")
            self.assertNotIn(" .symtab", run(["readelf", "-SW", elf]).stdout, f"{elf} is stripped")

    # --- the CLI from the scratch root -------------------------------------------------------

    def test_version_runs(self):
        out = run([self.path("/usr/bin/idsync"), "--version"]).stdout
        self.assertRegex(out, rf"^idsync {re.escape(VERSION)} \(plugin ABI \d+\.\d+\)")

    def test_plugins_found_next_to_the_binary(self):
        # The CLI looks for shipped plugins at <its folder>/../lib/idsync/plugins; the package
        # must put them there.
        manifest = self.scratch_manifest()
        idsync = self.path("/usr/bin/idsync")
        listing = json.loads(run([idsync, "--manifest", manifest, "plugins", "--json"]).stdout)
        plugins = os.path.realpath(os.path.join(self.root, PLUGINS))
        self.assertEqual([os.path.realpath(d) for d in listing["plugin_dirs"]], [plugins])
        self.assertEqual(listing["refused"], [])
        file_plugins = [p for p in listing["loaded"]
                        if any(t["id"] == "file" for t in p["connector_types"])]
        self.assertEqual(len(file_plugins), 1, listing["loaded"])
        self.assertEqual(os.path.realpath(file_plugins[0]["folder"]),
                         os.path.join(plugins, "idsync_file"))

    def test_sample_manifest(self):
        with open(self.path(MANIFEST), encoding="utf-8") as f:
            m = json.load(f)
        self.assertEqual(m["store"]["path"], "/var/lib/idsync/store")
        self.assertEqual(m["rules"]["path"], "/etc/idsync/rules")
        self.assertEqual(m["control"]["socket"], "/run/idsync/idsync.sock")
        self.assertNotIn("file", m.get("log", {}), "logs go to stderr, that is the journal")
        self.assertEqual(m["connectors"], [])

        manifest = self.scratch_manifest()
        with open(manifest, encoding="utf-8") as f:
            scratch = json.load(f)
        for path in (scratch["store"]["path"], scratch["rules"]["path"],
                     scratch["control"]["socket"]):
            self.assertTrue(path.startswith(self.root + "/"), path)
        check_cmd = [self.path("/usr/bin/idsync"), "--manifest", manifest, "manifest", "check"]
        out = run(check_cmd).stdout
        self.assertIn(": OK (0 connectors,", out)
        self.assertNotIn("plugin refused", out)
        report = json.loads(run(check_cmd + ["--json"]).stdout)
        self.assertEqual((report["ok"], report["problems"], report["rules_problems"]),
                         (True, [], []))

        # The check reads the packaged rules folder: a broken rule file there fails it.
        broken = self.path("/etc/idsync/rules/99-broken.json")
        with open(broken, "w", encoding="utf-8") as f:
            f.write("{")
        try:
            p = run(check_cmd, check=2)
            self.assertIn("99-broken.json", p.stderr)
        finally:
            os.remove(broken)

    def test_daemon_starts_on_the_sample_manifest(self):
        """What the unit's ExecStart runs: the packaged idsyncd on the packaged manifest (moved
        into the scratch root) comes up, serves the CLI on its socket and stops on SIGTERM."""
        if not os.path.exists(self.path("/usr/bin/idsyncd")):
            self.skipTest("idsyncd is not built")
        manifest = self.scratch_manifest()
        with open(manifest, encoding="utf-8") as f:
            scratch = json.load(f)
        socket, store = scratch["control"]["socket"], scratch["store"]["path"]
        # What the daemon creates goes again, so that the layout checks see the package alone.
        run_dir = self.path("/run")
        self.assertFalse(os.path.exists(run_dir), "the package ships no /run")
        self.addCleanup(shutil.rmtree, run_dir, ignore_errors=True)
        self.addCleanup(shutil.rmtree, store, ignore_errors=True)
        idsync = [self.path("/usr/bin/idsync"), "--manifest", manifest]
        daemon = subprocess.Popen([self.path("/usr/bin/idsyncd"), "--manifest", manifest],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while not os.path.exists(socket):
                if daemon.poll() is not None:
                    self.fail("idsyncd exited:\n" + daemon.communicate()[0])
                self.assertLess(time.monotonic(), deadline, "no control socket")
                time.sleep(0.05)
            self.assertEqual(stat.S_IMODE(os.stat(socket).st_mode), 0o660)
            shown = json.loads(run(idsync + ["scheduler", "show", "--json"]).stdout)
            self.assertEqual(shown["AllowedSyncCycleInterval"], "00:30:00")
            self.assertTrue(shown["SyncCycleEnabled"])
            # No connectors: the scheduler's first cycle is due at once and runs nothing.
            self.assertEqual(run(idsync + ["run-status"]).stdout, "")
        finally:
            daemon.send_signal(signal.SIGTERM)
            out, _ = daemon.communicate(timeout=60)
        self.assertEqual(daemon.returncode, 0, out)
        self.assertIn("idsyncd serving " + socket, out)
        self.assertFalse(os.path.exists(socket), "the socket is removed on exit")

    # --- the systemd unit --------------------------------------------------------------------

    def test_unit(self):
        unit = self.unit()
        service = unit["Service"]
        expected = {
            "Type": "simple", "User": "idsync", "Group": "idsync",
            "ExecStart": f"/usr/bin/idsyncd --manifest {MANIFEST}",
            "ExecReload": "/bin/kill -HUP $MAINPID", "KillSignal": "SIGTERM",
            "Restart": "on-failure", "StateDirectory": "idsync", "RuntimeDirectory": "idsync",
            "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
            "PrivateTmp": "yes", "PrivateDevices": "yes", "ProtectKernelTunables": "yes",
            "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
            "ProtectControlGroups": "yes", "RestrictNamespaces": "yes", "LockPersonality": "yes",
            "MemoryDenyWriteExecute": "yes", "RestrictRealtime": "yes",
            "SystemCallArchitectures": "native", "CapabilityBoundingSet": "",
        }
        self.assertEqual({k: service.get(k) for k in expected}, expected)
        self.assertEqual(set(service["RestrictAddressFamilies"].split()),
                         {"AF_UNIX", "AF_INET", "AF_INET6"})
        timeout = re.fullmatch(r"(\d+)(s|min)?", service["TimeoutStopSec"])
        self.assertIsNotNone(timeout, service["TimeoutStopSec"])
        seconds = int(timeout.group(1)) * (60 if timeout.group(2) == "min" else 1)
        self.assertGreaterEqual(seconds, 60, "long enough to finish a batch")
        self.assertEqual(unit["Install"]["WantedBy"], "multi-user.target")

        # The unit and the manifest agree: the store is in the writable state folder and the
        # socket in the folder systemd makes.
        with open(self.path(MANIFEST), encoding="utf-8") as f:
            m = json.load(f)
        state = "/var/lib/" + service["StateDirectory"]
        self.assertIn(state, service["ReadWritePaths"].split())
        self.assertTrue(m["store"]["path"].startswith(state + "/"))
        self.assertEqual(os.path.dirname(m["control"]["socket"]),
                         "/run/" + service["RuntimeDirectory"])

    def test_systemd_analyze_verify(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed (package systemd): unit not verified")
        # verify insists that ExecStart names an executable: the packaged daemon when there is
        # one, else a stand-in, because only the unit is checked here.
        work = os.path.join(self.tmp, "verify")
        os.makedirs(work)
        daemon = self.path("/usr/bin/idsyncd")
        if not EXPECT_DAEMON:
            print("\nidsyncd is not built: the unit is verified with a stand-in for it")
            daemon = os.path.join(work, "idsyncd")
            with open(daemon, "w", encoding="utf-8") as f:
                f.write("#!/bin/sh\n")
            os.chmod(daemon, 0o755)
        with open(self.path(UNIT), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("ExecStart=/usr/bin/idsyncd ", text)
        unit = os.path.join(work, "idsyncd.service")
        with open(unit, "w", encoding="utf-8") as f:
            f.write(text.replace("ExecStart=/usr/bin/idsyncd ", f"ExecStart={daemon} "))
        p = run([analyze, "verify", "--man=no", unit], check=None)
        output = p.stdout + p.stderr
        # Bad values and unknown keys only warn (exit status 0): any line about our unit fails.
        about_unit = [ln for ln in output.splitlines() if "idsyncd.service" in ln]
        self.assertEqual((p.returncode, about_unit), (0, []), output)

    # --- the maintainer scripts, run against stand-in commands -------------------------------

    def run_script(self, name, *args, users=(), groups=(), override=False):
        """Runs a maintainer script with PATH holding only stand-ins that log their calls, so
        nothing on this machine changes. Returns the calls, one string each."""
        work = tempfile.mkdtemp(dir=self.tmp)
        log = os.path.join(work, "calls")
        bin_dir = os.path.join(work, "bin")
        os.makedirs(bin_dir)
        bodies = {
            "getent": 'case "$1" in passwd) known="$USERS" ;; *) known="$GROUPS_" ;; esac\n'
                      'case " $known " in *" $2 "*) echo "$2:x:999:" ; exit 0 ;; esac\nexit 2\n',
            "dpkg-statoverride": '[ -n "$OVERRIDE" ] && exit 0\nexit 1\n',
        }
        for cmd in ("adduser", "deluser", "delgroup", "chown", "chmod", "rm", "systemctl",
                    "deb-systemd-helper", "deb-systemd-invoke", "getent", "dpkg-statoverride"):
            with open(os.path.join(bin_dir, cmd), "w", encoding="utf-8") as f:
                f.write(f'#!/bin/sh\nprintf "%s\\n" "{cmd} $*" >>"$CALLS"\n' + bodies.get(cmd, ""))
            os.chmod(os.path.join(bin_dir, cmd), 0o755)
        env = {"PATH": bin_dir, "CALLS": log, "USERS": " ".join(users),
               "GROUPS_": " ".join(groups), "OVERRIDE": "1" if override else ""}
        run(["/bin/sh", os.path.join(self.control, name), *args], env=env)
        if not os.path.exists(log):
            return []
        with open(log, encoding="utf-8") as f:
            return [c for c in f.read().splitlines()
                    if not c.startswith(("getent ", "dpkg-statoverride "))]

    def systemd_calls(self, calls):
        return [c for c in calls if c.startswith(("systemctl", "deb-systemd"))]

    def test_postinst(self):
        systemd = os.path.isdir("/run/systemd/system")
        own = ["chown idsync:idsync /var/lib/idsync", "chmod 0750 /var/lib/idsync"]
        fresh = self.run_script("postinst", "configure")
        self.assertEqual([c for c in fresh if not c.startswith(("systemctl", "deb-systemd"))],
                         ["adduser --system --group --home /var/lib/idsync --no-create-home idsync"]
                         + own)
        # Never enabled nor started: the admin declares connectors first.
        self.assertEqual(self.systemd_calls(fresh),
                         ["deb-systemd-helper update-state idsyncd.service",
                          "systemctl --system daemon-reload"] if systemd else [])

        present = self.run_script("postinst", "configure", users=["idsync"], groups=["idsync"])
        self.assertEqual([c for c in present if not c.startswith(("systemctl", "deb-systemd"))],
                         own)
        group_only = self.run_script("postinst", "configure", groups=["idsync"])
        self.assertIn("adduser --system --ingroup idsync --home /var/lib/idsync --no-create-home "
                      "idsync", group_only)
        overridden = self.run_script("postinst", "configure", users=["idsync"],
                                     groups=["idsync"], override=True)
        self.assertEqual([c for c in overridden if c.startswith(("chown", "chmod"))], [])

        upgrade = self.run_script("postinst", "configure", "0.0.1", users=["idsync"],
                                  groups=["idsync"])
        self.assertEqual("deb-systemd-invoke try-restart idsyncd.service" in upgrade, systemd)

    def test_prerm_and_postrm(self):
        systemd = os.path.isdir("/run/systemd/system")
        self.assertEqual(self.run_script("prerm", "remove"),
                         ["deb-systemd-invoke stop idsyncd.service"] if systemd else [])
        self.assertEqual(self.run_script("prerm", "upgrade", "0.0.2"), [])
        # Remove keeps the store and the account; purge deletes both.
        removed = self.run_script("postrm", "remove", users=["idsync"], groups=["idsync"])
        self.assertEqual(removed, ["systemctl --system daemon-reload"] if systemd else [])
        purged = self.run_script("postrm", "purge", users=["idsync"], groups=["idsync"])
        self.assertEqual([c for c in purged if not c.startswith("systemctl")],
                         ["deb-systemd-helper purge idsyncd.service", "rm -rf /var/lib/idsync",
                          "deluser --system --quiet idsync",
                          "delgroup --system --only-if-empty --quiet idsync"])


if __name__ == "__main__":
    unittest.main()
