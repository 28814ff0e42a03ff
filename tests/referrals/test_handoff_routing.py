"""The warm hand-off reaches a person: the on-call case manager who can sign in gets it at once (inbox,
day page, an email with an absolute link); a reassignment tells the new case manager the same way;
the officer's card names the case manager and their phone, and reopens from "My referrals"."""

import pytest
from django.core import mail
from django.urls import reverse

from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.notifications.models import Notification
from offramp.programs.models import OnCallShift
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Referral
from tests.conftest import make_user
from tests.referrals.test_referral_divert import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def oncall(world, settings):
    settings.BASE_URL = "https://lead.example.org"
    protocol_publish_example(program=world.program, name="seattle")
    ghost = make_user("ghostcm", world.program, Role.CASE_MANAGER)
    ghost.set_unusable_password()
    ghost.save()
    cm = world.users[Role.CASE_MANAGER]
    cm.phone = "206-555-0142"
    cm.save()
    OnCallShift.objects.create(program=world.program, user=ghost, fallback=True)
    OnCallShift.objects.create(program=world.program, user=cm, fallback=True)
    return cm


def divert(world, login, django_capture_on_commit_callbacks):
    client = login(world.users[Role.OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "divert")
    assert response.status_code == 302
    with trusted("tests"):
        return Referral.objects.select_related("handoff_to").get(idempotency_key="k-1"), client


def test_the_on_call_case_manager_gets_the_handoff_with_an_absolute_link(
    world, login, oncall, django_capture_on_commit_callbacks
):
    referral, _officer = divert(world, login, django_capture_on_commit_callbacks)
    assert referral.handoff_to == oncall  # never the fallback nobody can sign in as
    with trusted("tests"):
        notice = Notification.objects.get(recipient=oncall, kind=Notification.Kind.HANDOFF)
    assert notice.url == reverse("referrals:arrival", args=[referral.pk])
    (email,) = [m for m in mail.outbox if m.to == [oncall.email]]
    assert f"Open offramp: https://lead.example.org/referrals/{referral.pk}/arrival/" in email.body
    page = login(oncall).get(reverse("web:day")).content.decode()
    handoffs = page.split('id="handoffs-heading"')[1].split("</section>")[0]
    assert "Tobias Marsh" in handoffs and "min left" in handoffs


def test_the_card_names_the_case_manager_and_phone_and_reopens_from_my_referrals(
    world, login, oncall, django_capture_on_commit_callbacks
):
    referral, officer = divert(world, login, django_capture_on_commit_callbacks)
    mine = officer.get(reverse("referrals:mine")).content.decode()
    card_url = reverse("referrals:handoff", args=[referral.pk])
    assert f'href="{card_url}"' in mine
    card = officer.get(card_url).content.decode()
    assert str(oncall) in card and "206-555-0142" in card
    assert 'id="print-card"' in card and "offramp/print.js" in card
    assert "administrador de casos" in card


def test_a_reassignment_tells_the_new_case_manager_and_moves_the_waiting_handoff(
    world, login, oncall, django_capture_on_commit_callbacks
):
    referral, officer = divert(world, login, django_capture_on_commit_callbacks)
    with trusted("tests"):
        case = referral.cases.get()
    new = make_user("newcm", world.program, Role.CASE_MANAGER)
    new.phone = "206-555-0199"
    new.save()
    mail.outbox.clear()
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post(reverse("cases:assign", args=[case.pk]), {"case_manager": new.pk})
    assert response.status_code == 302
    with trusted("tests"):
        notice = Notification.objects.get(recipient=new, kind=Notification.Kind.CASE_ASSIGNED)
    assert "Tobias Marsh" in notice.title and notice.url == reverse("referrals:arrival", args=[referral.pk])
    (email,) = mail.outbox
    assert email.to == [new.email] and "https://lead.example.org/referrals/" in email.body
    page = login(new).get(reverse("web:day")).content.decode()
    assert "Tobias Marsh" in page.split('id="handoffs-heading"')[1].split("</section>")[0]
    assert "Tobias Marsh" not in login(oncall).get(reverse("web:day")).content.decode()
    # The officer's card now names whom to call: the new case manager.
    card = (
        login(world.users[Role.OFFICER])
        .get(reverse("referrals:handoff", args=[referral.pk]))
        .content.decode()
    )
    assert "206-555-0199" in card and "206-555-0142" not in card
