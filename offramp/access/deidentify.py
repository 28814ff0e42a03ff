"""De-identified data for evaluators: HIPAA Safe Harbor (45 CFR 164.514(b)(2)) by construction.

The export is built from an allow-list of columns, each computed by a rule
below; nothing else can reach it. No names, addresses, dates finer than the
year, ages over 89, phone numbers, record numbers or other identifiers; no ZIP
code at all (offramp holds none, and a 3-digit ZIP is allowed only for areas
over 20,000 people). Each person appears under a research ID, an HMAC-SHA256 of
their record under a key kept outside the database, stable across exports and
useless without the key. Aggregate tables suppress cells under the
k-anonymity threshold (OFFRAMP_SMALL_CELL, 11 by default).
"""

import hashlib
import hmac
import secrets
from collections import Counter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AGE_TOP = 90  # Safe Harbor: ages over 89 are one group

# The export's columns, in order, and what each holds. A test inspects every one.
COLUMNS = {
    "research_id": "HMAC-SHA256 of the person under the research key (hex, 64 characters)",
    "referral_year": "year of the first referral",
    "door": "how the person was referred: arrest, social contact or community",
    "offence_nibrs": "NIBRS offence code of the referral",
    "age_group": "age at referral in 5-year groups; 90+ for everyone over 89",
    "sex": "HMIS sex code",
    "race_ethnicity": "HMIS race and ethnicity fields that are yes, joined with +",
    "case_status": "referred, active, inactive or exited",
    "exit_reason": "why the case closed, if it did",
    "intake_completed": "yes or no",
    "days_to_intake": "whole days from referral to intake (an interval, not a date)",
    "contacts": "number of recorded contacts",
    "successful_contacts": "number of contacts that reached the person",
}

RACE_FIELDS = ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
               "native_hi_pacific", "white")  # fmt: skip


def _research_key() -> bytes:
    configured = settings.RESEARCH_ID_KEY
    if configured:
        return configured.encode()
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Set OFFRAMP_RESEARCH_ID_KEY (or _FILE) before exporting research data")
    path = settings.DATA_DIR / "research_id_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip().encode()


def research_id(program_id: int, person_id: int) -> str:
    return hmac.new(_research_key(), f"{program_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def age_group(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    if age >= AGE_TOP:
        return f"{AGE_TOP}+"
    low = age - age % 5
    return f"{low}-{low + 4}"


def age_on(born, day) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


SUPPRESSED = "suppressed"


def suppress_small_cells(counts: dict, k: int | None = None) -> dict:
    """Counts from 1 to k-1 are shown as "suppressed". A lone suppressed cell could be worked out from the
    total, so when exactly one is, the next smallest cell is suppressed with it."""
    k = k or settings.SMALL_CELL
    small = sorted((n, key) for key, n in counts.items() if 0 < n < k)
    hidden = {key for _n, key in small}
    if len(hidden) == 1:
        rest = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
        if rest:
            hidden.add(rest[0][1])
    return {key: (SUPPRESSED if key in hidden else n) for key, n in counts.items()}


def table(rows: list[dict], column: str, k: int | None = None) -> dict:
    """A one-way frequency table of an export column, with small cells suppressed."""
    return suppress_small_cells(dict(Counter(row[column] for row in rows)), k)
