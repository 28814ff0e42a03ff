"""Consents that end on an event end when it happens: on exit (every way out), with the proceeding,
and by the daily task for any the program recorded otherwise; a report shows those ending by date."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from offramp.access.consent import ConsentState, consent_state
from offramp.access.models import AuditEntry, Consent
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases.actions import case_intake_lapse
from offramp.cases.consent_expiry import consent_expiry_run
from offramp.cases.models import Case, Status
from tests.conftest import make_case


def consent_of(case, **fields) -> Consent:
    with trusted("tests"):
        consent = Consent.objects.get(person_id=case.person_id)
        Consent.objects.filter(pk=consent.pk).update(**fields)
        consent.refresh_from_db()
    return consent


def reload(consent) -> Consent:
    with trusted("tests"):
        return Consent.objects.get(pk=consent.pk)


def exit_case(client, case):
    return client.post(
        reverse("cases:exit", args=[case.pk]), {"exit_reason": "goals_met", "confirmed": "yes"}
    )


def test_an_exit_ends_the_consent_until_i_leave_the_program(world, login):
    consent = consent_of(world.own_case, expiry_on="exit", expiry_event="when I leave the program")
    dated = make_case(world.program, first="Dee", last="Dated")  # another person: untouched
    other = consent_of(dated, expiry_on="exit")
    assert consent_state(consent, timezone.now()) == ConsentState.ACTIVE
    assert exit_case(login(world.users[Role.CASE_MANAGER]), world.own_case).status_code == 302
    ended = reload(consent)
    assert ended.expiry_event_at is not None
    assert consent_state(ended, timezone.now()) == ConsentState.EXPIRED
    assert consent_state(ended, timezone.now() + dt.timedelta(days=3650)) == ConsentState.EXPIRED
    assert reload(other).expiry_event_at is None
    entry = AuditEntry.objects.get(object_type="Consent", object_id=str(consent.pk), action="update")
    assert entry.detail["change"] == "expired" and entry.detail["event"] == "exit"


def test_a_lapsed_intake_ends_it_too(world):
    case = make_case(world.program, first="Lia", last="Lapse", status=Status.REFERRED)
    consent = consent_of(case, expiry_on="exit")
    case_intake_lapse(actor=Actor.system("intake-clock", program=world.program), case_id=case.pk)
    assert reload(consent).expiry_event_at is not None


def test_a_consent_with_a_date_or_another_event_is_left_alone_on_exit(world, login):
    consent = consent_of(world.own_case, expiry_on="", expiry_event="when I move away")
    exit_case(login(world.users[Role.CASE_MANAGER]), world.own_case)
    assert reload(consent).expiry_event_at is None


def test_the_end_of_the_proceeding_ends_a_consent_that_ends_with_it(world, login):
    consent = consent_of(world.own_case, expiry_on="proceeding_end")
    response = login(world.users[Role.CASE_MANAGER]).post(
        reverse("access:consent_change", args=[consent.pk]),
        {"change": "proceeding_end", "case": world.own_case.pk},
    )
    assert response.status_code == 302
    ended = reload(consent)
    assert ended.proceeding_ended_at is not None and ended.expiry_event_at == ended.proceeding_ended_at


def test_the_daily_task_ends_consents_of_exits_recorded_before_the_rule(world):
    signed = timezone.now() - dt.timedelta(days=10 * 365)
    consent = consent_of(world.own_case, expiry_on="exit", signed_at=signed)
    exited_at = signed + dt.timedelta(days=300)
    with trusted("tests"):  # an exit recorded years ago, before exits ended consents
        Case.objects.filter(pk=world.own_case.pk).update(
            status=Status.EXITED, status_changed_at=exited_at, exit_reason="goals_met"
        )
    still_in = consent_of(world.other_case, expiry_on="exit")  # Ben's case is open
    proceeding = make_case(world.program, first="Pat", last="Pending")
    ended_proceeding = consent_of(proceeding, expiry_on="proceeding_end", proceeding_ended_at=timezone.now())
    report = consent_expiry_run()
    assert report.ended_on_exit == [consent.pk]
    assert report.ended_with_proceeding == [ended_proceeding.pk]
    assert reload(consent).expiry_event_at == exited_at
    assert reload(still_in).expiry_event_at is None
    audits = AuditEntry.objects.count()
    assert consent_expiry_run().ended_on_exit == []  # once only
    assert AuditEntry.objects.count() == audits
    entry = AuditEntry.objects.get(object_type="Consent", object_id=str(consent.pk))
    assert entry.actor_label == "system:consent-expiry"


def test_an_exit_before_the_signature_does_not_end_a_later_consent(world):
    with trusted("tests"):
        Case.objects.filter(pk=world.own_case.pk).update(
            status=Status.EXITED,
            status_changed_at=timezone.now() - dt.timedelta(days=60),
            exit_reason="moved",
        )
    consent = consent_of(world.own_case, expiry_on="exit", signed_at=timezone.now() - dt.timedelta(days=5))
    assert consent_expiry_run().ended_on_exit == []
    assert reload(consent).expiry_event_at is None


def test_the_command_runs_and_enqueues_the_daily_task(world):
    consent_of(world.own_case, expiry_on="exit")
    out = io.StringIO()
    call_command("consent-expiry", stdout=out)
    assert "Ended 0 on exit and 0 with their proceeding" in out.getvalue()
    call_command("consent-expiry", "--enqueue", stdout=out)
    assert "Daily consent expiry enqueued." in out.getvalue()
    call_command("consent-expiry", "--enqueue", stdout=out)
    assert "already queued" in out.getvalue()


def test_the_report_lists_consents_ending_in_30_days_for_the_case_team(world, login):
    soon = consent_of(world.own_case, expires_at=timezone.now() + dt.timedelta(days=12))
    consent_of(world.other_case, expires_at=timezone.now() + dt.timedelta(days=20))
    far = make_case(world.program, manager=world.users[Role.CASE_MANAGER], first="Fay", last="Far")
    consent_of(far, expires_at=timezone.now() + dt.timedelta(days=45))
    url = reverse("access:consents_expiring")
    mine = login(world.users[Role.CASE_MANAGER]).get(url)
    assert [r.consent.pk for r in mine.context["rows"]] == [soon.pk]  # own caseload, within 30 days
    assert "Ana Lopez" in mine.content.decode() and "Fay" not in mine.content.decode()
    supervisor = login(world.users[Role.CASE_SUPERVISOR]).get(url)
    assert [r.participant for r in supervisor.context["rows"]] == ["Ana Lopez", "Ben Okoro"]
    assert AuditEntry.objects.filter(action="list", object_type="Consent").exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR, Role.PROJECT_MANAGER])
def test_no_one_outside_the_case_team_sees_the_report(world, login, role):
    assert login(world.users[role]).get(reverse("access:consents_expiring")).status_code == 404


def test_the_outsiders_consents_never_show(world, login):
    consent_of(world.foreign_case, expires_at=timezone.now() + dt.timedelta(days=3))
    rows = login(world.users[Role.CASE_SUPERVISOR]).get(reverse("access:consents_expiring")).context["rows"]
    assert "Cal Reed" not in [r.participant for r in rows]
