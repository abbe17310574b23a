"""End-to-end tests of the admin-held export safety settings: `idsync deletion-threshold` and
`idsync staging-mode`, kept in the store between CLI invocations.

Run through CTest, or by hand like test_cli (IDSYNC_BIN=... python3 -m unittest test_admin_settings).
"""
import json
import os
import unittest

from test_cli import Workspace, person, run, write_csv

BAD_THRESHOLD = "expected a number of deletes (0 or more, e.g. 500) or a percentage of the connector space"


class AdminWorkspace(Workspace):
    """Two file connectors, HR and Badges, each with an import and an export run profile."""

    def setUp(self):
        super().setUp()
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, 4)])
        self.m = self.write_manifest()

    def write_manifest(self, staging=None, name="idsync.json"):
        def connector(cname, file):
            return {"name": cname, "type": "file",
                    "config": {"path": file, "format": "csv", "anchor_column": "employeeId",
                               "object_type": "person", "export_file": cname.lower() + "-out.csv"},
                    "run_profiles": {"Full Import": [{"type": "full_import"}],
                                     "Export": [{"type": "export"}]}}

        m = {"store": {"path": "state/store"},
             "connectors": [connector("HR", "hr.csv"), connector("Badges", "badges.csv")]}
        if staging is not None:
            m["scheduler"] = {"staging_mode_enabled": staging}
        with open(self.path(name), "w") as f:
            json.dump(m, f, indent=2)
        return self.path(name)

    def store_exists(self):
        return os.path.exists(self.path("state", "store", "CURRENT"))


