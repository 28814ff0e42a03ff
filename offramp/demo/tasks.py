from django_tasks import TaskContext, task

from offramp.demo.generator import seed_program
from offramp.jobs.progress import job_report


@task(takes_context=True)
def seed_more(context: TaskContext, *, people: int, seed: int, slug: str) -> dict:
    """Add synthetic people to a demo program in the background, reporting progress."""
    result = seed_program(
        people=people,
        seed=seed,
        slug=slug,
        progress=lambda done, total, message: job_report(context, done=done, total=total, message=message),
    )
    return {"people": result.people, "cases": result.cases, "contacts": result.contacts}
