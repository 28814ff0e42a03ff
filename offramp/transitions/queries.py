"""Every read of service referrals and case transfers, scoped like the case they belong to and audited."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.policy import Scope, case_team_scope, may_assign
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Assessment, Case
from offramp.cases.queries import case_for
from offramp.cases.questions import CRITICAL_GROUP
from offramp.directory.queries import search_options
from offramp.programs.queries import routable_case_managers
from offramp.transitions import lifecycle
from offramp.transitions.models import CaseTransfer, ServiceReferral


def _case(actor: Actor, case_id: int, *, change: bool) -> Case:
    """The case if the actor may read it (or, with `change`, work on it); else 404, audited."""
    return case_for(
        actor, case_id, change=change, refused_as=("Case", case_id), detail={"view": "service_referrals"}
    ).case


def _annotate(referrals: list, now) -> list:
    for referral in referrals:
        referral.days_pending = lifecycle.days_pending(referral.created_at, referral.resolved_at, now)
        referral.pending = referral.status in lifecycle.PENDING
        referral.follow_up_due = (
            referral.follow_up_on is not None
            and referral.status not in lifecycle.FINISHED
            and referral.follow_up_on <= timezone.localdate(now)
        )
        referral.next_statuses = [(s, lifecycle.STATUS_LABELS[s]) for s in lifecycle.NEXT[referral.status]]
    return referrals


@dataclass
class CaseTransitions:
    case: Case
    referrals: list
    transfers: list
    can_change: bool


def case_transitions(actor: Actor, case_id: int) -> CaseTransitions:
    """A case's service referrals (with status history and days pending) and its transfers."""
    now = timezone.now()
    with trusted("transitions.case_transitions"):
        case = _case(actor, case_id, change=False)
        referrals = list(
            ServiceReferral.objects.filter(program_id=actor.program_id, case=case)
            .select_related("service")
            .prefetch_related("history")
        )
        transfers = list(
            CaseTransfer.objects.filter(program_id=actor.program_id, case=case).select_related(
                "from_manager", "to_manager"
            )
        )
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="ServiceReferral",
        object_id=f"case:{case.pk}",
        detail={"case": case.pk, "person_id": case.person_id, "ids": [r.pk for r in referrals]},
    )
    return CaseTransitions(case, _annotate(referrals, now), transfers, case_team_scope(actor) >= Scope.OWN)


def case_for_referral(actor: Actor, case_id: int) -> Case:
    """The case, for the new-referral form: the case team only."""
    with trusted("transitions.case_for_referral"):
        case = _case(actor, case_id, change=True)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Case",
        object_id=case.pk,
        detail={"view": "service_referral_new", "person_id": case.person_id},
    )
    return case


def service_referral_get(actor: Actor, case_id: int, referral_id: int) -> ServiceReferral:
    """One referral of a case, with its history, for the case team's update form; else 404, audited."""
    now = timezone.now()
    with trusted("transitions.service_referral_get"):
        case = _case(actor, case_id, change=True)
        referral = (
            ServiceReferral.objects.filter(program_id=actor.program_id, case=case, pk=referral_id)
            .select_related("service", "override_by", "consent")
            .prefetch_related("history__by")
            .first()
        )
        if referral is None:
            raise audited_not_found(actor, "ServiceReferral", referral_id)
        referral.case = case
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="ServiceReferral",
        object_id=referral.pk,
        detail={"case": case.pk, "person_id": case.person_id},
    )
    return _annotate([referral], now)[0]


# ---- critical needs: what cannot wait, and the directory's services for it --------------------------

# (question, the answer that cannot wait, what the day page says, words naming the directory's need)
CRITICAL_NEEDS = (
    ("safe_tonight", "no", "No safe place to sleep tonight", ("shelter", "housing")),
    ("danger", "yes", "In danger from someone right now", ("domestic violence", "safety", "crisis")),
    ("urgent_medical", "yes", "Needs medical care today", ("medical", "health care", "clinic")),
    ("medication", "yes", "Needs medication they do not have", ("medication", "pharmacy", "health care")),
    ("food", "no", "Has not eaten today", ("food", "meal")),
)
CRITICAL_WITHIN = dt.timedelta(days=1)  # a critical-needs check of today or yesterday: tonight's needs


