"""A program's own wording of the case statuses shows on every staff page that names a status, not only
the case pages: legal coordination, the transitions pages, the workgroup agenda, the lookups, the
timeline, the overview and the prosecutor's notice."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.cases.intake_clock import prosecutor_facts
from offramp.programs.roles import Role
from offramp.referrals.models import Door, Referral
from offramp.workgroup.actions import meeting_create
from offramp.workgroup.queries import actor_for

ACTIVE = "Working together"
REFERRED = "Awaiting a first meeting"


@pytest.fixture
def reworded(world, login):
    """The project manager rewords two statuses on the settings page; the own case is active."""
    saved = login(world.users[Role.PROJECT_MANAGER]).post(
        reverse("sites:settings"), {"status_labels": f"active = {ACTIVE}\nreferred = {REFERRED}"}
    )
    assert saved.status_code == 302
    world.program.refresh_from_db()
    return world


def _main(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode()).split("<main", 1)[1]


def test_the_legal_coordination_pages_speak_the_programs_words(reworded, login):
    world = reworded
    with trusted("tests"):
        Consent.objects.create(
            program=world.program,
            person=world.own_case.person,
            recipient_class=Consent.Recipient.PROSECUTOR,
            categories=[Category.STATUS, Category.LEGAL, Category.IDENTITY],
            purpose="Legal coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )
    client = login(world.users[Role.PROSECUTOR])
    listing = _main(client.get(reverse("legal:list")))
    assert f"<td>{ACTIVE}</td>" in listing and "<td>Active</td>" not in listing
    case = _main(client.get(reverse("legal:case", args=[world.own_case.pk])))
    assert f"<dt>Status</dt><dd>{ACTIVE}</dd>" in case


def test_the_transitions_pages_speak_the_programs_words(reworded, login):
    world = reworded
    client = login(world.users[Role.CASE_MANAGER])
    for name in ("transitions:transfer", "transitions:referrals"):
        page = _main(client.get(reverse(name, args=[world.own_case.pk])))
        assert f"· {ACTIVE}" in page and "· Active" not in page


def test_the_workgroup_agenda_speaks_the_programs_words(reworded, login):
    world = reworded
    with trusted("tests"):  # a new arrest puts the own case on the agenda
        Referral.objects.create(
            program=world.program,
            person=world.own_case.person,
            door=Door.ARREST,
            referred_at=timezone.now() - dt.timedelta(days=2),
            offence_nibrs="35A",
            offence_description="Possession",
            incident_number="26-000777",
        )
    meeting = meeting_create(
        actor=actor_for(world.users[Role.PROJECT_MANAGER], world.program), held_on=timezone.localdate()
    )
    agenda = _main(login(world.users[Role.CASE_MANAGER]).get(reverse("workgroup:agenda", args=[meeting.pk])))
    assert f"<dt>Status</dt><dd>{ACTIVE}</dd>" in agenda
    assert "<dd>Active</dd>" not in agenda


def test_the_lookups_timeline_and_overview_speak_the_programs_words(reworded, login):
    world = reworded
    manager = login(world.users[Role.CASE_MANAGER])
    lookup = _main(
        manager.post(reverse("people:lookup"), {"last_name": "Lopez", "date_of_birth": "1980-05-17"})
    )
    assert f"<dd>{ACTIVE}</dd>" in lookup
    found = _main(manager.post(reverse("people:search"), {"q": "Lopez"}))
    assert ACTIVE in found and ">Active<" not in found
    timeline = _main(manager.get(reverse("cases:timeline", args=[world.own_case.pk])))
    assert f"Status: {REFERRED}" in timeline and "Status: Referred" not in timeline
    overview = _main(login(world.users[Role.PROJECT_MANAGER]).get(reverse("cases:overview")))
    assert f'<span class="stat__label">{ACTIVE}</span>' in overview
    assert f'<span class="stat__label">{REFERRED}</span>' in overview
    caseload = _main(manager.get(reverse("cases:caseload")))
    assert f'<option value="active">{ACTIVE}</option>' in caseload
    assert '<option value="all">All</option>' in caseload  # the filters that are no status keep theirs


def test_the_prosecutors_notice_names_the_status_in_the_programs_words(reworded):
    facts = prosecutor_facts(reworded.own_case, reworded.program)
    assert facts["Case status"] == ACTIVE
