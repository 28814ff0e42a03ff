from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.accounts import queries
from offramp.demo.views import PEOPLE_PER_CLICK


@require_GET
@login_required
def users(request):
    context = {
        "users": queries.program_users(request.actor),
        "demo_mode": settings.MODE == "demo",
        "demo_people": PEOPLE_PER_CLICK,
    }
    return render(request, "accounts/users.html", context)
