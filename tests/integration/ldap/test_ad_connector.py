"""The Active Directory connector (type ldap.ad) against a real Samba AD DC, driven through the
`idsync` CLI the way an admin runs it: full import of users and groups in scope, then delta
imports with DirSync that each see exactly what changed (modify, delete, move, rename, group
membership added and removed, moves out of and into scope), the USN delta mode, an account
without replication rights with object_security, and the faults an admin meets (wrong password,
unreachable DC). Needs root (the DC runs in a network namespace of the test's own).

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ad_connector
"""
import base64
import json
import os
import re
import shutil
import unittest
import uuid

from idsync_workspace import BUILD, IdsyncWorkspace
from samba_dc import SambaDC

DC = None


def guid_text(dn):
    """objectGUID of `dn` in the usual text form, read with ldapsearch."""
    out = DC.search(dn, scope="base", attrs=["objectGUID"]).stdout
    raw = base64.b64decode(re.search(r"^objectGUID:: (\S+)$", out, re.M).group(1))
    return str(uuid.UUID(bytes_le=raw))


def step(result):
    return result["steps"][0]


class AdCase(unittest.TestCase):
    """A DC of its own per test class (user names are unique in a domain), an OU tree and a
    workspace reading it per test."""
    ou_name = None

    @classmethod
    def setUpClass(cls):
        global DC
        if os.geteuid() != 0:
            raise unittest.SkipTest("the Samba DC runs in a network namespace, which needs root")
        DC = SambaDC()
        DC.start()

    @classmethod
    def tearDownClass(cls):
        DC.stop()

    def setUp(self):
        self.base = DC.base_dn
        self.ou = f"OU={self.ou_name},{self.base}"
        DC.samba_tool("ou", "create", self.ou)
        for sub in ("Staff", "Sales", "Outside"):
            DC.samba_tool("ou", "create", f"OU={sub},{self.ou}")
        self.ws = IdsyncWorkspace(prefix=["ip", "netns", "exec", DC.namespace])
        self.password = self.ws.secret("bind-password", DC.admin_password)

    def tearDown(self):
        self.ws.close()

    def user(self, name, ou="Staff", **attrs):
        DC.samba_tool("user", "create", name, "Passw0rd-" + name + "!",
                      f"--userou=OU={ou},OU={self.ou_name}", f"--given-name={name.title()}",
                      "--surname=Tester", "--use-username-as-cn")
        return f"CN={name},OU={ou},{self.ou}"

    def group(self, name, *members, ou="Staff"):
        DC.samba_tool("group", "add", name, f"--groupou=OU={ou},OU={self.ou_name}")
        if members:
            DC.samba_tool("group", "addmembers", name, ",".join(members))
        return f"CN={name},OU={ou},{self.ou}"

    def configure(self, **config):
        settings = {"url": DC.uri_ldaps, "ca_file": DC.ca_file, "bind_dn": DC.admin_dn,
                    "bind_password": self.password,
                    "include_containers": [f"OU=Staff,{self.ou}", f"OU=Sales,{self.ou}"]}
        settings.update(config)
        self.ws.connector("AD", "ldap.ad", settings, object_types=["user", "group"])
        self.ws.write_manifest()

    def objects(self):
        return {o["dn"].split(",")[0][3:]: o for o in self.ws.cs("AD")}

    def connector_test(self):
        p = self.ws.idsync("connector", "test", "--connector", "AD", "--json", check=False)
        result = json.loads(p.stdout)
        self.assertEqual(p.returncode, 0 if result["ok"] else 1, p.stderr)
        return result

    def delta(self):
        result = self.ws.run_profile("AD", "Delta Import")
        return step(result)["counters"]


