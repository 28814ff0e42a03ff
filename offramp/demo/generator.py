"""The synthetic program: realistic, deterministic per seed, and fast enough for 100,000 people.

Everything here is invented. Names come from Faker's frequency tables; the mix
of demographics, doors, offences and statuses is set to resemble the people
LEAD programs serve (mostly men in their thirties and forties, Black and Native
people over-represented relative to the general population, most arriving by
arrest diversion for drug possession). The generator writes with bulk inserts
inside the access layer's trusted block and leaves one audit entry for the run.
"""

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as SpanishNames

from offramp.access.audit import Action, audit_record
from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Contact, ExitReason, Status, StatusChange
from offramp.people import hmis
from offramp.people.models import Alias, Person
from offramp.programs.models import Agency, Membership, Program
from offramp.referrals.models import Door, Referral

BATCH = 5000
Progress = Callable[[int, int, str], None]

# One named account per role, so the demo can print a login for each.
DEMO_ACCOUNTS = {
    Role.OFFICER: ("officer", "Dana", "Reyes"),
    Role.CASE_MANAGER: ("casemanager", "Sam", "Okafor"),
    Role.CASE_SUPERVISOR: ("supervisor", "Lee", "Park"),
    Role.PROJECT_MANAGER: ("projectmanager", "Morgan", "Tsosie"),
    Role.PROSECUTOR: ("prosecutor", "Avery", "Lindqvist"),
    Role.EVALUATOR: ("evaluator", "Jordan", "Whitfield"),
    Role.SYSTEM_ADMIN: ("admin", "Casey", "Nakamura"),
}

RACES = (  # (HMIS race field, weight)
    ("black_af_american", 0.36), ("white", 0.38), ("hispanic_latinao", 0.11),
    ("am_ind_ak_native", 0.08), ("asian", 0.03), ("native_hi_pacific", 0.02), ("mid_east_n_african", 0.02),
)  # fmt: skip
DOORS = ((Door.ARREST, 0.62), (Door.SOCIAL_CONTACT, 0.28), (Door.COMMUNITY, 0.10))
OFFENCES = (  # (local statute, NIBRS code, description, weight)
    ("RCW 69.50.4013", "35A", "Possession of a controlled substance", 0.46),
    ("RCW 69.50.401", "35A", "Delivery of a controlled substance, under 3 g", 0.12),
    ("RCW 69.50.412", "35B", "Drug paraphernalia", 0.06),
    ("RCW 9A.88.030", "40A", "Prostitution", 0.08),
    ("RCW 9A.56.050", "23C", "Theft in the third degree (shoplifting)", 0.16),
    ("RCW 9A.52.080", "90J", "Criminal trespass in the second degree", 0.08),
    ("SMC 12A.20.050", "90Z", "Pedestrian interference", 0.04),
)  # fmt: skip
STATUSES = ((Status.REFERRED, 0.10), (Status.ACTIVE, 0.46), (Status.INACTIVE, 0.14), (Status.EXITED, 0.30))
EXITS = (
    (ExitReason.GOALS_MET, 0.30), (ExitReason.CHOSE_TO_LEAVE, 0.18), (ExitReason.MOVED, 0.16),
    (ExitReason.NO_CONTACT, 0.20), (ExitReason.LONG_TERM_INCARCERATION, 0.08), (ExitReason.DECEASED, 0.03),
    (ExitReason.INTAKE_NOT_COMPLETED, 0.05),
)  # fmt: skip
INACTIVE_REASONS = ("No contact in 30 days", "In jail, short stay", "In hospital", "Staying out of the area")
CONTACT_KINDS = (
    (Contact.Kind.STREET_OUTREACH, 0.34), (Contact.Kind.IN_PERSON, 0.30), (Contact.Kind.PHONE, 0.18),
    (Contact.Kind.TEXT, 0.12), (Contact.Kind.COLLATERAL, 0.04), (Contact.Kind.VIDEO, 0.02),
)  # fmt: skip
AREAS = (
    "Downtown",
    "Belltown",
    "Pioneer Square",
    "Rainier Valley",
    "University",
    "Waterfront",
    "North Precinct",
)
PLACES = (
    "Third and Pine",
    "the transit centre",
    "Harbor Park",
    "the library steps",
    "Fifth and Main",
    "the pier",
)
STREET_NAMES = ("Smokey", "Red", "Junior", "Slim", "Tiny", "Shorty", "Bear", "Lucky", "Cuz", "Dre", "Mama T")


def _weighted(pairs):
    """Values and cumulative weights: random.choices is O(n) per call with plain weights."""
    values, weights = zip(*[(p[0], p[-1]) for p in pairs], strict=True)
    return values, list(itertools.accumulate(weights))


