"""Finding a person, answered at the depth each role may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from offramp.access.actions import disclosure_record
from offramp.access.audit import Action, audit_record
from offramp.access.consent import REDISCLOSURE_NOTICE, consent_scope, consents_covering
from offramp.access.models import Consent
from offramp.access.policy import CONSENT_GATED, Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.people.models import Person


@dataclass(frozen=True)
class StatusAnswer:
    """What a lookup may say about one person. Fields a role may not see stay None."""

    active: bool
    name: str | None = None
    date_of_birth: dt.date | None = None
    status_label: str | None = None
    opened_at: dt.datetime | None = None
    intake_completed_at: dt.datetime | None = None
    status_changed_at: dt.datetime | None = None
    case_id: int | None = None
    # A disclosure under consent carries the redisclosure notice and the consent's scope.
    notice: str | None = None
    consent_scope: str | None = None


def status_lookup(
    actor: Actor, *, last_name: str, date_of_birth: dt.date, first_name: str = ""
) -> list[StatusAnswer]:
    """Is this person an active participant? Matches legal names and aliases, with the exact date of birth.

    Officers learn only "active participant" or "not known". A prosecutor sees
    name, date of birth, status and dates, and only where the person consented to
    that disclosure: no consent reads exactly like no record. Case staff see the
    status and, where the case is theirs to open, a link to it.
    """
    scope = actor.require(Category.STATUS)
    name_match = Q(legal_last_name__iexact=last_name.strip()) | Q(
        aliases__last_name__iexact=last_name.strip()
    )
    if first_name.strip():
        name_match &= (
            Q(legal_first_name__iexact=first_name.strip())
            | Q(aliases__first_name__iexact=first_name.strip())
            | Q(preferred_name__iexact=first_name.strip())
        )
    with trusted("people.status_lookup"):
        cases = list(
            Case.objects.filter(
                program_id=actor.program_id,
                status__in=OPEN_STATUSES,
                person__in=Person.objects.filter(
                    name_match, program_id=actor.program_id, date_of_birth=date_of_birth
                ),
            ).select_related("person")
        )
        consents = None
        if any((role, Category.STATUS) in CONSENT_GATED for role in actor.roles) and scope == Scope.LIMITED:
            # A disclosure outside the case team: only under a consent, and written to the ledger.
            consents = consents_covering(
                program_id=actor.program_id, person_ids={c.person_id for c in cases},
                recipient_class=Consent.Recipient.PROSECUTOR, category=Category.STATUS,
            )  # fmt: skip
            cases = [c for c in cases if c.person_id in consents]
            for case in cases:
                disclosure_record(
                    actor=actor, consent=consents[case.person_id], categories=[Category.STATUS],
                    description="Participation status and its dates (status lookup)",
                )  # fmt: skip
        own_case_ids = set()
        if actor.has(Category.CASE_RECORD, Scope.OWN):
            case_scope = actor.scope(Category.CASE_RECORD)
            own_case_ids = {
                c.pk for c in cases if case_scope == Scope.PROGRAM or c.case_manager_id == actor.user_id
            }
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="Person",
        detail={"view": "status_lookup", "matched_person_ids": sorted({c.person_id for c in cases})},
    )
    if not actor.has(Category.CASE_RECORD, Scope.OWN) and not actor.has(Category.LEGAL):
        # Officers: the fact of participation, nothing more, and once however many cases match.
        return [StatusAnswer(active=True)] if cases else []
    return [_answer(case, case.pk in own_case_ids, consents and consents[case.person_id]) for case in cases]


def _answer(case: Case, may_open: bool, consent=None) -> StatusAnswer:
    return StatusAnswer(
        notice=REDISCLOSURE_NOTICE if consent else None,
        consent_scope=consent_scope(consent) if consent else None,
        active=True,
        name=case.person.display_name,
        date_of_birth=case.person.date_of_birth,
        status_label=case.get_status_display(),
        opened_at=case.opened_at,
        intake_completed_at=case.intake_completed_at,
        status_changed_at=case.status_changed_at,
        case_id=case.pk if may_open else None,
    )
