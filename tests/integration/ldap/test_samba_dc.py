"""The Samba AD DC the Active Directory tests run against: provisioned and started in a network
namespace of the test's own, verified over LDAPS with the test's CA, and serving DirSync
(1.2.840.113556.1.4.841) with a cookie that gives exactly the changes since it, which the AD
connector's delta import is built on. Needs root.

    python3 -m unittest -v test_samba_dc
"""
import os
import re
import subprocess
import unittest

from samba_dc import SambaDC


@unittest.skipUnless(os.geteuid() == 0, "network namespaces need root")
class SambaDCTest(unittest.TestCase):
    def test_serves_ldaps_and_dirsync(self):
        with SambaDC() as dc:
            root = dc.search("", scope="base", attrs=["defaultNamingContext"]).stdout
            self.assertIn(f"defaultNamingContext: {dc.base_dn}", root)

            # The certificate is checked: against another CA the connection is refused.
            p = dc.in_namespace(["env", "LDAPTLS_CACERT=/dev/null", "ldapsearch", "-x", "-H",
                                 dc.uri_ldaps, "-b", "", "-s", "base"], check=False)
            self.assertNotEqual(p.returncode, 0)
            # Outside its namespace, the machine's own loopback does not reach it.
            outside = subprocess.run(
                ["ldapsearch", "-x", "-H", dc.uri_ldaps, "-b", "", "-s", "base",
                 "defaultNamingContext"], capture_output=True, text=True, timeout=60,
                env=dict(os.environ, LDAPTLS_CACERT=dc.ca_file))
            self.assertNotIn(dc.base_dn, outside.stdout)

            dc.samba_tool("user", "create", "alice", "Passw0rd-Alice!")
            dc.samba_tool("user", "create", "carol", "Passw0rd-Carol!")
            users = "(&(objectClass=user)(!(isCriticalSystemObject=TRUE)))"
            first = dc.search(dc.base_dn, flt=users, attrs=["sAMAccountName"],
                              extra=["-E", "!dirSync=0/0"], comments=True).stdout
            self.assertEqual(sorted(re.findall(r"^sAMAccountName: (\S+)$", first, re.M)),
                             ["alice", "carol"])
            cookie = re.search(r"^# cookie:: (\S+)$", first, re.M)
            self.assertIsNotNone(cookie, first)

            # From the cookie: exactly what changed since (a new user, a changed one; not carol).
            dc.samba_tool("user", "create", "bob", "Passw0rd-Bob!")
            dc.modify_ldif(f"dn: CN=alice,CN=Users,{dc.base_dn}\nchangetype: modify\n"
                           "replace: description\ndescription: changed\n")
            delta = dc.search(dc.base_dn, flt=users, attrs=["sAMAccountName", "description"],
                              extra=["-E", f"!dirSync=0/0/{cookie.group(1)}"],
                              comments=True).stdout
            dns = sorted(re.findall(r"^dn: CN=(\w+),", delta, re.M))
            self.assertEqual(dns, ["alice", "bob"], delta)
            self.assertIn("description: changed", delta)
            self.assertIn("sAMAccountName: bob", delta)


if __name__ == "__main__":
    unittest.main()
