"""The invented mix of the synthetic program: demographics, doors, offences, statuses, contacts,
places and names, each with its weight."""

import itertools

from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as SpanishNames

from offramp.cases.models import Contact, ExitReason, Status
from offramp.people import hmis
from offramp.referrals.models import Door

RACES = (  # (HMIS race field, weight)
    ("black_af_american", 0.36),
    ("white", 0.38),
    ("hispanic_latinao", 0.11),
    ("am_ind_ak_native", 0.08),
    ("asian", 0.03),
    ("native_hi_pacific", 0.02),
    ("mid_east_n_african", 0.02),
)
DOORS = ((Door.ARREST, 0.62), (Door.SOCIAL_CONTACT, 0.28), (Door.COMMUNITY, 0.10))
OFFENCES = (  # (local statute, NIBRS code, description, weight)
    ("RCW 69.50.4013", "35A", "Possession of a controlled substance", 0.46),
    ("RCW 69.50.401", "35A", "Delivery of a controlled substance, under 3 g", 0.12),
    ("RCW 69.50.412", "35B", "Drug paraphernalia", 0.06),
    ("RCW 9A.88.030", "40A", "Prostitution", 0.08),
    ("RCW 9A.56.050", "23H", "Theft in the third degree", 0.16),  # as the Seattle example protocol maps it
    ("RCW 9A.52.080", "90J", "Criminal trespass in the second degree", 0.08),
    ("SMC 12A.20.050", "90Z", "Pedestrian interference", 0.04),
)
STATUSES = (
    (Status.REFERRED, 0.10),
    (Status.ACTIVE, 0.42),
    (Status.INACTIVE, 0.14),
    (Status.REENGAGED, 0.04),
    (Status.EXITED, 0.30),
)
EXITS = (
    (ExitReason.GOALS_MET, 0.30),
    (ExitReason.CHOSE_TO_LEAVE, 0.18),
    (ExitReason.MOVED, 0.16),
    (ExitReason.NO_CONTACT, 0.20),
    (ExitReason.LONG_TERM_INCARCERATION, 0.08),
    (ExitReason.DECEASED, 0.03),
    (ExitReason.INTAKE_NOT_COMPLETED, 0.05),
)
INACTIVE_REASONS = ("No contact in 30 days", "In jail, short stay", "In hospital", "Staying out of the area")
CONTACT_KINDS = (
    (Contact.Kind.STREET_OUTREACH, 0.34),
    (Contact.Kind.IN_PERSON, 0.30),
    (Contact.Kind.PHONE, 0.18),
    (Contact.Kind.TEXT, 0.12),
    (Contact.Kind.COLLATERAL, 0.04),
    (Contact.Kind.VIDEO, 0.02),
)
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


def weighted(pairs):
    """Values and cumulative weights: random.choices is O(n) per call with plain weights."""
    values, weights = zip(*[(p[0], p[-1]) for p in pairs], strict=True)
    return values, list(itertools.accumulate(weights))


class Names:
    def __init__(self):
        self.male, self.male_w = weighted(EnglishNames.first_names_male.items())
        self.female, self.female_w = weighted(EnglishNames.first_names_female.items())
        self.last, self.last_w = weighted(EnglishNames.last_names.items())

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
