"""A small program history in early 2025 whose every dashboard figure is worked out by hand below.

Times are UTC; the program's zone is America/Denver (UTC-7 in winter), so 2025-02-01 05:00Z is
31 January there. Cases (referral door, hand-off wait, days to intake, status):
  c1 arrest    2025-01-15 17:00Z  10 min   3 days (Jan 18)  re-engaged 2025-03-01
  c2 arrest    2025-02-01 05:00Z  20 min   7 days (Feb 8)   active
  c3 arrest    2025-02-10 17:00Z  40 min  11 days (Feb 21)  active
  c4 social    2025-02-20 17:00Z  asked, no arrival          referred, intake due 2025-03-22 (past)
  c5 community 2025-03-05 17:00Z  none     no intake        exited 2025-03-20 (intake not completed)
  c6 arrest    2024-12-31 12:00Z  outside the period; intake 2025-01-02, active
"""

import datetime as dt

from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Case, Contact, OutcomeSnapshot, Status, StatusChange
from offramp.people.models import Person
from offramp.referrals.models import Door, Referral
from offramp.transitions.models import ServiceReferral

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def _case(
    program,
    manager,
    n,
    door,
    referred,
    *,
    wait=None,
    asked=False,
    intake_days=None,
    status,
    changed=None,
    exit_reason="",
):
    referred_at = at(referred)
    person = Person.objects.create(program=program, legal_first_name=f"P{n}", legal_last_name="Case", sex=1)
    referral = Referral.objects.create(
        program=program,
        person=person,
        door=door,
        referred_at=referred_at,
        offence_nibrs="35A" if door == Door.ARREST else "",
        handoff_requested_at=referred_at if (wait is not None or asked) else None,
        handoff_arrived_at=referred_at + dt.timedelta(minutes=wait) if wait is not None else None,
    )
    intake = referred_at + dt.timedelta(days=intake_days) if intake_days is not None else None
    return Case.objects.create(
        program=program,
        person=person,
        referral=referral,
        case_manager=manager,
        status=status,
        exit_reason=exit_reason,
        opened_at=referred_at,
        intake_due=(referred_at + dt.timedelta(days=30)).date(),
        intake_completed_at=intake,
        status_changed_at=at(changed) if changed else (intake or referred_at),
    )


def _contacts(program, case, *times, successful=True):
    for when in times:
        Contact.objects.create(
            program=program, case=case, kind=Contact.Kind.PHONE, at=at(when), successful=successful
        )
    last_contact_refresh([case.pk])


def _snapshot(program, case, as_of, living, employment, income, photo_id):
    OutcomeSnapshot.objects.create(
        program=program,
        case=case,
        as_of=dt.date.fromisoformat(as_of),
        reason=OutcomeSnapshot.Reason.MONTHLY,
        living_situation=living,
        employment=employment,
        income_sources=income,
        health_insurance="medicaid",
        id_obtained=photo_id,
        created_at=at(as_of + "T12:00:00"),
    )


def build(world) -> dict:
    program = world.program
    manager = world.users[Role.CASE_MANAGER]
    with trusted("tests"):
        c1 = _case(
            program,
            manager,
            1,
            Door.ARREST,
            "2025-01-15T17:00",
            wait=10,
            intake_days=3,
            status=Status.REENGAGED,
            changed="2025-03-01T17:00",
        )
        c2 = _case(
            program, manager, 2, Door.ARREST, "2025-02-01T05:00", wait=20, intake_days=7, status=Status.ACTIVE
        )
        c3 = _case(
            program,
            manager,
            3,
            Door.ARREST,
            "2025-02-10T17:00",
            wait=40,
            intake_days=11,
            status=Status.ACTIVE,
        )
        c4 = _case(
            program, manager, 4, Door.SOCIAL_CONTACT, "2025-02-20T17:00", asked=True, status=Status.REFERRED
        )
        _case(
            program,
            None,
            5,
            Door.COMMUNITY,
            "2025-03-05T17:00",
            status=Status.EXITED,
            changed="2025-03-20T17:00",
            exit_reason="intake_not_completed",
        )
        c6 = _case(program, manager, 6, Door.ARREST, "2024-12-31T12:00", intake_days=2, status=Status.ACTIVE)
        StatusChange.objects.create(
            program=program, case=c1, from_status="inactive", to_status="reengaged", at=at("2025-03-01T17:00")
        )
        StatusChange.objects.create(
            program=program, case=c6, from_status="inactive", to_status="reengaged", at=at("2024-11-01T17:00")
        )
        # Successful contacts: January 3 (c1 twice, c6), February 4, March 2; attempts are not counted.
        _contacts(
            program,
            c1,
            "2025-01-20T18:00",
            "2025-01-25T18:00",
            "2025-02-15T18:00",
            "2025-03-02T18:00",
            "2025-03-12T18:00",
        )
        _contacts(program, c6, "2025-01-10T18:00")
        _contacts(program, c2, "2025-02-09T18:00", "2025-02-12T18:00")
        _contacts(program, c3, "2025-02-22T18:00")
        _contacts(program, c1, "2025-01-26T18:00", "2025-03-03T18:00", successful=False)
        _contacts(program, c4, "2024-12-01T18:00")  # outside the period
        # Outcome snapshots: c1 and c2 twice in the period; c3 once; c1's December one is outside.
        _snapshot(program, c1, "2024-12-15", 410, "full_time", ["earned"], True)
        _snapshot(program, c1, "2025-01-20", 116, "not_engaged", [], False)
        _snapshot(program, c1, "2025-03-10", 410, "part_time", ["ssi"], True)
        _snapshot(program, c2, "2025-02-10", 410, "looking", ["snap"], True)
        _snapshot(program, c2, "2025-03-15", 435, "looking", ["snap"], True)
        _snapshot(program, c3, "2025-02-25", 410, "full_time", ["earned"], True)
        # Service referrals: one connected in 4 days, one pending since 1 March, one declined.
        common = {"program": program, "provider_name": "Provider", "area": "housing"}
        ServiceReferral.objects.create(
            case=c1,
            status="connected",
            created_at=at("2025-02-01T17:00"),
            status_changed_at=at("2025-02-05T17:00"),
            resolved_at=at("2025-02-05T17:00"),
            **common,
        )
        ServiceReferral.objects.create(
            case=c2,
            status="referred",
            created_at=at("2025-03-01T17:00"),
            status_changed_at=at("2025-03-01T17:00"),
            **common,
        )
        ServiceReferral.objects.create(
            case=c3,
            status="declined",
            decline_reason="Not now",
            created_at=at("2025-03-02T17:00"),
            status_changed_at=at("2025-03-03T17:00"),
            resolved_at=at("2025-03-03T17:00"),
            **common,
        )
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c6": c6}
