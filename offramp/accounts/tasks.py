from django_tasks import TaskContext, task

from offramp.access.scope import Actor
from offramp.accounts.actions import accounts_expire
from offramp.jobs.progress import job_report


@task(takes_context=True)
def expire_accounts(context: TaskContext) -> dict:
    """Disable idle and expired temporary accounts; queued daily by `offramp accounts-expire`."""
    done = accounts_expire(actor=Actor.system("accounts-expire"))
    message = f"{done['idle']} idle, {done['temporary']} temporary accounts disabled"
    job_report(context, done=1, total=1, message=message)
    return done
