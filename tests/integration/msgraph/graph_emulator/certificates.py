"""Certificates through the openssl command-line tool: the emulator's own test CA and server
certificate, and the RS256 signature check of client assertions."""
import base64
import os
import re
import secrets
import subprocess
import tempfile

# P-256 keys: generated in milliseconds, and any TLS client accepts them.
EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
SERVER_EXTENSIONS = """subjectAltName = IP:127.0.0.1
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def openssl(*args, data=None):
    result = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


def create_server_identity(workdir):
    """A CA and a server certificate for 127.0.0.1 signed by it; returns their file names."""
    files = {name: os.path.join(workdir, name) for name in
             ("ca.pem", "ca.key", "server.pem", "server.key", "server.csr", "server.ext")}
    openssl("req", "-x509", *EC_KEY, "-keyout", files["ca.key"], "-out", files["ca.pem"],
            "-days", "7", "-subj", "/CN=idsync Graph emulator test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-new", *EC_KEY, "-keyout", files["server.key"], "-out", files["server.csr"],
            "-subj", "/CN=127.0.0.1")
    with open(files["server.ext"], "w") as ext:
        ext.write(SERVER_EXTENSIONS)
    openssl("x509", "-req", "-in", files["server.csr"], "-CA", files["ca.pem"],
            "-CAkey", files["ca.key"], "-set_serial", "0x" + secrets.token_hex(8),
            "-days", "7", "-extfile", files["server.ext"], "-out", files["server.pem"])
    return {"ca_file": files["ca.pem"], "cert_file": files["server.pem"],
            "key_file": files["server.key"]}


def certificate_der(pem_text):
    match = re.search(r"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", pem_text,
                      re.S)
    if not match:
        raise ValueError("not a PEM certificate")
    return base64.b64decode("".join(match.group(1).split()))


def public_key_pem(certificate_pem):
    return openssl("x509", "-pubkey", "-noout", data=certificate_pem.encode()).decode()


def verify_rs256(public_key_file, signing_input, signature, workdir):
    """True when signature is an RSASSA-PKCS1-v1_5 SHA-256 signature of signing_input."""
    with tempfile.NamedTemporaryFile(dir=workdir, suffix=".sig") as sig:
        sig.write(signature)
        sig.flush()
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", public_key_file,
                                 "-signature", sig.name], input=signing_input,
                                capture_output=True)
    return result.returncode == 0
