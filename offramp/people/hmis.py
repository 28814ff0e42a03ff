"""HUD HMIS CSV FY2026 value lists used for a person's demographics.

Codes and labels as published in the HMIS CSV Format Specifications FY2026
(lists 1.6, 1.8, 1.10, 3.01.5, 3.03.2, 4.21). A test checks them against the standard.
"""

from django.db import models


class NoYes(models.IntegerChoices):  # list 1.10
    NO = 0, "No"
    YES = 1, "Yes"


class NoYesReasons(models.IntegerChoices):  # list 1.8
    NO = 0, "No"
    YES = 1, "Yes"
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class RaceNone(models.IntegerChoices):  # list 1.6
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class NameDataQuality(models.IntegerChoices):  # list 3.01.5
    FULL = 1, "Full name reported"
    PARTIAL = 2, "Partial, street name, or code name reported"
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class DOBDataQuality(models.IntegerChoices):  # list 3.03.2
    FULL = 1, "Full DOB reported"
    APPROXIMATE = 2, "Approximate or partial DOB reported"
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class Sex(models.IntegerChoices):  # list 4.21
    FEMALE = 0, "Female"
    MALE = 1, "Male"
    DOESNT_KNOW = 8, "Client doesn't know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


# The race and ethnicity columns of the HMIS Client file, in file order, with their labels.
RACE_FIELDS = {
    "am_ind_ak_native": ("AmIndAKNative", "American Indian, Alaska Native, or Indigenous"),
    "asian": ("Asian", "Asian or Asian American"),
    "black_af_american": ("BlackAfAmerican", "Black, African American, or African"),
    "hispanic_latinao": ("HispanicLatinao", "Hispanic/Latina/e/o"),
    "mid_east_n_african": ("MidEastNAfrican", "Middle Eastern or North African"),
    "native_hi_pacific": ("NativeHIPacific", "Native Hawaiian or Pacific Islander"),
    "white": ("White", "White"),
}

# HMIS list number for each coded Client column this model keeps.
CLIENT_COLUMN_LISTS = {
    "NameDataQuality": ("3.01.5", NameDataQuality),
    "DOBDataQuality": ("3.03.2", DOBDataQuality),
    "Sex": ("4.21", Sex),
    "RaceNone": ("1.6", RaceNone),
    "VeteranStatus": ("1.8", NoYesReasons),
    **{column: ("1.10", NoYes) for column, _ in RACE_FIELDS.values()},
}
