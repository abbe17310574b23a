"""End to end, the DirSync / AAD Sync / Entra Connect flow: a Samba AD domain → the metaverse →
Microsoft Entra ID (the Graph emulator), with the standard rules of rules/ad-to-entra, run by
idsyncd's scheduler through `idsync sync-cycle start`:

- an Initial cycle creates every in-scope user and group in the cloud, and leaves the system
  accounts out; the next cycle fills in the members (their cloud ids exist once created);
- a Delta cycle carries a rename, a department change, a new group member, a deletion, a
  group's new description and a deleted group;
- a terminated employee disabled in AD and a forced Delta cycle disable the cloud account;
- a 429 storm slows the export and loses nothing;
- more deletes than the deletion threshold stop the export, sending none.

The DC, the emulator and idsyncd run in a network namespace of the test's own; needs root.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ad_to_entra_end_to_end
"""
import base64
import json
import os
import sys
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ldap"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from idsync_workspace import BUILD, SOURCE, IdsyncWorkspace  # noqa: E402
from idsyncd_process import Idsyncd  # noqa: E402
from samba_dc import SambaDC  # noqa: E402
from graph_emulator_process import GraphEmulator  # noqa: E402

IDSYNCD = os.environ.get("IDSYNCD_BIN", os.path.join(BUILD, "bin", "idsyncd"))
CLIENT_ID = "0b6f3c2e-8a41-4f7e-b0d2-5c9e7a1d3f20"
SECRET = "e2e-secret-" + os.urandom(6).hex()
RULES = os.path.join(SOURCE, "rules", "ad-to-entra")


def immutable_id(guid_text):
    """onPremisesImmutableId of an AD object: base64 of its objectGUID's bytes."""
    return base64.b64encode(uuid.UUID(guid_text).bytes_le).decode()


