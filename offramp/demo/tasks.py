from django_tasks import TaskContext, task

from offramp.demo.generator import seed_program
from offramp.jobs.progress import job_progress


@task(takes_context=True)
def seed_more(context: TaskContext, *, people: int, seed: int, slug: str) -> dict:
    """Add synthetic people to a demo program in the background, reporting progress."""
    result = seed_program(
        people=people,
        seed=seed,
        slug=slug,
        progress=job_progress(context),
    )
    return {"people": result.people, "cases": result.cases, "contacts": result.contacts}
