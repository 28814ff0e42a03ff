"""A worker that cannot store a task's outcome (the database busy past every wait) keeps trying and then
goes on to the next task, instead of dying and leaving the task "Running".

A real lock held longer than the worker's 60-second wait would make this test slow, so the fault is
injected where it strikes: the two calls that store a task's outcome fail the first time they run.
"""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops.lingering import linger


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_the_outcome_later_and_carries_on(monkeypatch):
    first = linger.enqueue(path="", seconds=0)
    second = linger.enqueue(path="", seconds=0)
    failures = {"set_successful": 1, "set_failed": 1}
    originals = {name: getattr(DBTaskResult, name) for name in failures}

    def busy_once(name):
        def method(self, *args, **kwargs):
            if failures[name]:
                failures[name] -= 1
                raise OperationalError("database is locked")
            return originals[name](self, *args, **kwargs)

        return method

    for name in failures:
        monkeypatch.setattr(DBTaskResult, name, busy_once(name))

    call_command("worker", batch=True, verbosity=0)

    stuck = DBTaskResult.objects.get(pk=first.id)
    assert stuck.status == TaskResultStatus.FAILED
    assert stuck.exception_class_path == "django.db.utils.OperationalError"
    assert DBTaskResult.objects.get(pk=second.id).status == TaskResultStatus.SUCCESSFUL
