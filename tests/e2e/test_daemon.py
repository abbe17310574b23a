"""End-to-end tests of idsyncd: the scheduler's settings, cycles started, followed, refused and
stopped through the control socket, SIGHUP reloads, and a SIGTERM in the middle of a cycle
followed by a restart that completes it.

Run through CTest, or by hand:
  IDSYNC_BIN=build/bin/idsync IDSYNCD_BIN=build/bin/idsyncd python3 -m unittest test_daemon
"""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import unittest

from test_cli import run
from test_sync_cycle import Cycle, hr_row

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration",
                                "support"))
from loopback_port import free_port  # noqa: E402

IDSYNCD = os.environ.get("IDSYNCD_BIN", "idsyncd")


class DaemonWorkspace(Cycle):
    """The cycle workspace with a daemon that starts no cycle by itself unless told to."""

    def setUp(self):
        super().setUp()
        self.set_manifest(
            lambda m: m.setdefault("scheduler", {}).update({"sync_cycle_enabled": False}))
        self.daemon = None
        self.log = None

    def tearDown(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        if self.log:
            self.log.close()
        super().tearDown()

    def set_manifest(self, change):
        with open(self.manifest) as f:
            m = json.load(f)
        change(m)
        with open(self.manifest, "w") as f:
            json.dump(m, f, indent=1)

    def start_daemon(self):
        if self.log:
            self.log.close()
        self.log = open(self.path("daemon.log"), "ab")
        self.daemon = subprocess.Popen([IDSYNCD, "--manifest", self.manifest], stdout=self.log,
                                       stderr=subprocess.STDOUT)
        socket = self.path("run", "idsync.sock")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(socket) and run("run-status", manifest=self.manifest).returncode == 0:
                return socket
            self.assertIsNone(self.daemon.poll(), self.daemon_log())
            time.sleep(0.05)
        self.fail("idsyncd did not come up:\n" + self.daemon_log())

    def stop_daemon(self, sig=signal.SIGTERM, timeout=120):
        self.daemon.send_signal(sig)
        code = self.daemon.wait(timeout=timeout)
        self.daemon = None
        return code

    def daemon_log(self):
        with open(self.path("daemon.log"), errors="replace") as f:
            return f.read()

    def ctl(self, *args, check=0, timeout=300):
        return run(*args, manifest=self.manifest, check=check, timeout=timeout)

    def status(self):
        out = self.ctl("run-status", "--json").stdout.strip()
        return json.loads(out) if out else None

    def wait_for_step(self, connector, step, timeout=120):
        """Polls run-status until the daemon runs `step` on `connector`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.status()
            if s and s.get("connector") == connector and s.get("step") == step:
                return s
            time.sleep(0.02)
        self.fail(f"the daemon never ran {connector} {step}")

    def wait_idle(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status() is None:
                return
            time.sleep(0.05)
        self.fail("the daemon's job did not end")

    def history(self):
        return json.loads(self.ctl("history", "--json", "--last", "100").stdout)

    def scheduler(self):
        return json.loads(self.ctl("scheduler", "show", "--json").stdout)


class DaemonSettings(DaemonWorkspace):
    def test_scheduler_settings_and_overrides_through_the_socket(self):
        socket = self.start_daemon()
        self.assertEqual(stat.S_IMODE(os.stat(socket).st_mode), 0o660)
        s = self.scheduler()
        self.assertEqual(s["AllowedSyncCycleInterval"], "00:30:00")
        self.assertEqual(s["CurrentlyEffectiveSyncCycleInterval"], "00:30:00")
        self.assertIsNone(s["CustomizedSyncCycleInterval"])
        self.assertEqual(s["NextSyncCyclePolicyType"], "Delta")
        self.assertFalse(s["SyncCycleEnabled"])
        self.assertEqual(s["PurgeRunHistoryInterval"], "7.00:00:00")

        # A day, as the Set-ADSyncScheduler examples write it.
        s = json.loads(self.ctl("scheduler", "set", "--customized-sync-cycle-interval", "1.0:0:0",
                                "--json").stdout)
        self.assertEqual(s["CustomizedSyncCycleInterval"], "1.00:00:00")
        s = json.loads(self.ctl("scheduler", "set", "--customized-sync-cycle-interval", "03:00:00",
                                "--next-sync-cycle-policy-type", "Initial", "--active-hours",
                                "08:00-20:00", "--json").stdout)
        self.assertEqual(s["CurrentlyEffectiveSyncCycleInterval"], "03:00:00")
        self.assertEqual(s["NextSyncCyclePolicyType"], "Initial")
        self.assertEqual(s["ActiveHours"], "08:00-20:00")
        # Below the floor: accepted, and the allowed interval is used.
        s = json.loads(self.ctl("scheduler", "set", "--customized-sync-cycle-interval", "00:05:00",
                                "--active-hours", "none", "--json").stdout)
        self.assertEqual(s["CustomizedSyncCycleInterval"], "00:05:00")
        self.assertEqual(s["CurrentlyEffectiveSyncCycleInterval"], "00:30:00")
        self.assertIsNone(s["ActiveHours"])
        p = self.ctl("scheduler", "set", "--staging-mode-enabled", "true", check=2)
        self.assertIn("idsync staging enable", p.stderr)
        p = self.ctl("scheduler", "set", "--scheduler-suspended", "true", check=2)
        self.assertIn("idsync scheduler suspend", p.stderr)
        p = self.ctl("scheduler", "set", "--purge-run-history-interval", "7 days", check=2)
        self.assertIn("d.HH:mm:ss", p.stderr)

        o = json.loads(self.ctl("connector", "override", "set", "--connector", "hr",
                                "--full-sync-required", "true", "--json").stdout)
        self.assertEqual(o, [{"Connector": "HR", "FullImportRequired": False,
                              "FullSyncRequired": True, "FullImportReason": None,
                              "FullSyncReason": "set by an admin"}])
        # The export safety settings go through the daemon too.
        out = self.ctl("deletion-threshold", "enable", "--connector", "Directory", "--threshold",
                       "10%").stdout
        self.assertIn("Directory: enabled, threshold 10% of the connector space", out)
        self.assertIn("staging mode: on", self.ctl("staging", "enable").stdout)
        self.assertTrue(self.scheduler()["StagingModeEnabled"])
        self.ctl("staging-mode", "disable")
        # The daemon holds the store; reads still work beside it, and the settings survive it.
        self.ctl("history")
        self.assertEqual(self.stop_daemon(), 0)
        s = self.scheduler()
        self.assertEqual(s["CustomizedSyncCycleInterval"], "00:05:00")
        self.assertEqual(s["NextSyncCyclePolicyType"], "Initial")

        # Suspended for an upgrade: the next daemon start resumes the scheduler.
        s = json.loads(self.ctl("scheduler", "suspend", "--reason", "upgrade", "--json").stdout)
        self.assertTrue(s["SchedulerSuspended"])
        self.start_daemon()
        self.assertFalse(self.scheduler()["SchedulerSuspended"])
        # Suspended by hand, enabled cycles still do not start by themselves.
        self.ctl("scheduler", "suspend")
        self.ctl("scheduler", "set", "--sync-cycle-enabled", "true")
        time.sleep(1)
        self.assertEqual([r for r in self.history() if r["profile"] == "Initial sync cycle"], [])
        self.assertTrue(self.scheduler()["SchedulerSuspended"])

        # Resumed, with no cycle run yet, the scheduler starts one at once: an Initial one, as
        # set, after which the policy is Delta again and the override is consumed.
        self.ctl("scheduler", "resume")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = [r for r in self.history() if r["profile"] == "Initial sync cycle"]
            if len(runs) == 9 and self.status() is None:
                break
            time.sleep(0.1)
        else:
            self.fail("the scheduler did not run a whole Initial cycle:\n" + self.daemon_log())
        s = self.scheduler()
        self.assertEqual(s["NextSyncCyclePolicyType"], "Delta")
        self.assertIsNotNone(s["LastSyncCycleStartTimeInUTC"])
        overrides = json.loads(self.ctl("connector", "override", "show", "--json").stdout)
        self.assertFalse(any(o["FullSyncRequired"] for o in overrides))
        self.assertEqual(len(self.directory()), 10)
        # A run profile goes through the daemon too, and lands in the same history.
        out = self.ctl("run-profile", "--connector", "HR", "--profile", "Delta Import").stdout
        self.assertIn("HR / Delta Import / delta_import: success", out)
        self.assertEqual(self.history()[0]["profile"], "Delta Import")

    def test_json_log_lines(self):
        self.set_manifest(lambda m: m.update({"log": {"format": "json", "level": "info"}}))
        self.start_daemon()
        self.daemon.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "applies" not in self.daemon_log():
            self.assertLess(time.monotonic(), deadline, self.daemon_log())
            time.sleep(0.05)
        self.assertEqual(self.stop_daemon(), 0)
        lines = [json.loads(line) for line in self.daemon_log().splitlines()]
        self.assertGreater(len(lines), 3)
        for line in lines:
            self.assertEqual(sorted(line), ["level", "logger", "message", "time"])
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertIn("SIGTERM: stopping", [line["message"] for line in lines])
        self.assertEqual({line["logger"] for line in lines}, {"idsyncd"})

    def test_sighup_refuses_a_broken_manifest_and_applies_a_good_one(self):
        self.start_daemon()
        with open(self.manifest) as f:
            good = f.read()
        with open(self.manifest, "w") as f:
            f.write('{"store": {"path": "state/store"}, "connectors": [}')
        self.daemon.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "the manifest was refused" not in self.daemon_log():
            self.assertLess(time.monotonic(), deadline, self.daemon_log())
            time.sleep(0.05)
        with open(self.manifest, "w") as f:
            f.write(good)
        # The old manifest still serves.
        self.assertEqual(self.scheduler()["AllowedSyncCycleInterval"], "00:30:00")

        # A changed rule for HR and a changed config for Badges: the next cycle must run them
        # in full, and says why.
        with open(self.path("rules", "rules.json")) as f:
            rules = json.load(f)
        rules["rules"][0]["transformations"].append(
            {"flow": "constant", "target": "company", "value": ["Example"]})
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump(rules, f)
        self.set_manifest(lambda m: [c["config"].update({"path": "badges2.csv"})
                                     for c in m["connectors"] if c["name"] == "Badges"])
        shutil.copy(self.path("badges.csv"), self.path("badges2.csv"))
        self.daemon.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "applies" not in self.daemon_log():
            self.assertLess(time.monotonic(), deadline, self.daemon_log())
            time.sleep(0.05)
        overrides = {o["Connector"]: o for o in
                     json.loads(self.ctl("connector", "override", "show", "--json").stdout)}
        self.assertTrue(overrides["HR"]["FullSyncRequired"])
        self.assertEqual(overrides["HR"]["FullSyncReason"], "the sync rules for HR changed")
        self.assertFalse(overrides["HR"]["FullImportRequired"])
        self.assertTrue(overrides["Badges"]["FullImportRequired"])
        self.assertFalse(overrides["Directory"]["FullImportRequired"] or
                         overrides["Directory"]["FullSyncRequired"])
        self.assertEqual(self.stop_daemon(), 0)


class DaemonMetrics(DaemonWorkspace):
    def scrape(self, port):
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
            self.assertEqual(r.status, 200)
            self.assertTrue(r.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            samples = {}
            for line in r.read().decode().splitlines():
                if line and not line.startswith("#"):
                    name, value = line.rsplit(" ", 1)
                    samples[name] = float(value)
            return samples

    def test_prometheus_metrics_on_loopback(self):
        port = free_port()
        self.set_manifest(lambda m: m.update({"metrics": {"listen": f"127.0.0.1:{port}"}}))
        self.start_daemon()
        before = self.scrape(port)
        self.assertEqual(before["idsync_up"], 1)
        self.assertEqual(before['idsync_job_running{what=""}'], 0)
        self.assertEqual(before['idsync_pending_exports{connector="Directory",kind="add"}'], 0)

        # In staging mode the provisioned adds stay pending, and show.
        self.ctl("staging", "enable")
        report = json.loads(self.ctl("sync-cycle", "start", "--policy-type", "Initial", "--wait",
                                     "--json").stdout)
        self.assertTrue(report["ok"])
        staged = self.scrape(port)
        self.assertEqual(staged['idsync_pending_exports{connector="Directory",kind="add"}'], 10)
        self.assertEqual(staged["idsync_staging_mode_enabled"], 1)
        self.ctl("staging", "disable")
        report = json.loads(self.ctl("sync-cycle", "start", "--policy-type", "Initial", "--wait",
                                     "--json").stdout)
        self.assertTrue(report["ok"])
        after = self.scrape(port)
        self.assertEqual(after['idsync_pending_exports{connector="Directory",kind="add"}'], 0)
        self.assertEqual(after['idsync_sync_cycles_total{policy="Initial",result="ok"}'], 2)
        self.assertEqual(
            after['idsync_steps_total{connector="HR",step="full_import",status="success"}'], 2)
        self.assertEqual(after['idsync_step_last_objects{connector="HR",step="full_import"}'], 10)
        self.assertEqual(after['idsync_step_last_success{connector="Directory",step="export"}'], 1)
        self.assertGreater(after['idsync_connector_last_success_timestamp_seconds{connector="HR"}'],
                           time.time() - 600)
        self.assertGreaterEqual(after["idsync_sync_cycle_last_duration_seconds"], 0)
        self.assertEqual(self.stop_daemon(), 0)

    def test_metrics_listen_only_on_loopback(self):
        self.set_manifest(lambda m: m.update({"metrics": {"listen": "0.0.0.0:9464"}}))
        p = self.ctl("manifest", "check", check=2)
        self.assertIn("metrics.listen", p.stdout + p.stderr)


class DaemonCycles(DaemonWorkspace):
    # Enough people that the HR sync outlasts the few control calls the tests make while it
    # runs (each a process start, slow on a loaded machine): 50,000 once lost that race.
    ROWS = 150000

    def test_start_follow_refuse_and_stop(self):
        self.hr = [hr_row(i) for i in range(1, self.ROWS + 1)]
        self.write_sources()
        self.start_daemon()
        self.assertIsNone(self.status())  # idle: nothing
        self.assertEqual(self.ctl("run-status").stdout, "")
        out = self.ctl("sync-cycle", "start", "--policy-type", "Initial").stdout
        self.assertIn("idsyncd started an Initial sync cycle", out)
        s = self.wait_for_step("HR", "full_sync")
        self.assertEqual(s["what"], "Initial sync cycle")
        self.assertEqual(s["origin"], "requested")
        self.assertEqual((s["index"], s["total"]), (4, 9))
        # One job at a time.
        p = self.ctl("sync-cycle", "start", check=1)
        self.assertIn("a job is running: Initial sync cycle", p.stderr)
        p = self.ctl("run-profile", "--connector", "HR", "--profile", "Delta Sync", check=1)
        self.assertIn("sync-cycle stop", p.stderr)
        # Stop: the step ends at a batch boundary and is recorded as stopped.
        out = json.loads(self.ctl("sync-cycle", "stop", "--json").stdout)
        self.assertTrue(out["stopping"])
        self.wait_idle()
        steps = [(r["connector"], r["step"], r["status"]) for r in reversed(self.history())]
        self.assertIn(("HR", "full_sync", "stopped-user"), steps)
        self.assertEqual(len(steps), 4, steps)  # the cycle ran no step after the stop
        self.assertNotEqual(len(self.directory()), self.ROWS)

        # The next cycle, followed to its end, completes the work.
        p = self.ctl("sync-cycle", "start", "--policy-type", "Initial", "--wait", "--json")
        report = json.loads(p.stdout)
        self.assertTrue(report["ok"])
        self.assertEqual(len(self.directory()), self.ROWS)
        self.assertEqual(self.pending(), [])
        self.assertEqual(self.ctl("sync-cycle", "stop").stdout, "nothing is running\n")
        self.assertEqual(self.stop_daemon(), 0)

    def test_sigterm_mid_cycle_then_restart_completes(self):
        self.hr = [hr_row(i) for i in range(1, self.ROWS + 1)]
        self.write_sources()
        expected = self.uninterrupted_directory()

        self.start_daemon()
        self.ctl("sync-cycle", "start", "--policy-type", "Initial")
        self.wait_for_step("HR", "full_sync")
        self.assertEqual(self.stop_daemon(signal.SIGTERM), 0)
        self.assertIn("SIGTERM: stopping", self.daemon_log())
        steps = [(r["connector"], r["step"], r["status"]) for r in reversed(self.history())]
        self.assertEqual(steps[-1], ("HR", "full_sync", "stopped-user"))

        self.start_daemon()
        report = json.loads(self.ctl("sync-cycle", "start", "--policy-type", "Initial", "--wait",
                                     "--json").stdout)
        self.assertTrue(report["ok"])
        self.assertEqual(self.directory(), expected)
        self.assertEqual(self.pending(), [])
        self.assertEqual(self.stop_daemon(), 0)


if __name__ == "__main__":
    unittest.main()
