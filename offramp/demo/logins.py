"""Passwords for the demo's named accounts, one per role."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from offramp.accounts.mfa import demo_totp_enrol
from offramp.demo.generator import DEMO_ACCOUNTS
from offramp.privatefiles import private_write


def demo_password(data_dir: Path | None = None) -> str:
    """One password for every demo login, generated once per data folder and kept there."""
    path = (data_dir or settings.DATA_DIR) / "demo_password"
    if not path.exists():
        private_write(path, f"lead-{secrets.token_hex(4)}-demo")
    return path.read_text(encoding="utf-8").strip()


def demo_logins_enable(password: str) -> list[tuple[str, str]]:
    """Give each named demo account the password; returns (role label, username) pairs."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo logins are never enabled in production mode")
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS.values()])
    }
    logins = []
    for role, (username, _first, _last) in DEMO_ACCOUNTS.items():
        user = users[username]
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        demo_totp_enrol(user)
        logins.append((role.label, username))
    return logins
