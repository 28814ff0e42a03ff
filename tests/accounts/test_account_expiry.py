"""A daily task disables accounts idle for 90 days and temporary accounts after 72 hours."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.programs.roles import Role


@pytest.mark.django_db(transaction=True)
def test_it_disables_idle_and_expired_temporary_accounts_in_the_worker(world):
    User = get_user_model()
    now = timezone.now()
    idle, recent, temp, fresh_temp = (
        world.users[r] for r in (Role.OFFICER, Role.CASE_MANAGER, Role.EVALUATOR, Role.PROSECUTOR)
    )
    User.objects.filter(pk=idle.pk).update(last_login=now - dt.timedelta(days=91))
    User.objects.filter(pk=recent.pk).update(last_login=now - dt.timedelta(days=89))
    User.objects.filter(pk=temp.pk).update(
        is_temporary=True, date_joined=now - dt.timedelta(hours=73), last_login=now
    )
    User.objects.filter(pk=fresh_temp.pk).update(is_temporary=True, date_joined=now - dt.timedelta(hours=71))
    User.objects.exclude(pk__in=[idle.pk, temp.pk]).filter(last_login__isnull=True).update(last_login=now)

    call_command("accounts-expire", verbosity=0)
    call_command("worker", batch=True, verbosity=0)

    active = dict(User.objects.values_list("pk", "is_active"))
    assert (active[idle.pk], active[recent.pk], active[temp.pk], active[fresh_temp.pk]) == (
        False,
        True,
        False,
        True,
    )
    reasons = dict(AuditEntry.objects.filter(action="disable").values_list("object_id", "detail__reason"))
    assert reasons == {str(idle.pk): "idle", str(temp.pk): "temporary"}
