"""Constructed arrests exports for the screening tests (not a test module)."""

import datetime as dt

from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Status
from offramp.people.models import Person
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Door, Referral

HEADER = "IncidentNo,ArrestDate,ChargeCode,NetWeightG,DrugType,DOB,Sex,Race,Officer,Beat"
# The example mapping's shape, with this file's columns.
MAPPING = """
[columns]
incident_number = "IncidentNo"
incident_date = "ArrestDate"
statute = "ChargeCode"
quantity_grams = "NetWeightG"
substance = "DrugType"
date_of_birth = "DOB"
sex = "Sex"
race = "Race"
officer = "Officer"
area = "Beat"

[formats]
incident_date = "%m/%d/%Y"

[values.race]
B = "Black or African American"
I = "American Indian or Alaska Native"
W = "White"

[values.sex]
F = "Female"
M = "Male"

[values.substance]
HER = "heroin"
METH = "methamphetamine"
"""
POSSESSION, ASSAULT = "RCW 69.50.4013", "RCW 9A.36.021"


def row(
    number: str,
    *,
    statute=POSSESSION,
    grams="0.5",
    drug="HER",
    dob="1985-06-01",
    sex="M",
    race="B",
    officer="Ruiz",
    beat="East",
    date="03/02/2026",
) -> str:
    return f"{number},{date},{statute},{grams},{drug},{dob},{sex},{race},{officer},{beat}"


def csv_bytes(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def project_manager(world) -> Actor:
    return Actor(
        user=world.users[Role.PROJECT_MANAGER], program=world.program, roles=frozenset({Role.PROJECT_MANAGER})
    )


def publish_seattle(world):
    return protocol_publish_example(program=world.program, name="seattle")


def set_incident(referral_id: int, number: str) -> None:
    with trusted("tests"):
        Referral.objects.filter(pk=referral_id).update(incident_number=number)


def diverted(world, numbers: list[str], *, intake: int) -> None:
    """Arrest referrals with these incident numbers; the first `intake` of them completed intake."""
    now = timezone.now()
    with trusted("tests"):
        for i, number in enumerate(numbers):
            person = Person.objects.create(
                program=world.program,
                legal_first_name="P",
                legal_last_name=f"N{i}",
                date_of_birth=dt.date(1980, 1, 1),
            )
            referral = Referral.objects.create(
                program=world.program,
                person=person,
                door=Door.ARREST,
                referred_at=now,
                incident_number=number,
                offence_statute="RCW 69.50.4013",
                offence_nibrs="35A",
            )
            Case.objects.create(
                program=world.program,
                person=person,
                referral=referral,
                opened_at=now,
                status_changed_at=now,
                status=Status.ACTIVE if i < intake else Status.REFERRED,
                intake_completed_at=now if i < intake else None,
            )


TODAY = dt.date(2026, 3, 2)
