"""Each disclosure passes the consent check, goes to the ledger with its notice, and stops at revocation."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from offramp.access.consent import REDISCLOSURE_NOTICE
from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.scope import trusted
from offramp.people.queries import NO_RECORD_YOU_MAY_SEE
from offramp.privacy.actions import CONSENT_IRREVOCABLE
from offramp.programs.roles import Role

NONE_FOUND = NO_RECORD_YOU_MAY_SEE  # the prosecutor's empty answer


def _result(response) -> str:
    """The result section of the lookup page, as the asker sees it."""
    body = response.content.decode()
    return re.search(r'<section aria-live="polite" class="result">.*?</section>', body, re.S).group(0)


def _lookup(client, last, dob):
    return client.post(reverse("people:lookup"), {"last_name": last, "date_of_birth": dob})


def _consent(world):
    with trusted("tests"):
        return Consent.objects.get(person=world.own_case.person)


def test_it_discloses_under_consent_with_the_notice_and_writes_the_ledger(world, login):
    prosecutor = world.users[Role.PROSECUTOR]
    response = _lookup(login(prosecutor), "Lopez", "1980-05-17")
    assert "Ana Lopez" in response.content.decode()
    assert REDISCLOSURE_NOTICE in _result(response)
    assert "participation status to" in _result(response)
    with trusted("tests"):
        disclosure = Disclosure.objects.get()
    assert (disclosure.person_id, disclosure.disclosed_to, disclosure.notice) == (
        world.own_case.person_id,
        prosecutor,
        REDISCLOSURE_NOTICE,
    )
    assert disclosure.purpose == "Charging coordination"
    entry = AuditEntry.objects.get(action="disclose")
    assert entry.detail["disclosure_id"] == disclosure.pk


def test_it_answers_a_revoked_consent_exactly_like_nobody(world, login, client):
    prosecutor = login(world.users[Role.PROSECUTOR])
    assert NONE_FOUND not in _result(_lookup(prosecutor, "Lopez", "1980-05-17"))
    nobody = _result(_lookup(prosecutor, "Nobody", "1999-09-09"))
    client.logout()

    manager = login(world.users[Role.CASE_MANAGER])
    consent = _consent(world)
    response = manager.post(
        reverse("access:consent_change", args=[consent.pk]), {"change": "revoke", "case": world.own_case.pk}
    )
    assert response.status_code == 302
    client.logout()

    prosecutor = login(world.users[Role.PROSECUTOR])
    revoked = _result(_lookup(prosecutor, "Lopez", "1980-05-17"))
    assert revoked == nobody
    assert NONE_FOUND in revoked
    with trusted("tests"):
        assert Disclosure.objects.count() == 1  # the one before revocation, none after


def test_it_refuses_to_revoke_an_irrevocable_consent_until_the_proceeding_ends(world, login):
    with trusted("tests"):
        Consent.objects.filter(person=world.own_case.person).update(irrevocable_until_proceeding_ends=True)
    consent = _consent(world)
    manager = login(world.users[Role.CASE_MANAGER])
    url = reverse("access:consent_change", args=[consent.pk])
    page = manager.post(url, {"change": "revoke", "case": world.own_case.pk}, follow=True)
    assert CONSENT_IRREVOCABLE.split(" (")[0] in page.content.decode()
    assert _consent(world).revoked_at is None
    manager.post(url, {"change": "proceeding_end", "case": world.own_case.pk})
    manager.post(url, {"change": "revoke", "case": world.own_case.pk})
    assert _consent(world).revoked_at is not None


def test_it_does_not_disclose_under_an_expired_consent(world, login):
    with trusted("tests"):
        Consent.objects.filter(person=world.own_case.person).update(
            expires_at=timezone.now() - dt.timedelta(days=1)
        )
    assert NONE_FOUND in _result(_lookup(login(world.users[Role.PROSECUTOR]), "Lopez", "1980-05-17"))


def test_it_hides_consents_from_staff_outside_the_case(world, login):
    consent = _consent(world)
    other_manager_client = login(world.outsider)
    response = other_manager_client.post(
        reverse("access:consent_change", args=[consent.pk]), {"change": "revoke", "case": world.own_case.pk}
    )
    assert response.status_code == 404
    assert _consent(world).revoked_at is None


def test_it_prints_three_years_of_disclosures(world, login, client):
    login(world.users[Role.PROSECUTOR])
    _lookup(client, "Lopez", "1980-05-17")
    with trusted("tests"):
        old = Disclosure.objects.get()
        Disclosure.objects.filter(pk=old.pk).update(
            disclosed_at=timezone.now() - dt.timedelta(days=3 * 365 + 5)
        )
    _lookup(client, "Lopez", "1980-05-17")
    client.logout()
    page = login(world.users[Role.CASE_MANAGER]).get(reverse("access:disclosures", args=[world.own_case.pk]))
    rows = page.context["accounting"].disclosures
    assert len(rows) == 1 and rows[0].pk != old.pk
    assert "Liaison prosecutor" in page.content.decode() or "Prosecutor" in page.content.decode()