class _Names:
    def __init__(self):
        self.male, self.male_w = _weighted(EnglishNames.first_names_male.items())
        self.female, self.female_w = _weighted(EnglishNames.first_names_female.items())
        self.last, self.last_w = _weighted(EnglishNames.last_names.items())

    def first(self, rng, sex, hispanic):
        if hispanic:
            return rng.choice(
                SpanishNames.first_names_male if sex == hmis.Sex.MALE else SpanishNames.first_names_female
            )
        if sex == hmis.Sex.MALE:
            return rng.choices(self.male, cum_weights=self.male_w)[0]
        return rng.choices(self.female, cum_weights=self.female_w)[0]

    def surname(self, rng, hispanic):
        if hispanic and rng.random() < 0.8:
            return rng.choice(SpanishNames.last_names)
        return rng.choices(self.last, cum_weights=self.last_w)[0]


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
    names = _Names()
    with transaction.atomic(), trusted("demo.seed"):
        program = _program(slug)
        agencies = _agencies(program)
        officers, managers = _staff(program, agencies, people)
        report(0, people, "Staff ready")
        made = {"people": 0, "cases": 0, "contacts": 0}
        for start in range(0, people, BATCH):
            size = min(BATCH, people - start)
            _batch(rng, names, program, agencies, officers, managers, size, now, made)
            report(start + size, people, f"{start + size:,} of {people:,} people")
        audit_record(
            actor=Actor.system("seed", program=program),
            action=Action.SEED,
            object_type="Program",
            object_id=program.pk,
            detail={"people": people, "seed": seed},
        )
    return SeedResult(program=program, people=made["people"], cases=made["cases"], contacts=made["contacts"])


def _program(slug: str) -> Program:
    program, _ = Program.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "Cascade County LEAD",
            "jurisdiction": "Cascade County",
            "time_zone": "America/Los_Angeles",
            "configuration": {"intake_window_days": 30, "caseload_soft_limit": 20, "caseload_hard_limit": 25},
        },
    )
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
        Role.CASE_MANAGER: agencies[Agency.Kind.PROVIDER],
        Role.CASE_SUPERVISOR: agencies[Agency.Kind.PROVIDER],
        Role.PROJECT_MANAGER: agencies[Agency.Kind.PUBLIC_DEFENDER],
        Role.PROSECUTOR: agencies[Agency.Kind.PROSECUTOR],
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
    officers = [users[w[1]] for w in wanted if w[0] == Role.OFFICER]
    managers = [users[w[1]] for w in wanted if w[0] == Role.CASE_MANAGER]
    return officers, managers


