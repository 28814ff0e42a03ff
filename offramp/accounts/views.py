from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.accounts import queries


@require_GET
@login_required
def users(request):
    return render(request, "accounts/users.html", {"users": queries.program_users(request.actor)})
