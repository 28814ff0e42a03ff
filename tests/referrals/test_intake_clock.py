"""The intake clock, run with a frozen clock: warnings, the lapse, and what the prosecutor is told."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from offramp.access.scope import Actor, trusted
from offramp.cases.intake_clock import intake_clock_run, intake_complete
from offramp.cases.models import Case, Contact, ExitReason, Status, StatusChange
from offramp.notifications.models import Notification
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example, referral_divert
from offramp.referrals.referral_facts import ReferralDraft
from offramp.referrals.tasks import intake_clock

REFERRED_AT = dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC)  # 11:00 in the world's Denver zone
DUE = dt.date(2026, 4, 1)  # 30 days later
CLINICAL = "Started buprenorphine; talked about relapse"


def actor_for(world, role):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


@pytest.fixture
def referred(world):
    """An arrest diversion whose case has a clinical note on it."""
    protocol_publish_example(program=world.program, name="seattle")
    draft = ReferralDraft(
        first_name="Tobias",
        last_name="Marsh",
        date_of_birth=dt.date(1988, 2, 3),
        door="arrest",
        statute="RCW 69.50.4013",
        quantity_grams=1.0,
        substance="heroin",
        incident_number="26-777001",
        location="Harbor Park",
        flags={"exploits_minors": False, "promotes_prostitution": False, "amenable": True},
        history={"violent": "clear"},
    )
    referral = referral_divert(
        actor=actor_for(world, Role.OFFICER), draft=draft, idempotency_key="clock", now=REFERRED_AT
    )
    with trusted("test"):
        case = Case.objects.get(referral=referral)
        Contact.objects.create(
            program=world.program,
            case=case,
            kind=Contact.Kind.IN_PERSON,
            note=CLINICAL,
            at=REFERRED_AT + dt.timedelta(hours=1),
        )
    assert case.intake_due == DUE
    mail.outbox.clear()
    return case


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def notices(kind):
    with trusted("test"):
        return list(Notification.objects.filter(kind=kind).order_by("id"))


def test_it_warns_the_case_manager_once_as_the_deadline_nears(
    world, referred, django_capture_on_commit_callbacks
):
    assert intake_clock_run(now=at(DUE - dt.timedelta(days=8))).warned == []
    with django_capture_on_commit_callbacks(execute=True):
        assert intake_clock_run(now=at(DUE - dt.timedelta(days=5))).warned == [referred.pk]
        assert intake_clock_run(now=at(DUE - dt.timedelta(days=4))).warned == []  # same threshold: once
        assert intake_clock_run(now=at(DUE - dt.timedelta(days=2))).warned == [referred.pk]
    sent = notices(Notification.Kind.INTAKE_DUE_SOON)
    assert [n.title for n in sent] == [
        "Intake due in 5 days: Tobias Marsh",
        "Intake due in 2 days: Tobias Marsh",
    ]
    assert {n.recipient for n in sent} == {referred.case_manager}
    assert len(mail.outbox) == 2


def test_it_records_the_lapse_and_tells_the_prosecutor_nothing_clinical(
    world, referred, django_capture_on_commit_callbacks
):
    assert intake_clock_run(now=at(DUE, hour=23)).lapsed == []  # the deadline day still counts
    with django_capture_on_commit_callbacks(execute=True):
        report = intake_clock_run(now=at(DUE + dt.timedelta(days=1), hour=13))
    assert report.lapsed == [referred.pk]
    with trusted("test"):
        case = Case.objects.get(pk=referred.pk)
        last = StatusChange.objects.filter(case=case).order_by("-id").first()
    assert (case.status, case.exit_reason) == (Status.EXITED, ExitReason.INTAKE_NOT_COMPLETED)
    assert (last.from_status, last.to_status, last.reason) == (
        Status.REFERRED,
        Status.EXITED,
        "Intake not completed in the window",
    )

    (notice,) = notices(Notification.Kind.INTAKE_LAPSED)
    assert notice.recipient == world.users[Role.PROSECUTOR]
    assert notice.title == "Intake not completed in time: incident 26-777001"
    assert notice.body.splitlines() == [
        "Incident number: 26-777001",
        "Offence: Possession of a controlled substance (RCW 69.50.4013)",
        "Referred: Mar 2, 2026",
        "Intake due: Apr 1, 2026",
        "Intake completed: not completed",
        "Case status: Exited",
        "Status since: Apr 2, 2026",
    ]
    (email,) = mail.outbox
    assert email.to == [world.users[Role.PROSECUTOR].email]
    told = " ".join([notice.title, notice.body, email.subject, email.body])
    for clinical in (CLINICAL, "buprenorphine", "heroin", "1.0", "Marsh", "Tobias", "1988", "Harbor Park"):
        assert clinical not in told

    # Running again sends nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert intake_clock_run(now=at(DUE + dt.timedelta(days=2))).lapsed == []
    assert len(notices(Notification.Kind.INTAKE_LAPSED)) == 1
    assert len(mail.outbox) == 1


def test_it_tells_the_prosecutor_not_to_file_when_intake_is_done_in_time(world, referred):
    manager = actor_for(world, Role.CASE_MANAGER)
    intake_complete(actor=manager, case_id=referred.pk, at=at(DUE - dt.timedelta(days=3)))
    with trusted("test"):
        assert Case.objects.get(pk=referred.pk).status == Status.ACTIVE
    (notice,) = notices(Notification.Kind.CHARGE_NOT_TO_BE_FILED)
    assert notice.recipient == world.users[Role.PROSECUTOR]
    assert notice.title == "Intake completed: do not file, incident 26-777001"
    assert "Intake completed: Mar 29, 2026" in notice.body
    assert intake_clock_run(now=at(DUE + dt.timedelta(days=5))).lapsed == []  # no longer waiting


@pytest.mark.django_db(transaction=True)
def test_it_runs_as_a_task_in_the_worker(world, referred):
    intake_clock.enqueue(now=at(DUE + dt.timedelta(days=1)).isoformat(), reschedule=False)
    call_command("worker", batch=True, verbosity=0)
    with trusted("test"):
        assert Case.objects.get(pk=referred.pk).status == Status.EXITED
    assert len(notices(Notification.Kind.INTAKE_LAPSED)) == 1


def test_it_runs_from_the_command_line_as_of_a_given_time(world, referred, capsys):
    call_command("intake-clock", now=(DUE + dt.timedelta(days=1)).isoformat() + "T12:00Z")
    assert "0 warned, 1 lapsed" in capsys.readouterr().out
