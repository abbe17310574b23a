"""The generic LDAP connector ("ldap.generic") against a real slapd, driven through the idsync
CLI the way an admin drives it: full import, then delta imports over RFC 4533 content sync
(refreshOnly) that must each see exactly the changes made in the directory since the last one.

Every scenario runs twice: against a slapd without a session log, which answers a refresh with
a present phase (the connector works out the deletions from the anchors it remembers), and
against one with a session log, which reports deletions itself. GenericContractKit runs the
connector contract kit (tests/contract) against slapd.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_generic_connector
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from idsync_workspace import BUILD, IdsyncWorkspace
from slapd_server import SlapdServer, free_port
from tcp_proxy import TcpProxy

CONNECTOR = "LDAP"


def entry_ldif(dn, *lines):
    return f"dn: {dn}\n" + "".join(line + "\n" for line in lines) + "\n"


def person(dn, uid, cn, sn, mail=None):
    lines = ["objectClass: inetOrgPerson", f"uid: {uid}", f"cn: {cn}", f"sn: {sn}"]
    if mail:
        lines.append(f"mail: {mail}")
    return entry_ldif(dn, *lines)


def ou(dn):
    return entry_ldif(dn, "objectClass: organizationalUnit", f"ou: {dn.split(',')[0][3:]}")


class Directory:
    """The test data in one slapd: OUs people, staff and groups, three users and a group."""

    def __init__(self, ldap):
        self.ldap = ldap
        s = ldap.suffix
        self.people, self.staff, self.groups = f"ou=people,{s}", f"ou=staff,{s}", f"ou=groups,{s}"
        ldap.add_ldif(ou(self.people) + ou(self.staff) + ou(self.groups) +
                      person(self.dn("ann"), "ann", "Ann Archer", "Archer", "ann@example.com") +
                      person(self.dn("bob"), "bob", "Bob Baker", "Baker") +
                      person(self.dn("cy"), "cy", "Cy Cole", "Cole", "cy@example.com") +
                      entry_ldif(f"cn=team,{self.groups}", "objectClass: groupOfNames",
                                 "cn: team", f"member: {self.dn('ann')}",
                                 f"member: {self.dn('bob')}"))

    def dn(self, uid, container=None):
        return f"uid={uid},{container or self.people}"

    def uuid(self, dn):
        out = self.ldap.search(dn, scope="base", attrs=["entryUUID"]).stdout
        return re.search(r"^entryUUID: (\S+)$", out, re.M).group(1)

    def modify(self, dn, *changes):
        self.ldap.modify_ldif(f"dn: {dn}\nchangetype: modify\n" + "-\n".join(changes))

    def modrdn(self, dn, new_rdn, new_superior=None):
        text = f"dn: {dn}\nchangetype: modrdn\nnewrdn: {new_rdn}\ndeleteoldrdn: 1\n"
        if new_superior:
            text += f"newsuperior: {new_superior}\n"
        self.ldap.modify_ldif(text)


def values(obj, name):
    """The values of attribute `name` of a staged object (`idsync cs search --json`), sorted."""
    for key, v in obj["attributes"].items():
        if key.lower() == name.lower():
            return sorted(v)
    return []


class CuttingProxy(TcpProxy):
    """A TCP proxy in front of slapd's plain ldap:// port that drops the connection in the middle
    of a response: right before the `cut_at`-th entry carrying a syncState control. It sees the
    LDAP messages because they are not encrypted (the connector is told to allow that)."""

    MARK = b"1.3.6.1.4.1.4203.1.9.1.2"  # the syncState control's OID, once per synced entry

    def __init__(self, upstream_port, cut_at):
        self.cut_at = cut_at
        self.seen = 0
        self._tail = {}
        super().__init__(upstream_port)

    def from_server(self, index, data):
        tail = self._tail.get(index, b"")
        window = tail + data
        at = window.find(self.MARK)
        while at >= 0:
            self.seen += 1
            if self.seen >= self.cut_at:
                # Up to just before this entry's control, then the connection drops.
                return data[:max(0, at - len(tail))], True
            at = window.find(self.MARK, at + 1)
        self._tail[index] = window[-(len(self.MARK) - 1):]
        return data, False


class GenericConnectorScenarios:
    """Mixed into one TestCase per slapd flavour; SESSIONLOG is set by the subclass."""
    SESSIONLOG = None

    def setUp(self):
        self.ldap = SlapdServer(sessionlog=self.SESSIONLOG)
        self.ldap.start()
        self.addCleanup(self.ldap.stop)
        self.dir = Directory(self.ldap)
        self.ws = IdsyncWorkspace()
        self.addCleanup(self.ws.close)
        self.password = self.ws.secret("bind-password", self.ldap.admin_password)

    # --- helpers ----------------------------------------------------------------------------

    def configure(self, **config):
        base = {"url": self.ldap.uri_ldaps, "ca_file": self.ldap.ca_file,
                "bind_dn": self.ldap.admin_dn, "bind_password": self.password}
        base.update(config)
        self.ws.connector(CONNECTOR, "ldap.generic", base)
        self.ws.write_manifest()

    def run_step(self, profile, check=True):
        result = self.ws.run_profile(CONNECTOR, profile, check=check)
        steps = result.get("steps", [result])
        return steps[-1]

    def delta(self, pending=None, then=None, **expected):
        """A delta import that must succeed with exactly `expected` (adds, updates, renames,
        deletes; the others zero) and leave exactly `pending` (anchor -> pending change; not
        checked when None and changes are expected) in the connector space. `then` checks more
        before a sync consumes the pending changes, so that the next delta import's counters
        and pending changes are its own."""
        step = self.run_step("Delta Import")
        self.assertEqual(step["status"], "success", step)
        counters = step["counters"]
        got = {k: counters.get(k, 0) for k in ("adds", "updates", "renames", "deletes")}
        want = {k: expected.get(k, 0) for k in got}
        self.assertEqual(got, want, step)
        if pending is not None or not expected:
            self.assertEqual(self.pending(), pending or {})
        if then:
            then()  # checks of the pending changes, before the sync consumes them
        self.sync("Delta Sync")
        return step

    def sync(self, profile):
        step = self.run_step(profile)
        self.assertEqual(step["status"], "success", step)

    def show(self, anchor):
        """`idsync cs show` of one staged object."""
        p = self.ws.idsync("cs", "show", "--connector", CONNECTOR, "--anchor", anchor, "--json")
        return json.loads(p.stdout)

    def pending(self):
        return {a: o["pending_change"] for a, o in self.objects().items()
                if o.get("pending_change", "none") != "none"}

    def objects(self):
        return {o["anchor"]: o for o in self.ws.cs(CONNECTOR)}

    def full_import(self):
        step = self.run_step("Full Import")
        self.assertEqual(step["status"], "success", step)
        self.sync("Full Sync")
        return step

    # --- scenarios --------------------------------------------------------------------------

    def test_full_import_then_each_change_in_a_delta(self):
        d = self.dir
        self.configure()
        step = self.full_import()
        self.assertEqual(step["counters"]["adds"], 4, step)

        ann, bob, cy, team = (d.dn("ann"), d.dn("bob"), d.dn("cy"), f"cn=team,{d.groups}")
        dns = {"ann": ann, "bob": bob, "cy": cy, "team": team}
        uuids = {name: d.uuid(dn) for name, dn in dns.items()}
        # Exactly these objects, anchored by entryUUID, at their DNs.
        objects = self.objects()
        self.assertEqual(sorted(objects), sorted(uuids.values()))
        for name, uuid in uuids.items():
            self.assertEqual(objects[uuid]["dn"].lower(), dns[name].lower())
        self.assertEqual(objects[uuids["ann"]]["object_type"], "inetOrgPerson")
        self.assertEqual(objects[uuids["team"]]["object_type"], "groupOfNames")
        self.assertEqual(values(objects[uuids["ann"]], "cn"), ["Ann Archer"])
        self.assertEqual(values(objects[uuids["ann"]], "mail"), ["ann@example.com"])
        self.assertEqual(values(objects[uuids["bob"]], "mail"), [])
        self.assertEqual([v.lower() for v in values(objects[uuids["team"]], "member")],
                         sorted([ann.lower(), bob.lower()]))
        self.assertEqual(values(objects[uuids["cy"]], "entryUUID"), [uuids["cy"]])

        # Nothing changed: nothing to see, twice.
        self.delta()
        self.delta()

        # A move to another OU (newsuperior), RDN kept: only the DN changes. (First, while ann
        # has no other change pending: the host counts a move of a changed object as update.)
        d.modrdn(ann, "uid=ann", d.staff)
        moved_from = lambda: self.show(uuids["ann"])["previous_dn"].lower()
        self.delta(renames=1, pending={uuids["ann"]: "rename"},
                   then=lambda: self.assertEqual(moved_from(), ann.lower()))
        self.assertEqual(self.objects()[uuids["ann"]]["dn"].lower(), d.dn("ann", d.staff).lower())
        ann = d.dn("ann", d.staff)

        # A modify.
        d.modify(ann, "replace: mail\nmail: ann.archer@example.com\n")
        self.delta(updates=1, pending={uuids["ann"]: "update"})
        self.assertEqual(values(self.objects()[uuids["ann"]], "mail"), ["ann.archer@example.com"])

        # A delete.
        d.ldap.delete(cy)
        self.delta(deletes=1, pending={uuids["cy"]: "delete"})
        self.assertNotIn(uuids["cy"], self.objects())

        # A rename (the RDN value changes, so uid does too).
        d.modrdn(bob, "uid=robert")
        self.delta(updates=1, pending={uuids["bob"]: "update"})
        o = self.objects()[uuids["bob"]]
        self.assertEqual(o["dn"].lower(), d.dn("robert").lower())
        self.assertEqual(values(o, "uid"), ["robert"])

        # Group membership: add, then remove.
        d.modify(team, f"add: member\nmember: {ann}\n")
        self.delta(updates=1, pending={uuids["team"]: "update"})
        self.assertIn(ann.lower(),
                      [v.lower() for v in values(self.objects()[uuids["team"]], "member")])
        d.modify(team, f"delete: member\nmember: {bob}\n")
        self.delta(updates=1, pending={uuids["team"]: "update"})
        self.assertNotIn(bob.lower(),
                         [v.lower() for v in values(self.objects()[uuids["team"]], "member")])

        # An add.
        d.ldap.add_ldif(person(d.dn("dee"), "dee", "Dee Dunn", "Dunn"))
        dee = d.uuid(d.dn("dee"))
        self.delta(adds=1, pending={dee: "add"})

        # Several at once, including a delete next to changes.
        d.ldap.delete(d.dn("dee"))
        d.modify(d.dn("robert"), "replace: sn\nsn: Bakerman\n")
        self.delta(updates=1, deletes=1, pending={dee: "delete", uuids["bob"]: "update"})
        self.delta()

        # The connector space holds exactly what the directory holds.
        self.assertEqual(sorted(self.objects()),
                         sorted([uuids["ann"], uuids["bob"], uuids["team"]]))

    def test_container_scope(self):
        d = self.dir
        d.ldap.add_ldif(ou(f"ou=hidden,{d.people}") +
                        person(f"uid=hal,ou=hidden,{d.people}", "hal", "Hal Hidden", "Hidden"))
        self.configure(include_containers=[d.people, d.groups],
                       exclude_containers=[f"ou=hidden,{d.people}"])
        self.full_import()
        self.assertEqual(sorted(o["dn"].lower() for o in self.objects().values()),
                         sorted(x.lower() for x in (d.dn("ann"), d.dn("bob"), d.dn("cy"),
                                                    f"cn=team,{d.groups}")))
        ann_uuid, hal_uuid = d.uuid(d.dn("ann")), d.uuid(f"uid=hal,ou=hidden,{d.people}")

        # Moved out of the included containers: a delete.
        d.modrdn(d.dn("ann"), "uid=ann", d.staff)
        self.delta(deletes=1, pending={ann_uuid: "delete"})
        self.assertNotIn(ann_uuid, self.objects())
        # Out of scope, changed again: still nothing.
        d.modify(d.dn("ann", d.staff), "replace: sn\nsn: Elsewhere\n")
        self.delta()
        # Back in: an add.
        d.modrdn(d.dn("ann", d.staff), "uid=ann", d.people)
        self.delta(adds=1, pending={ann_uuid: "add"})
        self.assertEqual(values(self.objects()[ann_uuid], "sn"), ["Elsewhere"])
        # Into an excluded container: a delete; and one from there into scope: an add.
        d.modrdn(d.dn("bob"), "uid=bob", f"ou=hidden,{d.people}")
        d.modrdn(f"uid=hal,ou=hidden,{d.people}", "uid=hal", d.people)
        bob_uuid = d.uuid(f"uid=bob,ou=hidden,{d.people}")
        self.delta(adds=1, deletes=1, pending={hal_uuid: "add", bob_uuid: "delete"})
        self.assertIn(hal_uuid, self.objects())
        self.assertNotIn(d.uuid(f"uid=bob,ou=hidden,{d.people}"), self.objects())
        # Changes out of scope only: nothing.
        d.ldap.add_ldif(person(d.dn("sam", d.staff), "sam", "Sam Staff", "Staff"))
        d.ldap.delete(f"uid=bob,ou=hidden,{d.people}")
        self.delta()

    def test_rejected_watermark_stops_with_precondition(self):
        # A second slapd, started later, hands out cookies newer than anything the first one
        # has: pointed at the first one, the watermark is refused ("consumer state is newer").
        newer = SlapdServer(sessionlog=self.SESSIONLOG)
        newer.start()
        self.addCleanup(newer.stop)
        other = Directory(newer)
        self.password = self.ws.secret("bind-password-newer", newer.admin_password)
        self.configure(url=newer.uri_ldaps, ca_file=newer.ca_file, bind_dn=newer.admin_dn)
        self.full_import()
        before = self.objects()

        self.password = self.ws.secret("bind-password", self.ldap.admin_password)
        self.configure()
        step = self.run_step("Delta Import", check=False)
        self.assertEqual(step["status"], "stopped-precondition", step)
        self.assertIn("full import is required", step["message"])
        self.assertEqual(self.objects(), before)

        # The watermark did not move: back on the server it came from, the next delta import
        # sees exactly what changed there since the full import.
        self.password = self.ws.secret("bind-password-newer", newer.admin_password)
        self.configure(url=newer.uri_ldaps, ca_file=newer.ca_file, bind_dn=newer.admin_dn)
        other.modify(other.dn("bob"), "replace: sn\nsn: Changed\n")
        self.delta(updates=1, pending={other.uuid(other.dn("bob")): "update"})

    def test_wrong_password_stops_with_configuration(self):
        wrong = "not-the-password-" + os.urandom(4).hex()
        self.password = self.ws.secret("bind-password", wrong)
        self.configure()
        step = self.run_step("Full Import", check=False)
        self.assertEqual(step["status"], "stopped-configuration", step)
        self.assertIn(self.ldap.admin_dn, step["message"])
        self.assertNotIn(wrong, step["message"])
        self.assertEqual(self.ws.cs(CONNECTOR), [])

    def test_unreachable_server_stops_with_connectivity(self):
        self.configure()
        self.full_import()
        before = self.objects()
        self.configure(url=f"ldaps://127.0.0.1:{free_port()}")
        step = self.run_step("Delta Import", check=False)
        self.assertEqual(step["status"], "stopped-connectivity", step)
        self.assertEqual(step["counters"].get("objects", 0), 0, step)
        self.assertEqual(self.objects(), before)
        # The watermark did not move.
        self.configure()
        self.dir.modify(self.dir.dn("cy"), "replace: cn\ncn: Cy Changed\n")
        self.delta(updates=1, pending={self.dir.uuid(self.dir.dn("cy")): "update"})

    def test_lost_state_folder(self):
        d = self.dir
        self.configure()
        self.full_import()
        folders = [os.path.join(root, name) for root, dirs, _ in os.walk(self.ws.dir)
                   for name in dirs if name == "content-sync"]
        self.assertEqual(len(folders), 1, folders)
        shutil.rmtree(folders[0])
        d.ldap.delete(d.dn("cy"))
        if self.SESSIONLOG is None:
            # A present phase, and no record of what the host holds: only a full import helps.
            before = self.objects()
            step = self.run_step("Delta Import", check=False)
            self.assertEqual(step["status"], "stopped-precondition", step)
            self.assertIn("full import is required", step["message"])
            self.assertEqual(self.objects(), before)
            step = self.full_import()
            self.assertEqual(step["counters"]["deletes"], 1, step)
        else:
            # The session log reports the delete; the remembered anchors are not needed.
            self.delta(deletes=1)
        d.ldap.delete(d.dn("bob"))
        self.delta(deletes=1)
        self.delta()

    def test_connection_lost_in_the_middle_of_a_delta(self):
        d = self.dir
        self.configure(page_size=5)
        self.full_import()
        d.ldap.add_ldif("".join(person(d.dn(f"n{i}"), f"n{i}", f"N {i}", "N")
                                for i in range(30)))
        new = {d.uuid(d.dn(f"n{i}")): i for i in range(30)}

        # The connection drops at the 16th entry of the refresh: three pages were committed.
        proxy = CuttingProxy(int(d.ldap.uri.rsplit(":", 1)[1]), cut_at=16)
        self.addCleanup(proxy.close)
        self.configure(page_size=5, url=f"ldap://127.0.0.1:{proxy.port}",
                       allow_plaintext_bind=True)
        step = self.run_step("Delta Import", check=False)
        self.assertEqual(step["status"], "stopped-connectivity", step)
        staged = [a for a, change in self.pending().items() if change == "add"]
        self.assertEqual(len(staged), 15, step)

        # Some of what was committed is deleted before the import runs again. Without a session
        # log only the connector's record of those committed pages can tell the host.
        gone = sorted(staged, key=new.get)[:4]
        for anchor in gone:
            d.ldap.delete(d.dn(f"n{new[anchor]}"))
        self.configure(page_size=5)
        step = self.run_step("Delta Import")
        self.assertEqual(step["status"], "success", step)
        self.assertEqual(sorted(self.objects()),
                         sorted([d.uuid(d.dn(u)) for u in ("ann", "bob", "cy")] +
                                [d.uuid(f"cn=team,{d.groups}")] +
                                [a for a in new if a not in gone]))
        self.sync("Delta Sync")
        self.delta()

    def test_more_changes_than_the_session_log_holds(self):
        # Past its 100 entries the session log no longer covers the watermark: slapd falls back
        # to a present phase, and the deletions come from the remembered anchors.
        d = self.dir
        self.configure()
        self.full_import()
        cy = d.uuid(d.dn("cy"))
        d.ldap.delete(d.dn("cy"))
        d.ldap.add_ldif("".join(person(d.dn(f"m{i}"), f"m{i}", f"M {i}", "M")
                                for i in range(120)))
        for i in range(0, 120, 10):
            d.ldap.delete(d.dn(f"m{i}"))
        self.delta(adds=108, deletes=1)
        self.assertNotIn(cy, self.objects())
        self.assertEqual(len(self.objects()), 3 + 108)
        self.delta()

    def test_delta_pages_and_present_phase_at_scale(self):
        d = self.dir
        self.configure(page_size=7)
        d.ldap.add_ldif("".join(person(d.dn(f"p{i}"), f"p{i}", f"P {i}", "P")
                                for i in range(40)))
        step = self.full_import()
        self.assertEqual(step["counters"]["adds"], 44, step)
        for i in range(0, 40, 4):
            d.ldap.delete(d.dn(f"p{i}"))
        for i in range(1, 40, 4):
            d.modify(d.dn(f"p{i}"), "replace: sn\nsn: Q\n")
        d.ldap.add_ldif("".join(person(d.dn(f"n{i}"), f"n{i}", f"N {i}", "N")
                                for i in range(12)))
        step = self.delta(adds=12, updates=10, deletes=10)
        self.assertGreater(step["counters"].get("pages", 0), 1, step)
        self.assertEqual(len(self.objects()), 44 - 10 + 12)
        self.delta()


class GenericConnectorWithoutSessionLog(GenericConnectorScenarios, unittest.TestCase):
    SESSIONLOG = None


class GenericConnectorWithSessionLog(GenericConnectorScenarios, unittest.TestCase):
    SESSIONLOG = 100


class GenericContractKit(unittest.TestCase):
    """The connector contract kit (tests/contract) against slapd with a session log, export
    cases included."""

    def test_contract_kit(self):
        kit = os.path.join(BUILD, "bin", "contract_kit")
        plugin = os.path.join(BUILD, "lib", "idsync", "plugins", "idsync_ldap")
        with SlapdServer(sessionlog=100) as ldap:
            d = Directory(ldap)
            ldap.add_ldif(person(d.dn("dee"), "dee", "Dee Dunn", "Dunn"))
            # The kit copies this folder for every test case: keep the CA and the secret in it.
            folder = tempfile.mkdtemp(prefix="idsync-ldap-kit-")
            self.addCleanup(shutil.rmtree, folder, True)
            shutil.copy(ldap.ca_file, os.path.join(folder, "ca.pem"))
            secret = os.path.join(folder, "bind-password")
            with open(secret, "w") as f:
                f.write(ldap.admin_password)
            os.chmod(secret, 0o600)
            config = {"type": "ldap.generic",
                      "config": {"url": ldap.uri_ldaps, "ca_file": "ca.pem",
                                 "bind_dn": ldap.admin_dn,
                                 "bind_password": {"file": "bind-password"}},
                      "object_types": [],
                      "min_objects": 5,
                      "export": {"object_type": "inetOrgPerson",
                                 "dn": d.dn("contract"),
                                 "attributes": {"objectClass": ["top", "person",
                                                                "organizationalPerson",
                                                                "inetOrgPerson"],
                                                "uid": "contract", "cn": "Contract Test",
                                                "sn": "Test"},
                                 "update": {"cn": ["Contract Test 2"], "sn": ["Test 2"]}}}
            path = os.path.join(folder, "connector.json")
            with open(path, "w") as f:
                json.dump(config, f, indent=1)
            # Each export case adds the same entry: it is removed between the cases.
            for cases in ("~[export]", "export: one result per operation*",
                          "export: an update and a delete*"):
                p = subprocess.run([kit, "--plugin", plugin, "--connector-config", path, cases],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0,
                                 cases + "\n" + p.stdout[-20000:] + p.stderr[-5000:])
                self.assertRegex(p.stdout,
                                 r"All tests passed \(\d+ assertions in [1-9]\d* test cases?\)")
                self.assertNotIn(ldap.admin_password, p.stdout + p.stderr)
                subprocess.run(["ldapdelete", "-x", "-H", ldap.uri_ldaps, "-D", ldap.admin_dn,
                                "-w", ldap.admin_password, d.dn("contract")],
                               capture_output=True, env=ldap.env(), timeout=60)


if __name__ == "__main__":
    unittest.main()
