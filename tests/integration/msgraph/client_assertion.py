"""Certificate credentials for tests: a self-signed RSA certificate made with openssl, and a
client assertion (an RS256 JWT) signed with `openssl dgst -sha256 -sign`."""
import base64
import hashlib
import json
import os
import subprocess
import time
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_certificate(folder, name):
    """(private key file, certificate PEM text) of a new self-signed RSA certificate."""
    key_file = os.path.join(folder, f"{name}.key")
    cert_file = os.path.join(folder, f"{name}.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-keyout", key_file, "-out", cert_file],
                   check=True, capture_output=True)
    with open(cert_file) as pem:
        return key_file, pem.read()


def certificate_der(certificate_pem):
    return subprocess.run(["openssl", "x509", "-outform", "DER"], input=certificate_pem.encode(),
                          check=True, capture_output=True).stdout


def client_assertion(key_file, certificate_pem, client_id, audience, lifetime=600,
                     not_before=None, thumbprint="x5t", claims=None):
    now = int(time.time())
    der = certificate_der(certificate_pem)
    header = {"alg": "RS256", "typ": "JWT"}
    if thumbprint == "x5t":
        header["x5t"] = b64url(hashlib.sha1(der).digest())
    else:
        header["x5t#S256"] = b64url(hashlib.sha256(der).digest())
    body = {"aud": audience, "iss": client_id, "sub": client_id, "jti": str(uuid.uuid4()),
            "nbf": now if not_before is None else not_before, "iat": now,
            "exp": now + lifetime}
    body.update(claims or {})
    signing_input = (b64url(json.dumps(header).encode()) + "."
                     + b64url(json.dumps(body).encode()))
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file],
                               input=signing_input.encode(), check=True,
                               capture_output=True).stdout
    return signing_input + "." + b64url(signature)
