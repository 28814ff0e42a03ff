"""The printable release of information carries every 42 CFR 2.31 element, in English and Spanish, from
the consent record; only the case team opens it, and each opening is audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent
from offramp.access.roles import Role
from offramp.access.scope import trusted


def the_consent(case, **fields) -> Consent:
    with trusted("tests"):
        consent = Consent.objects.get(person_id=case.person_id)
        Consent.objects.filter(pk=consent.pk).update(**fields)
        consent.refresh_from_db()
    return consent


def url(case, consent):
    return reverse("access:release_form", args=[case.pk, consent.pk])


def test_it_prints_every_element_in_english_and_spanish(world, login):
    case = world.own_case
    ends = timezone.now() + dt.timedelta(days=200)
    consent = the_consent(
        case,
        recipient_name="Test County Prosecutor's Office",
        expires_at=ends,
        expiry_event="when I leave the program",
        expiry_on="exit",
        signed_by="Ana Lopez",
    )
    day = timezone.localtime(ends, case.program.zone)  # the form prints the program's date
    body = login(world.users[Role.CASE_MANAGER]).get(url(case, consent)).content.decode()
    body = body.replace("&#x27;", "'")
    english, spanish = body.split('lang="es"')
    elements = {
        "(a)(1) the participant": ("Participant</dt><dd>Ana Lopez", "Participante</dt><dd>Ana Lopez"),
        "(a)(2) what": ("participation status", "estado de participación"),
        "(a)(3) who discloses": ("The LEAD program and its case managers, Test County LEAD",) * 2,
        "(a)(4) to whom": ("Liaison prosecutor's office: Test County Prosecutor's Office",) * 2,
        "(a)(5) purpose": ("Charging coordination",) * 2,
        "(a)(6) revocation": ("You may revoke this consent at any time", "Puede revocar este consentimiento"),
        "(a)(7) expiry": (
            f"on {day:%B} {day.day}, {day.year}, or when I leave the program, whichever comes first",
            "cuando yo salga del programa, lo que ocurra primero",
        ),
        "(a)(8) signature": ("Signature</dt>", "Firma</dt>"),
        "(a)(9) date": ("Date signed</dt>", "Fecha de la firma</dt>"),
        "notice": ("42 CFR part 2 prohibits unauthorized use", "42 CFR parte 2 prohíbe"),
    }
    for element, (en, es) in elements.items():
        assert en in english, element
        assert es in spanish, element
    assert "Signed by</dt><dd>Ana Lopez" in english
    entry = AuditEntry.objects.get(action="read", object_type="Consent", object_id=str(consent.pk))
    assert entry.detail == {"view": "release_form", "person_id": case.person_id}


def test_an_irrevocable_consent_says_so_in_both_languages(world, login):
    consent = the_consent(world.own_case, irrevocable_until_proceeding_ends=True)
    body = login(world.users[Role.CASE_SUPERVISOR]).get(url(world.own_case, consent)).content.decode()
    assert "cannot be revoked until the court proceeding" in body
    assert "no se puede revocar hasta que termine el proceso judicial" in body


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR, Role.PROJECT_MANAGER])
def test_no_one_outside_the_case_team_opens_it(world, login, role):
    consent = the_consent(world.own_case)
    assert login(world.users[role]).get(url(world.own_case, consent)).status_code == 404


def test_another_caseload_or_program_is_not_found(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    theirs = the_consent(world.other_case)
    assert manager.get(url(world.other_case, theirs)).status_code == 404
    assert manager.get(url(world.own_case, theirs)).status_code == 404  # a consent of another person
    foreign = the_consent(world.foreign_case)
    assert manager.get(url(world.foreign_case, foreign)).status_code == 404
