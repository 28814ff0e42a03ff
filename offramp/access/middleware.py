from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from offramp.access.scope import Actor

ACTIVE_PROGRAM_KEY = "offramp_program_id"


def client_address(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For is read only through the configured number of proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def actor_for(request: HttpRequest) -> Actor:
    """The signed-in user's actor in their active program (the first one, unless they switched)."""
    return Actor.member_of(
        request.user,
        prefer_program_id=request.session.get(ACTIVE_PROGRAM_KEY),
        source_address=client_address(request),
    )


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = request.actor = actor_for(request)  # type: ignore[attr-defined]
        # Times are stored in UTC and shown in the program's own zone.
        if actor.program is not None:
            timezone.activate(actor.program.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