def critical_needs(answers: dict) -> list[tuple[str, str, tuple[str, ...]]]:
    """The needs a critical-needs check's answers say cannot wait: (question, label, need words)."""
    group = answers.get(CRITICAL_GROUP) or {}
    return [(key, label, words) for key, urgent, label, words in CRITICAL_NEEDS if group.get(key) == urgent]


def need_term(needs: list[tuple[str, str]], words: tuple[str, ...]) -> tuple[str, str] | None:
    """The directory's need (taxonomy term id, name) that first matches the words, in their order."""
    for word in words:
        for term_id, name in needs:
            if word in name.lower():
                return term_id, name
    return None


@dataclass
class CriticalNeed:
    case: Case
    assessed_on: dt.date
    label: str
    need: tuple[str, str] | None  # the directory's matching need, to search its services


def critical_needs_for(actor: Actor, cases, today: dt.date) -> list[CriticalNeed]:
    """Open cases whose latest critical-needs check (today or yesterday) names a need that cannot wait.

    Three queries whatever the caseload: the checks (their answers are sealed, so read in Python) and
    the directory's needs. The caller scopes `cases` and audits the page.
    """
    checks = (
        Assessment.objects.filter(
            program_id=actor.program_id,
            case__in=cases.filter(status__in=OPEN_STATUSES),
            kind=Assessment.Kind.CRITICAL,
            assessed_on__gte=today - CRITICAL_WITHIN,
        )
        .select_related("case__person", "case__case_manager")
        .order_by("case_id", "-assessed_on", "-id")
    )
    latest: dict[int, Assessment] = {}
    for check in checks:
        latest.setdefault(check.case_id, check)
    if not latest:
        return []
    needs = search_options(actor)["needs"]
    found = []
    for check in sorted(latest.values(), key=lambda c: (c.case.person.display_name, c.case_id)):
        for _key, label, words in critical_needs(check.answers):
            found.append(CriticalNeed(check.case, check.assessed_on, label, need_term(needs, words)))
    return found


# ---- case transfers: the request page and the supervisor's decisions ------------------------------


@dataclass
class TransferPage:
    case: Case
    transfers: list
    managers: list  # (user id, name): the active case managers the case may move to


def transfer_page(actor: Actor, case_id: int) -> TransferPage:
    """A case's transfers and who it may move to, for the case team; else 404, audited."""
    with trusted("transitions.transfer_page"):
        case = _case(actor, case_id, change=True)
        transfers = list(
            CaseTransfer.objects.filter(program_id=actor.program_id, case=case).select_related(
                "from_manager", "to_manager"
            )
        )
        managers = sorted(
            (
                (user.pk, user.get_full_name() or user.get_username())
                for user in routable_case_managers(actor.program_id).values()
                if user.pk != case.case_manager_id
            ),
            key=lambda m: (m[1], m[0]),
        )
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="CaseTransfer",
        object_id=f"case:{case.pk}",
        detail={"case": case.pk, "person_id": case.person_id, "ids": [t.pk for t in transfers]},
    )
    return TransferPage(case, transfers, managers)


def transfers_waiting(actor: Actor) -> list[CaseTransfer]:
    """The program's transfers waiting for a decision, oldest first: a case supervisor's; else 404."""
    if not may_assign(actor):
        raise audited_not_found(actor, "CaseTransfer", "")
    with trusted("transitions.transfers_waiting"):
        waiting = list(
            CaseTransfer.objects.filter(program_id=actor.program_id, status=CaseTransfer.Status.REQUESTED)
            .select_related("case__person", "from_manager", "to_manager", "created_by")
            .order_by("created_at", "id")[:100]
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="CaseTransfer",
        detail={
            "view": "transfers_waiting",
            "ids": [t.pk for t in waiting],
            "cases": [t.case_id for t in waiting],
        },
    )
    return waiting
