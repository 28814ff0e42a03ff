from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.access.policy import Category, Scope
from offramp.accounts import actions, queries
from offramp.demo.views import PEOPLE_PER_CLICK

STATUS_ACTIONS = {
    "unlock": (actions.user_unlock, "{user} was released and can sign in again."),
    "disable": (actions.user_disable, "{user} was disabled and signed out everywhere."),
    "enable": (actions.user_enable, "{user} was enabled."),
}


@require_GET
@login_required
def users(request):
    context = {
        "users": queries.program_users(request.actor),
        "demo_mode": settings.MODE == "demo",
        "demo_people": PEOPLE_PER_CLICK,
    }
    return render(request, "accounts/users.html", context)


@require_POST
@login_required
def user_status(request, user_id: int):
    """An administrator releases a locked account, or disables or enables one."""
    action, done = STATUS_ACTIONS.get(request.POST.get("action", ""), (None, ""))
    if action is None:
        request.actor.require(Category.USERS, Scope.PROGRAM)  # 404 for anyone but an administrator
        return HttpResponseBadRequest("Unknown action")
    try:
        user = action(actor=request.actor, user_id=user_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(user=user))
    return redirect("accounts:users")
