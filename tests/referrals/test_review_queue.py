"""Decisions that need someone else: a referral whose decision needs review by a sergeant waits in the
sergeants' queue; a sergeant approves or declines it with a reason; the officer and the case manager
are told; each read and change is audited; nobody else can decide it."""

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.notifications.models import Notification
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Referral
from offramp.referrals.reviews import ERR_DECIDED, ERR_REASON_NEEDED
from tests.conftest import make_user

PERSON = {"last_name": "Marsh", "first_name": "Tobias", "date_of_birth": "1988-02-03", "key": "review-1"}
# A possession arrest with the records check not done: the sergeant (Seattle's decider) reviews it.
FACTS = {
    "door": "arrest",
    "statute": "RCW 69.50.4013",
    "incident_number": "26-777001",
    "quantity_grams": "1",
    "location": "Third and Pine",
    "fact_exploits_minors": "no",
    "fact_amenable": "yes",
    "history_violent": "",
}


@pytest.fixture
def waiting(world, client):
    protocol_publish_example(program=world.program, name="seattle")
    client.force_login(world.users[Role.OFFICER])
    response = client.post(reverse("referrals:new"), {"step": "divert", **PERSON, **FACTS})
    assert response.status_code == 302
    client.logout()
    with trusted("test"):
        return Referral.objects.get(idempotency_key="review-1")


def decide(client, referral, **data):
    return client.post(reverse("referrals:review", args=[referral.pk]), data)


def test_it_puts_the_decision_in_the_sergeants_queue_without_the_persons_identity(world, login, waiting):
    assert (waiting.decision, waiting.decision_review_by) == ("needs_review", "sergeant")
    client = login(world.users[Role.SERGEANT])
    before = AuditEntry.objects.count()
    page = client.get(reverse("referrals:reviews")).content.decode()
    assert "incident 26-777001" in page and "Needs review by a sergeant" in page
    assert "The criminal history has not been checked" in page
    assert "Marsh" not in page and "1988" not in page
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.detail["view"], entry.detail["ids"]) == ("list", "review_queue", [waiting.pk])


def test_it_shows_the_queue_link_to_reviewers_only(world, login, waiting):
    sergeant = login(world.users[Role.SERGEANT]).get(reverse("referrals:mine")).content.decode()
    assert "Review queue" in sergeant
    officer = login(world.users[Role.OFFICER]).get(reverse("referrals:mine")).content.decode()
    assert "Review queue" not in officer


def test_it_leaves_another_roles_queue_empty(world, login, waiting):
    page = login(world.users[Role.PROSECUTOR]).get(reverse("referrals:reviews")).content.decode()
    assert "Nothing is waiting for your review." in page and "26-777001" not in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CASE_MANAGER, Role.PROSECUTOR, Role.PROJECT_MANAGER])
def test_it_lets_no_other_role_decide(world, login, waiting, role):
    response = decide(login(world.users[role]), waiting, outcome="approved", reason="")
    assert response.status_code == 404
    with trusted("test"):
        waiting.refresh_from_db()
    assert waiting.review_outcome == ""


def test_it_hides_the_decision_from_another_programs_sergeant(world, login, waiting):
    outsider = make_user("othersergeant", world.other_program, Role.SERGEANT)
    assert decide(login(outsider), waiting, outcome="approved").status_code == 404


def test_it_needs_a_reason_to_decline_and_changes_nothing_without_one(world, login, waiting):
    client = login(world.users[Role.SERGEANT])
    with trusted("test"):
        notices = Notification.objects.count()
    response = decide(client, waiting, outcome="declined", reason="  ")
    assert response.status_code == 400
    assert ERR_REASON_NEEDED in response.content.decode()
    with trusted("test"):
        waiting.refresh_from_db()
        assert waiting.review_outcome == "" and Notification.objects.count() == notices


def test_it_records_a_decline_tells_the_officer_and_case_manager_and_audits(world, login, waiting):
    sergeant = world.users[Role.SERGEANT]
    client = login(sergeant)
    response = decide(client, waiting, outcome="declined", reason="Open warrant for assault found on check.")
    assert response.status_code == 302
    with trusted("test"):
        waiting.refresh_from_db()
    assert (waiting.review_outcome, waiting.reviewed_by) == ("declined", sergeant)
    assert waiting.review_reason == "Open warrant for assault found on check."
    with trusted("test"):
        told = list(Notification.objects.filter(kind="review_decided", key=f"review:{waiting.pk}"))
    assert sorted(n.recipient_id for n in told) == sorted(
        [world.users[Role.OFFICER].pk, waiting.handoff_to_id]
    )
    assert all(n.title == "Referral declined by a sergeant: Arrest diversion 26-777001" for n in told)
    assert all("Open warrant for assault" in n.body for n in told)
    entry = AuditEntry.objects.filter(
        object_type="Referral", object_id=str(waiting.pk), action="update"
    ).get()
    assert entry.actor == sergeant and entry.detail == {"review": "declined", "review_by": "sergeant"}
    assert "26-777001" not in client.get(reverse("referrals:reviews")).content.decode()
    again = decide(client, waiting, outcome="approved")
    assert again.status_code == 400 and ERR_DECIDED in again.content.decode()
    mine = login(world.users[Role.OFFICER]).get(reverse("referrals:mine")).content.decode()
    assert "Declined on review: Open warrant for assault found on check." in mine


def test_it_records_an_approval_without_a_reason(world, login, waiting):
    client = login(world.users[Role.SERGEANT])
    assert decide(client, waiting, outcome="approved", reason="").status_code == 302
    with trusted("test"):
        waiting.refresh_from_db()
    assert waiting.review_outcome == "approved" and waiting.reviewed_at is not None


def test_it_refuses_an_unknown_outcome(world, login, waiting):
    response = decide(login(world.users[Role.SERGEANT]), waiting, outcome="maybe")
    assert response.status_code == 400
    assert "Choose approve or decline." in response.content.decode()
