from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from offramp.access.fieldcrypt import open_sealed, seal
from offramp.accounts.lockout import ACCOUNT_LOCKED
from offramp.accounts.mfa import has_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Staff accounts are created by a program's administrator; nobody signs themselves up.
        return False

    def pre_login(self, request, user, **kwargs):
        # Every way in (password, SSO) stops at a locked account.
        if getattr(user, "locked_at", None) is not None:
            messages.error(request, ACCOUNT_LOCKED)
            return HttpResponseRedirect(reverse("account_login"))
        return super().pre_login(request, user, **kwargs)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Enrolling a first second factor right after signing in needs no second password prompt;
        # changing or removing one later does.
        user = getattr(context.request, "user", None)
        enrolling = user is not None and user.is_authenticated and not has_second_factor(user)
        if app == "allauth.mfa" and enrolling:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Single sign-on signs in existing staff; it never creates an account.
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets (TOTP secrets, recovery-code seeds) are sealed like narrative notes:
    AES-256-GCM under the field keys, outside the database (offramp/access/fieldcrypt.py)."""

    CONTEXT = "allauth.mfa.authenticator"

    def encrypt(self, text: str) -> str:
        return seal(text, context=self.CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return open_sealed(encrypted_text, context=self.CONTEXT)
