"""Never the wrong person: Roberta Hart is not silently taken for Robert Hart; the officer sees a
"possible existing participant" and chooses; a forged or stale choice is refused and changes nothing."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.people.models import Person
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.matches import ERR_STALE, token_for
from offramp.referrals.models import Referral
from tests.conftest import make_case
from tests.referrals.test_referral_divert import FACTS

ROBERTA = {"last_name": "Hart", "first_name": "Roberta", "date_of_birth": "1979-09-09", "key": "k-rh"}


@pytest.fixture
def robert(world):
    protocol_publish_example(program=world.program, name="seattle")
    return make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="Robert",
        last="Hart",
        dob=dt.date(1979, 9, 9),
    )


def choices(page: str) -> list[str]:
    return re.findall(r'name="match" id="match-[^"]+" value="([^"]+)"', page)


def test_the_officer_chooses_someone_new_and_the_card_prints_the_name_given(world, login, robert):
    client = login(world.users[Role.OFFICER])
    page = client.post(reverse("referrals:new"), {"step": "person", **ROBERTA}).content.decode()
    assert "Possible existing participant (active participant)" in page and "Someone new" in page
    assert "Robert " not in page  # nothing about the record but that it may be the same person
    assert choices(page)[-1] == "new"
    second = client.post(reverse("referrals:new"), {"step": "person", **ROBERTA, "match": "new"})
    assert "Step 2 of 3" in second.content.decode()
    response = client.post(reverse("referrals:new"), {"step": "divert", **FACTS, **ROBERTA, "match": "new"})
    assert response.status_code == 302
    with trusted("test"):
        referral = Referral.objects.select_related("person").get(idempotency_key="k-rh")
        assert referral.person_id != robert.person_id
        assert (referral.person.legal_first_name, referral.person.legal_last_name) == ("Roberta", "Hart")
    card = client.get(response["Location"]).content.decode()
    assert "Roberta Hart" in card and "Robert Hart" not in card


def test_a_forged_or_stale_choice_is_refused_and_nothing_changes(world, login, robert):
    client = login(world.users[Role.OFFICER])
    with trusted("test"):
        before = (Person.objects.count(), Referral.objects.count())
    for forged in (
        token_for(world.other_case.person_id, ROBERTA["key"]),  # someone who is not a possible match
        token_for(robert.person_id, "another-form"),  # a choice made on another referral form
        "not-a-token",
    ):
        response = client.post(
            reverse("referrals:new"), {"step": "divert", **FACTS, **ROBERTA, "match": forged}
        )
        assert response.status_code == 200 and escape(ERR_STALE) in response.content.decode()
    with trusted("test"):
        assert (Person.objects.count(), Referral.objects.count()) == before


def test_nobody_like_them_goes_straight_to_the_facts(world, login, robert):
    client = login(world.users[Role.OFFICER])
    fresh = {**ROBERTA, "first_name": "Zed", "last_name": "Quinlan"}
    page = client.post(reverse("referrals:new"), {"step": "person", **fresh}).content.decode()
    assert "Step 2 of 3" in page and "Possible existing participant" not in page