@unittest.skipUnless(os.geteuid() == 0, "the Samba DC runs in a network namespace, which needs root")
class AdToEntraThroughTheScheduler(unittest.TestCase):
    def setUp(self):
        self.dc = SambaDC()
        self.dc.start()
        self.addCleanup(self.dc.stop)
        netns = ["ip", "netns", "exec", self.dc.namespace]
        self.graph = GraphEmulator(command_prefix=netns, verified_domains=["idsync.test"])
        self.graph.start()
        self.addCleanup(self.graph.stop)
        self.graph.add_client(CLIENT_ID, secret=SECRET)
        self.ws = IdsyncWorkspace(prefix=netns)
        self.addCleanup(self.ws.close)
        self.daemon = Idsyncd(self.ws, IDSYNCD)
        self.addCleanup(self.daemon.stop)

    # ---- AD -------------------------------------------------------------------------------

    def user(self, name, department="Sales"):
        self.dc.samba_tool("user", "create", name, "Passw0rd-" + name + "!",
                           "--userou=OU=People", f"--given-name={name.title()}",
                           "--surname=Example", f"--mail-address={name}@idsync.test",
                           f"--department={department}", "--use-username-as-cn")

    def guid(self, name):
        out = self.dc.search(self.dc.base_dn, flt=f"(sAMAccountName={name})",
                             attrs=["objectGUID"]).stdout
        for line in out.splitlines():
            if line.startswith("objectGUID:: "):
                return str(uuid.UUID(bytes_le=base64.b64decode(line.split(":: ", 1)[1])))
        raise AssertionError(f"no objectGUID for {name}:\n{out}")

    def people_dn(self, cn):
        return f"CN={cn},OU=People,{self.dc.base_dn}"

    # ---- idsync ---------------------------------------------------------------------------

    def configure(self):
        dc = self.dc
        # CN=Users holds Administrator, Guest, krbtgt and the built-in groups: the rules'
        # scoping must leave them out.
        self.ws.connector("AD", "ldap.ad",
                          dc.connector_config(self.ws, [f"OU=People,{dc.base_dn}",
                                                        f"CN=Users,{dc.base_dn}"]),
                          object_types=["user", "group"])
        self.ws.connector("Entra", "msgraph",
                          {"tenant": self.graph.tenant, "client_id": CLIENT_ID,
                           "client_secret": self.ws.secret("entra-secret", SECRET),
                           "authority": self.graph.authority_url, "graph": self.graph.base_url,
                           "ca_file": self.graph.ca_file, "max_attempts": 20,
                           "max_backoff_seconds": 1},
                          object_types=["user", "group"])
        self.ws.write_manifest(rules={"path": RULES},
                               scheduler={"sync_cycle_enabled": False,
                                          "connector_order": ["AD", "Entra"]})

    def cycle(self, policy, expect_ok=True):
        p = self.ws.idsync("sync-cycle", "start", "--policy-type", policy, "--wait", "--json",
                           check=False, timeout=600)
        try:
            report = json.loads(p.stdout)
        except ValueError:
            self.fail(f"sync-cycle printed no JSON (exit {p.returncode}):\n{p.stdout}\n"
                      f"{p.stderr}\n{self.daemon.log()[-5000:]}")
        if expect_ok:
            bad = [s for s in report["steps"] if s["status"] != "success"]
            self.assertEqual(bad, [], json.dumps(report, indent=1))
        return report

    def step(self, report, connector, name):
        found = [s for s in report["steps"] if s["connector"] == connector and s["step"] == name]
        self.assertTrue(found, json.dumps(report, indent=1))
        return found[-1]

    # ---- the cloud ------------------------------------------------------------------------

    def cloud_users(self):
        return {u["userPrincipalName"].split("@")[0]: u for u in self.graph.users()}

    def cloud_groups(self):
        return {g["displayName"]: g for g in self.graph.groups()}

    def members(self, group):
        ids = {m["id"] if isinstance(m, dict) else m for m in self.graph.members(group["id"])}
        by_id = {u["id"]: name for name, u in self.cloud_users().items()}
        return sorted(by_id.get(i, i) for i in ids)

    # ---- the scenario ---------------------------------------------------------------------

    def test_initial_delta_termination_throttling_and_deletion_threshold(self):
        dc = self.dc
        dc.samba_tool("ou", "create", f"OU=People,{dc.base_dn}")
        for name, dept in (("alice", "Engineering"), ("bob", "Sales"), ("carol", "Sales"),
                           ("dave", "Support")):
            self.user(name, dept)
        dc.samba_tool("group", "add", "Staff", f"--groupou=OU=People")
        dc.samba_tool("group", "addmembers", "Staff", "alice,bob")
        dc.samba_tool("group", "add", "Projects", f"--groupou=OU=People")
        self.configure()
        self.daemon.start()

        # Initial: every in-scope user and group is created; system accounts are not.
        self.cycle("Initial")
        users = self.cloud_users()
        self.assertEqual(sorted(users), ["alice", "bob", "carol", "dave"])
        alice = users["alice"]
        self.assertEqual(alice["onPremisesImmutableId"], immutable_id(self.guid("alice")))
        self.assertEqual((alice["department"], alice["accountEnabled"], alice["mail"]),
                         ("Engineering", True, "alice@idsync.test"))
        groups = self.cloud_groups()
        self.assertIn("Staff", groups)
        self.assertIn("Projects", groups)
        for system in ("Domain Admins", "Domain Users", "Schema Admins", "Enterprise Admins"):
            self.assertNotIn(system, groups)
        self.assertTrue(groups["Staff"]["securityEnabled"])
        # The members' cloud ids exist once they were created: the next cycle adds them.
        self.cycle("Delta")
        self.assertEqual(self.members(self.cloud_groups()["Staff"]), ["alice", "bob"])

        # Delta: a rename, a department change, a new member, a deletion.
        self.dc.modify(self.people_dn("alice"), "replace: displayName\ndisplayName: Alice Cooper\n")
        self.dc.modify(self.people_dn("bob"), "replace: department\ndepartment: Marketing\n")
        dc.samba_tool("group", "addmembers", "Staff", "carol")
        dc.samba_tool("user", "delete", "dave")
        # And for groups: a description, and a group deleted.
        self.dc.modify(f"CN=Staff,OU=People,{dc.base_dn}",
                    "replace: description\ndescription: Everyone on staff\n")
        dc.samba_tool("group", "delete", "Projects")
        report = self.cycle("Delta")
        self.assertEqual(self.step(report, "AD", "delta_import")["status"], "success")
        users = self.cloud_users()
        self.assertEqual(sorted(users), ["alice", "bob", "carol"])
        self.assertEqual(users["alice"]["displayName"], "Alice Cooper")
        self.assertEqual(users["bob"]["department"], "Marketing")
        groups = self.cloud_groups()
        self.assertEqual(self.members(groups["Staff"]), ["alice", "bob", "carol"])
        self.assertEqual(groups["Staff"]["description"], "Everyone on staff")
        self.assertNotIn("Projects", groups)

        # A terminated employee: disabled in AD, and a forced Delta cycle disables the cloud
        # account at once.
        dc.samba_tool("user", "disable", "bob")
        self.cycle("Delta")
        self.assertFalse(self.cloud_users()["bob"]["accountEnabled"])

        # A 429 storm: the service takes two writes a second; the export slows, loses nothing.
        for n in range(12):
            self.user(f"new{n:02}")
        self.graph.reset_requests()
        self.graph.throttle_writes(2)
        started = time.monotonic()
        report = self.cycle("Delta")
        self.graph.throttle_writes(0)
        self.assertEqual(self.step(report, "Entra", "export")["counters"]["adds"], 12, report)
        throttled = [r for r in self.graph.requests() if r["status"] == 429]
        self.assertGreater(len(throttled), 0)
        self.assertGreaterEqual(time.monotonic() - started, 12 / 2 - 1)
        self.assertEqual(len(self.cloud_users()), 15)

        # More deletes than the threshold: the export stops and sends none of them.
        self.ws.idsync("deletion-threshold", "enable", "--connector", "Entra", "--threshold", "5")
        for n in range(8):
            dc.samba_tool("user", "delete", f"new{n:02}")
        report = self.cycle("Delta", expect_ok=False)
        export = self.step(report, "Entra", "export")
        self.assertEqual(export["status"], "stopped-deletion-threshold-exceeded", export)
        self.assertEqual(len(self.cloud_users()), 15)
        history = json.loads(self.ws.idsync("history", "--connector", "Entra", "--json").stdout)
        self.assertEqual(history[0]["status"], "stopped-deletion-threshold-exceeded", history[0])


if __name__ == "__main__":
    unittest.main()
