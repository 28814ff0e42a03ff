"""Screen 2 of the officer's referral asks only what the chosen way in and offence need, names each
missing fact where it is asked, and shows met and unmet conditions in words, not colour alone."""

import pytest
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.forms import ERR_INCIDENT_NEEDED, ERR_OFFENCE_NEEDED, ERR_PHONE, ERR_REFERRER_NEEDED
from offramp.referrals.models import Referral

PERSON = {"last_name": "Okafor", "first_name": "Ada", "date_of_birth": "1985-07-09", "key": "screen-2"}
POSSESSION = "RCW 69.50.4013"
PROSTITUTION = "RCW 9A.88.030"
PROSTITUTION_QUESTION = "Is the person promoting prostitution of others?"
AMENABLE = "Is the person amenable to participating?"


@pytest.fixture
def officer(world, login):
    protocol_publish_example(program=world.program, name="seattle")
    return login(world.users[Role.OFFICER])


def post(client, step, **data):
    return client.post(reverse("referrals:new"), {"step": step, **PERSON, **data}).content.decode()


def test_it_asks_first_how_the_person_came_in_plain_words(officer):
    page = post(officer, "person")
    assert "How did the person come to the program?" in page
    assert "Door" not in page
    assert "Community referral: someone else referred the person" in page
    assert AMENABLE not in page  # nothing else until the way in and the offence are chosen


def test_it_asks_no_prostitution_question_for_a_possession_arrest(officer):
    page = post(officer, "scope", door="arrest", statute=POSSESSION)
    assert AMENABLE in page and "Quantity (grams)" in page and "Incident number" in page
    assert PROSTITUTION_QUESTION not in page
    assert "Referral from" not in page and "Who referred the person?" not in page


def test_it_asks_the_prostitution_question_for_a_prostitution_arrest_without_quantity(officer):
    page = post(officer, "scope", door="arrest", statute=PROSTITUTION)
    assert PROSTITUTION_QUESTION in page
    assert "Quantity (grams)" not in page  # the limit weighs possession only


def test_it_asks_a_community_referral_who_referred_and_no_offence(officer):
    page = post(officer, "scope", door="community", statute="")
    assert "Who referred the person?" in page and "Their agency or organisation" in page
    assert "Their phone" in page
    assert "Incident number" not in page and "Quantity (grams)" not in page
    assert "Date of the verified prior activity" not in page


def test_it_asks_a_social_contact_for_the_verified_prior_activity(officer):
    page = post(officer, "scope", door="social_contact", statute=POSSESSION)
    assert "Date of the verified prior activity" in page
    assert "Who referred the person?" not in page


def test_it_names_the_missing_offence_where_it_is_asked(officer):
    page = post(officer, "scope", door="arrest", statute="")
    assert ERR_OFFENCE_NEEDED.format(door="an arrest diversion") in page
    assert AMENABLE not in page


def test_it_names_the_missing_incident_number_at_its_field(officer):
    page = post(officer, "facts", door="arrest", statute=POSSESSION, fact_amenable="yes")
    assert ERR_INCIDENT_NEEDED in page
    assert 'id="id_incident_number_error"' in page
    assert "Step 2 of 3" in page and "Needs review" not in page


def test_it_names_an_unanswered_question_at_that_question(officer):
    page = post(
        officer,
        "facts",
        door="arrest",
        statute=POSSESSION,
        incident_number="26-1",
        quantity_grams="1",
        fact_exploits_minors="no",
        history_violent="clear",
    )
    assert "Step 2 of 3" in page
    assert f"Not yet answered: {AMENABLE} (needed for: Amenable to participating)." in page


def test_it_refuses_a_community_referral_without_who_referred_and_a_bad_phone(officer):
    page = post(officer, "facts", door="community", referrer_phone="call me")
    assert ERR_REFERRER_NEEDED in page and ERR_PHONE in page


def test_it_diverts_a_community_referral_with_its_referrer_and_no_offence(officer, world):
    facts = {
        "door": "community",
        "referrer_name": "Rosa Díaz",
        "referrer_agency": "Belltown Outreach",
        "referrer_phone": "(206) 555-0142",
        "fact_exploits_minors": "no",
        "fact_amenable": "yes",
        "history_violent": "clear",
    }
    decision = post(officer, "facts", **facts)
    assert "A community referral needs no offence." in decision
    response = officer.post(reverse("referrals:new"), {"step": "divert", **PERSON, **facts})
    assert response.status_code == 302
    with trusted("test"):
        referral = Referral.objects.get(idempotency_key="screen-2")
    assert (referral.referrer_name, referral.referrer_agency, referral.referrer_phone) == (
        "Rosa Díaz",
        "Belltown Outreach",
        "(206) 555-0142",
    )
    assert (referral.offence_statute, referral.offence_nibrs) == ("", "")


def test_it_marks_met_and_unmet_conditions_in_words(officer):
    page = post(
        officer,
        "facts",
        door="arrest",
        statute=POSSESSION,
        incident_number="26-2",
        quantity_grams="5",
        fact_exploits_minors="no",
        fact_amenable="yes",
        history_violent="clear",
    )
    assert "Not eligible" in page
    assert '<strong class="reason__word">Not met:</strong>' in page
    assert '<strong class="reason__word">Met:</strong>' in page
    assert "5 g is not under the limit of 3 g." in page


COMMUNITY = {
    "door": "community",
    "referrer_name": "Rosa Díaz",
    "fact_exploits_minors": "no",
    "fact_amenable": "yes",
    "history_violent": "clear",
}


def test_it_offers_the_programs_own_areas_and_keeps_the_one_chosen(officer, world):
    world.program.configuration = {
        **(world.program.configuration or {}),
        "areas": {"North precinct": [47.7, -122.33], "East precinct": [47.61, -122.3]},
    }
    world.program.save(update_fields=["configuration"])
    page = post(officer, "scope", door="community", statute="")
    assert '<select name="area"' in page
    assert '<option value="North precinct">North precinct</option>' in page and "Not listed" in page
    refused = post(officer, "facts", **COMMUNITY, area="Nowhere beat")
    assert "Select a valid choice" in refused and "Step 2 of 3" in refused
    response = officer.post(
        reverse("referrals:new"), {"step": "divert", **PERSON, **COMMUNITY, "area": "East precinct"}
    )
    assert response.status_code == 302
    with trusted("test"):
        assert Referral.objects.get(idempotency_key="screen-2").area == "East precinct"


def test_without_areas_the_officer_types_the_precinct(officer):
    page = post(officer, "scope", door="community", statute="")
    assert '<input type="text" name="area"' in page
