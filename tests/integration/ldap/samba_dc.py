"""A throwaway Samba AD DC for the Active Directory tests: a domain provisioned into a folder of
its own (`samba-tool domain provision`, no DNS backend), served by one `samba` process inside a
network namespace of the test's own, so that its LDAP, LDAPS and Global Catalog ports cannot
clash with anything on the machine. LDAPS uses a certificate for 127.0.0.1 signed by a CA the
test made, so clients verify it as in production. Every client command runs inside the
namespace (`in_namespace`). Needs root (network namespaces).

    with SambaDC() as dc:
        dc.samba_tool("user", "create", "alice", "Passw0rd-Alice!")
        dc.search(dc.base_dn, flt="(sAMAccountName=alice)", attrs=["objectGUID"])
"""
import atexit
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from slapd_server import make_certificates, run, stop_process


class SambaDC:
    realm = "IDSYNC.TEST"
    domain = "IDSYNC"
    base_dn = "DC=idsync,DC=test"

    def __init__(self):
        self.admin_password = "Adm1n-" + os.urandom(6).hex() + "!"
        self.admin_dn = f"CN=Administrator,CN=Users,{self.base_dn}"
        self.uri_ldaps = "ldaps://127.0.0.1:636"
        self.namespace = None
        self.dir = None
        self.proc = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def path(self, *names):
        return os.path.join(self.dir, *names)

    @property
    def ca_file(self):
        return self.path("tls", "ca.pem")

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="idsync-samba-")
        atexit.register(self.stop)
        os.mkdir(self.path("tls"))
        os.mkdir(self.path("run"))
        make_certificates(self.path("tls"))
        namespace = "idsync-" + os.urandom(4).hex()
        made = subprocess.run(["ip", "netns", "add", namespace], capture_output=True, text=True)
        if made.returncode != 0:
            # A machine that lets no process make a network namespace (a container without the
            # capability) cannot host the DC as the tests need it: say so, do not fail.
            raise unittest.SkipTest("cannot make a network namespace: " + made.stderr.strip())
        self.namespace = namespace
        run(["ip", "netns", "exec", self.namespace, "ip", "link", "set", "lo", "up"])
        run(["samba-tool", "domain", "provision", "--realm", self.realm, "--domain", self.domain,
             "--server-role=dc", "--dns-backend=NONE", "--adminpass", self.admin_password,
             "--targetdir", self.path("dc"), "--option=interfaces=lo",
             "--option=bind interfaces only=yes", "--option=tls enabled=yes",
             f"--option=tls keyfile={self.path('tls', 'server.key')}",
             f"--option=tls certfile={self.path('tls', 'server.pem')}",
             f"--option=tls cafile={self.ca_file}",
             # Run-time files of its own, so that two DCs (parallel tests) never meet.
             f"--option=pid directory={self.path('run')}",
             f"--option=ncalrpc dir={self.path('run', 'ncalrpc')}",
             f"--option=winbindd socket directory={self.path('run', 'winbindd')}"],
            timeout=300)
        # One process, LDAP only: what a directory connector talks to, nothing more. In the
        # foreground (-i) samba ends when its standard input does, so it gets a pipe that stays
        # open until stop().
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.namespace, "samba", "-i", "-M", "single", "-s",
             self.path("dc", "etc", "smb.conf"), "--option=server services=ldap"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while self.search("", scope="base", attrs=["defaultNamingContext"],
                          check=False).returncode != 0:
            if self.proc.poll() is not None:
                raise RuntimeError("samba exited:\n" + self.proc.stderr.read())
            if time.monotonic() > deadline:
                raise RuntimeError("the Samba DC did not answer over LDAPS within 120 s")
            time.sleep(0.2)

    def stop(self):
        stop_process(self.proc)
        self.proc = None
        if self.namespace:
            subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)
            self.namespace = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # --- clients, inside the namespace ------------------------------------------------------

    def in_namespace(self, cmd, check=True, **kwargs):
        env = dict(os.environ, LDAPTLS_CACERT=self.ca_file, LDAPTLS_REQCERT="demand")
        p = subprocess.run(["ip", "netns", "exec", self.namespace] + list(cmd),
                           capture_output=True, text=True, timeout=120, env=env, **kwargs)
        if check and p.returncode != 0:
            raise RuntimeError(f"{cmd[0]} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
        return p

    def samba_tool(self, *args):
        """samba-tool on the DC's database file, as an administrator on the DC itself would set
        a domain up: the tests' own reads and writes go over LDAPS."""
        return run(["samba-tool"] + list(args) +
                   ["-H", self.path("dc", "private", "sam.ldb"), "-s",
                    self.path("dc", "etc", "smb.conf")], timeout=120)

    def search(self, base, scope="sub", flt="(objectClass=*)", attrs=(), extra=(), check=True,
               comments=False):
        cmd = (["ldapsearch", "-x"] + ([] if comments else ["-LLL"]) +
               ["-o", "ldif-wrap=no", "-H", self.uri_ldaps, "-D", self.admin_dn, "-w",
                self.admin_password, "-b", base, "-s", scope] + list(extra) + [flt] + list(attrs))
        return self.in_namespace(cmd, check=check)

    def modify_ldif(self, text):
        return self.in_namespace(["ldapmodify", "-x", "-H", self.uri_ldaps, "-D", self.admin_dn,
                                  "-w", self.admin_password], input=text)

    def modify(self, dn, *changes):
        """One modify of `dn`: each change is LDIF ("replace: title\ntitle: X\n")."""
        return self.modify_ldif(f"dn: {dn}\nchangetype: modify\n" + "-\n".join(changes))

    def connector_config(self, ws, include_containers=()):
        """An ldap.ad connector's config for this DC: ldaps with its CA, the administrator's
        password in a secret file of the workspace `ws`."""
        return {"url": self.uri_ldaps, "ca_file": self.ca_file, "bind_dn": self.admin_dn,
                "bind_password": ws.secret("ad-pw", self.admin_password),
                "include_containers": list(include_containers)}
