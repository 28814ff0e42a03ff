"""Account rules applied on every request: a second factor before anything else."""

from django.conf import settings
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
