"""Integration tokens: made once, shown once, stored only as a hash. No database."""

import hashlib
import hmac
import secrets

PREFIX = "ofr_"
SHOWN = 12  # characters kept in clear to tell tokens apart on the integrations page


def token_new() -> str:
    """A fresh token: 256 random bits, URL-safe."""
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 of the token. The token carries 256 random bits, so a fast hash cannot be guessed back
    (a slow password hash protects low-entropy secrets and would cost every call)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_hash(token), digest)


def looks_like_token(token: str) -> bool:
    return token.startswith(PREFIX) and 20 < len(token) < 100
