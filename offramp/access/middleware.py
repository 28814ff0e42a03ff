from django.conf import settings
from django.utils import timezone

from offramp.access.scope import Actor

ACTIVE_PROGRAM_KEY = "offramp_program_id"


def client_address(request) -> str:
    """The client's address; X-Forwarded-For is read only through the configured number of proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def actor_for(request) -> Actor:
    """The signed-in user's actor in their active program (the first one, unless they switched)."""
    from offramp.programs.models import Membership

    address = client_address(request)
    user = request.user
    if not user.is_authenticated:
        return Actor(user=None, program=None, source_address=address)
    memberships = list(Membership.objects.filter(user=user, is_active=True).select_related("program"))
    chosen = request.session.get(ACTIVE_PROGRAM_KEY)
    programs = {m.program_id: m.program for m in memberships}
    program_id = chosen if chosen in programs else (memberships[0].program_id if memberships else None)
    roles = frozenset(m.role for m in memberships if m.program_id == program_id)
    return Actor(user=user, program=programs.get(program_id), roles=roles, source_address=address)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for(request)
        # Times are stored in UTC and shown in the program's own zone.
        if request.actor.program is not None:
            timezone.activate(request.actor.program.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
