"""Sign-in bookkeeping: session clocks start at sign-in; wrong passwords and codes count to the lockout."""

from allauth.account.signals import password_changed
from allauth.mfa.signals import authentication_failed
from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from offramp.access.middleware import client_address
from offramp.accounts.actions import password_changed_record
from offramp.accounts.lockout import login_failure_record, second_factor_failure_record
from offramp.accounts.sessions import session_start


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_start(request, user)
        # Listed for every way of signing in, so that disabling the user can end this session.
        if not request.session.session_key:
            request.session.save()
        UserSession.objects.get_or_create(
            session_key=request.session.session_key,
            defaults={
                "user": user,
                # 0.0.0.0 stands for an unknown client (a test client); it is not a bind address.
                "ip": client_address(request) or "0.0.0.0",  # noqa: S104  # nosec B104
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            },
        )


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username") or credentials.get("email") or "")
    login_failure_record(login=login, source_address=client_address(request) if request is not None else "")


@receiver(authentication_failed)
def count_second_factor_failure(sender, request, user, reauthentication=False, **kwargs):
    second_factor_failure_record(
        user,
        source_address=client_address(request) if request is not None else "",
        reauthentication=reauthentication,
    )


@receiver(password_changed)
def password_changed_by_user(sender, request, user, **kwargs):
    password_changed_record(user=user, source_address=client_address(request) if request is not None else "")
