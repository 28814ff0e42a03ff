from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.notifications import actions, queries


@require_GET
@login_required
def inbox(request):
    if request.actor.program is None:
        raise Http404("Not found")
    return render(request, "notifications/inbox.html", {"notices": queries.my_notifications(request.actor)})


@require_POST
@login_required
def mark_read(request, notification_id: int):
    if request.actor.program is None:
        raise Http404("Not found")
    actions.notification_mark_read(actor=request.actor, notification_id=notification_id)
    return redirect("notifications:inbox")
