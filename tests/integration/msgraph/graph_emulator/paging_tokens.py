"""Opaque, tamper-evident state tokens for $skiptoken and $deltatoken.

The service documents these tokens as opaque: a client must copy the whole nextLink/deltaLink.
Here a token is base64url(JSON state) + "." + a truncated HMAC, so an edited or made-up token is
recognised as invalid instead of being misread.
"""
import base64
import hashlib
import hmac
import json
import secrets


class InvalidToken(Exception):
    pass


class TokenCodec:
    def __init__(self, key=None):
        self._key = key or secrets.token_bytes(32)

    def encode(self, state):
        payload = base64.urlsafe_b64encode(
            json.dumps(state, separators=(",", ":")).encode()).rstrip(b"=")
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return (payload + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()

    def decode(self, token):
        try:
            payload, _, mac = token.encode().partition(b".")
            expected = base64.urlsafe_b64encode(
                hmac.new(self._key, payload, hashlib.sha256).digest()[:12]).rstrip(b"=")
            if not hmac.compare_digest(mac, expected):
                raise InvalidToken(token)
            state = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
        except (ValueError, UnicodeError) as error:
            raise InvalidToken(token) from error
        if not isinstance(state, dict):
            raise InvalidToken(token)
        return state
