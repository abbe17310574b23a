"""End-to-end tests of reference attributes (member, manager) through the CLI: references
resolve through the metaverse into the DNs of the target's own objects, whatever order objects
arrive in, and membership changes flow as value deltas.

Run through CTest, or by hand:
  IDSYNC_BIN=build/bin/idsync python3 -m unittest test_references
"""
import csv
import json
import os
import shutil
import tempfile
import unittest

from test_cli import run
from test_sync_cycle import parse_ldif

HEADER = ("employeeId", "objectType", "displayName", "manager", "member")
PEOPLE_DN = "uid={},ou=people,dc=example"
GROUPS_DN = "uid={},ou=groups,dc=example"

RULES = [
    {"name": "In from HR - person", "direction": "inbound", "connector": "HR",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "transformations": [
         {"flow": "direct", "target": "employeeId", "source": "employeeId"},
         {"flow": "direct", "target": "displayName", "source": "displayName"},
         {"flow": "direct", "target": "manager", "source": "manager"}]},
    {"name": "In from HR - group", "direction": "inbound", "connector": "HR",
     "cs_object_type": "group", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 110,
     "transformations": [
         {"flow": "direct", "target": "groupId", "source": "employeeId"},
         {"flow": "direct", "target": "displayName", "source": "displayName"},
         {"flow": "direct", "target": "member", "source": "member"}]},
    {"name": "Out to Directory - person", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "transformations": [
         {"flow": "expression", "target": "dn",
          "expression": "\"uid=\" & [employeeId] & \",ou=people,dc=example\""},
         {"flow": "constant", "target": "objectClass", "value": ["top", "inetOrgPerson"]},
         {"flow": "direct", "target": "uid", "source": "employeeId"},
         {"flow": "direct", "target": "cn", "source": "displayName"},
         {"flow": "direct", "target": "manager", "source": "manager"}]},
    {"name": "Out to Directory - group", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "groupOfNames", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 110,
     "transformations": [
         {"flow": "expression", "target": "dn",
          "expression": "\"uid=\" & [groupId] & \",ou=groups,dc=example\""},
         {"flow": "constant", "target": "objectClass", "value": ["top", "groupOfNames"]},
         {"flow": "direct", "target": "uid", "source": "groupId"},
         {"flow": "direct", "target": "cn", "source": "displayName"},
         {"flow": "direct", "target": "member", "source": "member"}]},
]


def person(i, manager=""):
    return {"employeeId": f"{i:05d}", "objectType": "person", "displayName": f"Person {i}",
            "manager": manager, "member": ""}


def group(anchor, members):
    return {"employeeId": anchor, "objectType": "group", "displayName": f"Group {anchor}",
            "manager": "", "member": ";".join(members)}


