"""Account rules applied on every request: a second factor before anything else."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from offramp.accounts.mfa import has_second_factor


class MFAEnrolmentMiddleware:
    """A signed-in user without a second factor may only set one up (or sign out).

    Allowed while enrolling: django-allauth's pages (sign-in, sign-out, MFA set-up,
    re-authentication), static files and the liveness probe.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        self.allowed = ("/accounts/", static, "/healthz")

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed)
            and not has_second_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


PASSWORD_CHANGE_NOTICE = "An administrator set your password. Choose your own before you go on."  # noqa: S105  # nosec B105


class PasswordChangeMiddleware:
    """A user whose password an administrator set may only change it (or sign out) until they do."""

    def __init__(self, get_response):
        self.get_response = get_response
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        self.allowed = ("/accounts/", static, "/healthz")

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.allowed)
        ):
            messages.info(request, PASSWORD_CHANGE_NOTICE)
            return redirect(reverse("account_change_password"))
        return self.get_response(request)