def _batch(rng, names, program, agencies, officers, managers, size, now, made):
    race_fields, race_w = _weighted(RACES)
    doors, door_w = _weighted(DOORS)
    statuses, status_w = _weighted(STATUSES)
    exits, exit_w = _weighted(EXITS)
    kinds, kind_w = _weighted(CONTACT_KINDS)
    _offences, offence_w = _weighted(OFFENCES)
    window = program.setting("intake_window_days")
    five_years = 5 * 365 * 24 * 3600

    persons, plans = [], []
    for _ in range(size):
        sex = hmis.Sex.MALE if rng.random() < 0.7 else hmis.Sex.FEMALE
        race = rng.choices(race_fields, cum_weights=race_w)[0]
        flags = dict.fromkeys(hmis.RACE_FIELDS, hmis.NoYes.NO)
        flags[race] = hmis.NoYes.YES
        if rng.random() < 0.06:
            flags[rng.choices(race_fields, cum_weights=race_w)[0]] = hmis.NoYes.YES
        hispanic = flags["hispanic_latinao"] == hmis.NoYes.YES
        referred_at = now - dt.timedelta(seconds=rng.randrange(3600, five_years))
        age = min(78, max(18, int(rng.gauss(39, 11))))
        dob = (referred_at - dt.timedelta(days=age * 365 + rng.randrange(365))).date()
        first = names.first(rng, sex, hispanic)
        persons.append(
            Person(
                program=program,
                legal_first_name=first,
                legal_middle_name=names.first(rng, sex, hispanic) if rng.random() < 0.4 else "",
                legal_last_name=names.surname(rng, hispanic),
                preferred_name=rng.choice(STREET_NAMES) if rng.random() < 0.08 else "",
                date_of_birth=dob,
                dob_data_quality=hmis.DOBDataQuality.FULL
                if rng.random() < 0.93
                else hmis.DOBDataQuality.APPROXIMATE,
                sex=sex,
                veteran_status=rng.choices(
                    [hmis.NoYesReasons.NO, hmis.NoYesReasons.YES, hmis.NoYesReasons.NOT_COLLECTED],
                    [0.85, 0.07, 0.08],
                )[0],
                **flags,
            )
        )
        plans.append(
            (
                referred_at,
                rng.choices(doors, cum_weights=door_w)[0],
                rng.choices(statuses, cum_weights=status_w)[0],
            )
        )
    Person.objects.bulk_create(persons, batch_size=BATCH)

    aliases = [
        Alias(program=program, person=p, first_name=rng.choice(STREET_NAMES), last_name="")
        if rng.random() < 0.5
        else Alias(
            program=program, person=p, first_name=p.legal_first_name, last_name=names.surname(rng, False)
        )
        for p in persons
        if rng.random() < 0.15
    ]
    Alias.objects.bulk_create(aliases, batch_size=BATCH)

    referrals = []
    for person, (referred_at, door, _status) in zip(persons, plans, strict=True):
        statute, nibrs, description, _w = rng.choices(OFFENCES, cum_weights=offence_w)[0]
        police = door != Door.COMMUNITY
        referrals.append(
            Referral(
                program=program,
                person=person,
                door=door,
                referred_at=referred_at,
                location=rng.choice(PLACES),
                area=rng.choice(AREAS),
                referring_officer=rng.choice(officers) if police else None,
                referring_agency=agencies[Agency.Kind.POLICE] if police else agencies[Agency.Kind.PROVIDER],
                referrer_name="" if police else "Downtown business improvement district",
                offence_statute=statute if door == Door.ARREST else "",
                offence_nibrs=nibrs if door == Door.ARREST else "",
                offence_description=description if door != Door.COMMUNITY else "",
                incident_number=f"{referred_at:%y}-{rng.randrange(10**6):06d}" if door == Door.ARREST else "",
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)

    cases, histories = [], []
    for person, referral, (referred_at, door, status) in zip(persons, referrals, plans, strict=True):
        if status == Status.REFERRED:
            referred_at = now - dt.timedelta(days=rng.uniform(0, window + 5))  # intake pending: recent
            referral.referred_at = referred_at
        intake_at = (
            None if status == Status.REFERRED else referred_at + dt.timedelta(days=rng.uniform(0.2, window))
        )
        changed_at, reason, exit_reason = referred_at, "", ""
        if status != Status.REFERRED:
            changed_at = intake_at
        if status in (Status.INACTIVE, Status.EXITED):
            changed_at = min(now, intake_at + dt.timedelta(days=rng.uniform(30, 900)))
        if status == Status.INACTIVE:
            reason = rng.choice(INACTIVE_REASONS)
        if status == Status.EXITED:
            exit_reason = rng.choices(exits, cum_weights=exit_w)[0]
            if exit_reason == ExitReason.INTAKE_NOT_COMPLETED:
                intake_at = None
                changed_at = referred_at + dt.timedelta(days=window)
        case = Case(
            program=program,
            person=person,
            referral=referral,
            case_manager=rng.choice(managers) if rng.random() < 0.97 else None,
            status=status,
            status_reason=reason,
            exit_reason=exit_reason,
            opened_at=referred_at,
            intake_due=(referred_at + dt.timedelta(days=window)).date() if door == Door.ARREST else None,
            intake_completed_at=intake_at,
            status_changed_at=changed_at,
        )
        cases.append(case)
        histories.append(_history(case, referred_at, intake_at, changed_at))
    Referral.objects.bulk_update([r for r, p in zip(referrals, plans, strict=True) if p[2] == Status.REFERRED],
                                 ["referred_at"], batch_size=BATCH)  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=BATCH)

    changes, contacts, consents = [], [], []
    for case, steps in zip(cases, histories, strict=True):
        previous = ""
        for to_status, at, why in steps:
            changes.append(StatusChange(program=program, case=case, from_status=previous, to_status=to_status,
                                        reason=why, at=at, by=case.case_manager))  # fmt: skip
            previous = to_status
        if case.intake_completed_at is None:
            continue
        end = case.status_changed_at if case.status == Status.EXITED else now
        span = max((end - case.intake_completed_at).total_seconds(), 3600)
        for _ in range(min(int(rng.expovariate(1 / 5)) + 1, 40)):
            at = case.intake_completed_at + dt.timedelta(seconds=rng.uniform(0, span))
            contacts.append(
                Contact(
                    program=program, case=case, kind=rng.choices(kinds, cum_weights=kind_w)[0], successful=rng.random() < 0.72,
                    at=at, location=rng.choice(PLACES), duration_minutes=rng.choice((5, 10, 15, 20, 30, 45, 60)),
                    by=case.case_manager,
                )
            )  # fmt: skip
        if rng.random() < 0.85:
            consents.append(
                Consent(
                    program=program, person=case.person, recipient_class=Consent.Recipient.PROSECUTOR,
                    recipient_name="Cascade County Prosecuting Attorney", categories=[Category.STATUS, Category.LEGAL],
                    purpose="Coordinate charging decisions with LEAD participation", signed_at=case.intake_completed_at,
                )
            )  # fmt: skip
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    made["people"] += len(persons)
    made["cases"] += len(cases)
    made["contacts"] += len(contacts)


def _history(case, referred_at, intake_at, changed_at):
    steps = [(Status.REFERRED, referred_at, "")]
    if intake_at is not None:
        steps.append((Status.ACTIVE, intake_at, "Intake completed"))
    if case.status == Status.INACTIVE:
        steps.append((Status.INACTIVE, changed_at, case.status_reason))
    if case.status == Status.EXITED:
        steps.append((Status.EXITED, changed_at, case.get_exit_reason_display()))
    return steps
