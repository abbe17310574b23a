"""End-to-end tests of the idsync CLI: manifests, plugins, imports into a real RocksDB store.

Run through CTest (which sets IDSYNC_BIN and friends), or by hand:
  IDSYNC_BIN=build/bin/idsync IDSYNC_FAKES_DIR=build/tests/fakes/plugins python3 -m unittest test_cli
"""
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

IDSYNC = os.environ.get("IDSYNC_BIN", "idsync")
FAKES = os.environ.get("IDSYNC_FAKES_DIR", "")
SOURCE = os.environ.get("IDSYNC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("IDSYNC_BUILD_DIR", os.path.join(SOURCE, "build"))


def run(*args, manifest=None, check=None, timeout=300):
    cmd = [IDSYNC] + (["--manifest", manifest] if manifest else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check is not None and p.returncode != check:
        raise AssertionError(f"{cmd} exited {p.returncode}, expected {check}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def write_csv(path, rows, header=("employeeId", "givenName", "sn", "mail", "proxyAddresses")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def person(i, suffix=""):
    return (f"E{i:06d}", f"Given{i}{suffix}", f"Sur, name{i}", f"user{i}@example.com",
            f"SMTP:user{i}@example.com;smtp:u{i}@example.org")


class Workspace(unittest.TestCase):
    """A temp folder with a manifest for one HR file connector."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="idsync-e2e-")
        os.chmod(self.dir, 0o755)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def manifest(self, config=None, page_size=500, name="idsync.json", store="state/store", extra=None,
                 replace_config=False):
        cfg = {} if replace_config else {"path": "hr.csv", "format": "csv", "anchor_column": "employeeId",
                                         "object_type": "person"}
        cfg.update(config or {})
        m = {
            "store": {"path": store},
            "connectors": [{
                "name": "HR", "type": "file", "config": cfg,
                "run_profiles": {
                    "Full Import": [{"type": "full_import", "page_size": page_size}],
                    "Delta Import": [{"type": "delta_import", "page_size": page_size}],
                },
            }],
        }
        m.update(extra or {})
        with open(self.path(name), "w") as f:
            json.dump(m, f, indent=2)
        return self.path(name)

    def search(self, manifest, *extra):
        p = run("cs", "search", "--connector", "HR", "--json", *extra, manifest=manifest, check=0)
        return json.loads(p.stdout)


class Version(unittest.TestCase):
    def test_version_names_the_abi(self):
        p = run("--version", check=0)
        self.assertRegex(p.stdout, r"idsync \d+\.\d+\.\d+ \(plugin ABI 1\.0\)")


class Plugins(Workspace):
    def test_lists_the_file_connector_and_every_refused_variant_with_its_reason(self):
        self.assertTrue(FAKES and os.path.isdir(FAKES), "IDSYNC_FAKES_DIR must name the built fake plugins")
        m = self.manifest(extra={"plugin_dirs": [FAKES]})
        listing = json.loads(run("plugins", "--json", manifest=m, check=0).stdout)
        loaded = {p["name"]: p for p in listing["loaded"]}
        self.assertIn("file", loaded)
        self.assertEqual([t["id"] for t in loaded["file"]["connector_types"]], ["file"])
        refused = listing["refused"]
        reasons = "\n".join(f'{r["file"]}: {r["reason"]}' for r in refused)
        # One line per refused fake, each naming its file.
        self.assertGreaterEqual(len(refused), 8, reasons)
        for r in refused:
            self.assertTrue(r["file"].startswith(FAKES), r)
            self.assertTrue(r["reason"], r)
        for words in ("idsync_plugin_entry_v1", "major", "minor", "struct", "full_import", "duplicate"):
            self.assertIn(words, reasons.lower() if words.islower() else reasons, reasons)
        text = run("plugins", manifest=m, check=0).stdout
        self.assertIn("connector type file", text)
        self.assertIn("Refused (", text)

    def test_lists_shipped_plugins_without_a_manifest(self):
        env = dict(os.environ, IDSYNC_MANIFEST="")
        p = subprocess.run([IDSYNC, "plugins", "--json"], capture_output=True, text=True, env=env)
        if os.path.exists("/etc/idsync/idsync.json"):
            self.skipTest("a system manifest exists on this machine")
        self.assertEqual(p.returncode, 0, p.stderr)
        listing = json.loads(p.stdout)
        loaded = {x["name"]: x for x in listing["loaded"]}
        self.assertIn("file", loaded)
        # The shipped sample rule plugin lists its functions with their docs.
        self.assertIn("contoso-rules", loaded)
        [rules] = loaded["contoso-rules"]["rule_types"]
        self.assertEqual(rules["id"], "contoso.rules")
        functions = {f["name"]: f for f in rules["functions"]}
        self.assertEqual(set(functions), {"NormalizePhone", "RemoveDiacritics", "MailNickname"})
        self.assertIn("E.164", functions["NormalizePhone"]["doc"])
        self.assertEqual((functions["NormalizePhone"]["min_args"], functions["NormalizePhone"]["max_args"]), (1, 2))
        self.assertEqual([t["name"] for t in rules["transforms"]], ["DeriveMailNickname"])
        self.assertEqual(listing["rule_clashes"], [])


class ManifestErrors(Workspace):
    def test_every_problem_is_reported_with_its_json_path(self):
        bad = {
            "store": {"path": 5},
            "connectors": [
                {"name": "HR", "type": "file", "config": {"path": "hr.csv", "formt": "csv", "anchor_column": 3},
                 "run_profile": {}},
                {"name": "hr", "type": "nosuch"},
            ],
        }
        with open(self.path("bad.json"), "w") as f:
            json.dump(bad, f)
        p = run("manifest", "check", manifest=self.path("bad.json"))
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        err = p.stderr
        self.assertIn("store.path: expected a string, found a number", err)
        self.assertIn('connectors[0].run_profile: unknown key; did you mean "run_profiles"?', err)
        self.assertIn("connectors[1].name", err)  # duplicate name ignoring case
        p = run("manifest", "check", "--json", manifest=self.path("bad.json"))
        self.assertEqual(p.returncode, 2)
        paths = [x["path"] for x in json.loads(p.stdout)["problems"]]
        self.assertIn("store.path", paths)

    def test_plugin_config_problems_name_the_config_path(self):
        m = self.manifest(config={"formt": "csv", "anchor_column": 3})
        p = run("manifest", "check", manifest=m)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn('connectors[0].config.formt: unknown key; did you mean "format"?', p.stderr)
        self.assertIn("connectors[0].config.anchor_column: expected a string, found a number", p.stderr)

    def test_unknown_connector_type_is_named(self):
        m = self.manifest()
        with open(m) as f:
            doc = json.load(f)
        doc["connectors"][0]["type"] = "ldap.nosuch"
        with open(m, "w") as f:
            json.dump(doc, f)
        p = run("manifest", "check", manifest=m)
        self.assertEqual(p.returncode, 2)
        self.assertIn('connectors[0].type: no loaded plugin provides connector type "ldap.nosuch"', p.stderr)

    def test_syntax_errors_give_line_and_column(self):
        with open(self.path("broken.json"), "w") as f:
            f.write('{\n  "store": {"path": "x"},\n  "connectors": [\n}\n')
        p = run("manifest", "check", manifest=self.path("broken.json"))
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"broken\.json:4:\d+: ")

    def test_a_good_manifest_checks_ok(self):
        write_csv(self.path("hr.csv"), [person(1)])
        p = run("manifest", "check", manifest=self.manifest(), check=0)
        self.assertIn("OK", p.stdout)

    def test_usage_errors_exit_2(self):
        write_csv(self.path("hr.csv"), [person(1)])
        m = self.manifest()
        self.assertEqual(run("run-profile", "--connector", "Nope", "--profile", "Full Import", manifest=m).returncode, 2)
        self.assertEqual(run("run-profile", "--connector", "HR", "--profile", "Nope", manifest=m).returncode, 2)
        self.assertEqual(run("cs", "search", manifest=m).returncode, 2)  # --connector missing


class FullImport(Workspace):
    def test_every_row_is_staged_and_searchable(self):
        rows = [person(i) for i in range(1, 2501)]
        write_csv(self.path("hr.csv"), rows)
        m = self.manifest(config={"multi_value_separator": ";"}, page_size=100)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Import", "--json", manifest=m, check=0)
        result = json.loads(p.stdout)
        self.assertTrue(result["ok"])
        self.assertEqual(result["steps"][0]["counters"]["adds"], 2500)
        self.assertEqual(result["steps"][0]["counters"]["pages"], 25)

        objects = self.search(m)
        self.assertEqual(len(objects), 2500)
        by_anchor = {o["anchor"]: o for o in objects}
        for r in rows:
            o = by_anchor[r[0]]
            self.assertEqual(o["object_type"], "person")
            self.assertEqual(o["pending_change"], "add")
            a = o["attributes"]
            self.assertEqual(a["givenName"], [r[1]])
            self.assertEqual(a["sn"], [r[2]])
            self.assertEqual(sorted(a["proxyAddresses"]), sorted(r[4].split(";")))

        limited = self.search(m, "--limit", "7")
        self.assertEqual(len(limited), 7)
        one = self.search(m, "--attr", "mail=user42@example.com")
        self.assertEqual([o["anchor"] for o in one], ["E000042"])
        shown = json.loads(run("cs", "show", "--connector", "HR", "--anchor", "E000042", "--json", manifest=m, check=0).stdout)
        self.assertEqual(shown, one[0])
        self.assertEqual(run("cs", "show", "--connector", "HR", "--anchor", "nope", manifest=m).returncode, 1)

    def test_reimport_of_an_unchanged_file_changes_nothing_and_missing_rows_become_deletes(self):
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, 11)])
        m = self.manifest()
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m, check=0)
        again = json.loads(run("run-profile", "--connector", "HR", "--profile", "Full Import", "--json",
                               manifest=m, check=0).stdout)
        c = again["steps"][0]["counters"]
        self.assertEqual((c["adds"], c["updates"], c["deletes"], c["unchanged"]), (0, 0, 0, 10))
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, 10)])
        third = json.loads(run("run-profile", "--connector", "HR", "--profile", "Full Import", "--json",
                               manifest=m, check=0).stdout)
        self.assertEqual(third["steps"][0]["counters"]["deletes"], 1)
        # Row 10 was never synced, so its pending add is withdrawn rather than turned into a delete.
        self.assertEqual(len(self.search(m)), 9)

    def test_run_history_records_each_step(self):
        write_csv(self.path("hr.csv"), [person(1)])
        m = self.manifest()
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m, check=0)
        runs = json.loads(run("history", "--last", "5", "--json", manifest=m, check=0).stdout)
        self.assertEqual(runs[0]["connector"], "HR")
        self.assertEqual(runs[0]["step"], "full_import")
        self.assertEqual(runs[0]["status"], "success")
        self.assertEqual(runs[0]["counters"]["adds"], 1)


class BadInput(Workspace):
    def test_unbalanced_quote_names_file_and_line_and_stages_nothing_from_that_page(self):
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, 5)])
        with open(self.path("hr.csv"), "a", encoding="utf-8") as f:
            f.write('E000005,"Given5,Sur,u5@example.com,\r\n')  # line 6: the quote never closes
            f.write("E000006,Given6,Sur,u6@example.com,\r\n")
        m = self.manifest(page_size=2)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("hr.csv:6", p.stdout + p.stderr)
        self.assertIn("stopped-data-error", p.stdout)
        anchors = sorted(o["anchor"] for o in self.search(m))
        self.assertEqual(anchors, ["E000001", "E000002", "E000003", "E000004"])

    def test_wrong_column_count_names_the_line(self):
        write_csv(self.path("hr.csv"), [person(1), person(2)])
        with open(self.path("hr.csv"), "a", encoding="utf-8") as f:
            f.write("E000003,only,three\r\n")
        m = self.manifest(page_size=10)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m)
        self.assertEqual(p.returncode, 1)
        self.assertIn("hr.csv:4", p.stdout)
        self.assertEqual(self.search(m), [])  # the only page was the bad one

    def test_a_repeated_anchor_names_both_lines_and_stages_nothing_from_that_page(self):
        write_csv(self.path("hr.csv"), [person(1), person(2), person(3), person(2, suffix="-again"), person(5)])
        m = self.manifest(page_size=2)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn('hr.csv:5: duplicate anchor "E000002" in one full import (first at hr.csv:3)', p.stdout)
        self.assertEqual(sorted(o["anchor"] for o in self.search(m)), ["E000001", "E000002"])
        self.assertEqual(self.search(m, "--attr", "givenName=Given2")[0]["anchor"], "E000002")

    def test_bad_ldif_base64_names_the_line(self):
        with open(self.path("people.ldif"), "w") as f:
            f.write("version: 1\n\n"
                    "dn: cn=a,dc=example\nentryUUID: 1\ncn: a\n\n"
                    "dn: cn=b,dc=example\nentryUUID: 2\ncn:: not*base64\n")
        m = self.manifest(config={"path": "people.ldif", "format": "ldif", "anchor_attribute": "entryUUID"},
                          replace_config=True)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("people.ldif:9", p.stdout)


class KillAndRerun(Workspace):
    ROWS = 150000

    def test_a_killed_import_reruns_to_the_same_result_as_an_uninterrupted_one(self):
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, self.ROWS + 1)])
        killed = self.manifest(page_size=500, name="killed.json", store="killed/store")
        clean = self.manifest(page_size=500, name="clean.json", store="clean/store")

        proc = subprocess.Popen([IDSYNC, "--manifest", killed, "run-profile", "--connector", "HR",
                                 "--profile", "Full Import"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill it once some pages are committed but well before the end.
        deadline = time.time() + 120
        staged = 0
        while time.time() < deadline and proc.poll() is None:
            p = run("cs", "search", "--connector", "HR", "--limit", "2000", manifest=killed)
            staged = p.stdout.count("\n") if p.returncode == 0 else 0
            if staged >= 1000:
                break
            time.sleep(0.02)
        self.assertIsNone(proc.poll(), "the import finished before it could be killed; raise ROWS")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.assertGreaterEqual(staged, 1000)

        rerun = json.loads(run("run-profile", "--connector", "HR", "--profile", "Full Import", "--json",
                               manifest=killed, check=0).stdout)
        self.assertTrue(rerun["steps"][0]["resumed"])
        self.assertEqual(rerun["steps"][0]["counters"]["adds"], self.ROWS)
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=clean, check=0)

        a = run("cs", "search", "--connector", "HR", "--json", manifest=killed, check=0).stdout
        b = run("cs", "search", "--connector", "HR", "--json", manifest=clean, check=0).stdout
        self.assertEqual(len(json.loads(a)), self.ROWS)
        self.assertEqual(a, b)


class DeltaImport(Workspace):
    def test_snapshot_delta_stages_only_what_changed(self):
        write_csv(self.path("hr.csv"), [person(i) for i in range(1, 101)])
        m = self.manifest(config={"delta_mode": "snapshot"})
        p = run("run-profile", "--connector", "HR", "--profile", "Delta Import", manifest=m)
        self.assertEqual(p.returncode, 1)
        self.assertIn("run a full import first", p.stdout)
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=m, check=0)
        rows = [person(i) for i in range(1, 101) if i != 50]
        rows[9] = person(10, suffix="-renamed")
        rows.append(person(101))
        write_csv(self.path("hr.csv"), rows)
        d = json.loads(run("run-profile", "--connector", "HR", "--profile", "Delta Import", "--json",
                           manifest=m, check=0).stdout)
        c = d["steps"][0]["counters"]
        self.assertEqual((c["adds"], c["updates"], c["deletes"]), (1, 1, 1))
        self.assertLessEqual(c["objects"], 3)
        shown = json.loads(run("cs", "show", "--connector", "HR", "--anchor", "E000010", "--json",
                               manifest=m, check=0).stdout)
        self.assertEqual(shown["attributes"]["givenName"], ["Given10-renamed"])


HR_HEADER = ("employeeId", "givenName", "sn", "displayName", "department")
BADGE_HEADER = ("badgeId", "employeeId", "mail", "displayName")


class Sync(Workspace):
    """HR projects people into the metaverse, Badges joins them; both flow with precedence."""

    HR_RULE = {
        "name": "In from HR", "direction": "inbound", "connector": "HR",
        "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
        "precedence": 100,
        "transformations": [{"flow": "direct", "target": a, "source": a}
                            for a in ("displayName", "department", "employeeId", "givenName", "sn")],
    }
    BADGE_RULES = {"rules": [
        {"name": "In from Badges - mail", "direction": "inbound", "connector": "Badges",
         "cs_object_type": "person", "mv_object_type": "person", "link_type": "Join",
         "precedence": 50,
         "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
         "transformations": [{"flow": "direct", "target": "mail", "source": "mail"}]},
        {"name": "In from Badges - displayName", "direction": "inbound", "connector": "Badges",
         "cs_object_type": "person", "mv_object_type": "person", "link_type": "Join",
         "precedence": 200,
         "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
         "transformations": [{"flow": "direct", "target": "displayName", "source": "displayName"}]},
    ]}

    def setUp(self):
        super().setUp()
        os.mkdir(self.path("rules"))
        self.write_rule("10-hr.json", self.HR_RULE)
        self.write_rule("20-badges.json", self.BADGE_RULES)
        profiles = {
            "Full Import": [{"type": "full_import"}],
            "Full Sync": [{"type": "full_sync"}],
            "Delta": [{"type": "delta_import"}, {"type": "delta_sync"}],
        }

        def connector(name, file, anchor):
            return {"name": name, "type": "file", "run_profiles": profiles,
                    "config": {"path": file, "format": "csv", "anchor_column": anchor,
                               "object_type": "person"}}

        m = {"store": {"path": "state/store"}, "rules": {"path": "rules"},
             "connectors": [connector("HR", "hr.csv", "employeeId"),
                            connector("Badges", "badges.csv", "badgeId")]}
        with open(self.path("idsync.json"), "w") as f:
            json.dump(m, f, indent=2)
        self.m = self.path("idsync.json")

    def write_rule(self, name, rule):
        with open(self.path("rules", name), "w") as f:
            json.dump(rule, f, indent=2)

    def write_hr(self, rows):
        write_csv(self.path("hr.csv"), rows, header=HR_HEADER)

    def write_badges(self, rows):
        write_csv(self.path("badges.csv"), rows, header=BADGE_HEADER)

    def profile(self, connector, profile):
        p = run("run-profile", "--connector", connector, "--profile", profile, "--json", manifest=self.m, check=0)
        return json.loads(p.stdout)

    def people(self):
        """The MV objects by employeeId, each with mv show's provenance and links."""
        found = json.loads(run("mv", "search", "--object-type", "person", "--json", manifest=self.m, check=0).stdout)
        out = {}
        for o in found:
            shown = json.loads(run("mv", "show", "--id", str(o["id"]), "--json", manifest=self.m, check=0).stdout)
            self.assertEqual(shown["attributes"], o["attributes"])
            out[o["attributes"]["employeeId"][0]] = shown
        return out

    def test_full_then_delta_sync_builds_the_metaverse_with_precedence(self):
        self.write_hr([("E1", "Ada", "Lovelace", "Ada Lovelace", "Engineering"),
                       ("E2", "Alan", "Turing", "Alan Turing", "Mathematics"),
                       ("E3", "Grace", "Hopper", "Grace Hopper", "Navy")])
        self.write_badges([("B1", "E1", "ada@example.com", "Badge Ada"),
                           ("B2", "E2", "alan@example.com", "Badge Alan")])
        run("manifest", "check", manifest=self.m, check=0)
        self.profile("HR", "Full Import")
        self.profile("Badges", "Full Import")
        hr = self.profile("HR", "Full Sync")
        self.assertEqual(hr["steps"][0]["status"], "success")
        self.assertEqual(hr["steps"][0]["counters"]["projections"], 3)
        badges = self.profile("Badges", "Full Sync")
        self.assertEqual(badges["steps"][0]["counters"]["joins"], 2)

        people = self.people()
        self.assertEqual(sorted(people), ["E1", "E2", "E3"])
        ada = people["E1"]
        self.assertEqual(ada["attributes"]["mail"], ["ada@example.com"])
        self.assertEqual(ada["attributes"]["displayName"], ["Ada Lovelace"])
        self.assertEqual(ada["attributes"]["department"], ["Engineering"])
        self.assertEqual(ada["provenance"]["displayName"]["connector"], "HR")
        self.assertEqual(ada["provenance"]["displayName"]["rule"], "In from HR")
        self.assertEqual(ada["provenance"]["displayName"]["precedence"], 100)
        self.assertEqual(ada["provenance"]["mail"]["connector"], "Badges")
        self.assertEqual(ada["provenance"]["mail"]["rule"], "In from Badges - mail")
        self.assertEqual(sorted((l["connector"], l["anchor"]) for l in ada["links"]),
                         [("Badges", "B1"), ("HR", "E1")])
        self.assertEqual([l["connector"] for l in people["E3"]["links"]], ["HR"])
        self.assertNotIn("mail", people["E3"]["attributes"])
        only = json.loads(run("mv", "search", "--attr", "mail=alan@example.com", "--json",
                              manifest=self.m, check=0).stdout)
        self.assertEqual([o["attributes"]["employeeId"] for o in only], [["E2"]])
        self.assertEqual(len(json.loads(run("mv", "search", "--limit", "2", "--json", manifest=self.m,
                                            check=0).stdout)), 2)
        self.assertEqual(run("mv", "show", "--id", "999", manifest=self.m).returncode, 1)

        # A department change in HR and a new mail address on a badge flow on the next delta.
        self.write_hr([("E1", "Ada", "Lovelace", "Ada Lovelace", "Engineering"),
                       ("E2", "Alan", "Turing", "Alan Turing", "Computing"),
                       ("E3", "Grace", "Hopper", "Grace Hopper", "Navy")])
        self.write_badges([("B1", "E1", "ada.king@example.com", "Badge Ada"),
                           ("B2", "E2", "alan@example.com", "Badge Alan")])
        hr = self.profile("HR", "Delta")
        self.assertEqual([s["status"] for s in hr["steps"]], ["success", "success"])
        self.assertEqual(hr["steps"][1]["counters"]["flow_updates"], 1)
        self.profile("Badges", "Delta")
        people = self.people()
        self.assertEqual(people["E2"]["attributes"]["department"], ["Computing"])
        self.assertEqual(people["E1"]["attributes"]["mail"], ["ada.king@example.com"])
        self.assertEqual(people["E1"]["attributes"]["displayName"], ["Ada Lovelace"])
        self.assertEqual(len(people), 3)

        runs = json.loads(run("history", "--last", "50", "--json", manifest=self.m, check=0).stdout)
        syncs = [(r["connector"], r["step"], r["counters"]["projections"], r["counters"]["joins"])
                 for r in reversed(runs) if r["step"].endswith("_sync")]
        self.assertEqual(syncs, [("HR", "full_sync", 3, 0), ("Badges", "full_sync", 0, 2),
                                 ("HR", "delta_sync", 0, 0), ("Badges", "delta_sync", 0, 0)])
        self.assertTrue(all(r["status"] == "success" for r in runs))

        # Mail for a person HR does not know stays out of the metaverse: nothing to join.
        self.write_badges([("B1", "E1", "ada.king@example.com", "Badge Ada"),
                           ("B2", "E2", "alan@example.com", "Badge Alan"),
                           ("B9", "E9", "nobody@example.com", "Nobody")])
        self.profile("Badges", "Delta")
        self.assertEqual(len(self.people()), 3)

    def test_a_rule_calling_an_unknown_function_fails_the_manifest_check(self):
        rule = dict(self.HR_RULE, transformations=[
            {"flow": "expression", "target": "cn", "expression": "Frobnicate([givenName])"}])
        self.write_rule("10-hr.json", rule)
        p = run("manifest", "check", manifest=self.m, check=2)
        self.assertIn("10-hr.json", p.stderr)
        self.assertIn("transformations[0].expression", p.stderr)
        self.assertIn("column 1", p.stderr)
        self.assertIn("Frobnicate", p.stderr)
        j = json.loads(run("manifest", "check", "--json", manifest=self.m, check=2).stdout)
        self.assertFalse(j["ok"])
        self.assertEqual(j["rules_problems"][0]["path"], "transformations[0].expression")
        # A sync step refuses to run with broken rules, naming them.
        write_csv(self.path("hr.csv"), [], header=HR_HEADER)
        run("run-profile", "--connector", "HR", "--profile", "Full Import", manifest=self.m, check=0)
        p = run("run-profile", "--connector", "HR", "--profile", "Full Sync", manifest=self.m, check=1)
        self.assertIn("stopped-configuration", p.stdout)
        self.assertIn("Frobnicate", p.stdout)


class Demo(unittest.TestCase):
    def test_the_readme_demo_runs(self):
        script = os.path.join(SOURCE, "examples", "demo", "run-demo.sh")
        p = subprocess.run([script, BUILD], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("Demo finished", p.stdout)
        self.assertIn("success", p.stdout)
        self.assertIn("1016", p.stdout)
        # The metaverse part: Badges joined and won mail, HR won displayName.
        self.assertIn('mail: ada@contoso.example\n    from Badges by "In from Badges - mail" (precedence 50', p.stdout)
        self.assertIn('displayName: Ada Lovelace\n    from HR by "In from HR - person" (precedence 100', p.stdout)
        # Initial cycle: HR projects everyone, Badges joins, the directory gets every person.
        self.assertIn("HR / Initial sync cycle / full_sync: success - 15 projections, 0 joins", p.stdout)
        self.assertIn("Badges / Initial sync cycle / full_sync: success - 0 projections, 4 joins", p.stdout)
        self.assertIn("Directory / Initial sync cycle / export: success - 15 adds, 0 updates, 0 deletes",
                      p.stdout)
        # Delta cycle: one new hire, one changed title, one leaver reach the directory.
        self.assertIn("Directory / Delta sync cycle / export: success - 1 adds, 1 updates, 1 deletes",
                      p.stdout)
        self.assertIn("title: Distinguished Scientist", p.stdout)
        # The trace before the Delta cycle explains Edsger's new title and the update it causes.
        self.assertIn("title: Distinguished Scientist   [was: Scientist]\n"
                      '    from HR by "In from HR - person" (precedence 100)', p.stdout)
        self.assertIn("      replace title: Distinguished Scientist", p.stdout)
        self.assertIn("$ grep -c 'uid=1011,' state/directory.ldif\n0\n", p.stdout)
        self.assertIn("dn: uid=1016,ou=people,dc=contoso,dc=example", p.stdout)


if __name__ == "__main__":
    unittest.main()
