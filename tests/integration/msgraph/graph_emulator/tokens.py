"""The Microsoft identity platform token endpoint (client credentials flow) and the bearer
check every Graph request goes through.

Clients authenticate with a client secret or with a certificate: a client assertion, an RS256
JWT whose header names the certificate by thumbprint (x5t or x5t#S256) and whose claims are
aud (the token endpoint), iss = sub = client id, jti, exp and nbf. Errors carry the AADSTS codes
of the documented error responses.
"""
import base64
import binascii
import datetime
import hashlib
import json
import os
import secrets
import threading
import time
import urllib.parse
import uuid

from . import certificates
from .graph_errors import GraphError

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
GRAPH_RESOURCES = ("https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000")
CLOCK_SKEW = 300  # seconds of clock difference tolerated on exp/nbf


class TokenError(Exception):
    def __init__(self, status, error, code, description):
        super().__init__(description)
        self.status, self.error, self.code, self.description = status, error, code, description


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenService:
    def __init__(self, tenant, verified_domains, workdir, lifetime):
        self.tenant = tenant
        self.tenant_names = {tenant.lower(), *(d.lower() for d in verified_domains)}
        self.workdir = workdir
        self.lifetime = lifetime
        self.base_url = None  # set once the port is known
        self._lock = threading.Lock()
        self._clients = {}        # client id -> {"secret", "public_key_file", "thumbprints"}
        self._access_tokens = {}  # token -> (client id, expiry as time.time())

    # ---- registration ------------------------------------------------------------------------
    def add_client(self, client_id, secret=None, certificate_pem=None):
        client = {"secret": secret, "public_key_file": None, "thumbprints": set()}
        if certificate_pem:
            der = certificates.certificate_der(certificate_pem)
            client["thumbprints"] = {b64url(hashlib.sha1(der).digest()),
                                     b64url(hashlib.sha256(der).digest())}
            public_key = certificates.public_key_pem(certificate_pem)
            path = os.path.join(self.workdir, f"client-{uuid.uuid4().hex}.pub.pem")
            with open(path, "w") as out:
                out.write(public_key)
            client["public_key_file"] = path
        with self._lock:
            self._clients[client_id] = client

    def set_lifetime(self, seconds):
        self.lifetime = int(seconds)

    # ---- the token endpoint ------------------------------------------------------------------
    def endpoint(self, tenant):
        return f"{self.base_url}/{tenant}/oauth2/v2.0/token"

    def handle(self, tenant, content_type, body, authorization, correlation_id):
        """(status, JSON body) for POST /{tenant}/oauth2/v2.0/token."""
        correlation_id = correlation_id or str(uuid.uuid4())
        try:
            if "application/x-www-form-urlencoded" not in (content_type or "").lower():
                raise TokenError(400, "invalid_request", 900144, "The request body must "
                                 "contain the following parameter: 'grant_type'.")
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                               keep_blank_values=True))
            return 200, self._issue(tenant, form, authorization)
        except TokenError as error:
            trace_id = str(uuid.uuid4())
            stamp = datetime.datetime.now(datetime.timezone.utc)
            return error.status, {
                "error": error.error,
                "error_description": (f"AADSTS{error.code}: {error.description}\r\n"
                                      f"Trace ID: {trace_id}\r\nCorrelation ID: "
                                      f"{correlation_id}\r\nTimestamp: "
                                      f"{stamp.strftime('%Y-%m-%d %H:%M:%SZ')}"),
                "error_codes": [error.code],
                "timestamp": stamp.strftime("%Y-%m-%d %H:%M:%SZ"),
                "trace_id": trace_id, "correlation_id": correlation_id,
                "error_uri": f"https://login.microsoftonline.com/error?code={error.code}"}

    def _issue(self, tenant, form, authorization):
        if tenant.lower() not in self.tenant_names:
            raise TokenError(400, "invalid_request", 90002, f"Tenant '{tenant}' not found. "
                             "Check to make sure you have the correct tenant ID and are signing "
                             "into the correct cloud.")
        if form.get("grant_type") != "client_credentials":
            raise TokenError(400, "unsupported_grant_type", 70003, "The app requested an "
                             "unsupported grant type.")
        secret = form.get("client_secret")
        client_id = form.get("client_id")
        if authorization and authorization.lower().startswith("basic "):
            try:  # client_secret_basic: "client_id:client_secret", each form-url-encoded
                user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise TokenError(401, "invalid_client", 7000215,
                                 "Invalid client secret provided.") from None
            client_id = client_id or urllib.parse.unquote_plus(user)
            secret = urllib.parse.unquote_plus(password)
        if not client_id:
            raise TokenError(400, "invalid_request", 900144, "The request body must contain "
                             "the following parameter: 'client_id'.")
        self._check_scope(form.get("scope"))
        with self._lock:
            client = self._clients.get(client_id)
        if client is None:
            raise TokenError(400, "unauthorized_client", 700016, f"Application with identifier "
                             f"'{client_id}' was not found in the directory '{self.tenant}'. "
                             "This can happen if the application has not been installed by the "
                             "administrator of the tenant or consented to by any user in the "
                             "tenant.")
        if "client_assertion" in form:
            if form.get("client_assertion_type") != ASSERTION_TYPE:
                raise TokenError(400, "invalid_request", 50027, "Invalid client assertion "
                                 "type.")
            self._check_assertion(tenant, client_id, client, form["client_assertion"])
        elif secret is not None:
            if client["secret"] is None or not secrets.compare_digest(
                    secret.encode(), client["secret"].encode()):
                raise TokenError(401, "invalid_client", 7000215, "Invalid client secret "
                                 "provided. Ensure the secret being sent in the request is the "
                                 "client secret value, not the client secret ID, for a secret "
                                 f"added to app '{client_id}'.")
        else:
            raise TokenError(401, "invalid_client", 7000218, "The request body must contain "
                             "the following parameter: 'client_assertion' or 'client_secret'.")
        token = secrets.token_urlsafe(48)
        lifetime = self.lifetime
        with self._lock:
            self._access_tokens[token] = (client_id, time.time() + lifetime)
        return {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
                "access_token": token}

    def _check_scope(self, scope):
        if not scope:
            raise TokenError(400, "invalid_request", 900144, "The request body must contain "
                             "the following parameter: 'scope'.")
        if not scope.endswith("/.default") or " " in scope.strip():
            raise TokenError(400, "invalid_scope", 1002012, f"The provided value for scope "
                             f"{scope} is not valid. Client credential flows must have a scope "
                             "value with /.default suffixed to the resource identifier "
                             "(application ID URI).")
        resource = scope[:-len("/.default")].rstrip("/")
        if resource not in (self.base_url, *GRAPH_RESOURCES):
            raise TokenError(400, "invalid_scope", 70011, "The provided request must include a "
                             f"'scope' input parameter. The provided value for the input "
                             f"parameter 'scope' is not valid. The scope {scope} is not valid.")

    def _check_assertion(self, tenant, client_id, client, assertion):
        def refuse(reason, code=700027):
            raise TokenError(401, "invalid_client", code, reason)
        try:
            header_text, claims_text, signature_text = assertion.split(".")
            header = json.loads(b64url_decode(header_text))
            claims = json.loads(b64url_decode(claims_text))
            signature = b64url_decode(signature_text)
        except (ValueError, binascii.Error):
            refuse("Client assertion failed signature validation. [Reason - The client "
                   "assertion is not a well-formed JWT.]")
        if header.get("alg") != "RS256":
            refuse("Client assertion failed signature validation. [Reason - The algorithm "
                   "is not supported; RS256 is expected.]")
        thumbprint = header.get("x5t#S256") or header.get("x5t")
        if client["public_key_file"] is None or thumbprint not in client["thumbprints"]:
            refuse("Client assertion failed signature validation. [Reason - The key was not "
                   f"found., Thumbprint of key used by client: '{thumbprint}']")
        accepted_audiences = {self.endpoint(tenant),
                              f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"}
        if claims.get("aud") not in accepted_audiences:
            refuse("Client assertion audience claim does not match Realm issuer. Review the "
                   "documentation at https://learn.microsoft.com/entra/identity-platform/"
                   "certificate-credentials.")
        if claims.get("iss") != client_id or claims.get("sub") != client_id:
            refuse("Client assertion contains an invalid iss or sub claim: both must be the "
                   "client id.")
        if not claims.get("jti"):
            refuse("Client assertion must contain a jti claim.")
        now = time.time()
        exp, nbf = claims.get("exp"), claims.get("nbf", 0)
        if not isinstance(exp, (int, float)) or not isinstance(nbf, (int, float)):
            refuse("Client assertion contains invalid exp or nbf claims.")
        if exp <= now - CLOCK_SKEW or nbf > now + CLOCK_SKEW:
            refuse("Client assertion is not within its valid time range. Ensure that nbf and "
                   "exp are correct.", code=700024)
        signing_input = f"{header_text}.{claims_text}".encode()
        if not certificates.verify_rs256(client["public_key_file"], signing_input, signature,
                                         self.workdir):
            refuse("Client assertion failed signature validation. [Reason - The provided "
                   "signature value did not match the expected signature value.]")

    # ---- the bearer check --------------------------------------------------------------------
    def check_bearer(self, authorization):
        """None when the Authorization header carries a live access token, else the 401."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return self._unauthorized("Access token is empty.")
        with self._lock:
            issued = self._access_tokens.get(token.strip())
        if issued is None:
            return self._unauthorized("Access token validation failure. Invalid audience.")
        if issued[1] <= time.time():
            return self._unauthorized("Access token has expired or is not yet valid.")
        return None

    def _unauthorized(self, message):
        challenge = ('Bearer realm="", authorization_uri="https://login.microsoftonline.com/'
                     f'{self.tenant}/oauth2/authorize", client_id="00000003-0000-0000-c000-'
                     '000000000000"')
        return GraphError(401, "InvalidAuthenticationToken", message,
                          headers={"WWW-Authenticate": challenge})
