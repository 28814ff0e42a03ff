from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.jobs.queries import job_get, job_state


@require_GET
@login_required
def job_detail(request, job_id: int):
    job = job_get(request.actor, job_id)
    state = job_state(job)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "finished": state["finished"], "status_label": state["status"]},
    )


@require_GET
@login_required
def job_progress(request, job_id: int):
    return JsonResponse(job_state(job_get(request.actor, job_id)))
