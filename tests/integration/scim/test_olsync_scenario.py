"""End to end, the Outlook Live Directory Sync (OLSync) scenario: an AD domain (Samba) → the
metaverse → a hosted mail service's directory (the SCIM test server), with the rules of
rules/olsync, run by idsyncd's scheduler as OLSync's StartSync script runs the management
agents, in this order:

    1. OnPremise  import        4. Hosted  sync
    2. Hosted     import        5. Hosted  export
    3. OnPremise  sync          6. Hosted  import (confirms the export)

- an Initial cycle (full imports, full syncs) creates every mail user, the contact with mail and
  the mail-enabled group in the hosted service, and leaves out users without mail and the
  system accounts; every step's status is "success". The service names group members by id,
  which it assigns on creation: the members created in the same cycle as their group are added
  by the next cycle.
- after changes in AD (a new mail user, a changed displayName, a member added), a Delta cycle
  runs the same six steps as delta steps, all "success" in `idsync history`, carries the
  changes, and its last step, the hosted delta import, reads back what the export wrote
  (nothing exported is left unconfirmed); the next one adds the new member and deletes a user
  deleted in AD.

The DC, the SCIM server and idsyncd run in a network namespace of the test's own; needs root.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_olsync_scenario
"""
import json
import os
import secrets
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ldap"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from idsync_workspace import BUILD, SOURCE, IdsyncWorkspace  # noqa: E402
from idsyncd_process import Idsyncd  # noqa: E402
from samba_dc import SambaDC  # noqa: E402
from scim_server_process import ScimServer  # noqa: E402

IDSYNCD = os.environ.get("IDSYNCD_BIN", os.path.join(BUILD, "bin", "idsyncd"))
RULES = os.path.join(SOURCE, "rules", "olsync")
MAIL = "school.test"

# The subsequent-run order of OLSync's management agents: (connector, step kind).
SEQUENCE = [("OnPremise", "import"), ("Hosted", "import"), ("OnPremise", "sync"),
            ("Hosted", "sync"), ("Hosted", "export"), ("Hosted", "import")]
INITIAL_STEPS = [(c, {"import": "full_import", "sync": "full_sync", "export": "export"}[k])
                 for c, k in SEQUENCE]
DELTA_STEPS = [(c, {"import": "delta_import", "sync": "delta_sync", "export": "export"}[k])
               for c, k in SEQUENCE]

PROFILES_ONPREMISE = {
    "Full Import (Stage Only)": [{"type": "full_import"}],
    "Delta Import (Stage Only)": [{"type": "delta_import"}],
    "Full Synchronization": [{"type": "full_sync"}],
    "Delta Synchronization": [{"type": "delta_sync"}],
}
PROFILES_HOSTED = dict(PROFILES_ONPREMISE, Export=[{"type": "export"}])


