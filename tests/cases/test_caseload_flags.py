"""Caseload rows carry last contact, days since, intake deadline and flags; the flag filter narrows them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import trusted
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Case, Contact, Status
from offramp.programs.roles import Role
from tests.conftest import make_case


def rows(client, query=""):
    return {c.pk: c for c in client.get(reverse("cases:caseload") + query).context["page"].object_list}


def test_it_flags_a_participant_with_no_successful_contact_in_the_programs_window(world, login):
    manager = world.users[Role.CASE_MANAGER]
    quiet = make_case(world.program, manager=manager, last="Quiet", contacts=0)  # opened 40 days ago
    attempts_only = make_case(world.program, manager=manager, last="Tried", contacts=0)
    with trusted("tests"):
        Contact.objects.create(
            program=world.program,
            case=attempts_only,
            kind=Contact.Kind.PHONE,
            successful=False,
            at=timezone.now() - dt.timedelta(days=1),
        )
        last_contact_refresh([attempts_only.pk])
    client = login(manager)
    shown = rows(client)
    assert not shown[world.own_case.pk].in_the_wind  # seen three days ago
    assert shown[world.own_case.pk].days_since_contact == 3
    assert shown[quiet.pk].in_the_wind and shown[attempts_only.pk].in_the_wind  # an attempt is not a contact
    assert set(rows(client, "?flag=wind")) == {quiet.pk, attempts_only.pk}
    body = client.get(reverse("cases:caseload")).content.decode()
    assert body.count(">In the wind</span>") == 2


def test_it_uses_the_programs_in_the_wind_days(world, login):
    world.program.configuration = {"in_the_wind_days": 2}
    world.program.save()
    shown = rows(login(world.users[Role.CASE_MANAGER]))
    assert shown[world.own_case.pk].in_the_wind  # three days since the last contact


def test_it_flags_and_filters_overdue_intakes(world, login):
    manager = world.users[Role.CASE_MANAGER]
    overdue = make_case(
        world.program, manager=manager, last="Late", status=Status.REFERRED
    )  # due 10 days ago
    waiting = make_case(world.program, manager=manager, last="Soon", status=Status.REFERRED)
    with trusted("tests"):
        Case.objects.filter(pk=waiting.pk).update(intake_due=timezone.localdate() + dt.timedelta(days=5))
    client = login(manager)
    shown = rows(client)
    assert shown[overdue.pk].intake_overdue and not shown[waiting.pk].intake_overdue
    assert set(rows(client, "?flag=intake_overdue")) == {overdue.pk}
