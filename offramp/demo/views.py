import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from offramp.access.policy import Category, Scope
from offramp.demo.tasks import seed_more
from offramp.jobs.progress import job_start

PEOPLE_PER_CLICK = 250


@require_POST
@login_required
def seed(request):
    """Demo sites only: add synthetic people in the background and show the task's progress."""
    if settings.MODE != "demo":
        raise Http404("Not found")
    actor = request.actor
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    job = job_start(
        seed_more,
        title=f"Adding {PEOPLE_PER_CLICK} synthetic people",
        actor=actor,
        kwargs={"people": PEOPLE_PER_CLICK, "seed": secrets.randbits(32), "slug": actor.program.slug},
    )
    return redirect("jobs:detail", job_id=job.pk)