class DeletionThreshold(AdminWorkspace):
    def thresholds(self, *extra, manifest=None):
        p = run("deletion-threshold", "show", "--json", *extra, manifest=manifest or self.m, check=0)
        return {r["connector"]: r for r in json.loads(p.stdout)}

    def enable(self, connector, threshold, check=0):
        return run("deletion-threshold", "enable", "--connector", connector, "--threshold", threshold,
                   manifest=self.m, check=check)

    def test_show_gives_the_defaults_for_every_connector_before_anything_ran(self):
        shown = self.thresholds()
        self.assertEqual(list(shown), ["HR", "Badges"])
        for name in ("HR", "Badges"):
            self.assertEqual(shown[name], {"connector": name, "enabled": True, "threshold": 500,
                                           "percent": None, "pending_deletes": 0, "exceeded": False})
        self.assertFalse(self.store_exists(), "show must not create the store")
        text = run("deletion-threshold", "show", manifest=self.m, check=0).stdout
        self.assertEqual(text, "HR: enabled, threshold 500 deletes; 0 pending deletes\n"
                               "Badges: enabled, threshold 500 deletes; 0 pending deletes\n")
        one = json.loads(run("deletion-threshold", "show", "--connector", "badges", "--json",
                             manifest=self.m, check=0).stdout)
        self.assertEqual([r["connector"] for r in one], ["Badges"])

    def test_enable_with_a_count_then_a_percentage_then_disable(self):
        p = self.enable("HR", "25")
        self.assertEqual(p.stdout, "HR: enabled, threshold 25 deletes; 0 pending deletes\n")
        shown = self.thresholds()
        self.assertEqual((shown["HR"]["enabled"], shown["HR"]["threshold"], shown["HR"]["percent"]),
                         (True, 25, None))
        self.assertEqual(shown["Badges"]["threshold"], 500)  # per connector

        p = self.enable("hr", "10%")  # connector names ignore case, as in the manifest
        self.assertEqual(p.stdout, "HR: enabled, threshold 10% of the connector space; 0 pending deletes\n")
        hr = self.thresholds("--connector", "HR")["HR"]
        self.assertEqual((hr["enabled"], hr["percent"]), (True, 10))
        self.assertEqual(hr["threshold"], 25)  # kept, unused while the percentage is set

        p = run("deletion-threshold", "disable", "--connector", "HR", manifest=self.m, check=0)
        self.assertIn("HR: disabled (exports never stop for deletes", p.stdout)
        hr = self.thresholds()["HR"]
        self.assertEqual((hr["enabled"], hr["threshold"], hr["percent"]), (False, 25, 10))

        # Enabling without --threshold restores the kept value; a count replaces the percentage.
        run("deletion-threshold", "enable", "--connector", "HR", manifest=self.m, check=0)
        hr = self.thresholds()["HR"]
        self.assertEqual((hr["enabled"], hr["threshold"], hr["percent"]), (True, 25, 10))
        self.enable("HR", "0")
        hr = self.thresholds()["HR"]
        self.assertEqual((hr["enabled"], hr["threshold"], hr["percent"]), (True, 0, None))
        self.enable("HR", "100%")
        self.assertEqual(self.thresholds()["HR"]["percent"], 100)

    def test_bad_thresholds_are_refused_with_exit_2_and_change_nothing(self):
        self.enable("HR", "40")
        for bad in ("abc", "-5", "0%", "101%", "12.5", "12.5%", "%", "", "1e3", "10 %", "+7",
                    "99999999999999999999999"):
            p = run("deletion-threshold", "enable", "--connector", "HR", "--threshold", bad, manifest=self.m)
            self.assertEqual(p.returncode, 2, f"{bad!r}: {p.stdout}{p.stderr}")
            self.assertIn(f'--threshold "{bad}": {BAD_THRESHOLD}', p.stderr)
        hr = self.thresholds()["HR"]
        self.assertEqual((hr["enabled"], hr["threshold"], hr["percent"]), (True, 40, None))

    def test_an_unknown_connector_is_refused_naming_the_known_ones(self):
        for args in (["show", "--connector", "Nope"], ["enable", "--connector", "Nope", "--threshold", "5"],
                     ["disable", "--connector", "Nope"]):
            p = run("deletion-threshold", *args, manifest=self.m)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn('no connector named "Nope"', p.stderr)
            self.assertIn("(connectors: HR, Badges)", p.stderr)
        self.assertFalse(self.store_exists(), "a refused command must not create the store")
        self.assertEqual(run("deletion-threshold", "enable", "--threshold", "5", manifest=self.m).returncode, 2)

    def test_settings_survive_runs_and_stay_with_the_store(self):
        self.enable("Badges", "7")
        run("deletion-threshold", "disable", "--connector", "HR", manifest=self.m, check=0)
        # A run opens the store for writing and leaves the settings as they are.
        result = json.loads(run("run-profile", "--connector", "HR", "--profile", "Full Import", "--json",
                                manifest=self.m, check=0).stdout)
        self.assertEqual(result["steps"][0]["counters"]["adds"], 3)
        shown = self.thresholds()
        self.assertEqual((shown["HR"]["enabled"], shown["HR"]["threshold"]), (False, 500))
        self.assertEqual((shown["Badges"]["enabled"], shown["Badges"]["threshold"]), (True, 7))
        # Another manifest on another store starts from the defaults.
        with open(self.m) as f:
            doc = json.load(f)
        doc["store"]["path"] = "other/store"
        with open(self.path("other.json"), "w") as f:
            json.dump(doc, f)
        other = self.thresholds(manifest=self.path("other.json"))
        self.assertEqual((other["HR"]["enabled"], other["Badges"]["threshold"]), (True, 500))


