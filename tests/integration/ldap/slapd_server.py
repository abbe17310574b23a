"""A throwaway slapd for the LDAP tests: its own folder, its own CA and server certificate,
an MDB database with the syncprov overlay (RFC 4533 content sync, optionally with a session
log), listening on loopback ports of its own over ldap:// (StartTLS) and ldaps://. Started by
the test, stopped by it (or at interpreter exit), never touching the machine's own slapd.

    with SlapdServer(suffix="dc=example,dc=com", sessionlog=100) as ldap:
        ldap.add_ldif("dn: ou=people,dc=example,dc=com\\nobjectClass: organizationalUnit\\n...")
        ldap.uri_ldaps, ldap.ca_file, ldap.admin_dn, ldap.admin_password
"""
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_port import free_port  # noqa: E402  (re-exported for the tests)

SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
MODULE_DIR = "/usr/lib/ldap"
SCHEMA_DIR = "/etc/ldap/schema"


def run(cmd, timeout=60, **kwargs):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def stop_process(proc):
    """SIGTERM, then SIGKILL after 30 s; closes the pipes the test opened to it."""
    if not proc:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe:
            pipe.close()


def make_certificates(folder):
    """A CA of its own (ca.pem) and a server certificate for 127.0.0.1 (server.pem, server.key)
    in `folder`, so that clients verify the server as they would in production instead of
    switching verification off."""
    p = lambda name: os.path.join(folder, name)
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=idsync test CA", "-keyout", p("ca.key"), "-out", p("ca.pem")])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
         "-keyout", p("server.key"), "-out", p("server.csr")])
    with open(p("san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run(["openssl", "x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey",
         p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("san.ext"), "-out",
         p("server.pem")])
    # Samba refuses a key file others may read.
    os.chmod(p("server.key"), 0o600)


class SlapdServer:
    def __init__(self, suffix="dc=example,dc=com", sessionlog=None):
        self.suffix = suffix
        self.sessionlog = sessionlog
        self.admin_dn = f"cn=admin,{suffix}"
        self.admin_password = "admin-" + os.urandom(6).hex()
        self.dir = None
        self.proc = None

    # --- lifecycle ----------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="idsync-slapd-")
        os.mkdir(self.path("db"))
        make_certificates(self.dir)
        atexit.register(self.stop)
        # slapd cannot take port 0, and says nothing at -d 0 when its ports are taken: a
        # slapd that exits before it answers is started again on other ports.
        for _ in range(5):
            if self._listen_on_fresh_ports():
                break
            stderr = self.proc.stderr.read()
            stop_process(self.proc)
            self.proc = None
        else:
            raise RuntimeError("slapd exited before answering, five times, each on other "
                               "ports:\n" + stderr)
        self.add_ldif(f"dn: {self.suffix}\nobjectClass: dcObject\nobjectClass: organization\n"
                      f"o: idsync tests\ndc: {self.suffix.split(',')[0].split('=')[1]}\n")

    def _listen_on_fresh_ports(self):
        """Starts slapd on two fresh loopback ports; False if it exits before it answers."""
        self.port, self.tls_port = free_port(), free_port()
        while self.tls_port == self.port:
            self.tls_port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.uri_ldaps = f"ldaps://127.0.0.1:{self.tls_port}"
        with open(self.path("slapd.conf"), "w") as f:
            f.write(self._config())
        run(["slaptest", "-u", "-f", self.path("slapd.conf")])
        # -d 0: stay in the foreground (the test owns the process), log nothing.
        self.proc = subprocess.Popen(
            ["slapd", "-f", self.path("slapd.conf"), "-h", f"{self.uri}/ {self.uri_ldaps}/",
             "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                return False
            try:
                # A short timeout: until slapd binds, the port may be another's listener.
                if self.search("", scope="base", attrs=["namingContexts"], check=False,
                               timeout=5).returncode == 0:
                    return True
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("slapd did not answer within 30 s")
            time.sleep(0.05)

    def stop(self):
        stop_process(self.proc)
        self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def path(self, *names):
        return os.path.join(self.dir, *names)

    @property
    def ca_file(self):
        return self.path("ca.pem")

    # --- client helpers (ldap-utils over ldaps, verifying the server against our CA) ---------

    def env(self):
        return dict(os.environ, LDAPTLS_CACERT=self.ca_file, LDAPTLS_REQCERT="demand")

    def add_ldif(self, text):
        return run(["ldapadd", "-x", "-H", self.uri_ldaps, "-D", self.admin_dn, "-w",
                    self.admin_password], input=text, env=self.env())

    def modify_ldif(self, text):
        return run(["ldapmodify", "-x", "-H", self.uri_ldaps, "-D", self.admin_dn, "-w",
                    self.admin_password], input=text, env=self.env())

    def delete(self, dn):
        return run(["ldapdelete", "-x", "-H", self.uri_ldaps, "-D", self.admin_dn, "-w",
                    self.admin_password, dn], env=self.env())

    def search(self, base, scope="sub", flt="(objectClass=*)", attrs=(), extra=(), check=True,
               comments=False, timeout=60):
        """ldapsearch; `comments` keeps its comment lines (sync states, cookies, controls)."""
        cmd = (["ldapsearch", "-x"] + ([] if comments else ["-LLL"]) +
               ["-o", "ldif-wrap=no", "-H", self.uri_ldaps, "-D",
                self.admin_dn, "-w", self.admin_password, "-b", base, "-s", scope] + list(extra) +
               [flt] + list(attrs))
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env())
        if check and p.returncode != 0:
            raise RuntimeError(f"ldapsearch exited {p.returncode}: {p.stderr}")
        return p

    # --- set-up -------------------------------------------------------------------------------

    def _config(self):
        hashed = run(["slappasswd", "-s", self.admin_password]).stdout.strip()
        schemas = "".join(f"include {SCHEMA_DIR}/{s}.schema\n" for s in SCHEMAS)
        sessionlog = f"syncprov-sessionlog {self.sessionlog}\n" if self.sessionlog else ""
        return f"""{schemas}
modulepath {MODULE_DIR}
moduleload back_mdb
moduleload syncprov
pidfile {self.path("slapd.pid")}
argsfile {self.path("slapd.args")}
TLSCACertificateFile {self.path("ca.pem")}
TLSCertificateFile {self.path("server.pem")}
TLSCertificateKeyFile {self.path("server.key")}
sizelimit unlimited

database mdb
maxsize 1073741824
suffix "{self.suffix}"
rootdn "{self.admin_dn}"
rootpw {hashed}
directory {self.path("db")}
index objectClass,entryUUID,entryCSN eq
overlay syncprov
syncprov-checkpoint 100 10
{sessionlog}"""
