"""End-to-end tests of whole sync cycles through the CLI: two CSV sources joined in the
metaverse, provisioning into an LDIF directory, and the safeguards around exports.

Run through CTest, or by hand:
  IDSYNC_BIN=build/bin/idsync python3 -m unittest test_sync_cycle
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from test_cli import IDSYNC, run

HR_HEADER = ("employeeId", "givenName", "sn", "displayName", "mail", "department", "title", "location")


def hr_row(i, **over):
    row = {"employeeId": f"{i:05d}", "givenName": f"Given{i}", "sn": f"Sur{i}",
           "displayName": f"Person {i}", "mail": f"p{i}@hr.example", "department": "Sales",
           "title": f"Title {i}", "location": "Oslo"}
    row.update(over)
    return row


RULES = [
    {"name": "In from HR", "direction": "inbound", "connector": "HR", "cs_object_type": "person",
     "mv_object_type": "person", "link_type": "Provision", "precedence": 100,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId", "case_sensitive": True}]],
     "transformations": [
         {"flow": "direct", "target": "employeeId", "source": "employeeId"},
         {"flow": "direct", "target": "displayName", "source": "displayName"},
         {"flow": "direct", "target": "department", "source": "department"},
         {"flow": "direct", "target": "mail", "source": "mail"},
         # AuthoritativeNull: a secret department's titles are removed, whatever Badges says.
         # NULL (an empty title in HR): Badges' title may fill in.
         {"flow": "expression", "target": "title",
          "expression": "IIF([department] = \"Secret\", AuthoritativeNull, IIF(IsNullOrEmpty([title]), NULL, [title]))"},
         # IgnoreThisFlow: "unknown" keeps the location the metaverse already has.
         {"flow": "expression", "target": "location",
          "expression": "IIF([location] = \"unknown\", IgnoreThisFlow, [location])"}]},
    {"name": "In from Badges - mail", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Join", "precedence": 50,
     "scoping": [[{"attribute": "mail", "operator": "ISNOTNULL"}]],
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId", "case_sensitive": True}]],
     "transformations": [{"flow": "direct", "target": "mail", "source": "mail"}]},
    {"name": "In from Badges", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Join", "precedence": 200,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId", "case_sensitive": True}]],
     "transformations": [{"flow": "direct", "target": "title", "source": "title"},
                         {"flow": "direct", "target": "displayName", "source": "displayName"}]},
    {"name": "In from Directory", "direction": "inbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Join",
     "precedence": 300,
     "join": [[{"cs_attribute": "uid", "mv_attribute": "employeeId", "case_sensitive": True}]],
     "transformations": []},
    {"name": "Out to Directory", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "scoping": [[{"attribute": "employeeId", "operator": "ISNOTNULL"},
                  {"attribute": "department", "operator": "NOTEQUAL", "value": "Contractors"}]],
     "transformations": [
         {"flow": "expression", "target": "dn",
          "expression": "\"uid=\" & [employeeId] & \",ou=people,dc=example\"", "apply_once": True},
         {"flow": "constant", "target": "objectClass", "value": ["top", "inetOrgPerson"]},
         {"flow": "direct", "target": "uid", "source": "employeeId"},
         {"flow": "direct", "target": "cn", "source": "displayName"},
         {"flow": "direct", "target": "mail", "source": "mail"},
         {"flow": "direct", "target": "title", "source": "title"},
         {"flow": "direct", "target": "l", "source": "location"},
         {"flow": "direct", "target": "ou", "source": "department"}]},
]


def parse_ldif(path):
    """{uid: {attribute: [values]}} of an LDIF file (plain values only, as the file connector
    writes them for text; continuation lines joined)."""
    entries, cur = {}, None
    with open(path, encoding="utf-8") as f:
        lines = []
        for raw in f.read().split("\n"):
            if raw.startswith(" ") and lines:
                lines[-1] += raw[1:]
            else:
                lines.append(raw)
    for line in lines + [""]:
        if not line.strip():
            if cur is not None:
                entries[cur["uid"][0]] = cur
            cur = None
            continue
        if line.startswith("#") or ":" not in line:
            continue
        name, value = line.split(":", 1)
        if value.startswith(":"):
            import base64
            value = base64.b64decode(value[1:].strip()).decode("utf-8")
        else:
            value = value.strip()
        if name == "version":
            continue
        cur = cur or {}
        cur.setdefault(name, []).append(value)
    return entries


class Cycle(unittest.TestCase):
    """A workspace with HR and Badges (CSV) and Directory (LDIF), and the rules above."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="idsync-cycle-")
        os.chmod(self.dir, 0o755)
        os.mkdir(self.path("rules"))
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump({"rules": RULES}, f, indent=1)
        open(self.path("directory.ldif"), "w").close()
        self.hr = [hr_row(i) for i in range(1, 11)]
        self.badges = [{"badgeId": "B1", "employeeId": "00001", "mail": "one@badges.example",
                        "title": "Badge title 1", "displayName": "Badge One"},
                       {"badgeId": "B2", "employeeId": "00002", "mail": "", "title": "Badge title 2",
                        "displayName": "Badge Two"}]
        self.write_sources()
        self.manifest = self.path("idsync.json")
        connector = lambda name, cfg: {"name": name, "type": "file", "config": cfg,
                                       "run_profiles": {
                                           "Delta Import": [{"type": "delta_import"}],
                                           "Delta Sync": [{"type": "delta_sync"}],
                                           "Export": [{"type": "export"}]}}
        with open(self.manifest, "w") as f:
            json.dump({"store": {"path": "state/store"}, "rules": {"path": "rules"},
                       "scheduler": {"connector_order": ["HR", "Badges", "Directory"]},
                       "connectors": [
                           connector("Directory", {"path": "directory.ldif", "format": "ldif",
                                                   "anchor_attribute": "uid",
                                                   "object_type": "inetOrgPerson",
                                                   "export_file": "directory.ldif",
                                                   "delta_mode": "snapshot"}),
                           connector("HR", {"path": "hr.csv", "format": "csv",
                                            "anchor_column": "employeeId", "object_type": "person",
                                            "delta_mode": "snapshot"}),
                           connector("Badges", {"path": "badges.csv", "format": "csv",
                                                "anchor_column": "badgeId", "object_type": "person",
                                                "delta_mode": "snapshot"})]}, f, indent=1)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def write_sources(self):
        for name, rows, header in (("hr.csv", self.hr, HR_HEADER),
                                   ("badges.csv", self.badges,
                                    ("badgeId", "employeeId", "mail", "title", "displayName"))):
            with open(self.path(name), "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
                w.writeheader()
                w.writerows(rows)

    def cycle(self, policy="Delta", check=0, *extra):
        p = run("sync-cycle", "start", "--policy-type", policy, "--json", *extra,
                manifest=self.manifest, check=check)
        return json.loads(p.stdout)

    def step(self, report, connector, step):
        found = [s for s in report["steps"] if s["connector"] == connector and s["step"] == step]
        self.assertEqual(len(found), 1, report)
        return found[0]

    def directory(self):
        return parse_ldif(self.path("directory.ldif"))

    def uninterrupted_directory(self, policy="Initial"):
        """The directory an uninterrupted cycle makes of the sources as they are now, in a copy
        of the workspace: what a stopped or killed cycle must come to after its rerun."""
        twin = tempfile.mkdtemp(prefix="idsync-cycle-twin-")
        try:
            for name in ("rules", "hr.csv", "badges.csv", "directory.ldif", "idsync.json"):
                src = self.path(name)
                (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(twin, name))
            run("sync-cycle", "start", "--policy-type", policy,
                manifest=os.path.join(twin, "idsync.json"), check=0, timeout=600)
            return parse_ldif(os.path.join(twin, "directory.ldif"))
        finally:
            shutil.rmtree(twin, ignore_errors=True)

    def pending(self, connector="Directory"):
        p = run("pending-exports", "--connector", connector, "--json", manifest=self.manifest, check=0)
        return json.loads(p.stdout)


class Provisioning(Cycle):
    def test_initial_then_delta_cycle_provisions_updates_and_deprovisions(self):
        report = self.cycle("Initial")
        self.assertTrue(report["ok"], report)
        # The cycle runs imports, then syncs, then exports, in connector_order.
        self.assertEqual([(s["connector"], s["step"]) for s in report["steps"]],
                         [("HR", "full_import"), ("Badges", "full_import"), ("Directory", "full_import"),
                          ("HR", "full_sync"), ("Badges", "full_sync"), ("Directory", "full_sync"),
                          ("HR", "export"), ("Badges", "export"), ("Directory", "export")])
        self.assertEqual(self.step(report, "HR", "full_sync")["counters"]["projections"], 10)
        self.assertEqual(self.step(report, "HR", "full_sync")["counters"]["export_adds"], 10)
        self.assertEqual(self.step(report, "Badges", "full_sync")["counters"]["joins"], 2)
        self.assertEqual(self.step(report, "Directory", "export")["counters"]["adds"], 10)
        d = self.directory()
        self.assertEqual(sorted(d), [f"{i:05d}" for i in range(1, 11)])
        one = d["00001"]
        self.assertEqual(one["dn"], ["uid=00001,ou=people,dc=example"])
        self.assertEqual(one["mail"], ["one@badges.example"])  # Badges wins mail (precedence 50)
        self.assertEqual(one["cn"], ["Person 1"])               # HR wins displayName (100 < 200)
        self.assertEqual(one["title"], ["Title 1"])
        self.assertEqual(sorted(one["objectClass"]), ["inetOrgPerson", "top"])
        self.assertEqual(d["00002"]["mail"], ["p2@hr.example"])  # Badges has no mail for 2
        self.assertEqual(self.pending(), [])

        # A title change, a leaver, a joiner, a move to Contractors (leaves the outbound scope).
        self.hr[2]["title"] = "Promoted"
        del self.hr[3]                       # 00004 leaves
        self.hr.append(hr_row(11))           # 00011 joins
        self.hr[4]["department"] = "Contractors"   # 00006
        self.write_sources()
        report = self.cycle("Delta")
        self.assertTrue(report["ok"], report)
        self.assertEqual([s["step"] for s in report["steps"]][:3], ["delta_import"] * 3)
        hr_import = self.step(report, "HR", "delta_import")["counters"]
        self.assertEqual((hr_import["adds"], hr_import["updates"], hr_import["deletes"]), (1, 2, 1))
        sync = self.step(report, "HR", "delta_sync")["counters"]
        self.assertEqual(sync["objects"], 4)  # only the changed objects are synced
        export = self.step(report, "Directory", "export")["counters"]
        self.assertEqual((export["adds"], export["updates"], export["deletes"]), (1, 1, 2))
        d = self.directory()
        self.assertEqual(d["00003"]["title"], ["Promoted"])
        self.assertNotIn("00004", d)
        self.assertNotIn("00006", d)
        self.assertEqual(d["00011"]["cn"], ["Person 11"])
        self.assertEqual(self.pending(), [])

        # The next Delta cycle finds nothing to do.
        report = self.cycle("Delta")
        export = self.step(report, "Directory", "export")["counters"]
        self.assertEqual((export["adds"], export["updates"], export["deletes"]), (0, 0, 0))
        self.assertEqual(self.step(report, "HR", "delta_sync")["counters"]["objects"], 0)

        # Every step is in the run history with its counters.
        history = json.loads(run("history", "--json", "--last", "100", manifest=self.manifest,
                                 check=0).stdout)
        self.assertEqual(len(history), 27)
        self.assertTrue(all(h["profile"] in ("Initial sync cycle", "Delta sync cycle") for h in history))

    def test_null_authoritative_null_and_ignore_this_flow(self):
        self.hr[1]["title"] = ""        # 00002: HR gives NULL, Badges' title fills in
        self.hr[0]["department"] = "Secret"  # 00001: AuthoritativeNull beats Badges' title
        self.write_sources()
        self.cycle("Initial")
        d = self.directory()
        self.assertEqual(d["00002"]["title"], ["Badge title 2"])
        self.assertNotIn("title", d["00001"])
        self.assertEqual(d["00005"]["l"], ["Oslo"])
        # "unknown" is IgnoreThisFlow: the metaverse keeps Oslo, so nothing is exported.
        self.hr[4]["location"] = "unknown"
        self.hr[5]["location"] = "Bergen"
        self.write_sources()
        report = self.cycle("Delta")
        self.assertEqual(self.step(report, "Directory", "export")["counters"]["updates"], 1)
        d = self.directory()
        self.assertEqual(d["00005"]["l"], ["Oslo"])
        self.assertEqual(d["00006"]["l"], ["Bergen"])
        mv = json.loads(run("mv", "search", "--attr", "employeeId=00005", "--json",
                            manifest=self.manifest, check=0).stdout)
        self.assertEqual(mv[0]["attributes"]["location"], ["Oslo"])

    def test_an_entry_already_in_the_directory_is_joined_not_provisioned_twice(self):
        with open(self.path("directory.ldif"), "w") as f:
            f.write("dn: uid=00003,ou=people,dc=example\nobjectClass: top\nobjectClass: inetOrgPerson\n"
                    "uid: 00003\ncn: Old Name\n\n")
        report = self.cycle("Initial")
        self.assertTrue(report["ok"], report)
        self.assertEqual(self.step(report, "Directory", "full_sync")["counters"]["joins"], 1)
        export = self.step(report, "Directory", "export")["counters"]
        self.assertEqual((export["adds"], export["updates"]), (9, 1))
        self.assertEqual(self.directory()["00003"]["cn"], ["Person 3"])


class Deprovisioning(Cycle):
    def set_hr_deprovisioning(self, choice):
        with open(self.manifest) as f:
            m = json.load(f)
        for c in m["connectors"]:
            if c["name"] == "HR":
                c["deprovisioning"] = choice
        with open(self.manifest, "w") as f:
            json.dump(m, f)

    def mv(self, employee_id):
        return json.loads(run("mv", "search", "--attr", f"employeeId={employee_id}", "--json",
                              manifest=self.manifest, check=0).stdout)

    def badge_links(self):
        return json.loads(run("mv", "search", "--attr", "mail=one@badges.example", "--json",
                              manifest=self.manifest, check=0).stdout)

    def test_the_last_authoritative_source_going_deletes_the_mv_object_by_default(self):
        self.cycle("Initial")
        self.assertEqual(len(self.mv("00001")), 1)
        del self.hr[0]  # 00001 leaves HR; Badges (Join only) still has B1
        self.write_sources()
        report = self.cycle("Delta")
        # HR's link goes, and with the MV object deleted Badges' B1 loses its link too.
        self.assertEqual(self.step(report, "HR", "delta_sync")["counters"]["disconnectors"], 2)
        self.assertEqual(self.mv("00001"), [])
        self.assertEqual(self.badge_links(), [])  # nothing is left of the person
        self.assertNotIn("00001", self.directory())
        # The badge is a disconnector now: a trace says why it joins nothing.
        t = json.loads(run("object", "trace", "--connector", "Badges", "--anchor", "B1", "--json",
                           manifest=self.manifest, check=0).stdout)
        self.assertEqual(t["join"]["outcome"], "not-joined")

    def test_make_disconnector_keeps_the_mv_object_with_the_other_sources_values(self):
        self.set_hr_deprovisioning("make_disconnector")
        self.cycle("Initial")
        del self.hr[0]
        self.write_sources()
        self.cycle("Delta")
        left = self.badge_links()
        self.assertEqual(len(left), 1)
        # HR's values gave way to Badges': its title and displayName now win; HR's own are gone.
        self.assertEqual(left[0]["attributes"]["title"], ["Badge title 1"])
        self.assertEqual(left[0]["attributes"]["displayName"], ["Badge One"])
        self.assertNotIn("employeeId", left[0]["attributes"])
        # Without an employeeId the person is out of the Directory's scope: deprovisioned there.
        self.assertNotIn("00001", self.directory())

    def set_outbound_deprovisioning(self, deprovisioning):
        rules = json.loads(json.dumps(RULES))
        out = [r for r in rules if r["name"] == "Out to Directory"][0]
        out["deprovisioning"] = deprovisioning
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump({"rules": rules}, f)

    def test_a_rule_can_disable_instead_of_delete(self):
        self.set_outbound_deprovisioning({"action": "update", "transformations": [
            {"flow": "constant", "target": "description", "value": "disabled"},
            {"flow": "expression", "target": "title", "expression": "\"Left: \" & [title]"}]})
        self.cycle("Initial")
        self.hr[5]["department"] = "Contractors"  # 00006 leaves the outbound scope
        del self.hr[3]                           # 00004 leaves: the MV object is deleted
        self.write_sources()
        report = self.cycle("Delta")
        export = self.step(report, "Directory", "export")["counters"]
        self.assertEqual((export["updates"], export["deletes"]), (2, 0))
        d = self.directory()
        self.assertEqual(d["00004"]["description"], ["disabled"])
        self.assertEqual(d["00004"]["title"], ["Left: Title 4"])  # the tombstone's values
        self.assertEqual(d["00006"]["description"], ["disabled"])
        # Disconnected: later changes in HR no longer reach the entry.
        self.hr[4]["title"] = "Back again"  # 00006 (00004 is gone from the list)
        self.write_sources()
        self.cycle("Delta")
        self.assertEqual(self.directory()["00006"]["title"], ["Left: Title 6"])
        self.assertEqual(self.pending(), [])

    def test_a_rule_can_leave_the_object_in_the_target(self):
        self.set_outbound_deprovisioning({"action": "disconnect"})
        self.cycle("Initial")
        before = self.directory()["00004"]
        del self.hr[3]
        self.write_sources()
        report = self.cycle("Delta")
        export = self.step(report, "Directory", "export")["counters"]
        self.assertEqual((export["updates"], export["deletes"]), (0, 0))
        self.assertEqual(self.directory()["00004"], before)

    def test_an_unknown_choice_names_the_manifest_path(self):
        self.set_hr_deprovisioning("delete")
        p = run("manifest", "check", manifest=self.manifest, check=2)
        self.assertIn("connectors[1].deprovisioning", p.stderr)
        self.assertIn("make_disconnector", p.stderr)


class Trace(Cycle):
    def trace(self, connector, anchor, check=0):
        p = run("object", "trace", "--connector", connector, "--anchor", anchor, "--json",
                manifest=self.manifest, check=check)
        return json.loads(p.stdout) if check == 0 else p

    def test_a_trace_explains_a_value_and_the_export_it_causes_and_commits_nothing(self):
        self.cycle("Initial")
        self.hr[2]["title"] = "Promoted"  # 00003
        self.write_sources()
        run("run-profile", "--connector", "HR", "--profile", "Delta Import", manifest=self.manifest,
            check=0)
        t = self.trace("HR", "00003")
        self.assertEqual(t["object"]["pending_change"], "update")
        self.assertEqual([(r["rule"], r["in_scope"]) for r in t["inbound_rules"]], [("In from HR", True)])
        self.assertEqual(t["join"]["outcome"], "stays-joined")
        attrs = {a["name"]: a for a in t["metaverse"]["attributes"]}
        self.assertEqual(attrs["title"]["before"], ["Title 3"])
        self.assertEqual(attrs["title"]["after"], ["Promoted"])
        self.assertTrue(attrs["title"]["changed"])
        self.assertEqual(attrs["title"]["from"], {"connector": "HR", "rule": "In from HR", "precedence": 100})
        self.assertFalse(attrs["displayName"]["changed"])
        self.assertEqual([(r["rule"], r["in_scope"]) for r in t["outbound_rules"]],
                         [("Out to Directory", True)])
        self.assertEqual(len(t["pending_exports"]), 1)
        export = t["pending_exports"][0]
        self.assertEqual((export["connector"], export["anchor"]), ("Directory", "00003"))
        self.assertNotIn("before", export)
        self.assertEqual(export["after"]["kind"], "update")
        self.assertEqual(export["after"]["attributes"],
                         [{"name": "title", "op": "replace", "values": ["Promoted"]}])
        # Nothing was committed: no pending export, the metaverse unchanged, the change still
        # pending for the real sync, and no copy of the store left behind.
        self.assertEqual(self.pending(), [])
        mv = json.loads(run("mv", "search", "--attr", "employeeId=00003", "--json",
                            manifest=self.manifest, check=0).stdout)
        self.assertEqual(mv[0]["attributes"]["title"], ["Title 3"])
        self.assertFalse([n for n in os.listdir(self.path("state")) if ".trace-" in n])
        report = self.cycle("Delta")
        self.assertEqual(self.step(report, "Directory", "export")["counters"]["updates"], 1)
        self.assertEqual(self.directory()["00003"]["title"], ["Promoted"])

    def test_a_trace_shows_projection_precedence_between_sources_and_joins(self):
        self.cycle("Initial")
        self.hr.append(hr_row(11))
        self.badges.append({"badgeId": "B11", "employeeId": "00011", "mail": "eleven@badges.example",
                            "title": "", "displayName": "Badge Eleven"})
        self.write_sources()
        for connector in ("HR", "Badges"):
            run("run-profile", "--connector", connector, "--profile", "Delta Import",
                manifest=self.manifest, check=0)
        t = self.trace("HR", "00011")
        self.assertEqual(t["join"]["outcome"], "projected")
        self.assertIn('Provision rule "In from HR"', t["join"]["explanation"])
        self.assertEqual(t["pending_exports"][0]["connector"], "Directory")
        self.assertEqual(t["pending_exports"][0]["after"]["kind"], "add")
        # The badge cannot join yet (the person is not in the metaverse until the real sync).
        self.assertEqual(self.trace("Badges", "B11")["join"]["outcome"], "not-joined")
        self.cycle("Delta")
        # Person 1: Badges' mail rule (precedence 50) beats HR's (100); HR's displayName (100)
        # beats Badges' (200).
        t = self.trace("Badges", "B1")
        self.assertEqual(t["join"]["outcome"], "stays-joined")
        attrs = {a["name"]: a for a in t["metaverse"]["attributes"]}
        self.assertEqual(attrs["mail"]["after"], ["one@badges.example"])
        self.assertEqual(attrs["mail"]["from"]["rule"], "In from Badges - mail")
        self.assertEqual(attrs["mail"]["from"]["precedence"], 50)
        self.assertEqual(attrs["displayName"]["from"], {"connector": "HR", "rule": "In from HR",
                                                        "precedence": 100})
        self.assertEqual(t["pending_exports"], [])
        # A new badge for person 5 joins by the join group of the best in-scope rule.
        self.badges.append({"badgeId": "B5", "employeeId": "00005", "mail": "five@badges.example",
                            "title": "", "displayName": ""})
        self.write_sources()
        run("run-profile", "--connector", "Badges", "--profile", "Delta Import",
            manifest=self.manifest, check=0)
        t = self.trace("Badges", "B5")
        self.assertEqual(t["join"]["outcome"], "joined")
        self.assertIn('join group 1 of "In from Badges - mail" (employeeId = employeeId)',
                      t["join"]["explanation"])
        export = t["pending_exports"][0]
        self.assertEqual(export["after"]["attributes"],
                         [{"name": "mail", "op": "replace", "values": ["five@badges.example"]}])

    def test_an_unknown_anchor_is_an_error_naming_it(self):
        self.cycle("Initial")
        p = self.trace("HR", "99999", check=1)
        self.assertIn('no object with anchor "99999"', p.stderr)
        text = run("object", "trace", "--connector", "HR", "--anchor", "00001",
                   manifest=self.manifest, check=0).stdout
        self.assertIn("Join: stays-joined", text)
        self.assertIn('title: Title 1\n    from HR by "In from HR" (precedence 100)', text)
        self.assertIn("Nothing was committed", text)


class RulePluginTransform(Cycle):
    """A whole-object transform of the shipped sample rule plugin (contoso-rules'
    DeriveMailNickname: mailNickname from givenName and sn) used as a flow of a sync rule."""

    def use_rules(self, hr_extra_flows, out_extra_flows=()):
        rules = json.loads(json.dumps(RULES))
        hr = [r for r in rules if r["name"] == "In from HR"][0]
        hr["transformations"] += hr_extra_flows
        out = [r for r in rules if r["name"] == "Out to Directory"][0]
        out["transformations"] += list(out_extra_flows)
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump({"rules": rules}, f)

    def test_a_transform_sets_attributes_and_an_explicit_flow_wins(self):
        self.use_rules([{"flow": "transform", "transform": "DeriveMailNickname"}],
                       [{"flow": "direct", "target": "mailNickname", "source": "mailNickname"}])
        self.cycle("Initial")
        mv = json.loads(run("mv", "search", "--attr", "employeeId=00001", "--json",
                            manifest=self.manifest, check=0).stdout)
        self.assertEqual(mv[0]["attributes"]["mailNickname"], ["given1.sur1"])
        show = json.loads(run("mv", "show", "--id", str(mv[0]["id"]), "--json",
                              manifest=self.manifest, check=0).stdout)
        self.assertEqual(show["provenance"]["mailNickname"]["rule"], "In from HR")
        self.assertEqual(self.directory()["00001"]["mailNickname"], ["given1.sur1"])
        # A flow of the same rule into an attribute the transform sets wins over the transform.
        self.use_rules([{"flow": "transform", "transform": "DeriveMailNickname"},
                        {"flow": "constant", "target": "mailNickname", "value": "fixed"}],
                       [{"flow": "direct", "target": "mailNickname", "source": "mailNickname"}])
        self.cycle("Initial")
        self.assertEqual(self.directory()["00001"]["mailNickname"], ["fixed"])

    def test_a_failing_transform_is_an_error_of_that_object(self):
        self.use_rules([{"flow": "transform", "transform": "DeriveMailNickname"}])
        self.hr[1]["givenName"] = "Ann;Anna"  # two values: the transform refuses them
        self.write_sources()
        report = self.cycle("Initial")  # completed, with an error: not stopped
        sync = self.step(report, "HR", "full_sync")
        self.assertEqual(sync["status"], "completed-sync-errors")
        self.assertEqual([(i["anchor"], i["kind"]) for i in sync["object_issues"]],
                         [("00002", "sync-error")])
        self.assertIn("rule plugin: transform 'DeriveMailNickname' of plugin 'contoso-rules'",
                      sync["object_issues"][0]["message"])
        self.assertIn("givenName must be single-valued", sync["object_issues"][0]["message"])
        self.assertEqual(len(self.directory()), 9)  # everyone else went through

    def test_an_unknown_transform_is_named_at_its_path(self):
        self.use_rules([{"flow": "transform", "transform": "DeriveMailNicknam"}])
        p = run("manifest", "check", manifest=self.manifest, check=2)
        self.assertIn("rules[0].transformations[6].transform", p.stderr)
        self.assertIn('no loaded rule plugin provides a transform named "DeriveMailNicknam"', p.stderr)


class ExportSafety(Cycle):
    def test_deletion_threshold_stops_the_export_until_allowed(self):
        self.cycle("Initial")
        run("deletion-threshold", "enable", "--connector", "Directory", "--threshold", "2",
            manifest=self.manifest, check=0)
        self.hr = self.hr[3:]  # three leavers
        self.write_sources()
        report = self.cycle("Delta", 1)
        self.assertFalse(report["ok"])
        export = self.step(report, "Directory", "export")
        self.assertEqual(export["status"], "stopped-deletion-threshold-exceeded")
        self.assertEqual(len(self.directory()), 10)  # nothing was sent
        pending = self.pending()
        self.assertEqual(sorted(p["kind"] for p in pending), ["delete"] * 3)
        report = self.cycle("Delta", 0, "--allow-deletes")
        self.assertEqual(self.step(report, "Directory", "export")["counters"]["deletes"], 3)
        self.assertEqual(sorted(self.directory()), [f"{i:05d}" for i in range(4, 11)])

    def test_staging_mode_exports_nothing_and_keeps_pending_exports_visible(self):
        run("staging-mode", "enable", manifest=self.manifest, check=0)
        report = self.cycle("Initial")
        self.assertTrue(report["ok"], report)
        self.assertEqual(self.directory(), {})
        self.assertEqual(len(self.pending()), 10)
        run("staging-mode", "disable", manifest=self.manifest, check=0)
        self.cycle("Delta")
        self.assertEqual(len(self.directory()), 10)
        self.assertEqual(self.pending(), [])

    def test_a_failed_export_is_kept_with_its_error_and_retried(self):
        self.cycle("Initial")
        self.hr.append(hr_row(11))
        self.write_sources()
        profile = lambda connector, name, code=0: json.loads(run(
            "run-profile", "--connector", connector, "--profile", name, "--json",
            manifest=self.manifest, check=code).stdout)
        profile("HR", "Delta Import")
        profile("HR", "Delta Sync")
        self.assertEqual([p["kind"] for p in self.pending()], ["add"])
        # Before the export, someone creates an entry with the same uid in the directory: the
        # file refuses the add, and the pending export stays with its error.
        squatter = "dn: uid=00011,ou=people,dc=example\nobjectClass: top\nuid: 00011\ncn: Squatter\n\n"
        with open(self.path("directory.ldif"), "a") as f:
            f.write(squatter)
        report = profile("Directory", "Export", 1)
        self.assertEqual(report["steps"][0]["status"], "completed-export-errors", report)
        pending = self.pending()
        self.assertEqual(len(pending), 1)
        self.assertEqual(pending[0]["attempts"], 1)
        self.assertIn("already exists", pending[0]["last_error"]["message"])
        # The squatter goes; the next export retries the add and succeeds.
        text = open(self.path("directory.ldif")).read().replace(squatter, "")
        with open(self.path("directory.ldif"), "w") as f:
            f.write(text)
        report = profile("Directory", "Export")
        self.assertEqual(report["steps"][0]["counters"]["adds"], 1)
        self.assertEqual(self.pending(), [])
        self.assertEqual(self.directory()["00011"]["cn"], ["Person 11"])


class ImportSafety(Cycle):
    def test_an_export_the_target_did_not_keep_is_reported(self):
        self.cycle("Initial")
        self.hr[2]["title"] = "Promoted"  # 00003
        self.write_sources()
        self.cycle("Delta")
        self.assertEqual(self.directory()["00003"]["title"], ["Promoted"])
        # Somebody (or a policy in the target) puts the old title back before the confirming
        # import: the export did not stick, and the import says so for that object. (A
        # snapshot Delta import cannot tell: the file is as it was at the last import. A full
        # import sees every object and checks each against what was exported.)
        text = open(self.path("directory.ldif")).read().replace("title: Promoted", "title: Title 3")
        with open(self.path("directory.ldif"), "w") as f:
            f.write(text)
        report = self.cycle("Initial")
        confirm = self.step(report, "Directory", "full_import")
        self.assertEqual(confirm["status"], "completed-warnings", confirm)
        self.assertEqual(confirm["counters"]["not_reimported"], 1)
        self.assertEqual([(i["anchor"], i["kind"]) for i in confirm["object_issues"]],
                         [("00003", "exported-change-not-reimported")])
        self.assertIn("title", confirm["object_issues"][0]["message"])
        history = json.loads(run("history", "--connector", "Directory", "--last", "3", "--json",
                                 manifest=self.manifest, check=0).stdout)
        recorded = [h for h in history if h["step"] == "full_import"][0]
        self.assertEqual(recorded["object_issues"][0]["kind"], "exported-change-not-reimported")

    def test_a_source_that_answers_empty_stops_before_anything_is_deleted(self):
        self.cycle("Initial")
        self.hr = []  # an HR export that came out empty
        self.write_sources()
        report = self.cycle("Initial", 1)
        hr_import = self.step(report, "HR", "full_import")
        self.assertEqual(hr_import["status"], "stopped-source-health", hr_import)
        self.assertIn("would delete 10 of the 10 objects", hr_import["message"])
        self.assertIn("--allow-deletes", hr_import["message"])
        self.assertEqual(hr_import["counters"]["deletes"], 0)
        # Nothing downstream moved: the metaverse and the directory keep everyone.
        mv = json.loads(run("mv", "search", "--json", manifest=self.manifest, check=0).stdout)
        self.assertEqual(len(mv), 10)
        self.assertEqual(len(self.directory()), 10)
        # The admin checked: the leavers are real. One run lets the deletes through.
        report = self.cycle("Initial", 0, "--allow-deletes")
        self.assertEqual(self.step(report, "HR", "full_import")["counters"]["deletes"], 10)
        self.assertEqual(self.directory(), {})


class CrashAndRerun(Cycle):
    def test_a_killed_initial_cycle_reruns_to_the_uninterrupted_result(self):
        self.hr = [hr_row(i) for i in range(1, 20001)]
        self.write_sources()
        expected = self.uninterrupted_directory()
        self.assertEqual(len(expected), 20000)

        for delay in (1.5, 3.0):
            proc = subprocess.Popen([IDSYNC, "--manifest", self.manifest, "sync-cycle", "start",
                                     "--policy-type", "Initial"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        self.cycle("Initial", 0)
        self.assertEqual(self.directory(), expected)
        self.assertEqual(self.pending(), [])


class WatermarkRejected(Cycle):
    def test_a_rejected_watermark_makes_the_next_cycle_import_in_full(self):
        self.cycle("Initial")
        # The snapshot that HR's watermark names is gone: the source cannot answer a delta.
        shutil.rmtree(self.path("state", "connectors", "HR"))
        report = self.cycle("Delta", 1)
        hr = self.step(report, "HR", "delta_import")
        self.assertEqual(hr["status"], "stopped-precondition", hr)
        overrides = json.loads(run("connector", "override", "show", "--connector", "HR", "--json",
                                   manifest=self.manifest, check=0).stdout)
        self.assertTrue(overrides[0]["FullImportRequired"])
        self.assertIn("the source rejected the watermark", overrides[0]["FullImportReason"])

        # The next Delta cycle imports HR in full, says why in the history, and clears it.
        self.hr[0]["title"] = "Changed title"
        self.write_sources()
        report = self.cycle("Delta", 0)
        self.assertEqual(self.step(report, "HR", "full_import")["status"], "success")
        history = json.loads(run("history", "--connector", "HR", "--json", manifest=self.manifest,
                                 check=0).stdout)
        full = [r for r in history if r["step"] == "full_import" and
                r["profile"] == "Delta sync cycle"]
        self.assertEqual(len(full), 1)
        self.assertIn("FullImportRequired: the source rejected the watermark", full[0]["reason"])
        overrides = json.loads(run("connector", "override", "show", "--connector", "HR", "--json",
                                   manifest=self.manifest, check=0).stdout)
        self.assertFalse(overrides[0]["FullImportRequired"])
        self.assertEqual(self.directory()["00001"]["title"], ["Changed title"])
        # And the cycle after that is a delta again.
        report = self.cycle("Delta", 0)
        self.assertEqual(self.step(report, "HR", "delta_import")["status"], "success")


if __name__ == "__main__":
    unittest.main()
