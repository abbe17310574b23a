"""Export of the LDAP connector, driven through the `idsync` CLI as an admin drives it: people
from a CSV file (a "file" connector, HR) provisioned by an outbound Provision rule into a slapd
(ldap.generic) and into a Samba AD DC (ldap.ad). Each round runs HR Full Import, HR Full Sync,
the directory's Export, then the directory's Delta Import, which must confirm what the export
sent: nothing left pending, nothing reported as exported but not re-imported.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ldap_export

The Samba tests need root (network namespaces) and are skipped otherwise.
"""
import base64
import csv
import json
import os
import re
import subprocess
import time
import unittest

from idsync_workspace import IDSYNC, IdsyncWorkspace
from samba_dc import SambaDC
from slapd_server import SlapdServer
from tcp_proxy import TcpProxy

HR_COLUMNS = ("employeeId", "givenName", "sn", "displayName", "department", "title", "aliases",
              "uac")
PASSWORD = "Init-Passw0rd-" + os.urandom(4).hex() + "!"


def person(employee_id, n, department, **over):
    row = {"employeeId": employee_id, "givenName": f"Given{n}", "sn": f"Sur{n}",
           "displayName": f"Person {n}", "department": department, "title": f"Title {n}",
           "aliases": "", "uac": "512"}
    row.update(over)
    return row


def inbound_hr():
    direct = [{"flow": "direct", "target": c, "source": c} for c in HR_COLUMNS]
    return {"name": "In from HR", "direction": "inbound", "connector": "HR",
            "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
            "precedence": 100,
            "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId",
                       "case_sensitive": True}]],
            "transformations": direct}


def inbound_join(connector, cs_type, cs_attribute):
    return {"name": f"In from {connector}", "direction": "inbound", "connector": connector,
            "cs_object_type": cs_type, "mv_object_type": "person", "link_type": "Join",
            "precedence": 300,
            "join": [[{"cs_attribute": cs_attribute, "mv_attribute": "employeeId",
                       "case_sensitive": True}]],
            "transformations": []}


def outbound(connector, cs_type, transformations):
    return {"name": f"Out to {connector}", "direction": "outbound", "connector": connector,
            "cs_object_type": cs_type, "mv_object_type": "person", "link_type": "Provision",
            "precedence": 100, "scoping": [[{"attribute": "employeeId", "operator": "ISNOTNULL"}]],
            "transformations": transformations}


class CountingProxy(TcpProxy):
    """A TCP proxy on loopback that counts the bytes the server sends on each connection, and
    can cut its first connection after `cut_after` of them and refuse every later one (a
    directory that goes away in the middle of an export batch and stays away), or hold each
    piece the server sends for `delay` seconds (a slow directory). TLS passes through untouched."""

    def __init__(self, port, cut_after=None, delay=0):
        self.cut_after = cut_after
        self.delay = delay
        self.received = []  # bytes from the server, per connection (a test may clear it)
        self._slot = {}  # connection index -> its place in `received`
        super().__init__(port)

    def admit(self, index):
        if self.cut_after is not None and index > 0:
            return False  # gone for good after the first connection
        self._slot[index] = len(self.received)
        self.received.append(0)
        return True

    def from_server(self, index, data):
        time.sleep(self.delay)
        slot = self._slot[index]
        if self.cut_after is not None:
            data = data[:max(0, self.cut_after - self.received[slot])]
        self.received[slot] += len(data)
        return data, self.cut_after is not None and self.received[slot] >= self.cut_after


def step(result):
    """The one step of a run profile's JSON result."""
    return result["steps"][0]


