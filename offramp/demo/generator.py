"""The synthetic program: realistic, deterministic per seed, and fast enough for 100,000 people.

Everything here is invented. Names come from Faker's frequency tables; the mix
of demographics, doors, offences and statuses is set to resemble the people
LEAD programs serve (mostly men in their thirties and forties, Black and Native
people over-represented relative to the general population, most arriving by
arrest diversion for drug possession). The generator writes with batched raw
INSERTs (see `offramp/demo/bulk.py`) inside the access layer's trusted block and leaves one
audit entry for the run.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.scope import Actor, acting
from offramp.accounts.mfa import demo_totp_enrol
from offramp.cases.models import Case, Contact, ExitReason, Status, StatusChange
from offramp.demo.bulk import BATCH, first_id, insert_rows, reset_sequences
from offramp.demo.mix import (
    AREAS,
    CONTACT_KINDS,
    DOORS,
    EXITS,
    INACTIVE_REASONS,
    OFFENCES,
    PLACES,
    RACES,
    STATUSES,
    STREET_NAMES,
    Names,
    weighted,
)
from offramp.people import hmis
from offramp.people.models import Alias, Person
from offramp.programs.models import Agency, Membership, Program
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Door, Referral
from offramp.referrals.protocol import Protocol

SEEDED_MODELS = [Person, Alias, Referral, Case, StatusChange, Contact, Consent]  # written with raw INSERTs
Progress = Callable[[int, int, str], None]

# One named account per role, so the demo can print a login for each.
DEMO_ACCOUNTS = {
    Role.OFFICER: ("officer", "Dana", "Reyes"),
    Role.SERGEANT: ("sergeant", "Riley", "Mendez"),
    Role.CASE_MANAGER: ("casemanager", "Sam", "Okafor"),
    Role.CASE_SUPERVISOR: ("supervisor", "Lee", "Park"),
    Role.PROJECT_MANAGER: ("projectmanager", "Morgan", "Tsosie"),
    Role.PROSECUTOR: ("prosecutor", "Avery", "Lindqvist"),
    Role.PUBLIC_DEFENDER: ("defender", "Quinn", "Abernathy"),
    Role.EVALUATOR: ("evaluator", "Jordan", "Whitfield"),
    Role.SYSTEM_ADMIN: ("admin", "Casey", "Nakamura"),
}


@dataclass(frozen=True)
class SeedResult:
    program: Program
    people: int
    cases: int
    contacts: int


def seed_program(
    *,
    people: int,
    seed: int,
    slug: str = "demo",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> SeedResult:
    """Add `people` synthetic participants (with referrals, cases, history and contacts) to a program.

    The program, its agencies and its staff are created on first use and reused
    after. The same seed on an empty program gives the same data.
    """
    rng = random.Random(seed)
    now = now or timezone.now()
    report = progress or (lambda done, total, message: None)
    names = Names()
    with acting("demo.seed"):
        program = _program(slug)
        agencies = _agencies(program)
        officers, managers = _staff(program, agencies, people)
        report(0, people, "Staff ready")
        made = {"people": 0, "cases": 0, "contacts": 0}
        for start in range(0, people, BATCH):
            size = min(BATCH, people - start)
            _batch(rng, names, program, agencies, officers, managers, size, now, made)
            report(start + size, people, f"{start + size:,} of {people:,} people")
        reset_sequences(SEEDED_MODELS)
        audit_record(
            actor=Actor.system("seed", program=program),
            action=Action.SEED,
            object_type="Program",
            object_id=program.pk,
            detail={"people": people, "seed": seed},
        )
    return SeedResult(program=program, people=made["people"], cases=made["cases"], contacts=made["contacts"])


def _program(slug: str) -> Program:
    program, created = Program.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "Cascade County LEAD",
            "jurisdiction": "Cascade County",
            "time_zone": "America/Los_Angeles",
            "configuration": {"intake_window_days": 30, "caseload_soft_limit": 20, "caseload_hard_limit": 25},
        },
    )
    if created:  # officers' referrals are decided under the program's protocol: start with an example
        protocol_publish_example(program=program, name="seattle")
    return program


def _agencies(program: Program) -> dict[str, Agency]:
    wanted = {
        Agency.Kind.POLICE: "Harbor City Police Department",
        Agency.Kind.PROVIDER: "Evergreen Outreach Collective",
        Agency.Kind.PROSECUTOR: "Cascade County Prosecuting Attorney",
        Agency.Kind.PUBLIC_DEFENDER: "Cascade County Public Defender",
        Agency.Kind.LEGAL_AID: "Northwest Civil Legal Aid",
    }
    return {
        kind: Agency.objects.get_or_create(program=program, name=name, defaults={"kind": kind})[0]
        for kind, name in wanted.items()
    }


def _staff(program, agencies, people):
    """Named demo accounts plus enough officers and case managers for the program's size."""
    User = get_user_model()
    agency_for = {
        Role.OFFICER: agencies[Agency.Kind.POLICE],
        Role.SERGEANT: agencies[Agency.Kind.POLICE],
        Role.CASE_MANAGER: agencies[Agency.Kind.PROVIDER],
        Role.CASE_SUPERVISOR: agencies[Agency.Kind.PROVIDER],
        Role.PROJECT_MANAGER: agencies[Agency.Kind.PUBLIC_DEFENDER],
        Role.PROSECUTOR: agencies[Agency.Kind.PROSECUTOR],
        Role.PUBLIC_DEFENDER: agencies[Agency.Kind.PUBLIC_DEFENDER],
    }
    wanted = [(role, *account) for role, account in DEMO_ACCOUNTS.items()]
    n_officers = min(max(people // 60, 6), 400)
    n_managers = min(max(people // 25, 4), 1000)
    wanted += [
        (Role.OFFICER, f"{program.slug}-officer{i}", "Officer", str(i)) for i in range(2, n_officers + 1)
    ]
    wanted += [
        (Role.CASE_MANAGER, f"{program.slug}-cm{i}", "Case", f"Manager {i}") for i in range(2, n_managers + 1)
    ]
    existing = {u.username: u for u in User.objects.filter(username__in=[w[1] for w in wanted])}
    new_users = [
        User(username=username, first_name=first, last_name=last, email=f"{username}@example.org")
        for _role, username, first, last in wanted
        if username not in existing
    ]
    for user in new_users:
        user.set_unusable_password()  # demo logins get a password from `offramp demo`
    User.objects.bulk_create(new_users)
    users = {u.username: u for u in User.objects.filter(username__in=[w[1] for w in wanted])}
    have = set(Membership.objects.filter(program=program).values_list("user_id", "role"))
    Membership.objects.bulk_create(
        [
            Membership(user=users[username], program=program, role=role, agency=agency_for.get(role))
            for role, username, _first, _last in wanted
            if (users[username].pk, role) not in have
        ]
    )
    if not settings.PRODUCTION:  # the named logins come with an authenticator (offramp demo-code USERNAME)
        for username, _first, _last in DEMO_ACCOUNTS.values():
            demo_totp_enrol(users[username])
    officers = [users[w[1]] for w in wanted if w[0] == Role.OFFICER]
    managers = [users[w[1]] for w in wanted if w[0] == Role.CASE_MANAGER]
    return officers, managers


def _batch(rng, names, program, agencies, officers, managers, size, now, made):
    race_fields, race_w = weighted(RACES)
    doors, door_w = weighted(DOORS)
    statuses, status_w = weighted(STATUSES)
    exits, exit_w = weighted(EXITS)
    kinds, kind_w = weighted(CONTACT_KINDS)
    _offences, offence_w = weighted(OFFENCES)
    window = program.setting("intake_window_days") or Protocol.intake_window_days
    five_years = 5 * 365 * 24 * 3600
    when = connection.ops.adapt_datetimefield_value
    day = connection.ops.adapt_datefield_value
    pid = program.pk
    race_columns = list(hmis.RACE_FIELDS)

    # People: rows are tuples in the order of the column list next to each insert.
    person_id = first_id(Person)
    persons, firsts, plans = [], [], []
    for i in range(size):
        sex = hmis.Sex.MALE if rng.random() < 0.7 else hmis.Sex.FEMALE
        race = rng.choices(race_fields, cum_weights=race_w)[0]
        flags = dict.fromkeys(race_columns, hmis.NoYes.NO)
        flags[race] = hmis.NoYes.YES
        if rng.random() < 0.06:
            flags[rng.choices(race_fields, cum_weights=race_w)[0]] = hmis.NoYes.YES
        hispanic = flags["hispanic_latinao"] == hmis.NoYes.YES
        referred_at = now - dt.timedelta(seconds=rng.randrange(3600, five_years))
        age = min(78, max(18, int(rng.gauss(39, 11))))
        dob = (referred_at - dt.timedelta(days=age * 365 + rng.randrange(365))).date()
        first = names.first(rng, sex, hispanic)
        middle = names.first(rng, sex, hispanic) if rng.random() < 0.4 else ""
        last = names.surname(rng, hispanic)
        preferred = rng.choice(STREET_NAMES) if rng.random() < 0.08 else ""
        dob_quality = hmis.DOBDataQuality.FULL if rng.random() < 0.93 else hmis.DOBDataQuality.APPROXIMATE
        veteran = rng.choices(
            [hmis.NoYesReasons.NO, hmis.NoYesReasons.YES, hmis.NoYesReasons.NOT_COLLECTED], [0.85, 0.07, 0.08]
        )[0]
        persons.append(
            (
                person_id + i,
                pid,
                first,
                middle,
                last,
                preferred,
                day(dob),
                dob_quality,
                sex,
                veteran,
                *flags.values(),
            )
        )
        firsts.append(first)
        plans.append(
            (
                referred_at,
                rng.choices(doors, cum_weights=door_w)[0],
                rng.choices(statuses, cum_weights=status_w)[0],
            )
        )
    insert_rows(
        Person,
        [
            "program",
            "legal_first_name",
            "legal_middle_name",
            "legal_last_name",
            "preferred_name",
            "date_of_birth",
            "dob_data_quality",
            "sex",
            "veteran_status",
            *race_columns,
        ],
        persons,
    )
    person_ids = [row[0] for row in persons]

    aliases = [
        (pid, person, rng.choice(STREET_NAMES), "")
        if rng.random() < 0.5
        else (pid, person, first, names.surname(rng, False))
        for person, first in zip(person_ids, firsts, strict=True)
        if rng.random() < 0.15
    ]
    alias_id = first_id(Alias)
    insert_rows(
        Alias,
        ["program", "person", "first_name", "last_name"],
        [(alias_id + i, *alias) for i, alias in enumerate(aliases)],
    )

    # Referrals are written after the cases are planned: a pending intake moves its referral date.
    referral_id = first_id(Referral)
    police_id, provider_id = agencies[Agency.Kind.POLICE].pk, agencies[Agency.Kind.PROVIDER].pk
    referrals = []
    for i, (person, (referred_at, door, _status)) in enumerate(zip(person_ids, plans, strict=True)):
        statute, nibrs, description, _w = rng.choices(OFFENCES, cum_weights=offence_w)[0]
        police = door != Door.COMMUNITY
        arrest = door == Door.ARREST
        referrals.append(
            [
                referral_id + i,
                pid,
                person,
                door,
                referred_at,
                rng.choice(PLACES),
                rng.choice(AREAS),
                rng.choice(officers).pk if police else None,
                police_id if police else provider_id,
                "" if police else "Downtown business improvement district",
                statute if arrest else "",
                nibrs if arrest else "",
                description if police else "",
                f"{referred_at:%y}-{rng.randrange(10**6):06d}" if arrest else "",
            ]
        )

    case_id = first_id(Case)
    cases, plans_after = [], []
    manager_ids = [manager.pk for manager in managers]
    for i, (person, referral, (referred_at, door, status)) in enumerate(
        zip(person_ids, referrals, plans, strict=True)
    ):
        if status == Status.REFERRED:
            referred_at = now - dt.timedelta(days=rng.uniform(0, window + 5))  # intake pending: recent
            referral[4] = referred_at
        # Intake falls inside the window and never after `now`, however recent the referral.
        latest_intake = min(window, 0.9 * (now - referred_at).total_seconds() / 86400)
        intake_at = (
            None
            if status == Status.REFERRED
            else referred_at + dt.timedelta(days=rng.uniform(min(0.2, latest_intake), latest_intake))
        )
        changed_at, reason, exit_reason = referred_at, "", ""
        if status != Status.REFERRED:
            changed_at = intake_at
        if status in (Status.INACTIVE, Status.REENGAGED, Status.EXITED):
            changed_at = min(now, intake_at + dt.timedelta(days=rng.uniform(30, 900)))
        if status == Status.INACTIVE:
            reason = rng.choice(INACTIVE_REASONS)
        if status == Status.EXITED:
            exit_reason = rng.choices(exits, cum_weights=exit_w)[0]
            lapsed = referred_at + dt.timedelta(days=window) <= now
            if exit_reason == ExitReason.INTAKE_NOT_COMPLETED and not lapsed:
                exit_reason = ExitReason.CHOSE_TO_LEAVE  # a window still open cannot have lapsed
            if exit_reason == ExitReason.INTAKE_NOT_COMPLETED:
                intake_at = None
                changed_at = referred_at + dt.timedelta(days=window)
        manager = rng.choice(manager_ids) if rng.random() < 0.97 else None
        intake_due = day((referred_at + dt.timedelta(days=window)).date()) if door == Door.ARREST else None
        cases.append(
            (
                case_id + i,
                pid,
                person,
                referral[0],
                manager,
                status,
                reason,
                exit_reason,
                when(referred_at),
                intake_due,
                when(intake_at),
                when(changed_at),
            )
        )
        plans_after.append((person, status, reason, exit_reason, referred_at, intake_at, changed_at))

    changes, contacts, consents = [], [], []
    last_contact: dict[int, dt.datetime] = {}  # case -> its latest successful contact, stored on the case
    for case, (person, status, reason, exit_reason, referred_at, intake_at, changed_at) in zip(
        cases, plans_after, strict=True
    ):
        case_pk, manager = case[0], case[4]
        previous = ""
        for to_status, at, why in _history(status, reason, exit_reason, referred_at, intake_at, changed_at):
            changes.append((pid, case_pk, previous, to_status, why, when(at), manager))
            previous = to_status
        if intake_at is None:
            continue
        end = changed_at if status == Status.EXITED else now
        span = max((end - intake_at).total_seconds(), 3600)
        for _ in range(min(int(rng.expovariate(1 / 5)) + 1, 40)):
            at = intake_at + dt.timedelta(seconds=rng.uniform(0, span))
            kind = rng.choices(kinds, cum_weights=kind_w)[0]
            successful = rng.random() < 0.72
            if successful and (case_pk not in last_contact or at > last_contact[case_pk]):
                last_contact[case_pk] = at
            contacts.append(
                (
                    pid,
                    case_pk,
                    kind,
                    successful,
                    when(at),
                    rng.choice(PLACES),
                    rng.choice((5, 10, 15, 20, 30, 45, 60)),
                    manager,
                )
            )
        if rng.random() < 0.85:
            consents.append((pid, person, when(intake_at)))

    for referral in referrals:
        referral[4] = when(referral[4])
    insert_rows(
        Referral,
        [
            "program",
            "person",
            "door",
            "referred_at",
            "location",
            "area",
            "referring_officer",
            "referring_agency",
            "referrer_name",
            "offence_statute",
            "offence_nibrs",
            "offence_description",
            "incident_number",
        ],
        [tuple(referral) for referral in referrals],
    )
    insert_rows(
        Case,
        [
            "program",
            "person",
            "referral",
            "case_manager",
            "status",
            "status_reason",
            "exit_reason",
            "opened_at",
            "intake_due",
            "intake_completed_at",
            "status_changed_at",
            "last_contact_at",
        ],
        [(*case, when(last_contact.get(case[0]))) for case in cases],
    )
    change_id = first_id(StatusChange)
    insert_rows(
        StatusChange,
        ["program", "case", "from_status", "to_status", "reason", "at", "by"],
        [(change_id + i, *row) for i, row in enumerate(changes)],
    )
    contact_id = first_id(Contact)
    insert_rows(
        Contact,
        ["program", "case", "kind", "successful", "at", "location", "duration_minutes", "by"],
        [(contact_id + i, *row) for i, row in enumerate(contacts)],
    )
    consent_id = first_id(Consent)
    categories = connection.ops.adapt_json_value([Category.STATUS, Category.LEGAL], None)
    prosecutor = (
        Consent.Recipient.PROSECUTOR,
        "Cascade County Prosecuting Attorney",
        "Coordinate charging decisions with LEAD participation",
    )
    defender = (
        Consent.Recipient.PUBLIC_DEFENDER,
        "Cascade County Public Defender",
        "Coordinate my defence with LEAD participation",
    )
    # Every consenting participant consents to the prosecutor's office; one in three (by id, so the
    # random draws above stay as they were) to the public defender's office too.
    rows = [(program_id, person, signed_at, *prosecutor) for program_id, person, signed_at in consents]
    rows += [
        (program_id, person, signed_at, *defender)
        for program_id, person, signed_at in consents
        if person % 3 == 0
    ]
    insert_rows(
        Consent,
        ["program", "person", "signed_at", "recipient_class", "recipient_name", "purpose", "categories"],
        [(consent_id + i, *row, categories) for i, row in enumerate(rows)],
    )
    made["people"] += len(persons)
    made["cases"] += len(cases)
    made["contacts"] += len(contacts)


def _history(status, reason, exit_reason, referred_at, intake_at, changed_at):
    steps = [(Status.REFERRED, referred_at, "")]
    if intake_at is not None:
        steps.append((Status.ACTIVE, intake_at, "Intake completed"))
    if status == Status.INACTIVE:
        steps.append((Status.INACTIVE, changed_at, reason))
    if status == Status.REENGAGED:  # went quiet, then came back
        steps.append((Status.INACTIVE, intake_at + (changed_at - intake_at) / 2, "Lost touch"))
        steps.append((Status.REENGAGED, changed_at, "Re-engaged"))
    if status == Status.EXITED:
        steps.append((Status.EXITED, changed_at, ExitReason(exit_reason).label))
    return steps
