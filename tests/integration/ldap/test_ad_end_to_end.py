"""End to end: a Samba AD domain → the metaverse → a JSON Lines file, through
`idsync sync-cycle start` the way the scheduler runs it: an Initial cycle (full import, full
sync, export), then Delta cycles that carry a change, an addition and a deletion made in AD to
the file, with the AD connector doing delta imports (DirSync). Needs root (the DC runs in a
network namespace of the test's own).

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ad_end_to_end
"""
import json
import os
import unittest

from idsync_workspace import IdsyncWorkspace
from samba_dc import SambaDC

INBOUND = {
    "name": "In from AD - user", "direction": "inbound", "connector": "AD",
    "cs_object_type": "user", "mv_object_type": "person", "link_type": "Provision",
    "precedence": 100,
    "join": [[{"cs_attribute": "objectGUID", "mv_attribute": "sourceAnchor",
               "case_sensitive": False}]],
    "transformations": [
        {"flow": "direct", "target": "sourceAnchor", "source": "objectGUID"},
        {"flow": "direct", "target": "accountName", "source": "sAMAccountName"},
        {"flow": "direct", "target": "givenName", "source": "givenName"},
        {"flow": "direct", "target": "sn", "source": "sn"},
        {"flow": "direct", "target": "title", "source": "title"},
        {"flow": "direct", "target": "mail", "source": "mail"}]}

OUTBOUND = {
    "name": "Out to the file", "direction": "outbound", "connector": "Cloud",
    "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
    "precedence": 100,
    "scoping": [[{"attribute": "accountName", "operator": "ISNOTNULL"}]],
    "transformations": [
        {"flow": "direct", "target": "id", "source": "sourceAnchor"},
        {"flow": "direct", "target": "accountName", "source": "accountName"},
        {"flow": "direct", "target": "givenName", "source": "givenName"},
        {"flow": "direct", "target": "sn", "source": "sn"},
        {"flow": "direct", "target": "title", "source": "title"},
        {"flow": "direct", "target": "mail", "source": "mail"}]}


@unittest.skipUnless(os.geteuid() == 0, "the Samba DC runs in a network namespace, which needs root")
class AdToFileThroughSyncCycles(unittest.TestCase):
    def setUp(self):
        self.dc = SambaDC()
        self.dc.start()
        self.addCleanup(self.dc.stop)
        self.ws = IdsyncWorkspace(prefix=["ip", "netns", "exec", self.dc.namespace])
        self.addCleanup(self.ws.close)

    def user(self, name, title):
        self.dc.samba_tool("user", "create", name, "Passw0rd-" + name + "!", "--userou=OU=People",
                           f"--given-name={name.title()}", "--surname=Example",
                           f"--mail-address={name}@idsync.test", f"--job-title={title}",
                           "--use-username-as-cn")

    def people_in_file(self):
        people = {}
        with open(self.ws.path("cloud.jsonl")) as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    people[record["accountName"][0] if isinstance(record["accountName"], list)
                           else record["accountName"]] = record
        return people

    def cycle(self, policy):
        p = self.ws.idsync("sync-cycle", "start", "--policy-type", policy, "--json")
        return json.loads(p.stdout)

    def test_initial_then_delta_cycles(self):
        dc = self.dc
        dc.samba_tool("ou", "create", f"OU=People,{dc.base_dn}")
        self.user("alice", "Engineer")
        self.user("bob", "Designer")
        with open(self.ws.path("cloud.jsonl"), "w"):
            pass
        self.ws.connector("AD", "ldap.ad",
                          {"url": dc.uri_ldaps, "ca_file": dc.ca_file, "bind_dn": dc.admin_dn,
                           "bind_password": self.ws.secret("pw", dc.admin_password),
                           "include_containers": [f"OU=People,{dc.base_dn}"]},
                          object_types=["user"])
        self.ws.connector("Cloud", "file",
                          {"path": self.ws.path("cloud.jsonl"), "format": "jsonl",
                           "anchor_attribute": "id", "object_type": "person",
                           "export_file": self.ws.path("cloud.jsonl")},
                          object_types=["person"])
        self.ws.rule("10-ad-inbound.json", INBOUND)
        self.ws.rule("20-cloud-outbound.json", OUTBOUND)
        self.ws.write_manifest()

        initial = self.cycle("Initial")
        people = self.people_in_file()
        self.assertEqual(sorted(people), ["alice", "bob"], initial)
        self.assertEqual(people["alice"]["title"], ["Engineer"] if isinstance(
            people["alice"]["title"], list) else "Engineer")
        guid = self.ws.cs("AD", "--attr", "sAMAccountName=alice")[0]["anchor"]
        self.assertIn(guid, json.dumps(people["alice"]))

        # In AD: one change, one new user, one deletion; a Delta cycle carries them.
        dc.modify_ldif(f"dn: CN=alice,OU=People,{dc.base_dn}\nchangetype: modify\n"
                       "replace: title\ntitle: Lead Engineer\n")
        self.user("carol", "Analyst")
        dc.samba_tool("user", "delete", "bob")
        delta = self.cycle("Delta")
        people = self.people_in_file()
        self.assertEqual(sorted(people), ["alice", "carol"], delta)
        self.assertIn("Lead Engineer", json.dumps(people["alice"]["title"]))

        # The AD connector imported deltas, not everything again.
        history = json.loads(self.ws.idsync("history", "--connector", "AD", "--json").stdout)
        steps = [run["step"] for run in history]
        self.assertIn("delta_import", steps, history)
        newest_import = next(run for run in history if run["step"].endswith("import"))
        self.assertEqual(newest_import["step"], "delta_import", history)
        self.assertEqual(newest_import["counters"]["objects"], 3, newest_import)

        # Nothing changed: a Delta cycle changes nothing in the file.
        before = self.people_in_file()
        self.cycle("Delta")
        self.assertEqual(self.people_in_file(), before)


if __name__ == "__main__":
    unittest.main()
