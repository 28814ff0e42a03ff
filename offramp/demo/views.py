import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from offramp.access.policy import CONFIGURE
from offramp.demo.tasks import seed_more
from offramp.jobs.progress import job_start

PEOPLE_PER_CLICK = 250


def demo_context(request) -> dict:
    """Template context: how many people the demo's "add synthetic people" button adds."""
    return {"demo_people": PEOPLE_PER_CLICK}


@require_POST
@login_required
def seed(request):
    """Demo sites only: add synthetic people in the background and show the task's progress."""
    if settings.MODE != "demo":
        raise Http404("Not found")
    actor = request.actor
    actor.require(*CONFIGURE)
    job = job_start(
        seed_more,
        title=f"Adding {PEOPLE_PER_CLICK} synthetic people",
        actor=actor,
        kwargs={"people": PEOPLE_PER_CLICK, "seed": secrets.randbits(32), "slug": actor.program.slug},
    )
    return redirect("jobs:detail", job_id=job.pk)