class ExportCase(unittest.TestCase):
    """A workspace with the HR file connector and one directory connector."""

    directory = None  # the directory connector's name

    def setUp(self):
        self.ws = None
        self.rows = []

    def tearDown(self):
        if self.ws:
            self.ws.close()

    def write_hr(self):
        with open(self.ws.path("hr.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=HR_COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(self.rows)

    def add_hr_connector(self):
        self.ws.connector("HR", "file", {"path": self.ws.path("hr.csv"), "format": "csv",
                                         "anchor_column": "employeeId", "object_type": "person",
                                         "delta_mode": "snapshot"})

    def provision_round(self, check_export=True):
        """HR's changes through to the directory; returns the export's step."""
        self.write_hr()
        self.ws.run_profile("HR", "Full Import")
        self.ws.run_profile("HR", "Full Sync")
        return step(self.ws.run_profile(self.directory, "Export", check=check_export))

    def assert_confirmed(self):
        """The directory's delta import confirms the export: success without warnings (every
        exported value re-imported), and nothing left pending."""
        imported = step(self.ws.run_profile(self.directory, "Delta Import"))
        self.assertEqual(imported["status"], "success", imported)
        self.assertEqual(imported["counters"]["not_reimported"], 0, imported)
        self.assert_settled()
        return imported

    def assert_settled(self):
        """No pending export, and syncing what the directory now holds asks for none: the
        directory holds what the rules want."""
        self.assertEqual(self.pending(), [])
        synced = step(self.ws.run_profile(self.directory, "Full Sync"))
        counters = synced["counters"]
        self.assertEqual((counters["export_adds"], counters["export_updates"],
                          counters["export_deletes"]), (0, 0, 0), synced)
        self.assertEqual(self.pending(), [])

    def pending(self):
        p = self.ws.idsync("pending-exports", "--connector", self.directory, "--json")
        return json.loads(p.stdout)

    def cs_object(self, **attrs):
        filters = []
        for name, value in attrs.items():
            filters += ["--attr", f"{name}={value}"]
        found = self.ws.cs(self.directory, *filters)
        self.assertEqual(len(found), 1, found)
        return found[0]

    def assert_no_password(self, *texts):
        for text in texts:
            self.assertNotIn(PASSWORD, text if isinstance(text, str) else json.dumps(text))


def cs_values(obj, name):
    for attribute, values in obj.get("attributes", {}).items():
        if attribute.lower() == name.lower():
            return values
    return []


class GenericExportTest(ExportCase):
    directory = "Directory"

    def setUp(self):
        super().setUp()
        self.ldap = SlapdServer()
        self.ldap.start()
        self.addCleanup(self.ldap.stop)
        suffix = self.ldap.suffix
        self.ldap.add_ldif("".join(f"dn: ou={ou},{suffix}\nobjectClass: organizationalUnit\n"
                                   f"ou: {ou}\n\n" for ou in ("Sales", "Engineering")))
        self.ws = IdsyncWorkspace()
        self.add_hr_connector()
        self.configure_directory(self.ldap.uri_ldaps)
        self.ws.rule("rules.json", {"rules": [
            inbound_hr(),
            inbound_join(self.directory, "inetOrgPerson", "uid"),
            outbound(self.directory, "inetOrgPerson", [
                # The department is the OU: a new department moves the entry.
                {"flow": "expression", "target": "dn",
                 "expression": f"\"uid=\" & [employeeId] & \",ou=\" & [department] & \",{suffix}\""},
                {"flow": "constant", "target": "objectClass",
                 "value": ["top", "person", "organizationalPerson", "inetOrgPerson"]},
                {"flow": "direct", "target": "uid", "source": "employeeId"},
                {"flow": "direct", "target": "cn", "source": "displayName"},
                {"flow": "direct", "target": "sn", "source": "sn"},
                {"flow": "direct", "target": "givenName", "source": "givenName"},
                {"flow": "direct", "target": "title", "source": "title"},
                # displayName is SINGLE-VALUE: two aliases are a constraint violation.
                {"flow": "direct", "target": "displayName", "source": "aliases"},
                {"flow": "constant", "target": "userPassword", "value": PASSWORD}])]})
        self.ws.write_manifest()

    def configure_directory(self, url):
        self.ws.connector(self.directory, "ldap.generic",
                          {"url": url, "ca_file": self.ldap.ca_file, "bind_dn": self.ldap.admin_dn,
                           "bind_password": self.ws.secret("ldap-pw", self.ldap.admin_password),
                           "timeout_seconds": 10},
                          object_types=["inetOrgPerson"])
        self.ws.write_manifest()

    def dn(self, employee_id, ou):
        return f"uid={employee_id},ou={ou},{self.ldap.suffix}"

    def entry(self, dn, *attrs):
        """{attribute: [values]} of `dn`, or None when it does not exist."""
        p = self.ldap.search(dn, scope="base", attrs=attrs, check=False)
        if p.returncode == 32:
            return None
        self.assertEqual(p.returncode, 0, p.stderr)
        out = {}
        for name, value in re.findall(r"^(\w+): (.*)$", p.stdout, re.M):
            out.setdefault(name, []).append(value)
        return out

    def bind_as(self, dn, password):
        return subprocess.run(["ldapwhoami", "-x", "-H", self.ldap.uri_ldaps, "-D", dn, "-w",
                               password], capture_output=True, text=True, timeout=60,
                              env=self.ldap.env())

    def test_add_update_rename_delete_and_a_refused_value(self):
        self.ws.run_profile(self.directory, "Full Import")  # the empty directory's watermark

        # Round 1: three people are created, with their password.
        self.rows = [person("e1001", 1, "Sales"), person("e1002", 2, "Sales"),
                     person("e1003", 3, "Engineering")]
        export = self.provision_round()
        self.assertEqual(export["status"], "success", export)
        self.assertEqual(export["counters"]["adds"], 3, export)
        one = self.entry(self.dn("e1001", "Sales"), "cn", "sn", "title", "objectClass")
        self.assertEqual(one["cn"], ["Person 1"])
        self.assertEqual(one["title"], ["Title 1"])
        self.assertEqual(sorted(one["objectClass"]),
                         ["inetOrgPerson", "organizationalPerson", "person", "top"])
        who = self.bind_as(self.dn("e1001", "Sales"), PASSWORD)
        self.assertEqual(who.returncode, 0, who.stderr)
        self.assertIn(f"dn:{self.dn('e1001', 'Sales')}", who.stdout)
        self.assertNotEqual(self.bind_as(self.dn("e1001", "Sales"), "wrong").returncode, 0)
        self.assert_confirmed()
        # The export reported the entryUUID, which the connector space now holds the object by.
        uuid = self.entry(self.dn("e1002", "Sales"), "entryUUID")["entryUUID"][0]
        obj = self.cs_object(uid="e1002")
        self.assertEqual(obj["dn"], self.dn("e1002", "Sales"))
        self.assertEqual(obj["anchor"], uuid)

        # Round 2: changed titles, a move to another OU, a leaver. One new title value was
        # also added by hand meanwhile: the value-level add of it is already in effect, which
        # must not fail the update.
        self.rows[1]["title"] = "Promoted;Extra"
        self.rows[2]["department"] = "Sales"
        del self.rows[0]
        self.ldap.modify_ldif(f"dn: {self.dn('e1002', 'Sales')}\nchangetype: modify\n"
                              "add: title\ntitle: Extra\n")
        export = self.provision_round()
        self.assertEqual(export["status"], "success", export)
        counters = export["counters"]
        self.assertEqual((counters["adds"], counters["updates"], counters["deletes"]), (0, 2, 1),
                         export)
        self.assertIsNone(self.entry(self.dn("e1001", "Sales")))
        self.assertEqual(sorted(self.entry(self.dn("e1002", "Sales"), "title")["title"]),
                         ["Extra", "Promoted"])
        self.assertIsNone(self.entry(self.dn("e1003", "Engineering")))
        moved = self.entry(self.dn("e1003", "Sales"), "uid", "entryUUID")
        self.assertEqual(moved["uid"], ["e1003"])
        self.assert_confirmed()
        self.assertEqual(self.cs_object(uid="e1003")["dn"], self.dn("e1003", "Sales"))
        self.assertEqual(sorted(cs_values(self.cs_object(uid="e1002"), "title")),
                         ["Extra", "Promoted"])
        self.assertEqual(self.ws.cs(self.directory, "--attr", "uid=e1001"), [])

        # Round 3: one new person has a value the schema refuses; the other is still added.
        self.rows.append(person("e1004", 4, "Sales", aliases="Four;Quatre"))
        self.rows.append(person("e1005", 5, "Engineering"))
        export = self.provision_round(check_export=False)
        self.assertEqual(export["status"], "completed-export-errors", export)
        self.assertEqual(export["counters"]["adds"], 1, export)
        self.assertIsNotNone(self.entry(self.dn("e1005", "Engineering")))
        self.assertIsNone(self.entry(self.dn("e1004", "Sales")))
        # The server's own message, in the run result and with the pending export.
        self.assertIn("displayName", export["message"], export)
        self.assertIn("multiple values", export["message"], export)
        pending = self.pending()
        self.assertEqual(len(pending), 1, pending)
        error = pending[0]["last_error"]
        self.assertEqual((error["status"], error["kind"]),
                         ("IDSYNC_ERROR", "IDSYNC_ERR_INVALID_VALUE"), error)
        self.assertIn("Constraint violation", error["message"])
        self.assertIn("displayName: multiple values provided", error["message"])
        self.assert_no_password(export, error)
        imported = step(self.ws.run_profile(self.directory, "Delta Import"))
        self.assertEqual(imported["counters"]["not_reimported"], 0, imported)
        self.assertEqual(cs_values(self.cs_object(uid="e1005"), "cn"), ["Person 5"])

    def test_a_connection_lost_mid_batch(self):
        """Every operation of a batch gets one result when the server goes away in the middle
        of it: those sent before succeed, the one in flight and those after are retried, and
        the next export completes the work."""
        port = int(self.ldap.uri_ldaps.rsplit(":", 1)[1])
        self.ws.run_profile(self.directory, "Full Import")
        # What the server sends for an export of one person, then of one more: the cost of
        # connecting (bind, root DSE, schema) and of one operation (add, read of entryUUID).
        proxy = CountingProxy(port)
        self.addCleanup(proxy.close)
        self.configure_directory(f"ldaps://127.0.0.1:{proxy.port}")
        self.rows = [person("e2000", 0, "Sales")]
        self.provision_round()
        self.assertEqual(len(proxy.received), 1, proxy.received)
        one = proxy.received[0]
        proxy.received.clear()
        self.rows.append(person("e2001", 1, "Sales"))
        self.rows.append(person("e2002", 2, "Sales"))
        self.provision_round()
        per_op = proxy.received[0] - one  # two operations instead of one
        setup = one - per_op
        proxy.close()

        # Twenty more people; the connection is cut in the sixth operation's answer, and the
        # server cannot be reached again.
        new = [person(f"e21{n:02d}", n, "Sales") for n in range(20)]
        self.rows += new
        cutter = CountingProxy(port, cut_after=setup + 5 * per_op + per_op // 2)
        self.addCleanup(cutter.close)
        self.configure_directory(f"ldaps://127.0.0.1:{cutter.port}")
        export = self.provision_round(check_export=False)
        self.assertEqual(len(cutter.received), 1, cutter.received)
        # The step stops for connectivity: no next batch is sent into the same wall.
        self.assertEqual(export["status"], "stopped-connectivity", export)
        # Those before the cut are done. The one in flight may have been applied (its answer
        # lost: retried) or, cut while its entryUUID was read back, reported done without an
        # anchor (the next import brings it). TLS framing makes the count vary by one.
        done = export["counters"]["adds"]
        self.assertIn(done, (4, 5, 6, 7), export)
        pending = self.pending()
        self.assertEqual(len(pending), 20 - done, pending)
        for p in pending:
            self.assertEqual(p["last_error"]["status"], "IDSYNC_RETRY", p)
        not_sent = [p for p in pending if p["last_error"]["message"].startswith("not sent: ")]
        self.assertGreaterEqual(len(not_sent), len(pending) - 1, pending)
        self.assert_no_password(export, [p["last_error"] for p in pending])

        # The server is reachable again: the next export sends the rest, the delta import
        # brings what the cut left unconfirmed, and everybody is there once.
        self.configure_directory(self.ldap.uri_ldaps)
        self.ws.run_profile(self.directory, "Export", check=False)
        self.ws.run_profile(self.directory, "Delta Import")
        self.ws.run_profile(self.directory, "Full Sync")
        self.ws.run_profile(self.directory, "Export")
        self.assert_confirmed()
        out = self.ldap.search(f"ou=Sales,{self.ldap.suffix}", flt="(objectClass=inetOrgPerson)",
                               attrs=["uid"]).stdout
        self.assertEqual(sorted(re.findall(r"^uid: (\S+)$", out, re.M)),
                         sorted(r["employeeId"] for r in self.rows))

    def test_a_stopped_export_reports_the_rest_for_the_next_export(self):
        """Stopping the export (SIGTERM to `idsync run-profile`) in the middle of a batch: the
        operations sent are done, every other one is reported as not sent, and the next export
        sends them."""
        port = int(self.ldap.uri_ldaps.rsplit(":", 1)[1])
        self.ws.run_profile(self.directory, "Full Import")
        self.rows = [person(f"e3{n:03d}", n, "Engineering") for n in range(80)]
        self.write_hr()
        self.ws.run_profile("HR", "Full Import")
        self.ws.run_profile("HR", "Full Sync")
        slow = CountingProxy(port, delay=0.02)
        self.addCleanup(slow.close)
        self.configure_directory(f"ldaps://127.0.0.1:{slow.port}")
        run = subprocess.Popen(self.ws.prefix + [IDSYNC, "--manifest", self.ws.path("idsync.json"),
                                                 "run-profile", "--connector", self.directory,
                                                 "--profile", "Export", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Stop once some entries are there.
        deadline = time.monotonic() + 60
        while len(self.ldap_uids()) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        run.terminate()
        out, err = run.communicate(timeout=120)
        export = step(json.loads(out))
        written = len(self.ldap_uids())
        self.assertGreater(written, 0, export)
        self.assertLess(written, 80, export)
        self.assertEqual(export["counters"]["adds"], written, export)
        pending = self.pending()
        self.assertEqual(len(pending), 80 - written, pending)
        self.assertEqual(export["status"], "stopped-user", export)
        # Those the batch did not reach, each with one result saying so.
        for p in pending:
            self.assertEqual(p["last_error"]["status"], "IDSYNC_RETRY", p)
            self.assertTrue(p["last_error"]["message"].startswith(
                "the export was stopped before this operation was sent"), p)

        # The next run finishes the stopped export run (the host resumes it after its last
        # batch, so it sends nothing), and the one after sends the rest.
        self.configure_directory(self.ldap.uri_ldaps)
        resumed = step(self.ws.run_profile(self.directory, "Export", check=False))
        self.assertTrue(resumed["resumed"], resumed)
        self.assertEqual(step(self.ws.run_profile(self.directory, "Export"))["counters"]["adds"],
                         80 - written)
        self.assert_confirmed()
        self.assertEqual(len(self.ldap_uids()), 80)

    def ldap_uids(self):
        out = self.ldap.search(self.ldap.suffix, flt="(objectClass=inetOrgPerson)",
                               attrs=["uid"]).stdout
        return re.findall(r"^uid: (\S+)$", out, re.M)


def ad_dn(n, ou, dc):
    return f"CN=Person {n},OU={ou},{dc.base_dn}"


@unittest.skipUnless(os.geteuid() == 0, "network namespaces need root")
class AdExportTest(ExportCase):
    directory = "AD"

    def setUp(self):
        super().setUp()
        self.dc = SambaDC()
        self.addCleanup(self.dc.stop)
        self.dc.start()
        base = self.dc.base_dn
        for ou in ("Sales", "Engineering"):
            self.dc.in_namespace(["ldapadd", "-x", "-H", self.dc.uri_ldaps, "-D",
                                  self.dc.admin_dn, "-w", self.dc.admin_password],
                                 input=f"dn: OU={ou},{base}\nobjectClass: organizationalUnit\n"
                                       f"ou: {ou}\n")
        self.ws = IdsyncWorkspace(prefix=["ip", "netns", "exec", self.dc.namespace])
        self.add_hr_connector()
        self.ws.connector(self.directory, "ldap.ad",
                          {"url": self.dc.uri_ldaps, "ca_file": self.dc.ca_file,
                           "bind_dn": self.dc.admin_dn,
                           "bind_password": self.ws.secret("ad-pw", self.dc.admin_password),
                           "include_containers": [f"OU=Sales,{base}", f"OU=Engineering,{base}"]},
                          object_types=["user"])
        self.ws.rule("rules.json", {"rules": [
            inbound_hr(),
            inbound_join(self.directory, "user", "sAMAccountName"),
            outbound(self.directory, "user", [
                {"flow": "expression", "target": "dn",
                 "expression": f"\"CN=\" & [displayName] & \",OU=\" & [department] & \",{base}\""},
                {"flow": "direct", "target": "sAMAccountName", "source": "employeeId"},
                {"flow": "expression", "target": "userPrincipalName",
                 "expression": "[employeeId] & \"@idsync.test\""},
                {"flow": "direct", "target": "givenName", "source": "givenName"},
                {"flow": "direct", "target": "sn", "source": "sn"},
                {"flow": "direct", "target": "displayName", "source": "displayName"},
                {"flow": "direct", "target": "title", "source": "title"},
                {"flow": "direct", "target": "userAccountControl", "source": "uac"},
                {"flow": "constant", "target": "unicodePwd", "value": PASSWORD,
                 "apply_once": True}])]})
        self.ws.write_manifest()

    def read(self, dn, *attrs):
        """{attribute: [values]} of `dn` (base64 values decoded to bytes), or None."""
        p = self.dc.search(dn, scope="base", attrs=attrs, check=False)
        if p.returncode == 32:
            return None
        self.assertEqual(p.returncode, 0, p.stderr)
        out = {}
        for name, b64, value in re.findall(r"^([\w-]+)(::?) (.*)$", p.stdout, re.M):
            out.setdefault(name, []).append(base64.b64decode(value) if b64 == "::" else value)
        return out

    def bind_as(self, dn, password):
        # Samba has no Who am I? extended operation: a search of the root DSE binds instead.
        return self.dc.in_namespace(["ldapsearch", "-x", "-H", self.dc.uri_ldaps, "-D", dn, "-w",
                                     password, "-b", "", "-s", "base", "dnsHostName"],
                                    check=False)

    def test_add_with_password_disable_move_delete(self):
        dc = self.dc
        self.ws.run_profile(self.directory, "Full Import")  # the watermark before the export

        # Round 1: three enabled users with their initial password.
        self.rows = [person("e1001", 1, "Sales"), person("e1002", 2, "Sales"),
                     person("e1003", 3, "Sales")]
        self.write_hr()
        self.ws.run_profile("HR", "Full Import")
        self.ws.run_profile("HR", "Full Sync")
        # Waiting adds carry the password, masked: the schema declares unicodePwd secret.
        pending = self.ws.idsync("pending-exports", "--connector", self.directory, "--json").stdout
        self.assertNotIn(PASSWORD, pending)
        self.assertEqual(pending.count('"secret":true') + pending.count('"secret": true'), 3,
                         pending)
        export = step(self.ws.run_profile(self.directory, "Export"))
        self.assertEqual(export["status"], "success", export)
        self.assertEqual(export["counters"]["adds"], 3, export)
        guids = {}
        for n in (1, 2, 3):
            user = self.read(ad_dn(n, "Sales", dc), "objectGUID", "mS-DS-ConsistencyGuid",
                             "userAccountControl", "sAMAccountName")
            self.assertIsNotNone(user, n)
            guids[n] = user["objectGUID"]
            self.assertEqual(user["userAccountControl"], ["512"])
            # The consistency GUID is the objectGUID's bytes, so it can be the source anchor.
            self.assertEqual(user["mS-DS-ConsistencyGuid"], user["objectGUID"])
            self.assertEqual(len(user["objectGUID"][0]), 16)
        who = self.bind_as(ad_dn(2, "Sales", dc), PASSWORD)
        self.assertEqual(who.returncode, 0, who.stderr)
        self.assertNotEqual(self.bind_as(ad_dn(2, "Sales", dc), "wrong").returncode, 0)
        self.confirm_ad()

        # Round 2: one disabled, one renamed and moved to another OU, one leaver.
        self.rows[1]["uac"] = "514"
        self.rows[2]["department"] = "Engineering"
        self.rows[2]["displayName"] = "Person 3b"
        del self.rows[0]
        export = self.provision_round()
        self.assertEqual(export["status"], "success", export)
        counters = export["counters"]
        self.assertEqual((counters["adds"], counters["updates"], counters["deletes"]), (0, 2, 1),
                         export)
        self.assertIsNone(self.read(ad_dn(1, "Sales", dc)))
        self.assertEqual(self.read(ad_dn(2, "Sales", dc), "userAccountControl")
                         ["userAccountControl"], ["514"])
        self.assertNotEqual(self.bind_as(ad_dn(2, "Sales", dc), PASSWORD).returncode, 0)
        self.assertIsNone(self.read(ad_dn(3, "Sales", dc)))
        moved = self.read(ad_dn("3b", "Engineering", dc), "cn", "displayName", "objectGUID")
        self.assertEqual((moved["cn"], moved["displayName"]), (["Person 3b"], ["Person 3b"]))
        self.assertEqual(moved["objectGUID"], guids[3])  # the same object, renamed and moved
        self.assertEqual(self.bind_as(ad_dn("3b", "Engineering", dc), PASSWORD).returncode, 0)
        self.confirm_ad()
        self.assertEqual(self.cs_object(sAMAccountName="e1003")["dn"],
                         ad_dn("3b", "Engineering", dc))
        self.assertEqual(cs_values(self.cs_object(sAMAccountName="e1002"), "userAccountControl"),
                         ["514"])
        self.assertEqual(self.ws.cs(self.directory, "--attr", "sAMAccountName=e1001"), [])

    def confirm_ad(self):
        """The delta import confirms the export, with no issue: unicodePwd is a secret
        attribute (write-only), which the host neither expects back nor sends again. A sync of
        what was imported asks for nothing more, and the password shows nowhere."""
        imported = step(self.ws.run_profile(self.directory, "Delta Import"))
        self.assertEqual(imported["status"], "success", imported)
        self.assertEqual(imported["object_issues"], [], imported)
        self.assertEqual(self.pending(), [])
        synced = step(self.ws.run_profile(self.directory, "Full Sync"))
        self.assertEqual((synced["counters"]["export_adds"], synced["counters"]["export_updates"],
                          synced["counters"]["export_deletes"]), (0, 0, 0), synced)
        self.assertEqual(self.pending(), [])
        history = self.ws.idsync("history", "--json").stdout
        self.assertNotIn(PASSWORD, history)
        for obj in self.ws.cs(self.directory):
            self.assertNotIn(PASSWORD, json.dumps(obj))


if __name__ == "__main__":
    unittest.main()
