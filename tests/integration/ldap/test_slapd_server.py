"""The slapd the LDAP tests run against: it starts on loopback with a certificate clients
verify (on other ports when its own are taken before it binds), holds entries, and serves
RFC 4533 content sync (refreshOnly with a cookie), which the generic LDAP connector's delta
import is built on.

    python3 -m unittest -v test_slapd_server
"""
import re
import socket
import subprocess
import unittest
from unittest import mock

import slapd_server
from slapd_server import SlapdServer


def people(n, base):
    return "".join(f"dn: uid=u{i},{base}\nobjectClass: inetOrgPerson\nuid: u{i}\ncn: User {i}\n"
                   f"sn: {i}\n\n" for i in range(n))


class SlapdServerTest(unittest.TestCase):
    def test_serves_ldaps_and_content_sync(self):
        with SlapdServer(sessionlog=100) as ldap:
            base = f"ou=people,{ldap.suffix}"
            ldap.add_ldif(f"dn: {base}\nobjectClass: organizationalUnit\nou: people\n\n" +
                          people(3, base))
            out = ldap.search(base, flt="(objectClass=inetOrgPerson)", attrs=["uid"]).stdout
            self.assertEqual(sorted(re.findall(r"^uid: (\S+)$", out, re.M)), ["u0", "u1", "u2"])

            # The certificate is checked: against another CA the connection is refused.
            env = dict(ldap.env(), LDAPTLS_CACERT="/dev/null")
            p = subprocess.run(["ldapsearch", "-x", "-H", ldap.uri_ldaps, "-b", "", "-s", "base"],
                               capture_output=True, text=True, env=env, timeout=30)
            self.assertNotEqual(p.returncode, 0)

            # Content sync, refreshOnly: the first pass gives every entry and a cookie; after a
            # change and a delete, a pass from that cookie gives just those.
            first = ldap.search(base, flt="(objectClass=inetOrgPerson)", attrs=["uid"],
                                extra=["-E", "!sync=ro"], comments=True).stdout
            uuids = dict((uid, uuid) for uuid, uid in re.findall(
                r"SyncState control, UUID (\S+) added\nuid: (\S+)", first))
            self.assertEqual(sorted(uuids), ["u0", "u1", "u2"])
            cookie = re.search(r"^# cookie: (\S+)$", first, re.M)
            self.assertIsNotNone(cookie, first)
            ldap.modify_ldif(f"dn: uid=u1,{base}\nchangetype: modify\nreplace: cn\ncn: Changed\n")
            ldap.delete(f"uid=u2,{base}")
            delta = ldap.search(base, flt="(objectClass=inetOrgPerson)", attrs=["uid", "cn"],
                                extra=["-E", f"!sync=ro/{cookie.group(1)}"], comments=True).stdout
            self.assertIn("cn: Changed", delta)
            self.assertNotIn("uid: u0", delta)
            self.assertNotIn("uid: u2", delta)
            # The session log reports the delete: u2's UUID in a syncIdSet of deleted entries.
            id_set = re.search(r"# syncUUIDs:\n((?:#\t\S+\n)+)", delta)
            self.assertIsNotNone(id_set, delta)
            self.assertEqual(re.findall(r"#\t(\S+)", id_set.group(1)), [uuids["u2"]])

    def test_starts_again_on_other_ports_when_its_ports_are_taken(self):
        # Another process takes both ports between the probe and slapd's bind: one bound, one
        # listening (a client would get a connection there that never answers LDAP).
        taken = []
        for listen in (False, True):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            if listen:
                s.listen()
            taken.append(s)
        try:
            ports = iter([taken[0].getsockname()[1], taken[1].getsockname()[1]])
            real = slapd_server.free_port
            with mock.patch.object(slapd_server, "free_port",
                                   side_effect=lambda: next(ports, None) or real()):
                with SlapdServer() as ldap:
                    self.assertNotIn(ldap.port, [t.getsockname()[1] for t in taken])
                    self.assertNotIn(ldap.tls_port, [t.getsockname()[1] for t in taken])
                    out = ldap.search(ldap.suffix, scope="base", attrs=["o"]).stdout
                    self.assertIn("o: idsync tests", out)
        finally:
            for s in taken:
                s.close()


if __name__ == "__main__":
    unittest.main()
