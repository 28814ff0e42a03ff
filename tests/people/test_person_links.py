"""Two records, one person: the case team links them (never a merge) and splits them again; a split is
remembered, so the pair is not linked again by mistake; the officer is offered a linked person once."""

import datetime as dt
import re

from django.urls import reverse
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.people.actions import ERR_LINK_REASON
from offramp.people.models import Person, PersonLink
from offramp.referrals.actions import protocol_publish_example
from tests.conftest import make_case


def twin(world, manager=None):
    """A second record of Ana Lopez (world.own_case), as a referral under a misspelt name once made."""
    return make_case(
        world.program,
        manager=manager or world.users[Role.CASE_MANAGER],
        first="Anna",
        last="Lopes",
        dob=dt.date(1980, 5, 17),
    )


def link(client, case, other, **extra):
    data = {"other_case": other.pk, "reason": "Same ID card, alias on file", **extra}
    return client.post(reverse("people:profile_link", args=[case.pk]), data)


def test_the_case_team_links_two_records_without_merging_and_splits_them_again(world, login):
    second = twin(world)
    client = login(world.users[Role.CASE_MANAGER])
    assert link(client, world.own_case, second).status_code == 302
    with trusted("tests"):
        (made,) = PersonLink.objects.all()
        assert Person.objects.filter(pk__in=[world.own_case.person_id, second.person_id]).count() == 2
    page = client.get(reverse("people:profile", args=[second.pk])).content.decode()
    assert (
        "Same ID card, alias on file" in page and reverse("people:profile", args=[world.own_case.pk]) in page
    )
    assert AuditEntry.objects.filter(
        action="create", object_type="PersonLink", object_id=str(made.pk)
    ).exists()

    split = client.post(
        reverse("people:profile_split", args=[world.own_case.pk, made.pk]),
        {"reason": "Different mothers' names"},
    )
    assert split.status_code == 302
    page = client.get(reverse("people:profile", args=[world.own_case.pk])).content.decode()
    assert "Split before" in page and "Different mothers&#x27; names" in page

    again = link(client, world.own_case, second)
    assert again.status_code == 400 and "These records were split on" in again.content.decode()
    assert link(client, world.own_case, second, again="on").status_code == 302
    with trusted("tests"):
        assert PersonLink.objects.filter(split_at__isnull=True).count() == 1
        assert PersonLink.objects.count() == 2  # the split stays on record


def test_a_link_needs_a_reason_and_a_record_the_actor_may_change(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    no_reason = link(client, world.own_case, twin(world), reason="")
    assert no_reason.status_code == 400 and escape(ERR_LINK_REASON) in no_reason.content.decode()
    elsewhere = link(client, world.own_case, world.other_case)  # another case manager's participant
    assert (
        elsewhere.status_code == 400
        and "a supervisor can link records on other caseloads" in elsewhere.content.decode()
    )
    assert link(client, world.own_case, world.own_case).status_code == 400
    with trusted("tests"):
        assert not PersonLink.objects.exists()
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    assert link(supervisor, world.own_case, world.other_case).status_code == 302


def test_roles_outside_the_case_team_cannot_link(world, login):
    second = twin(world)
    for role in (Role.OFFICER, Role.PROSECUTOR, Role.PROJECT_MANAGER):
        assert link(login(world.users[role]), world.own_case, second).status_code == 404
    with trusted("tests"):
        assert not PersonLink.objects.exists()


def test_the_officer_is_offered_a_linked_person_once(world, login):
    protocol_publish_example(program=world.program, name="seattle")
    second = twin(world)
    officer = login(world.users[Role.OFFICER])
    typed = {"last_name": "Lopez", "first_name": "Ana", "date_of_birth": "1980-05-17", "key": "k-9"}

    def offered():
        page = officer.post(reverse("referrals:new"), {"step": "person", **typed}).content.decode()
        return len(
            [t for t in re.findall(r'name="match" id="match-[^"]+" value="([^"]+)"', page) if t != "new"]
        )

    assert offered() == 2
    link(login(world.users[Role.CASE_MANAGER]), world.own_case, second)
    assert offered() == 1
