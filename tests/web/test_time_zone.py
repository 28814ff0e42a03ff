"""Times are stored in UTC and shown in the program's own time zone."""

import datetime as dt

from django.urls import reverse

from offramp.access.scope import trusted
from offramp.cases.models import Case
from offramp.programs.roles import Role


def test_it_shows_times_in_the_programs_zone(world, login):
    referred = dt.datetime(2026, 3, 1, 3, 30, tzinfo=dt.UTC)  # 20:30 the evening before in Denver
    with trusted("test"):
        Case.objects.filter(pk=world.own_case.pk).update(opened_at=referred)
    page = login(world.users[Role.CASE_MANAGER]).get(reverse("cases:detail", args=[world.own_case.pk]))
    assert "Feb 28, 2026 8:30 PM" in page.content.decode()
    with trusted("test"):
        assert Case.objects.get(pk=world.own_case.pk).opened_at == referred  # stored as given, in UTC
