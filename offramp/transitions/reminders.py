"""Follow-up reminders for service referrals: closing the loop.

Run daily (the `service_referral_reminders` task). A case manager is told when a referral's
follow-up date has come, or when it has waited (proposed, referred or accepted) longer than the
program's `service_referral_stuck_days` (default 14). Each notice has a key (the referral and the
date or status it is about), so running twice sends nothing twice; a new follow-up date, or a
referral stuck again in a later status, is a new notice.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.programs.models import Membership, Program
from offramp.programs.roles import Role
from offramp.transitions import lifecycle
from offramp.transitions.models import ServiceReferral

# The notification kinds are the notifications app's; a follow-up is the hand-off's loop being closed.
KIND = Notification.Kind.HANDOFF


@dataclass
class ReminderReport:
    follow_up: list[int] = field(default_factory=list)  # referral ids
    stuck: list[int] = field(default_factory=list)


def reminders_run(*, now: dt.datetime | None = None) -> ReminderReport:
    now = now or timezone.now()
    report = ReminderReport()
    for program in Program.objects.order_by("pk"):
        _run_program(program, now, report)
    return report


def _run_program(program: Program, now: dt.datetime, report: ReminderReport) -> None:
    actor = Actor.system("service-referral-reminders", program=program)
    today = timezone.localdate(now, timezone=program.zone)
    stuck_days = int(program.setting("service_referral_stuck_days"))
    with trusted("transitions.reminders"):
        waiting = list(
            ServiceReferral.objects.filter(program=program)
            .exclude(status__in=lifecycle.FINISHED)
            .select_related("case__person", "case__case_manager")
            .order_by("pk")
        )
    supervisors = None
    for referral in waiting:
        notices = []
        if referral.follow_up_on is not None and referral.follow_up_on <= today:
            notices.append(
                (
                    "follow-up",
                    f"{referral.follow_up_on:%Y-%m-%d}",
                    report.follow_up,
                    f"Follow up on the referral to {referral.provider_name}",
                )
            )
        pending = lifecycle.days_pending(referral.created_at, referral.resolved_at, now)
        if referral.status in lifecycle.PENDING and pending > stuck_days:
            notices.append(
                (
                    "stuck",
                    referral.status,
                    report.stuck,
                    f"Referral to {referral.provider_name} waiting {pending} days",
                )
            )
        if not notices:
            continue
        case = referral.case
        if case.case_manager is not None:
            recipients = [case.case_manager]
        else:
            supervisors = supervisors if supervisors is not None else _supervisors(program)
            recipients = supervisors
        for what, about, sent_list, title in notices:
            for recipient in recipients:
                sent = notification_send(
                    actor=actor,
                    recipient=recipient,
                    kind=KIND,
                    title=f"{title}: {case.person.display_name}",
                    body=f"Status: {referral.get_status_display()}. Days pending: {pending}.",
                    email_body="A service referral needs a follow-up. Details are in offramp.",
                    url=reverse("transitions:referrals", args=[case.pk]),
                    now=now,
                    key=f"service-referral-{what}:{referral.pk}:{about}",
                )
                if sent is not None and referral.pk not in sent_list:
                    sent_list.append(referral.pk)


def _supervisors(program: Program) -> list:
    members = Membership.objects.filter(
        program=program, role=Role.CASE_SUPERVISOR, is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in members]