class References(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="idsync-refs-")
        os.mkdir(self.path("rules"))
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump({"rules": RULES}, f, indent=1)
        open(self.path("directory.ldif"), "w").close()
        # "0-staff" sorts before every person: the group is synced before its members exist
        # in the metaverse, and gets its MV id (so its outbound turn) before them too.
        self.rows = [group("0-staff", ["00001", "00002"])] + \
                    [person(1), person(2, manager="00001"), person(3, manager="00099")]
        self.write_hr()
        self.manifest = self.path("idsync.json")
        profiles = {"Full Import": [{"type": "full_import"}], "Full Sync": [{"type": "full_sync"}],
                    "Delta Import": [{"type": "delta_import"}], "Delta Sync": [{"type": "delta_sync"}],
                    "Export": [{"type": "export"}]}
        with open(self.manifest, "w") as f:
            json.dump({"store": {"path": "state/store"}, "rules": {"path": "rules"},
                       "scheduler": {"connector_order": ["HR", "Directory"]},
                       "connectors": [
                           {"name": "HR", "type": "file", "run_profiles": profiles,
                            "config": {"path": "hr.csv", "format": "csv", "anchor_column": "employeeId",
                                       "object_type_column": "objectType",
                                       "reference_attributes": ["manager", "member"],
                                       "delta_mode": "snapshot"}},
                           {"name": "Directory", "type": "file", "run_profiles": profiles,
                            "config": {"path": "directory.ldif", "format": "ldif",
                                       "anchor_attribute": "uid", "object_type_column": "objectClass",
                                       "reference_attributes": ["manager", "member"],
                                       "export_file": "directory.ldif", "delta_mode": "snapshot"}}]},
                      f, indent=1)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def write_hr(self):
        with open(self.path("hr.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
            w.writeheader()
            w.writerows(self.rows)

    def cycle(self, policy="Delta"):
        p = run("sync-cycle", "start", "--policy-type", policy, "--json", manifest=self.manifest, check=0)
        report = json.loads(p.stdout)
        self.assertTrue(report["ok"], report)
        return report

    def profile(self, connector, name):
        run("run-profile", "--connector", connector, "--profile", name, manifest=self.manifest, check=0)

    def directory(self):
        return parse_ldif(self.path("directory.ldif"))

    def pending(self):
        return json.loads(run("pending-exports", "--connector", "Directory", "--json",
                              manifest=self.manifest, check=0).stdout)

    def test_references_resolve_into_the_targets_dns_whatever_the_order(self):
        # One Full Sync of HR does it all: the group, synced first, gets its members once they
        # are projected, and its provisioned add gets their DNs once they are provisioned.
        self.profile("HR", "Full Import")
        self.profile("HR", "Full Sync")
        adds = self.pending()
        self.assertEqual(len(adds), 4)
        group_add = [p for p in adds if p["dn"] == GROUPS_DN.format("0-staff")][0]
        self.assertEqual(group_add["kind"], "add")
        self.assertIn({"name": "member", "op": "replace",
                       "values": [PEOPLE_DN.format("00001"), PEOPLE_DN.format("00002")]},
                      group_add["attributes"])
        self.cycle("Initial")
        d = self.directory()
        self.assertEqual(d["0-staff"]["dn"], [GROUPS_DN.format("0-staff")])
        self.assertEqual(sorted(d["0-staff"]["member"]),
                         [PEOPLE_DN.format("00001"), PEOPLE_DN.format("00002")])
        self.assertEqual(d["00002"]["manager"], [PEOPLE_DN.format("00001")])
        # 00099 is nobody (yet): the reference is left out rather than invented.
        self.assertNotIn("manager", d["00003"])
        # In the metaverse a reference is an MV id.
        mv = json.loads(run("mv", "search", "--attr", "groupId=0-staff", "--json",
                            manifest=self.manifest, check=0).stdout)
        self.assertEqual(len(mv[0]["attributes"]["member"]), 2)
        self.assertTrue(all("mv_id" in v for v in mv[0]["attributes"]["member"]))

        # The manager arrives later: the waiting reference resolves in that Delta cycle.
        self.rows.append(person(99))
        self.write_hr()
        self.cycle()
        self.assertEqual(self.directory()["00003"]["manager"], [PEOPLE_DN.format("00099")])

    def test_one_member_more_or_less_is_one_value_exported(self):
        self.cycle("Initial")
        self.rows[0]["member"] = "00001;00002;00003"
        self.write_hr()
        self.profile("HR", "Delta Import")
        self.profile("HR", "Delta Sync")
        self.assertEqual(self.pending(), [{**self.pending()[0], "attributes": [
            {"name": "member", "op": "add", "values": [PEOPLE_DN.format("00003")]}]}])
        self.profile("Directory", "Export")
        self.assertEqual(sorted(self.directory()["0-staff"]["member"]),
                         [PEOPLE_DN.format(f"{i:05d}") for i in (1, 2, 3)])

        self.rows[0]["member"] = "00002;00003"
        self.write_hr()
        self.profile("HR", "Delta Import")
        self.profile("HR", "Delta Sync")
        self.assertEqual(self.pending()[0]["attributes"],
                         [{"name": "member", "op": "remove", "values": [PEOPLE_DN.format("00001")]}])
        self.profile("Directory", "Export")
        self.assertEqual(sorted(self.directory()["0-staff"]["member"]),
                         [PEOPLE_DN.format("00002"), PEOPLE_DN.format("00003")])
        # The confirming import sees what was exported: nothing is reported as not reimported.
        report = self.cycle()
        directory_import = [s for s in report["steps"]
                            if s["connector"] == "Directory" and s["step"] == "delta_import"][0]
        self.assertEqual(directory_import["counters"]["not_reimported"], 0, directory_import)

    def test_a_renamed_member_keeps_its_membership(self):
        # A reference in the metaverse is an MV id: a new DN in the source changes nothing.
        self.cycle("Initial")
        mv = json.loads(run("mv", "search", "--attr", "groupId=0-staff", "--json",
                            manifest=self.manifest, check=0).stdout)
        before = mv[0]["attributes"]["member"]
        self.rows[2]["displayName"] = "Person Two Renamed"
        self.write_hr()
        self.cycle()
        mv = json.loads(run("mv", "search", "--attr", "groupId=0-staff", "--json",
                            manifest=self.manifest, check=0).stdout)
        self.assertEqual(mv[0]["attributes"]["member"], before)


    def test_group_based_filtering_follows_membership_changes(self):
        # Only members of 0-staff are people the metaverse knows (Entra Connect's group-based
        # filtering): adding someone to the group brings them in, though their own row did
        # not change; removing them takes them out.
        rules = json.loads(json.dumps(RULES))
        rules[0]["scoping"] = [[{"operator": "ISMEMBEROF", "value": "0-staff"}]]
        with open(self.path("rules", "rules.json"), "w") as f:
            json.dump({"rules": rules}, f)
        self.cycle("Initial")
        self.assertEqual(sorted(k for k in self.directory() if k != "0-staff"), ["00001", "00002"])

        self.rows[0]["member"] = "00001;00002;00003"
        self.write_hr()
        report = self.cycle()
        hr_import = [s for s in report["steps"] if s["connector"] == "HR" and s["step"] == "delta_import"][0]
        self.assertEqual(hr_import["counters"]["updates"], 1)  # only the group changed
        d = self.directory()
        self.assertEqual(sorted(k for k in d if k != "0-staff"), ["00001", "00002", "00003"])
        self.assertEqual(len(d["0-staff"]["member"]), 3)

        self.rows[0]["member"] = "00002;00003"
        self.write_hr()
        self.cycle()
        d = self.directory()
        self.assertEqual(sorted(k for k in d if k != "0-staff"), ["00002", "00003"])
        self.assertEqual(sorted(d["0-staff"]["member"]),
                         [PEOPLE_DN.format("00002"), PEOPLE_DN.format("00003")])
        # 00002's manager was 00001, who is gone: the reference goes with them.
        self.assertNotIn("manager", d["00002"])


if __name__ == "__main__":
    unittest.main()