class StagingMode(AdminWorkspace):
    def state(self, manifest=None):
        return json.loads(run("staging-mode", "show", "--json", manifest=manifest or self.m, check=0).stdout)

    def export(self, manifest=None):
        p = run("run-profile", "--connector", "HR", "--profile", "Export", "--json",
                manifest=manifest or self.m, check=0)
        [step] = json.loads(p.stdout)["steps"]
        return step

    def test_show_enable_disable_and_the_export_follows_the_stored_flag(self):
        self.assertEqual(self.state(), {"enabled": False, "reason": None, "store": False, "manifest": False})
        self.assertFalse(self.store_exists(), "show must not create the store")
        self.assertEqual(run("staging-mode", "show", manifest=self.m, check=0).stdout,
                         "staging mode: off (exports send the pending exports)\n")

        p = run("staging-mode", "enable", manifest=self.m, check=0)
        self.assertIn("staging mode: on (the store's flag", p.stdout)
        self.assertEqual(self.state(), {"enabled": True, "reason": "store", "store": True, "manifest": False})
        step = self.export()
        self.assertEqual((step["status"], step["message"]), ("success", "staging mode: 0 pending exports not sent"))

        p = run("staging-mode", "disable", manifest=self.m, check=0)
        self.assertEqual(p.stdout, "staging mode: off (exports send the pending exports)\n")
        self.assertEqual(self.state(), {"enabled": False, "reason": None, "store": False, "manifest": False})
        step = self.export()
        self.assertEqual((step["status"], step["message"]), ("success", ""))

    def test_the_manifest_forces_staging_mode_on_and_disable_says_so(self):
        forced = self.write_manifest(staging=True, name="forced.json")
        self.assertEqual(self.state(forced), {"enabled": True, "reason": "manifest", "store": False, "manifest": True})
        text = run("staging-mode", "show", manifest=forced, check=0).stdout
        self.assertIn("scheduler.staging_mode_enabled in " + forced, text)

        run("staging-mode", "enable", manifest=forced, check=0)
        self.assertEqual(self.state(forced), {"enabled": True, "reason": "both", "store": True, "manifest": True})

        p = run("staging-mode", "disable", manifest=forced)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("the manifest's scheduler.staging_mode_enabled keeps it on", p.stderr)
        self.assertIn(forced, p.stderr)
        self.assertEqual(self.state(forced), {"enabled": True, "reason": "manifest", "store": False, "manifest": True})
        self.assertEqual(self.export(forced)["message"], "staging mode: 0 pending exports not sent")
        # The same store under the manifest that does not force it: off, the store flag was cleared.
        self.assertEqual(self.state()["enabled"], False)
        self.assertEqual(self.export()["message"], "")

    def test_the_flag_survives_between_invocations_and_runs(self):
        run("staging-mode", "enable", manifest=self.m, check=0)
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=self.m, check=0)
        self.assertEqual(self.state()["store"], True)
        self.assertEqual(self.export()["message"], "staging mode: 0 pending exports not sent")
        self.assertEqual(self.state()["reason"], "store")


