"""The intake clock: an arrest diversion's intake window runs from the referral.

Run daily (the `intake_clock` task, or `offramp intake-clock`). For every case still waiting
for intake with a deadline, it warns the case manager as the deadline nears (program
configuration `intake_warning_days`, default 7 and 2 days before), and once the deadline day
has passed records the lapse (the case exits with reason intake_not_completed) and tells the
liaison prosecutor. Completing intake inside the window tells the prosecutor that the charge
is not to be filed.

Every notice has a key, and a lapse changes the case's status, so running the clock twice
sends nothing twice. Notices to the prosecutor are built only from `prosecutor_facts`:
status and dates of the referral and case, nothing clinical.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.cases.actions import case_intake_complete, case_intake_lapse
from offramp.cases.models import Case, Status
from offramp.cases.wording import status_labels
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.programs.models import Membership, Program
from offramp.programs.roles import Role


@dataclass
class ClockReport:
    warned: list[int] = field(default_factory=list)  # case ids
    lapsed: list[int] = field(default_factory=list)


def intake_clock_run(*, now: dt.datetime | None = None) -> ClockReport:
    """One pass of the clock over every program, as of `now` (a test passes a fixed time)."""
    now = now or timezone.now()
    report = ClockReport()
    for program in Program.objects.order_by("pk"):
        _run_program(program, now, report)
    return report


def _run_program(program: Program, now: dt.datetime, report: ClockReport) -> None:
    actor = Actor.system("intake-clock", program=program)
    today = timezone.localdate(now, timezone=program.zone)
    warning_days = sorted(int(d) for d in program.setting("intake_warning_days"))
    with trusted("referrals.intake_clock"):
        waiting = list(
            Case.objects.filter(program=program, status=Status.REFERRED, intake_due__isnull=False)
            .select_related("referral", "person", "case_manager")
            .order_by("intake_due", "pk")
        )
    for case in waiting:
        if today > case.intake_due:  # the deadline day itself still counts
            lapsed = case_intake_lapse(actor=actor, case_id=case.pk, now=now)
            _tell_prosecutors(actor, lapsed, Notification.Kind.INTAKE_LAPSED, now)
            report.lapsed.append(case.pk)
            continue
        days_left = (case.intake_due - today).days
        threshold = next((d for d in warning_days if days_left <= d), None)
        if threshold is None:
            continue
        recipients = [case.case_manager] if case.case_manager else _members(program, Role.CASE_SUPERVISOR)
        for recipient in recipients:
            sent = notification_send(
                actor=actor,
                recipient=recipient,
                kind=Notification.Kind.INTAKE_DUE_SOON,
                title=f"Intake due {_when(days_left)}: {case.person.display_name}",
                body=f"Intake deadline: {case.intake_due:%b %-d, %Y}. After it, the charge may be filed.",
                email_body=f"An intake deadline is {_when(days_left)}. Details are in offramp.",
                url=reverse("cases:detail", args=[case.pk]),
                now=now,
                key=f"intake-due-soon:{case.pk}:{threshold}",
            )
            if sent is not None and case.pk not in report.warned:
                report.warned.append(case.pk)


def intake_complete(*, actor: Actor, case_id: int, at: dt.datetime | None = None) -> Case:
    """Record a completed intake; inside an arrest diversion's window, tell the prosecutor not to file."""
    at = at or timezone.now()
    case = case_intake_complete(actor=actor, case_id=case_id, at=at)
    done_on = timezone.localdate(at, timezone=actor.program.zone)
    if case.intake_due is not None and done_on <= case.intake_due:
        _tell_prosecutors(actor, case, Notification.Kind.CHARGE_NOT_TO_BE_FILED, at)
    return case


def prosecutor_facts(case: Case, program: Program) -> dict[str, str]:
    """Everything a liaison prosecutor's notice may say: the referral and case status and dates."""
    referral = case.referral
    return {
        "Incident number": referral.incident_number if referral else "",
        "Offence": f"{referral.offence_description} ({referral.offence_statute})" if referral else "",
        "Referred": _date(referral.referred_at) if referral else "",
        "Intake due": f"{case.intake_due:%b %-d, %Y}" if case.intake_due else "",
        "Intake completed": _date(case.intake_completed_at) if case.intake_completed_at else "not completed",
        "Case status": status_labels(program)[case.status],
        "Status since": _date(case.status_changed_at),
    }


def _tell_prosecutors(actor: Actor, case: Case, kind: str, now: dt.datetime) -> None:
    facts = prosecutor_facts(case, actor.program)
    incident = facts["Incident number"] or f"case {case.pk}"
    title = {
        Notification.Kind.INTAKE_LAPSED: f"Intake not completed in time: incident {incident}",
        Notification.Kind.CHARGE_NOT_TO_BE_FILED: f"Intake completed: do not file, incident {incident}",
    }[kind]
    body = "\n".join(f"{label}: {value}" for label, value in facts.items() if value)
    for prosecutor in _members(actor.program, Role.PROSECUTOR):
        notification_send(
            actor=actor,
            recipient=prosecutor,
            kind=kind,
            title=title,
            body=body,
            email_body=f"{title}. Details are in offramp.",
            key=f"{kind}:{case.pk}",
            now=now,
        )


def _members(program: Program, role: str) -> list:
    return [
        m.user
        for m in Membership.objects.filter(program=program, role=role, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def _when(days_left: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")


def _date(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%b %-d, %Y}"
