from django.contrib.auth import get_user_model
from django_tasks import TaskContext, task

from offramp.access.scope import Actor
from offramp.analysis.actions import study_run_execute
from offramp.jobs.progress import job_progress
from offramp.programs.models import Program


@task(takes_context=True)
def study_run_task(context: TaskContext, *, run_id: int, program_id: int, user_id: int | None) -> dict:
    """Run a study in the background, reporting each step; audited under the user who started it."""
    program = Program.objects.get(pk=program_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    label = f"evaluate:{user.get_username()}" if user else "evaluate"
    actor = Actor.system(label, program=program)
    run = study_run_execute(
        actor=actor,
        run_id=run_id,
        progress=job_progress(context),
    )
    return {"run": run.pk, "status": run.status}
