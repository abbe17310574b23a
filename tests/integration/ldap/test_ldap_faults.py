"""What the LDAP connector does when the directory fails it, against a real slapd: a server that
goes away in the middle of a full import (through a proxy that cuts the connection), a referral
into the scope, an oversized value. Each ends the step with a clear status and message, keeps
the watermark, stages nothing half; a dropped connection between pages is reconnected. The full
import reads ahead on a thread of its own: a failure there still commits exactly the pages
before it, and a stop while the server is silent ends the import at once.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ldap_faults
"""
import json
import subprocess
import time
import unittest

from idsync_workspace import IDSYNC, IdsyncWorkspace
from slapd_server import SlapdServer, run
from tcp_proxy import ByteCutter, Staller

ENTRIES = 3000


def people(n, base):
    return "".join(f"dn: uid=p{i:05d},{base}\nobjectClass: inetOrgPerson\nuid: p{i:05d}\n"
                   f"cn: Person {i}\nsn: P{i}\nmail: p{i}@example.com\n"
                   f"description: {'x' * 200}\n\n" for i in range(n))


class LdapFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ldap = SlapdServer(sessionlog=100)
        cls.ldap.start()
        cls.people = f"ou=people,{cls.ldap.suffix}"
        cls.ldap.add_ldif(f"dn: {cls.people}\nobjectClass: organizationalUnit\nou: people\n\n" +
                          people(ENTRIES, cls.people))

    @classmethod
    def tearDownClass(cls):
        cls.ldap.stop()

    def setUp(self):
        self.ws = IdsyncWorkspace()
        self.addCleanup(self.ws.close)
        self.password = self.ws.secret("pw", self.ldap.admin_password)

    def configure(self, url=None, **config):
        settings = {"url": url or self.ldap.uri_ldaps, "ca_file": self.ldap.ca_file,
                    "bind_dn": self.ldap.admin_dn, "bind_password": self.password,
                    "page_size": 100, "timeout_seconds": 5,
                    "include_containers": [self.people]}
        settings.update(config)
        self.ws.connector("Dir", "ldap.generic", settings, object_types=["inetOrgPerson"])
        self.ws.write_manifest()

    def full_import(self, check=False):
        return self.ws.run_profile("Dir", "Full Import", check=check)["steps"][0]

    def test_server_gone_mid_import_stops_the_step_and_the_next_run_resumes(self):
        port = int(self.ldap.uri_ldaps.rsplit(":", 1)[1])
        # Every connection is cut after ~600 KB: the import commits some pages, then the
        # reconnections fail the same way and the step stops.
        with ByteCutter(port, cut_after=600_000) as proxy:
            self.configure(url=f"ldaps://127.0.0.1:{proxy.port}")
            stopped = self.full_import()
        self.assertEqual(stopped["status"], "stopped-connectivity", stopped)
        self.assertGreater(proxy.cuts, 1)
        self.assertGreater(stopped["counters"]["pages"], 0, stopped)
        self.assertLess(stopped["counters"]["objects"], ENTRIES, stopped)
        staged = self.ws.cs("Dir")
        # Only whole pages were committed.
        self.assertEqual(len(staged) % 100, 0, len(staged))

        # The server is back: the import resumes after the last committed page.
        self.configure()
        resumed = self.full_import(check=True)
        self.assertEqual(resumed["status"], "success", resumed)
        self.assertTrue(resumed["resumed"], resumed)
        objects = self.ws.cs("Dir")
        self.assertEqual(len(objects), ENTRIES)
        self.assertEqual(len({o["anchor"] for o in objects}), ENTRIES)

        # And the watermark works: a delta sees exactly a later change.
        self.ldap.modify_ldif(f"dn: uid=p00007,{self.people}\nchangetype: modify\n"
                              "replace: sn\nsn: Changed\n")
        delta = self.ws.run_profile("Dir", "Delta Import", check=True)["steps"][0]
        self.assertEqual((delta["counters"]["objects"], delta["counters"]["updates"]), (1, 1),
                         delta)

    def test_a_connection_dropped_between_pages_is_reconnected(self):
        port = int(self.ldap.uri_ldaps.rsplit(":", 1)[1])
        # Only the first connection is cut: the import reconnects and reads on.
        with ByteCutter(port, cut_after=600_000, cut_connections=1) as proxy:
            self.configure(url=f"ldaps://127.0.0.1:{proxy.port}")
            result = self.full_import()
        self.assertEqual(result["status"], "success", result)
        self.assertEqual(proxy.cuts, 1)
        self.assertGreater(proxy.connections, 1)
        objects = self.ws.cs("Dir")
        self.assertEqual(len({o["anchor"] for o in objects}), ENTRIES)
        self.assertEqual(len(objects), ENTRIES)

    def test_a_referral_into_the_scope_stops_the_import(self):
        referral = f"ou=elsewhere,{self.people}"
        self.ldap.add_ldif(f"dn: {referral}\nobjectClass: referral\nobjectClass: extensibleObject\n"
                           f"ou: elsewhere\nref: ldap://other.example:389/{referral}\n")
        try:
            self.configure()
            result = self.full_import()
            self.assertEqual(result["status"], "stopped-precondition", result)
            self.assertIn(referral, result["message"])
            self.assertIn("ldap://other.example:389", result["message"])
            self.assertEqual(self.ws.cs("Dir"), [])

            # Out of scope, it is no concern.
            self.configure(exclude_containers=[referral])
            self.assertEqual(self.full_import()["status"], "success")
            self.assertEqual(len(self.ws.cs("Dir")), ENTRIES)
        finally:
            # -M (ManageDsaIT): the referral object itself, not what it refers to.
            run(["ldapdelete", "-x", "-M", "-H", self.ldap.uri_ldaps, "-D", self.ldap.admin_dn,
                 "-w", self.ldap.admin_password, referral], env=self.ldap.env())

    def test_an_oversized_value_stops_the_import_naming_object_and_attribute(self):
        self.configure(max_value_bytes=150)
        result = self.full_import()
        self.assertEqual(result["status"], "stopped-data-error", result)
        self.assertIn("description", result["message"])
        self.assertIn("max_value_bytes", result["message"])
        self.assertRegex(result["message"], r"uid=p\d{5}," + self.people)
        self.assertEqual(self.ws.cs("Dir"), [])

    def test_an_error_after_some_pages_commits_exactly_those_pages(self):
        # The 251st entry alone has a value over the limit: the reader fails on the third page
        # of 100, after it handed over two; those two are committed, nothing of the third.
        dn = f"uid=p00250,{self.people}"
        self.ldap.modify_ldif(f"dn: {dn}\nchangetype: modify\nreplace: description\n"
                              f"description: {'y' * 300}\n")
        try:
            self.configure(max_value_bytes=250)
            result = self.full_import()
            self.assertEqual(result["status"], "stopped-data-error", result)
            self.assertIn(dn, result["message"])
            self.assertEqual(result["counters"]["pages"], 2, result)
            self.assertEqual(sorted(o["dn"] for o in self.ws.cs("Dir")),
                             [f"uid=p{i:05d},{self.people}" for i in range(200)])
        finally:
            self.ldap.modify_ldif(f"dn: {dn}\nchangetype: modify\nreplace: description\n"
                                  f"description: {'x' * 200}\n")
        # With the value back in bounds, the import resumes after the second page.
        resumed = self.full_import(check=True)
        self.assertEqual(resumed["status"], "success", resumed)
        self.assertTrue(resumed["resumed"], resumed)
        objects = self.ws.cs("Dir")
        self.assertEqual(len(objects), ENTRIES)
        self.assertEqual(len({o["anchor"] for o in objects}), ENTRIES)

    def test_a_stop_while_the_server_is_silent_ends_the_import_at_once(self):
        port = int(self.ldap.uri_ldaps.rsplit(":", 1)[1])
        # The server goes silent after ~300 KB (some pages), well within a timeout of a minute:
        # the stop must not wait for it.
        with Staller(port, stall_after=300_000) as proxy:
            self.configure(url=f"ldaps://127.0.0.1:{proxy.port}", timeout_seconds=60)
            run = subprocess.Popen(
                self.ws.prefix + [IDSYNC, "--manifest", self.ws.path("idsync.json"),
                                  "run-profile", "--connector", "Dir", "--profile", "Full Import",
                                  "--json"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                self.assertTrue(proxy.stalled.wait(60), "the import never got going")
                time.sleep(0.5)  # the reader is now waiting for the server
                stop = time.monotonic()
                run.terminate()
                out, err = run.communicate(timeout=30)
            finally:
                if run.poll() is None:
                    run.kill()
                    run.communicate()
            took = time.monotonic() - stop
        self.assertLess(took, 5, err)
        stopped = json.loads(out)["steps"][0]
        self.assertEqual(stopped["status"], "stopped-user", stopped)
        self.assertGreater(stopped["counters"]["pages"], 0, stopped)
        self.assertEqual(len(self.ws.cs("Dir")), 100 * stopped["counters"]["pages"], stopped)

        # The committed pages stay; the next run reads on from them.
        self.configure()
        resumed = self.full_import(check=True)
        self.assertEqual(resumed["status"], "success", resumed)
        self.assertTrue(resumed["resumed"], resumed)
        objects = self.ws.cs("Dir")
        self.assertEqual(len(objects), ENTRIES)
        self.assertEqual(len({o["anchor"] for o in objects}), ENTRIES)


if __name__ == "__main__":
    unittest.main()