class FullAndDeltaImport(AdCase):
    ou_name = "FullDelta"

    def test_full_import_then_each_delta_sees_exactly_the_changes(self):
        alice = self.user("alice")
        bob = self.user("bob")
        self.user("carol", ou="Sales")
        self.user("outsider", ou="Outside")
        team = self.group("team", "alice", "bob")
        # One value per read: member comes in ranges (member;range=0-0, 1-1, ...), as from a
        # DC whose MaxValRange a large group exceeds.
        self.configure(range_size=1)

        full = step(self.ws.run_profile("AD", "Full Import"))
        self.assertEqual(full["status"], "success")
        objects = self.objects()
        self.assertEqual(sorted(objects), ["alice", "bob", "carol", "team"])  # not outsider
        self.assertEqual(objects["alice"]["anchor"], guid_text(alice))
        self.assertEqual(objects["alice"]["object_type"], "user")
        self.assertEqual(objects["team"]["object_type"], "group")
        self.assertEqual(objects["alice"]["attributes"]["sAMAccountName"], ["alice"])
        self.assertEqual(objects["alice"]["attributes"]["givenName"], ["Alice"])
        self.assertEqual(objects["alice"]["attributes"]["objectGUID"], [guid_text(alice)])
        self.assertEqual(sorted(objects["team"]["attributes"]["member"]), sorted([alice, bob]))
        # Binary stays binary; times are RFC 3339; per-DC counters are not imported.
        self.assertIn("base64", objects["alice"]["attributes"]["objectSid"][0])
        self.assertRegex(objects["alice"]["attributes"]["whenCreated"][0],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn("logonCount", objects["alice"]["attributes"])
        self.assertNotIn("nTSecurityDescriptor", objects["alice"]["attributes"])

        # Nothing changed: nothing comes.
        self.assertEqual(self.delta()["objects"], 0)

        # An attribute change.
        DC.modify_ldif(f"dn: {alice}\nchangetype: modify\nreplace: description\n"
                       "description: Head of testing\n")
        counters = self.delta()
        self.assertEqual((counters["objects"], counters["updates"]), (1, 1), counters)
        self.assertEqual(self.objects()["alice"]["attributes"]["description"],
                         ["Head of testing"])

        # A cleared attribute.
        DC.modify_ldif(f"dn: {alice}\nchangetype: modify\ndelete: description\n")
        counters = self.delta()
        self.assertEqual(counters["updates"], 1, counters)
        self.assertNotIn("description", self.objects()["alice"]["attributes"])

        # Membership: one added, one removed, as value changes of member.
        DC.samba_tool("group", "addmembers", "team", "carol")
        DC.samba_tool("group", "removemembers", "team", "bob")
        counters = self.delta()
        self.assertEqual((counters["objects"], counters["updates"]), (1, 1), counters)
        carol = f"CN=carol,OU=Sales,{self.ou}"
        self.assertEqual(sorted(self.objects()["team"]["attributes"]["member"]),
                         sorted([alice, carol]))

        # A rename and a move inside the scope keep the object, under its new DN.
        DC.modify_ldif(f"dn: {bob}\nchangetype: modrdn\nnewrdn: CN=robert\ndeleteoldrdn: 1\n"
                       f"newsuperior: OU=Sales,{self.ou}\n")
        counters = self.delta()
        self.assertEqual(counters["deletes"], 0, counters)
        objects = self.objects()
        self.assertNotIn("bob", objects)
        self.assertEqual(objects["robert"]["dn"], f"CN=robert,OU=Sales,{self.ou}")
        self.assertEqual(objects["robert"]["anchor"], guid_text(f"CN=robert,OU=Sales,{self.ou}"))

        # A move out of the scope is a delete; a move into it an add.
        DC.modify_ldif(f"dn: {carol}\nchangetype: modrdn\nnewrdn: CN=carol\ndeleteoldrdn: 1\n"
                       f"newsuperior: OU=Outside,{self.ou}\n")
        DC.modify_ldif(f"dn: CN=outsider,OU=Outside,{self.ou}\nchangetype: modrdn\n"
                       f"newrdn: CN=outsider\ndeleteoldrdn: 1\nnewsuperior: OU=Staff,{self.ou}\n")
        counters = self.delta()
        self.assertEqual((counters["deletes"], counters["adds"]), (1, 1), counters)
        objects = self.objects()
        # (Never synchronized, a deleted object leaves the connector space at once.)
        self.assertNotIn("carol", objects)
        self.assertIn("outsider", objects)

        # A new user; a deleted one (its tombstone).
        self.user("dave")
        DC.samba_tool("user", "delete", "alice")
        counters = self.delta()
        self.assertEqual((counters["adds"], counters["deletes"]), (1, 1), counters)
        objects = self.objects()
        self.assertNotIn("alice", objects)
        self.assertEqual(objects["dave"]["attributes"]["sAMAccountName"], ["dave"])
        # Read whole: DirSync's own copy of a new object has no cn.
        self.assertEqual(objects["dave"]["attributes"]["cn"], ["dave"])

        self.assertEqual(self.delta()["objects"], 0)


class UsnDeltaMode(AdCase):
    ou_name = "Usn"

    def test_usn_mode_sees_changes_and_tombstones(self):
        alice = self.user("alice")
        self.user("bob")
        self.configure(delta_mode="usn")
        self.ws.run_profile("AD", "Full Import")
        self.assertEqual(sorted(self.objects()), ["alice", "bob"])
        self.assertEqual(self.delta()["objects"], 0)

        DC.modify_ldif(f"dn: {alice}\nchangetype: modify\nreplace: title\ntitle: Engineer\n")
        DC.samba_tool("user", "delete", "bob")
        counters = self.delta()
        self.assertEqual((counters["updates"], counters["deletes"]), (1, 1), counters)
        objects = self.objects()
        self.assertEqual(objects["alice"]["attributes"]["title"], ["Engineer"])
        self.assertNotIn("bob", objects)


class ObjectSecurity(AdCase):
    ou_name = "ObjSec"

    def test_account_without_replication_rights(self):
        self.user("alice")
        # A plain domain user: it may read the directory but holds no replication right.
        service = self.user("svc-sync", ou="Outside")
        service_password = self.ws.secret("svc-password", "Passw0rd-svc-sync!")
        self.configure(bind_dn=service, bind_password=service_password)

        # `connector test` says what is missing before any run ...
        tested = self.connector_test()
        self.assertFalse(tested["ok"], tested)
        self.assertEqual(tested["error_kind"], "IDSYNC_ERR_PERMISSION", tested)
        self.assertIn("Replicating Directory Changes", tested["message"])

        # ... and without object_security the import stops with the same advice.
        result = self.ws.run_profile("AD", "Full Import", check=False)
        self.assertEqual(step(result)["status"], "stopped-configuration", result)
        self.assertIn("Replicating Directory Changes", step(result)["message"])
        self.assertIn("object_security", step(result)["message"])

        self.configure(bind_dn=service, bind_password=service_password, object_security=True)
        self.assertTrue(self.connector_test()["ok"])
        self.assertEqual(step(self.ws.run_profile("AD", "Full Import"))["status"], "success")
        self.assertEqual(sorted(self.objects()), ["alice"])
        self.user("bob")
        counters = self.delta()
        self.assertEqual(counters["adds"], 1, counters)
        self.assertIn("bob", self.objects())


class Faults(AdCase):
    ou_name = "Faults"

    def setUp(self):
        self.ou_name = "Faults" + self._testMethodName[-6:]
        super().setUp()

    def test_wrong_password_and_unreachable_dc_stop_the_step_and_change_nothing(self):
        self.user("alice")
        self.configure()
        self.ws.run_profile("AD", "Full Import")
        before = self.ws.cs("AD")

        self.assertTrue(self.connector_test()["ok"])
        wrong = "Wrong-" + os.urandom(4).hex()
        self.configure(bind_password=self.ws.secret("wrong", wrong))
        tested = self.connector_test()
        self.assertEqual(tested["error_kind"], "IDSYNC_ERR_CONFIG", tested)
        self.assertIn("Invalid credentials", tested["message"])
        self.assertNotIn(wrong, json.dumps(tested))
        result = self.ws.run_profile("AD", "Delta Import", check=False)
        self.assertEqual(step(result)["status"], "stopped-configuration", result)
        self.assertIn(DC.admin_dn, step(result)["message"])
        self.assertNotIn(wrong, str(result))

        self.configure(url="ldaps://127.0.0.1:1")
        result = self.ws.run_profile("AD", "Delta Import", check=False)
        self.assertEqual(step(result)["status"], "stopped-connectivity", result)

        # Back to the right settings: the watermark was kept, so a delta sees only the change.
        self.configure()
        self.assertEqual(self.ws.cs("AD"), before)
        self.user("bob")
        counters = self.delta()
        self.assertEqual((counters["objects"], counters["adds"]), (1, 1), counters)

    def test_plain_text_bind_is_refused_and_certificates_are_checked(self):
        self.configure(url="ldap://127.0.0.1:389")
        result = self.ws.run_profile("AD", "Full Import", check=False)
        self.assertEqual(step(result)["status"], "stopped-configuration", result)
        self.assertIn("allow_plaintext_bind", step(result)["message"])

        # The system's CAs instead of the test's: the DC's certificate does not verify.
        self.configure(ca_file="/etc/ssl/certs/ca-certificates.crt")
        result = self.ws.run_profile("AD", "Full Import", check=False)
        self.assertEqual(step(result)["status"], "stopped-connectivity", result)
        self.assertRegex(step(result)["message"], "(?i)certificate|TLS|connect")


class AdContractKit(AdCase):
    """The connector contract kit (tests/contract) against the DC with connector type ldap.ad,
    run inside the DC's namespace. Each export case adds the same object, so the object is
    removed between cases."""
    ou_name = "Kit"

    def test_contract_kit(self):
        for name in ("alice", "bob", "carol"):
            self.user(name)
        self.group("team", "alice", "bob")
        staff = f"OU=Staff,{self.ou}"
        # The kit copies this folder for every test case: keep the CA and the secret in it.
        folder = self.ws.path("kit")
        os.makedirs(folder)
        shutil.copy(DC.ca_file, os.path.join(folder, "ca.pem"))
        with open(os.path.join(folder, "bind-password"), "w") as f:
            f.write(DC.admin_password)
        os.chmod(os.path.join(folder, "bind-password"), 0o600)
        config = {"type": "ldap.ad",
                  "config": {"url": DC.uri_ldaps, "ca_file": "ca.pem", "bind_dn": DC.admin_dn,
                             "bind_password": {"file": "bind-password"},
                             "include_containers": [staff]},
                  "object_types": ["user", "group"],
                  "min_objects": 4,
                  "export": {"object_type": "user", "dn": f"CN=contract,{staff}",
                             "attributes": {"sAMAccountName": "contract", "sn": "Test",
                                            "givenName": "Contract"},
                             "update": {"description": ["Contract test (updated)"]}}}
        path = os.path.join(folder, "connector.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=1)
        kit = os.path.join(BUILD, "bin", "contract_kit")
        plugin = os.path.join(BUILD, "lib", "idsync", "plugins", "idsync_ldap")
        for cases in ("~[export]", "export: one result per operation*",
                      "export: an update and a delete*"):
            p = DC.in_namespace([kit, "--plugin", plugin, "--connector-config", path, cases],
                                check=False)
            self.assertEqual(p.returncode, 0, cases + "\n" + p.stdout[-20000:] + p.stderr[-5000:])
            self.assertRegex(p.stdout, r"All tests passed \(\d+ assertions in [1-9]\d* test cases?\)")
            self.assertNotIn(DC.admin_password, p.stdout + p.stderr)
            DC.in_namespace(["ldapdelete", "-x", "-H", DC.uri_ldaps, "-D", DC.admin_dn, "-w",
                             DC.admin_password, f"CN=contract,{staff}"], check=False)


if __name__ == "__main__":
    unittest.main()
