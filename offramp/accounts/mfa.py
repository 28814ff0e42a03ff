"""Second factors: who has one, and the demo's pre-enrolled authenticator codes.

Every staff account needs a second factor (TOTP or a WebAuthn security key,
through django-allauth's MFA app); `MFAEnrolmentMiddleware` sends a signed-in
user without one to set it up. Demo and test sites pre-enrol their named
accounts with a TOTP secret derived from a key kept in the data folder, so the
demo is usable at once: `offramp demo-code USERNAME` prints the current code.
"""

import base64
import hashlib
import hmac
import secrets
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings

from offramp.privatefiles import private_write

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
DEMO_TOTP_KEY_FILE = "demo_totp_key"


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def _demo_key() -> bytes:
    if settings.PRODUCTION:
        raise RuntimeError("Demo authenticators are never used in production mode")
    path = settings.DATA_DIR / DEMO_TOTP_KEY_FILE
    if not path.exists():
        private_write(path, secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="utf-8").strip())


def demo_totp_secret(username: str) -> str:
    """A TOTP secret for one demo or test account, stable for this install's data folder."""
    digest = hmac.new(_demo_key(), f"totp:{username}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def totp_code(secret: str, at: float | None = None) -> str:
    """The authenticator code for `secret` at a moment (now by default)."""
    from allauth.mfa import app_settings

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def demo_totp_enrol(user) -> bool:
    """Give a demo or test account its TOTP authenticator unless it has a second factor; True if added."""
    if has_second_factor(user):
        return False
    TOTP.activate(user, demo_totp_secret(user.get_username()))
    return True


def demo_totp_code(user) -> str | None:
    """The current code of a demo account's pre-enrolled authenticator, or None for any other account."""
    from allauth.mfa.utils import decrypt

    if settings.MODE != "demo":
        return None
    secret = demo_totp_secret(user.get_username())
    for totp in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        if decrypt(totp.data["secret"]) == secret:
            return totp_code(secret)
    return None
