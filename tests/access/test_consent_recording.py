"""Recording a consent: every 42 CFR 2.31 element, the case team only, nothing saved on bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.people.queries import NO_RECORD_YOU_MAY_SEE
from offramp.privacy import actions
from offramp.programs.roles import Role

NONE_FOUND = NO_RECORD_YOU_MAY_SEE  # the prosecutor's empty answer


def _day(offset: int = 0) -> str:
    """A day relative to today where the test program is (America/Denver)."""
    import zoneinfo

    return (
        timezone.localdate(timezone=zoneinfo.ZoneInfo("America/Denver")) + dt.timedelta(days=offset)
    ).isoformat()


def _form(**changes) -> dict:
    data = {
        "discloser": "The LEAD program and its case managers",
        "categories": [Category.STATUS, Category.LEGAL],
        "recipient_class": Consent.Recipient.PROSECUTOR,
        "recipient_name": "Test County Prosecutor's Office",
        "purpose": "Monitoring participation while the charge is pending",
        "revocation_terms": "Not revocable until the proceeding ends.",
        "irrevocable_until_proceeding_ends": "on",
        "expires_on": "",
        "expiry_event": "when the criminal proceeding ends",
        "signed_by": "The participant",
        "signed_on": _day(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _consents(case):
    with trusted("tests"):
        return list(Consent.objects.filter(person_id=case.person_id).order_by("pk"))


def _lookup(client, last, dob):
    return client.post(reverse("people:lookup"), {"last_name": last, "date_of_birth": dob}).content.decode()


def test_it_records_a_prosecutor_consent_that_the_next_lookup_answers(world, login, client):
    # Ben Okoro has no consent: the prosecutor's lookup finds nobody.
    other = world.other_case
    with trusted("tests"):
        Consent.objects.filter(person_id=other.person_id).delete()
    prosecutor = world.users[Role.PROSECUTOR]
    assert NONE_FOUND in _lookup(login(prosecutor), "Okoro", "1975-01-02")
    client.logout()

    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    response = supervisor.post(reverse("access:consent_new", args=[other.pk]), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("access:disclosures", args=[other.pk])
    (consent,) = _consents(other)
    assert (consent.recipient_class, consent.categories, consent.irrevocable_until_proceeding_ends) == (
        "prosecutor",
        [Category.STATUS, Category.LEGAL],
        True,
    )
    assert consent.recorded_by == world.users[Role.CASE_SUPERVISOR]
    entry = AuditEntry.objects.filter(action="create", object_type="Consent").get()
    assert entry.detail["person_id"] == other.person_id
    page = supervisor.get(reverse("access:disclosures", args=[other.pk])).content.decode()
    assert "Test County Prosecutor&#x27;s Office" in page and "Irrevocable until the proceeding ends" in page
    client.logout()

    body = _lookup(login(prosecutor), "Okoro", "1975-01-02")
    assert NONE_FOUND not in body and "Ben Okoro" in body


def test_it_lets_a_case_manager_record_on_their_own_caseload_only(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    own = reverse("access:consent_new", args=[world.own_case.pk])
    assert manager.get(own).status_code == 200
    data = _form(recipient_class="provider", irrevocable_until_proceeding_ends=None, recipient_name="")
    assert manager.post(own, data).status_code == 302
    assert len(_consents(world.own_case)) == 2
    for case in (world.other_case, world.foreign_case):
        assert manager.post(reverse("access:consent_new", args=[case.pk]), data).status_code == 404
        assert len(_consents(case)) == 1


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.CASE_MANAGER, Role.CASE_SUPERVISOR)])
def test_it_is_not_there_for_anyone_outside_the_case_team(world, login, role):
    client = login(world.users[role])
    response = client.post(reverse("access:consent_new", args=[world.own_case.pk]), _form())
    assert response.status_code == 404
    assert len(_consents(world.own_case)) == 1


def test_it_offers_recording_on_the_disclosures_page_to_the_case_team_only(world, login, client):
    url = reverse("access:disclosures", args=[world.own_case.pk])
    new = reverse("access:consent_new", args=[world.own_case.pk])
    assert new in login(world.users[Role.CASE_MANAGER]).get(url).content.decode()
    client.logout()
    page = login(world.users[Role.PROJECT_MANAGER]).get(url).content.decode()
    assert new not in page and "Revoke" not in page


YESTERDAY, TOMORROW = _day(-1), _day(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"categories": None}, actions.CONSENT_NO_CATEGORIES),
        ({"recipient_class": None}, actions.CONSENT_UNKNOWN_RECIPIENT),
        ({"purpose": "  "}, "This field is required."),
        ({"expires_on": "", "expiry_event": ""}, actions.CONSENT_NO_EXPIRY),
        ({"expires_on": YESTERDAY, "expiry_event": ""}, actions.CONSENT_EXPIRY_BEFORE_SIGNATURE),
        ({"signed_on": TOMORROW}, actions.CONSENT_SIGNED_IN_FUTURE),
        ({"recipient_class": "provider"}, actions.CONSENT_IRREVOCABLE_NOT_PROSECUTOR),
        ({"purpose": "x" * 201}, "at most 200 characters"),
    ],
)
def test_it_explains_what_is_missing_and_saves_nothing(world, login, changes, message):
    manager = login(world.users[Role.CASE_MANAGER])
    before = AuditEntry.objects.filter(action="create").count()
    response = manager.post(reverse("access:consent_new", args=[world.own_case.pk]), _form(**changes))
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert len(_consents(world.own_case)) == 1
    assert AuditEntry.objects.filter(action="create").count() == before


def test_it_refuses_bad_elements_in_the_action_itself(world):
    from offramp.access.scope import Actor

    actor = Actor(
        user=world.users[Role.CASE_SUPERVISOR], program=world.program, roles=frozenset({Role.CASE_SUPERVISOR})
    )
    with pytest.raises(actions.ValidationError) as refused:
        actions.consent_record(
            actor=actor,
            case_id=world.own_case.pk,
            categories=["audit_log"],
            recipient_class="press",
            purpose="",
            discloser="",
            revocation_terms="",
            signed_by="",
            signed_on=dt.date.fromisoformat(_day()),
        )
    assert set(refused.value.messages) == {
        actions.CONSENT_UNKNOWN_CATEGORY,
        actions.CONSENT_UNKNOWN_RECIPIENT,
        actions.CONSENT_NO_DISCLOSER,
        actions.CONSENT_NO_PURPOSE,
        actions.CONSENT_NO_REVOCATION_TERMS,
        actions.CONSENT_NO_EXPIRY,
        actions.CONSENT_NO_SIGNATURE,
    }
    assert len(_consents(world.own_case)) == 1


def test_it_ends_a_consent_at_the_end_of_its_expiry_day(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    ends = dt.date.fromisoformat(_day(30))
    data = _form(expires_on=ends.isoformat(), expiry_event="", irrevocable_until_proceeding_ends=None)
    manager.post(reverse("access:consent_new", args=[world.own_case.pk]), data)
    consent = _consents(world.own_case)[-1]
    assert timezone.localdate(consent.expires_at, world.program.zone) == ends
    assert consent.expires_at > dt.datetime.combine(ends, dt.time(23, 59), world.program.zone)


def test_it_starts_from_the_prosecutor_monitoring_form(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    page = manager.get(reverse("access:consent_new", args=[world.own_case.pk]) + "?form=prosecutor")
    form = page.context["form"]
    assert form.initial["irrevocable_until_proceeding_ends"] is True
    assert form.initial["recipient_class"] == Consent.Recipient.PROSECUTOR


def test_it_starts_from_the_public_defenders_form_and_the_defender_then_sees_the_participant(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    url = reverse("access:consent_new", args=[world.own_case.pk])
    initial = manager.get(url + "?form=public_defender").context["form"].initial
    assert initial["recipient_class"] == Consent.Recipient.PUBLIC_DEFENDER
    assert initial["irrevocable_until_proceeding_ends"] is False
    disclosures = manager.get(reverse("access:disclosures", args=[world.own_case.pk])).content.decode()
    assert "form=public_defender" in disclosures
    case_page = reverse("legal:case", args=[world.own_case.pk])
    assert login(world.users[Role.PUBLIC_DEFENDER]).get(case_page).status_code == 404
    signed = _form(
        categories=initial["categories"],
        recipient_class=initial["recipient_class"],
        recipient_name="Test County Public Defender",
        purpose=initial["purpose"],
        revocation_terms=initial["revocation_terms"],
        irrevocable_until_proceeding_ends=None,
        expiry_event=initial["expiry_event"],
        expiry_on=initial["expiry_on"],
    )
    assert login(world.users[Role.CASE_MANAGER]).post(url, signed).status_code == 302
    page = login(world.users[Role.PUBLIC_DEFENDER]).get(case_page)
    assert page.status_code == 200 and "Lopez" in page.content.decode()


def test_it_does_not_let_a_project_manager_revoke(world, login):
    (consent,) = _consents(world.own_case)
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post(
        reverse("access:consent_change", args=[consent.pk]), {"change": "revoke", "case": world.own_case.pk}
    )
    assert response.status_code == 404
    assert _consents(world.own_case)[0].revoked_at is None
