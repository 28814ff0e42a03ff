"""What an outcome snapshot records, and the HMIS codes it uses for housing.

Housing is HUD HMIS CSV FY2026 list 4.12 (CurrentLivingSituation), so a snapshot can be
exported to a Continuum of Care without mapping; tests/cases/test_outcome_codes.py checks
these codes and labels against the published value list. The employment continuum, income
sources and health insurance are the evaluations' categories (docs/case-management.md).
"""

from django.db import models


class LivingSituation(models.IntegerChoices):  # HMIS CSV FY2026 list 4.12
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    OTHER = 17, "Other"
    WORKER_UNABLE = 37, "Worker unable to determine"
    NOT_COLLECTED = 99, "Data not collected"
    EMERGENCY_SHELTER = (
        101,
        "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, "
        "or Host Home shelter",
    )
    NOT_FOR_HABITATION = (
        116,
        "Place not meant for habitation (e.g., a vehicle, an abandoned building, "
        "bus/train/subway station/airport or anywhere outside)",
    )
    SAFE_HAVEN = 118, "Safe Haven"
    PSYCHIATRIC = 204, "Psychiatric hospital or other psychiatric facility"
    SUBSTANCE_TREATMENT = 205, "Substance abuse treatment facility or detox center"
    HOSPITAL = 206, "Hospital or other residential non-psychiatric medical facility"
    JAIL = 207, "Jail, prison or juvenile detention facility"
    FOSTER_CARE = 215, "Foster care home or foster care group home"
    LONG_TERM_CARE = 225, "Long-term care facility or nursing home"
    TRANSITIONAL = 302, "Transitional housing for homeless persons (including homeless youth)"
    HOTEL_NO_VOUCHER = 314, "Hotel or motel paid for without emergency shelter voucher"
    RESIDENTIAL = 329, "Residential project or halfway house with no homeless criteria"
    HOST_HOME = 332, "Host Home (non-crisis)"
    FAMILY = 335, "Staying or living in a family member’s room, apartment, or house"
    FRIEND = 336, "Staying or living in a friend's room, apartment or house"
    RENTAL = 410, "Rental by client, no ongoing housing subsidy"
    OWNED = 411, "Owned by client, no ongoing housing subsidy"
    OWNED_SUBSIDY = 421, "Owned by client, with ongoing housing subsidy"
    RENTAL_SUBSIDY = 435, "Rental by client, with ongoing housing subsidy"


LIVING_SITUATION_LIST = ("CurrentLivingSituation", "4.12")

# HMIS groups living situations by the hundreds digit.
HOUSING_GROUPS = {1: "Homeless", 2: "Institutional", 3: "Temporary", 4: "Permanent housing"}


def housing_group(code: int | None) -> str:
    """Homeless, institutional, temporary or permanent housing; 'Not known' for the 8/9/17/37/99 codes."""
    return HOUSING_GROUPS.get((code or 0) // 100, "Not known")


def grouped_living_situations() -> list[tuple[str, list[tuple[int, str]]]]:
    """The codes as <optgroup>s, housing first, so the usual answers are quick to find on a phone."""
    groups: dict[str, list] = {}
    for code, label in LivingSituation.choices:
        groups.setdefault(housing_group(code), []).append((code, label))
    order = ["Permanent housing", "Temporary", "Homeless", "Institutional", "Not known"]
    return [(name, groups[name]) for name in order if name in groups]


class Employment(models.TextChoices):
    """The employment continuum the LEAD evaluations count: anything from looking for work up is on it."""

    NOT_ENGAGED = "not_engaged", "Not working or looking"
    UNABLE = "unable", "Unable to work (disability, illness, retired)"
    LOOKING = "looking", "Looking for work"
    TRAINING = "training", "In school or job training"
    VOLUNTEER = "volunteer", "Volunteering"
    INFORMAL = "informal", "Day labor or informal work"
    PART_TIME = "part_time", "Part-time job"
    FULL_TIME = "full_time", "Full-time job"


ON_EMPLOYMENT_CONTINUUM = frozenset(
    {
        Employment.LOOKING,
        Employment.TRAINING,
        Employment.VOLUNTEER,
        Employment.INFORMAL,
        Employment.PART_TIME,
        Employment.FULL_TIME,
    }
)


class IncomeSource(models.TextChoices):
    EARNED = "earned", "Earned income"
    SSI = "ssi", "SSI"
    SSDI = "ssdi", "SSDI"
    SNAP = "snap", "SNAP (food benefits)"
    TANF = "tanf", "TANF"
    GENERAL_ASSISTANCE = "general_assistance", "General assistance"
    UNEMPLOYMENT = "unemployment", "Unemployment insurance"
    VETERANS = "veterans", "Veterans' benefits"
    OTHER = "other", "Other income or benefits"


class Insurance(models.TextChoices):
    NONE = "none", "No health insurance"
    MEDICAID = "medicaid", "Medicaid"
    MEDICARE = "medicare", "Medicare"
    VA = "va", "VA health care"
    PRIVATE = "private", "Employer or private insurance"
    OTHER = "other", "Other coverage"
    UNKNOWN = "unknown", "Not known"