@unittest.skipUnless(os.geteuid() == 0, "the Samba DC runs in a network namespace, which needs root")
class OlsyncScenario(unittest.TestCase):
    def setUp(self):
        self.dc = SambaDC()
        self.dc.start()
        self.addCleanup(self.dc.stop)
        netns = ["ip", "netns", "exec", self.dc.namespace]
        # A token of our own: one that begins with "-" would read as an option of the server.
        self.scim = ScimServer(command_prefix=netns, token="olsync-" + secrets.token_urlsafe(24))
        self.scim.start()
        self.addCleanup(self.scim.stop)
        self.ws = IdsyncWorkspace(prefix=netns)
        self.addCleanup(self.ws.close)
        self.daemon = Idsyncd(self.ws, IDSYNCD)
        self.addCleanup(self.daemon.stop)

    # ---- AD -------------------------------------------------------------------------------

    def user(self, name, mail=True):
        args = ["user", "create", name, "Passw0rd-" + name + "!", "--userou=OU=People",
                f"--given-name={name.title()}", "--surname=Pupil", "--use-username-as-cn"]
        if mail:
            args.append(f"--mail-address={name}@{MAIL}")
        self.dc.samba_tool(*args)

    def people_dn(self, cn):
        return f"CN={cn},OU=People,{self.dc.base_dn}"

    # ---- idsync ---------------------------------------------------------------------------

    def configure(self):
        dc = self.dc
        # CN=Users holds Administrator, Guest, krbtgt and the built-in groups: the rules'
        # scoping must leave them out.
        self.ws.connector("OnPremise", "ldap.ad",
                          dc.connector_config(self.ws, [f"OU=People,{dc.base_dn}",
                                                        f"CN=Users,{dc.base_dn}"]),
                          object_types=["user", "contact", "group"], location="on_premises",
                          run_profiles=PROFILES_ONPREMISE)
        self.ws.connector("Hosted", "scim",
                          {"base_url": self.scim.base_url,
                           "token": self.ws.secret("hosted-token", self.scim.token),
                           "ca_file": self.scim.ca_file, "timeout_seconds": 20,
                           "max_backoff_seconds": 1,
                           # Delta imports start this far before the last one began; the
                           # default minute would make every delta import read everything here.
                           "delta_overlap_seconds": 1,
                           "object_types": ["User", "Group", "Contact"]},
                          object_types=["User", "Group", "Contact"], location="cloud",
                          run_profiles=PROFILES_HOSTED)
        # As examples/olsync/idsync.json, with the timer off: the test starts every cycle.
        self.ws.write_manifest(rules={"path": RULES},
                               scheduler={"sync_cycle_enabled": False,
                                          "customized_sync_cycle_interval": "02:00:00",
                                          "active_hours": "08:00-20:00",
                                          "cycle_sequence": [{"connector": c, "step": s}
                                                             for c, s in SEQUENCE]})
        self.ws.idsync("manifest", "check")

    def cycle(self, policy, expected_steps):
        """Runs one cycle; asserts its steps ran in `expected_steps` order, each a success,
        and that `idsync history` records the same six runs, all "success"."""
        p = self.ws.idsync("sync-cycle", "start", "--policy-type", policy, "--wait", "--json",
                           check=False, timeout=600)
        try:
            report = json.loads(p.stdout)
        except ValueError:
            self.fail(f"sync-cycle printed no JSON (exit {p.returncode}):\n{p.stdout}\n"
                      f"{p.stderr}\n{self.daemon.log()[-5000:]}")
        dump = json.dumps(report, indent=1)
        self.assertEqual([(s["connector"], s["step"]) for s in report["steps"]], expected_steps,
                         dump)
        self.assertEqual([s["status"] for s in report["steps"]], ["success"] * 6, dump)
        self.assertTrue(report["ok"], dump)
        self.assertEqual(p.returncode, 0, dump)
        # The Operations tab: the newest six runs are this cycle's, oldest last.
        history = json.loads(self.ws.idsync("history", "--last", "6", "--json").stdout)
        self.assertEqual([(r["connector"], r["step"], r["status"]) for r in reversed(history)],
                         [(c, s, "success") for c, s in expected_steps],
                         json.dumps(history, indent=1))
        self.assertEqual([r["run_id"] for r in reversed(history)],
                         [s["run_id"] for s in report["steps"]])
        return report

    # ---- the hosted service ---------------------------------------------------------------

    def hosted_users(self):
        return {u["userName"]: u for u in self.scim.users()}

    def hosted_groups(self):
        return {g["displayName"]: g for g in self.scim.groups()}

    def hosted_contacts(self):
        return {c["displayName"]: c for c in self.scim.contacts()}

    def members(self, group):
        by_id = {u["id"]: name.split("@")[0] for name, u in self.hosted_users().items()}
        return sorted(by_id.get(m["value"], m["value"]) for m in group.get("members", []))

    def guid(self, dn):
        """objectGUID of an AD object in its text form, as the hosted externalId holds it."""
        objects = {o["dn"].lower(): o for o in self.ws.cs("OnPremise") if o.get("dn")}
        obj = objects.get(dn.lower())
        self.assertIsNotNone(obj, f"{dn} is not in the OnPremise connector space")
        return obj["anchor"]

    # ---- the scenario ---------------------------------------------------------------------

    def test_initial_then_subsequent_synchronisation(self):
        dc = self.dc
        dc.samba_tool("ou", "create", f"OU=People,{dc.base_dn}")
        for name in ("alice", "bob"):
            self.user(name)
        self.user("carol", mail=False)  # no mail: not a mail user, out of scope
        dc.samba_tool("contact", "add", "Pat Partner", "--ou=OU=People", "--given-name=Pat",
                      "--surname=Partner", "--display-name=Pat Partner",
                      "--mail-address=pat@partner.test")
        dc.samba_tool("contact", "add", "No Mail Contact", "--ou=OU=People")
        dc.samba_tool("group", "add", "Teachers", "--groupou=OU=People",
                      f"--mail-address=teachers@{MAIL}")
        dc.samba_tool("group", "addmembers", "Teachers", "alice,bob,carol")
        dc.samba_tool("group", "add", "Lab", "--groupou=OU=People")  # no mail: out of scope
        self.configure()
        self.daemon.start()

        # The first run: Initial, every import and sync a full one.
        report = self.cycle("Initial", INITIAL_STEPS)
        self.assertEqual(report["policy"], "Initial")
        users = self.hosted_users()
        self.assertEqual(sorted(users), [f"alice@{MAIL}", f"bob@{MAIL}"])
        alice = users[f"alice@{MAIL}"]
        self.assertEqual((alice["name"], alice["emails"], alice["active"], alice["externalId"]),
                         ({"givenName": "Alice", "familyName": "Pupil"},
                          [{"type": "work", "value": f"alice@{MAIL}"}], True,
                          self.guid(self.people_dn("alice"))))
        contacts = self.hosted_contacts()
        self.assertEqual(sorted(contacts), ["Pat Partner"])
        pat = contacts["Pat Partner"]
        self.assertEqual((pat["emails"], pat["name"], pat["externalId"]),
                         ([{"type": "work", "value": "pat@partner.test"}],
                          {"givenName": "Pat", "familyName": "Partner"},
                          self.guid(f"CN=Pat Partner,OU=People,{dc.base_dn}")))
        groups = self.hosted_groups()
        # Only the mail-enabled group: no Lab, no Domain Users or other built-in group.
        self.assertEqual(sorted(groups), ["Teachers"])
        self.assertEqual(groups["Teachers"]["externalId"],
                         self.guid(f"CN=Teachers,OU=People,{dc.base_dn}"))

        # The members' hosted ids exist once they were created: the next run adds them (carol
        # has no mail and is not in the hosted service, so she is left out).
        self.cycle("Delta", DELTA_STEPS)
        self.assertEqual(self.members(self.hosted_groups()["Teachers"]), ["alice", "bob"])

        # Subsequent synchronisation: a new mail user, a changed displayName, a member added.
        self.user("dave")
        self.dc.modify(self.people_dn("alice"), "replace: displayName\ndisplayName: Alice Cooper\n")
        dc.samba_tool("group", "addmembers", "Teachers", "dave")
        report = self.cycle("Delta", DELTA_STEPS)
        self.assertEqual(report["policy"], "Delta")
        users = self.hosted_users()
        self.assertEqual(sorted(users), [f"alice@{MAIL}", f"bob@{MAIL}", f"dave@{MAIL}"])
        self.assertEqual(users[f"alice@{MAIL}"]["displayName"], "Alice Cooper")
        self.assertEqual(users[f"dave@{MAIL}"]["externalId"], self.guid(self.people_dn("dave")))
        export = report["steps"][4]["counters"]
        self.assertEqual((export["adds"], export["deletes"]), (1, 0), json.dumps(report, indent=1))
        self.assertGreaterEqual(export["updates"], 1, json.dumps(report, indent=1))
        # The confirming import: every object the export changed is read back as sent.
        confirm = report["steps"][5]["counters"]
        self.assertGreaterEqual(confirm["objects"], report["steps"][4]["counters"]["objects"],
                                json.dumps(report, indent=1))
        self.assertEqual(confirm["not_reimported"], 0, json.dumps(report, indent=1))
        pending = json.loads(self.ws.idsync("pending-exports", "--connector", "Hosted",
                                            "--json").stdout)
        self.assertEqual(pending, [], json.dumps(pending, indent=1))

        # dave was created by this export: the group gets him by the next run. And
        # deprovisioning: bob, deleted in AD, is deleted in the hosted service (which takes
        # him out of the group).
        dc.samba_tool("user", "delete", "bob")
        report = self.cycle("Delta", DELTA_STEPS)
        self.assertEqual(sorted(self.hosted_users()), [f"alice@{MAIL}", f"dave@{MAIL}"])
        self.assertEqual(self.members(self.hosted_groups()["Teachers"]), ["alice", "dave"])
        self.assertEqual(report["steps"][4]["counters"]["deletes"], 1, json.dumps(report, indent=1))
        self.assertEqual(report["steps"][5]["counters"]["not_reimported"], 0,
                         json.dumps(report, indent=1))


if __name__ == "__main__":
    unittest.main()
