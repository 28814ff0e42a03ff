"""The agenda is built from the caseload's flags since the last meeting, most urgent first."""

import datetime as dt

from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Case, Contact
from offramp.programs.roles import Role
from offramp.referrals.models import Referral
from offramp.workgroup import actions, queries
from offramp.workgroup.models import AgendaItem, Flag
from tests.conftest import make_case
from tests.workgroup.conftest import actor, arrest


def items(meeting):
    with trusted("tests"):
        return {(i.flag, i.case_id) for i in AgendaItem.objects.filter(meeting=meeting)}


def test_it_puts_each_flagged_case_on_the_agenda_under_its_flag(flagged, meeting):
    assert items(meeting) == {
        (Flag.NEW_REFERRAL, flagged.fresh.pk),
        (Flag.INTAKE_OVERDUE, flagged.overdue.pk),
        (Flag.IN_THE_WIND, flagged.wind.pk),
        (Flag.IN_THE_WIND, flagged.quiet.pk),
        (Flag.NEW_ARREST, flagged.arrested.pk),
    }
    entry = AuditEntry.objects.filter(action="create", object_type="Meeting").get()
    assert entry.detail["cases"][Flag.NEW_ARREST] == [flagged.arrested.pk]


def test_it_counts_new_referrals_and_arrests_only_since_the_previous_meeting(flagged, meeting):
    world = flagged.world
    pm = actor(world.users[Role.PROJECT_MANAGER], world.program)
    arrest(world.program, flagged.wind, days_ago=0)  # after the first meeting was created
    later = actions.meeting_create(actor=pm, held_on=timezone.localdate() + dt.timedelta(days=7))
    assert later.flags_since == meeting.created_at
    shown = items(later)
    assert (Flag.NEW_REFERRAL, flagged.fresh.pk) not in shown  # already on the first agenda
    assert (Flag.NEW_ARREST, flagged.arrested.pk) not in shown
    assert (Flag.NEW_ARREST, flagged.wind.pk) in shown
    assert (Flag.IN_THE_WIND, flagged.wind.pk) in shown  # still in the wind: still on the agenda


def test_it_does_not_count_the_arrest_that_opened_the_case(world):
    pm = actor(world.users[Role.PROJECT_MANAGER], world.program)
    newcomer = make_case(world.program, first="Ari", last="Newcomer")  # its own arrest referral
    yesterday = timezone.now() - dt.timedelta(days=1)
    with trusted("tests"):  # referred and opened yesterday: the arrest is the one that brought them in
        Referral.objects.filter(pk=newcomer.referral_id).update(referred_at=yesterday)
        Case.objects.filter(pk=newcomer.pk).update(opened_at=yesterday + dt.timedelta(seconds=5))
    meeting = actions.meeting_create(actor=pm, held_on=timezone.localdate())
    assert (Flag.NEW_ARREST, newcomer.pk) not in items(meeting)


def test_it_lists_the_most_urgent_and_counts_the_rest(world):
    manager = world.users[Role.CASE_MANAGER]
    never = [
        make_case(world.program, manager=manager, last=f"Gone{n}", contacts=0)
        for n in range(queries.AGENDA_LIMIT)
    ]
    seen_lately = make_case(world.program, manager=manager, last="Lately", contacts=0)
    with trusted("tests"):
        Contact.objects.create(
            program=world.program,
            case=seen_lately,
            kind=Contact.Kind.PHONE,
            at=timezone.now() - dt.timedelta(days=31),
        )
        last_contact_refresh([seen_lately.pk])
    meeting = actions.meeting_create(
        actor=actor(world.users[Role.PROJECT_MANAGER], world.program), held_on=timezone.localdate()
    )
    assert {c for f, c in items(meeting) if f == Flag.IN_THE_WIND} == {c.pk for c in never}
    assert meeting.left_off[Flag.IN_THE_WIND] == 1
