from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from offramp.ops.health import OK, health_check


@never_cache
@require_GET
def healthz(request):
    """For monitoring and load balancers: 200 when the database answers and a worker beat recently, else 503.

    Shows no data, needs no sign-in; the server's own address is exempt from the HTTPS redirect.
    """
    report = health_check()
    return JsonResponse(report, status=200 if report["status"] == OK else 503)
