"""The officer's referral: three screens, a decision with reasons, and a diversion recorded once."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Status, StatusChange
from offramp.notifications.models import Notification
from offramp.people.models import Alias, Person
from offramp.programs.roles import Role
from offramp.referrals.actions import ERR_INELIGIBLE, protocol_publish_example
from offramp.referrals.matches import ERR_CHOOSE
from offramp.referrals.models import Referral
from tests.markup import without_tokens

PERSON = {"last_name": "Marsh", "first_name": "Tobias", "date_of_birth": "1988-02-03", "key": "k-1"}
FACTS = {
    "door": "arrest",
    "statute": "RCW 69.50.4013",
    "incident_number": "26-123456",
    "quantity_grams": "1.2",
    "substance": "heroin",
    "location": "Third and Pine",
    "area": "Downtown",
    "fact_exploits_minors": "no",
    "fact_promotes_prostitution": "no",
    "fact_amenable": "yes",
    "history_violent": "clear",
}


@pytest.fixture
def seattle(world):
    return protocol_publish_example(program=world.program, name="seattle")


def post(client, step, **data):
    return client.post(reverse("referrals:new"), {"step": step, **PERSON, **FACTS, **data})


def counts():
    with trusted("test"):
        return Person.objects.count(), Referral.objects.count(), Case.objects.count()


def test_it_walks_three_screens_to_a_decision_with_reasons(world, login, seattle):
    client = login(world.users[Role.OFFICER])
    first = client.get(reverse("referrals:new")).content.decode()
    assert "Step 1 of 3: who is it?" in first and 'name="key"' in first
    second = client.post(reverse("referrals:new"), {"step": "person", **PERSON}).content.decode()
    assert "Step 2 of 3" in second and "Not known" in second
    assert "How did the person come to the program?" in second
    questions = post(client, "scope").content.decode()
    assert "Is the person amenable to participating?" in questions
    third = post(client, "facts").content.decode()
    assert "Step 3 of 3" in third and "Eligible" in third
    assert "Possession of a controlled substance (RCW 69.50.4013; NIBRS 35A" in third
    assert "1.2 g is within the 3 g limit." in third
    assert "Divert and call the case manager" in third


def test_it_diverts_once_and_starts_the_warm_handoff(
    world, login, seattle, django_capture_on_commit_callbacks
):
    client = login(world.users[Role.OFFICER])
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "divert")
    with trusted("test"):
        referral = Referral.objects.get(idempotency_key="k-1")
        case = Case.objects.get(referral=referral)
        history = list(StatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:handoff", args=[referral.pk])
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert (referral.door, referral.incident_number, referral.decision) == ("arrest", "26-123456", "eligible")
    assert referral.protocol_version == seattle
    assert referral.decision_reasons[0] == {
        "rule": "door.open",
        "outcome": "eligible",
        "review_by": None,
        "message": "This program takes arrest diversion referrals.",
    }
    assert referral.decision_facts["quantity_grams"] == 1.2
    assert (case.status, history) == (Status.REFERRED, [Status.REFERRED])
    today = referral.referred_at.astimezone(world.program.zone).date()
    assert case.intake_due == today + dt.timedelta(days=30)
    # The on-call case manager: the one with the fewest open cases (the world's two each have one).
    manager = world.users[Role.CASE_MANAGER]
    assert case.case_manager == referral.handoff_to == manager
    assert referral.handoff_requested_at == referral.referred_at
    with trusted("test"):
        notice = Notification.objects.get(recipient=manager)
    assert notice.title == "Warm hand-off: Tobias Marsh, referred by Officer"
    assert notice.url == reverse("referrals:arrival", args=[referral.pk])  # "I am with the person now"
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Third and Pine" in mail.outbox[0].body
    assert "Marsh" not in mail.outbox[0].body  # mail leaves the system: no names in it
    audited = set(AuditEntry.objects.filter(action="create").values_list("object_type", flat=True).distinct())
    assert {"Person", "Referral", "Case", "Notification"} <= audited


def test_it_never_creates_two_referrals_from_one_form(world, login, seattle):
    client = login(world.users[Role.OFFICER])
    first = post(client, "divert")
    before = counts()
    again = post(client, "divert")  # the double tap, or a retry after a lost response
    assert again["Location"] == first["Location"]
    assert counts() == before
    with trusted("test"):
        assert Notification.objects.filter(kind=Notification.Kind.HANDOFF).count() == 1


def test_it_refuses_to_divert_an_ineligible_referral(world, login, seattle):
    client = login(world.users[Role.OFFICER])
    before = counts()
    page = post(client, "divert", quantity_grams="3.0").content.decode()
    assert ERR_INELIGIBLE in page
    assert "3 g is not under the limit of 3 g." in page
    assert "Divert and call the case manager" not in page
    assert counts() == before


def test_it_asks_the_officer_before_diverting(world, login, seattle):
    client = login(world.users[Role.OFFICER])
    page = post(client, "facts", fact_amenable="").content.decode()
    assert "Step 2 of 3" in page  # back at the questions, the missing answer named at its question
    assert "Not yet answered: Is the person amenable to participating?" in page
    assert "Divert and call the case manager" not in page


def test_it_finds_a_participant_despite_spelling_and_links_the_referral(world, login, seattle):
    """Ana Lopez (world.own_case) typed as 'Anna Lopes'; and a referral under an alias, once the officer
    chose "possible existing participant", joins her open case instead of opening a second one."""
    client = login(world.users[Role.OFFICER])
    typo = {"last_name": "Lopes", "first_name": "Anna", "date_of_birth": "1980-05-17", "key": "k-2"}
    page = client.post(reverse("referrals:new"), {"step": "person", **typo}).content.decode()
    assert "Possible existing participant (active participant)" in page
    assert "Ana" not in without_tokens(page).replace("Anna", "")  # nothing the officer did not type
    chosen = re.search(r'name="match" id="match-1" value="([^"]+)"', page).group(1)
    page = client.post(reverse("referrals:new"), {"step": "person", **typo, "match": chosen}).content.decode()
    assert "Active participant" in page and "Step 2 of 3" in page
    with trusted("test"):
        Alias.objects.create(program=world.program, person=world.own_case.person, first_name="Smokey")
    alias = {"last_name": "Smokey", "first_name": "", "date_of_birth": "1980-05-17", "key": "k-3"}
    before = counts()
    unchosen = client.post(reverse("referrals:new"), {"step": "divert", **FACTS, **alias})
    assert ERR_CHOOSE.replace(":", "") in unchosen.content.decode().replace(":", "")
    assert counts() == before  # nothing is joined silently
    page = client.post(reverse("referrals:new"), {"step": "person", **alias}).content.decode()
    token = re.search(r'name="match" id="match-1" value="([^"]+)"', page).group(1)
    response = client.post(reverse("referrals:new"), {"step": "divert", **FACTS, **alias, "match": token})
    assert response.status_code == 302
    with trusted("test"):
        referral = Referral.objects.get(idempotency_key="k-3")
        assert referral.person_id == world.own_case.person_id
        assert referral.handoff_to == world.own_case.case_manager  # her case manager, who knows her
    assert counts() == (before[0], before[1] + 1, before[2])  # no second case beside the open one


def test_it_shows_a_printable_handoff_card_in_english_and_spanish(world, login, seattle):
    client = login(world.users[Role.OFFICER])
    card_url = post(client, "divert")["Location"]
    card = client.get(card_url).content.decode()
    assert "Intake deadline" in card and "Fecha límite de admisión" in card
    assert 'lang="es"' in card and "26-123456" in card
    assert "Tobias Marsh" in card
    # Only whoever made the referral opens its card.
    for user in (world.users[Role.CASE_MANAGER], world.outsider):
        assert login(user).get(card_url).status_code == 404


def test_it_says_so_when_no_protocol_is_published(world, login):
    client = login(world.users[Role.OFFICER])
    page = client.get(reverse("referrals:new")).content.decode()
    assert "no published eligibility protocol" in page


def test_it_records_the_version_that_decided_even_after_a_new_one(world, login, seattle):
    from offramp.referrals.actions import protocol_publish
    from offramp.referrals.protocol import EXAMPLES_DIR

    client = login(world.users[Role.OFFICER])
    post(client, "divert")
    text = (EXAMPLES_DIR / "seattle.toml").read_text().replace("version = 1", "version = 2")
    protocol_publish(actor=Actor.system("test", program=world.program), text=text.replace("3.0", "1.0"))
    with trusted("test"):
        referral = Referral.objects.get(idempotency_key="k-1")
    assert referral.protocol_version.version == 1
    assert "1.2 g is within the 3 g limit." in [r["message"] for r in referral.decision_reasons]
