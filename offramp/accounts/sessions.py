"""Session rules (CJIS 5.5): idle and absolute time-outs, and re-authentication after a role change.

The session records when the user signed in, when they were last seen and a
fingerprint of their roles. A request past the idle limit (30 minutes) or the
absolute limit (12 hours), or from a user whose roles changed since signing in,
ends the session and sends the user back to sign in (with the second factor
again). Disabling a user or changing their roles also deletes their sessions at
once (`sessions_end`).
"""

import hashlib
import time
from urllib.parse import urlencode

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from offramp.access.audit import Action, audit_record
from offramp.access.middleware import client_address
from offramp.access.scope import Actor
from offramp.programs.models import Membership

SIGNED_IN_AT = "offramp_signed_in_at"
LAST_SEEN = "offramp_last_seen"
ROLES = "offramp_roles"

IDLE_MESSAGE = "You were signed out after {minutes} minutes without activity. Sign in again to continue."
ABSOLUTE_MESSAGE = "You were signed out {hours} hours after signing in. Sign in again to continue."
ROLES_MESSAGE = "Your roles changed. Sign in again to continue."


def roles_fingerprint(user) -> str:
    rows = sorted(Membership.objects.filter(user=user, is_active=True).values_list("program_id", "role"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def session_start(request, user) -> None:
    """Called on sign-in: the clock for both time-outs starts now."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[ROLES] = roles_fingerprint(user)


def sessions_end(user, *, actor: Actor, reason: str) -> int:
    """Delete every server session of `user` at once; audited. Returns how many ended."""
    ended = 0
    for session in UserSession.objects.filter(user=user):
        session.end()
        ended += 1
    audit_record(
        actor=actor,
        action=Action.SESSION_END,
        object_type="User",
        object_id=user.pk,
        detail={"reason": reason, "sessions": ended},
    )
    return ended


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                reason, message = expired
                audit_record(
                    actor=Actor(user=user, program=None, source_address=client_address(request)),
                    action=Action.SESSION_END,
                    object_type="User",
                    object_id=user.pk,
                    detail={"reason": reason},
                )
                logout(request)
                messages.info(request, message)
                login = reverse("account_login")
                if request.method == "GET":
                    login += "?" + urlencode({"next": request.get_full_path()})
                return redirect(login)
        return self.get_response(request)

    def _expired(self, request, user):
        session, now = request.session, time.time()
        if SIGNED_IN_AT not in session:
            session_start(request, user)  # a session from before these rules: its clocks start now
            return None
        idle, absolute = settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS
        if now - session[SIGNED_IN_AT] > absolute:
            return "absolute", ABSOLUTE_MESSAGE.format(hours=round(absolute / 3600))
        if now - session.get(LAST_SEEN, 0) > idle:
            return "idle", IDLE_MESSAGE.format(minutes=round(idle / 60))
        if session.get(ROLES) != roles_fingerprint(user):
            return "role_change", ROLES_MESSAGE
        # Write the session only when the time moved on noticeably (at most every minute).
        if now - session[LAST_SEEN] > min(60, idle / 4):
            session[LAST_SEEN] = now
        return None
