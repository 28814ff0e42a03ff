"""The prosecutor's latest decision is on the workgroup agenda for whoever may see the case's legal
coordination: the case team, and the prosecutor where the consent covers legal as well as status."""

import datetime as dt

from django.utils import timezone

from offramp.access.models import Consent, Disclosure
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.legal.models import ProsecutorNote
from offramp.workgroup.models import AgendaItem, Meeting


def _agenda(world, categories):
    now = timezone.now()
    with trusted("tests"):
        Consent.objects.filter(person__in=[world.own_case.person, world.other_case.person]).update(
            categories=categories
        )
        meeting = Meeting.objects.create(
            program=world.program, held_on=now.date(), created_at=now, flags_since=now
        )
        for case in (world.own_case, world.other_case):
            AgendaItem.objects.create(program=world.program, meeting=meeting, case=case, flag="in_the_wind")
            ProsecutorNote.objects.create(
                program=world.program, case=case, decision="hold", at=now - dt.timedelta(days=2)
            )
        ProsecutorNote.objects.create(program=world.program, case=world.own_case, decision="dismiss", at=now)
    return f"/workgroup/{meeting.pk}/"


def test_the_case_team_sees_the_latest_decision(world, login):
    url = _agenda(world, [Category.STATUS])
    page = login(world.users[Role.CASE_MANAGER]).get(url).content.decode()
    assert page.count("Prosecutor's decision") == 1  # own case only for a case manager
    assert "Dismiss (" in page and "Hold (no filing" not in page
    supervisor = login(world.users[Role.CASE_SUPERVISOR]).get(url).content.decode()
    assert supervisor.count("Prosecutor's decision") == 2


def test_the_prosecutor_sees_it_only_where_the_consent_covers_legal_and_it_is_disclosed(world, login):
    url = _agenda(world, [Category.STATUS])
    prosecutor = login(world.users[Role.PROSECUTOR])
    assert "Prosecutor's decision" not in prosecutor.get(url).content.decode()
    with trusted("tests"):
        Meeting.objects.all().delete()
    url = _agenda(world, [Category.STATUS, Category.LEGAL])
    assert prosecutor.get(url).content.decode().count("Prosecutor's decision") == 2
    with trusted("tests"):
        latest = Disclosure.objects.filter(person=world.own_case.person).order_by("-pk").first()
    assert Category.LEGAL in latest.categories