class ThresholdOnExport(Workspace):
    """HR provisions people into a Directory LDIF file; leavers become pending export deletes."""

    RULES = {"rules": [
        {"name": "In from HR", "direction": "inbound", "connector": "HR", "cs_object_type": "person",
         "mv_object_type": "person", "link_type": "Provision", "precedence": 100,
         "transformations": [{"flow": "direct", "target": a, "source": a} for a in ("employeeId", "givenName")]},
        {"name": "Out to Directory", "direction": "outbound", "connector": "Directory",
         "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
         "precedence": 100, "scoping": [[{"attribute": "employeeId", "operator": "ISNOTNULL"}]],
         "transformations": [
             {"flow": "expression", "target": "dn",
              "expression": "\"uid=\" & [employeeId] & \",ou=people,dc=example\"", "apply_once": True},
             {"flow": "constant", "target": "objectClass", "value": ["top", "inetOrgPerson"]},
             {"flow": "direct", "target": "uid", "source": "employeeId"},
             {"flow": "direct", "target": "cn", "source": "givenName"}]},
    ]}

    def setUp(self):
        super().setUp()
        os.mkdir(self.path("rules"))
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump(self.RULES, f)
        m = {"store": {"path": "state/store"}, "rules": {"path": "rules"}, "connectors": [
            {"name": "HR", "type": "file",
             "config": {"path": "hr.csv", "format": "csv", "anchor_column": "employeeId", "object_type": "person"},
             "run_profiles": {"Import and Sync": [{"type": "full_import"}, {"type": "full_sync"}]}},
            {"name": "Directory", "type": "file",
             "config": {"path": "directory.ldif", "format": "ldif", "anchor_attribute": "uid",
                        "object_type": "inetOrgPerson", "export_file": "directory.ldif"},
             "run_profiles": {"Export": [{"type": "export"}]}}]}
        self.m = self.path("idsync.json")
        with open(self.m, "w") as f:
            json.dump(m, f, indent=2)

    def hr_then_export(self, people, export_code=0):
        write_csv(self.path("hr.csv"), [person(i) for i in people])
        run("run-profile", "--connector", "HR", "--profile", "Import and Sync", manifest=self.m, check=0)
        p = run("run-profile", "--connector", "Directory", "--profile", "Export", "--json",
                manifest=self.m, check=export_code)
        [step] = json.loads(p.stdout)["steps"]
        return step

    def directory(self, *extra):
        [row] = json.loads(run("deletion-threshold", "show", "--connector", "Directory", "--json", *extra,
                               manifest=self.m, check=0).stdout)
        return row

    def uids_in_file(self):
        with open(self.path("directory.ldif")) as f:
            return sorted(line.split(":", 1)[1].strip() for line in f if line.startswith("uid:"))

    def test_stored_threshold_stops_the_export_and_show_counts_the_waiting_deletes(self):
        self.assertEqual(self.hr_then_export(range(1, 7))["counters"]["adds"], 6)
        run("deletion-threshold", "enable", "--connector", "Directory", "--threshold", "2", manifest=self.m, check=0)

        step = self.hr_then_export(range(4, 7), export_code=1)  # three leavers
        self.assertEqual(step["status"], "stopped-deletion-threshold-exceeded")
        self.assertEqual(step["message"],
                         "3 pending deletes exceed the deletion threshold of 2; nothing was exported. "
                         "Check the deletes with `idsync pending-exports --connector Directory`, then let "
                         "them through once with `idsync run-profile --connector Directory --profile Export "
                         "--allow-deletes`, or raise the threshold with `idsync deletion-threshold enable "
                         "--connector Directory --threshold 3`")
        self.assertEqual(self.uids_in_file(), [f"E{i:06d}" for i in range(1, 7)])
        row = self.directory()
        self.assertEqual((row["pending_deletes"], row["exceeded"]), (3, True))
        text = run("deletion-threshold", "show", "--connector", "Directory", manifest=self.m, check=0).stdout
        self.assertEqual(text, "Directory: enabled, threshold 2 deletes; 3 pending deletes"
                               " - the next export stops for them\n")

        # A percentage compares with the connector space: 3 of 6 objects is 50%.
        run("deletion-threshold", "enable", "--connector", "Directory", "--threshold", "40%", manifest=self.m, check=0)
        self.assertTrue(self.directory()["exceeded"])
        p = run("run-profile", "--connector", "Directory", "--profile", "Export", "--json", manifest=self.m, check=1)
        message = json.loads(p.stdout)["steps"][0]["message"]
        self.assertTrue(message.startswith("3 pending deletes (50.0% of 6 objects) exceed the deletion threshold "
                                           "of 40% of the connector space;"), message)
        self.assertTrue(message.endswith("--connector Directory --threshold 50%`"), message)
        run("deletion-threshold", "enable", "--connector", "Directory", "--threshold", "50%", manifest=self.m, check=0)
        self.assertEqual((self.directory()["pending_deletes"], self.directory()["exceeded"]), (3, False))

        # Disabled, the deletes go.
        run("deletion-threshold", "enable", "--connector", "Directory", "--threshold", "0", manifest=self.m, check=0)
        self.assertTrue(self.directory()["exceeded"])
        run("deletion-threshold", "disable", "--connector", "Directory", manifest=self.m, check=0)
        self.assertFalse(self.directory()["exceeded"])
        p = run("run-profile", "--connector", "Directory", "--profile", "Export", "--json", manifest=self.m, check=0)
        step = json.loads(p.stdout)["steps"][0]
        self.assertEqual((step["status"], step["counters"]["deletes"]), ("success", 3))
        self.assertEqual(self.uids_in_file(), [f"E{i:06d}" for i in range(4, 7)])
        self.assertEqual(self.directory()["pending_deletes"], 0)


if __name__ == "__main__":
    unittest.main()
