"""De-identified data for evaluators: HIPAA Safe Harbor (45 CFR 164.514(b)(2)) by construction.

The export is built from an allow-list of columns, each computed by a rule
below; nothing else can reach it. No names, addresses, dates finer than the
year, ages over 89, phone numbers, record numbers or other identifiers; no ZIP
code at all (offramp holds none, and a 3-digit ZIP is allowed only for areas
over 20,000 people). Each person appears under a research ID, an HMAC-SHA256 of
their record under a key kept outside the database and a key drawn for each export
(so two exports cannot be joined), unless the evaluator asks for the stable one;
useless without the key. Aggregate tables suppress cells under the
k-anonymity threshold (OFFRAMP_SMALL_CELL, 11 by default), and the row export is made
k-anonymous on its quasi-identifiers (`k_anonymise`): coarsened step by step, and the
rows still in a group smaller than k suppressed.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from offramp.privatefiles import private_write

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

RACE_FIELDS = (
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinao",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
)


def _research_key() -> bytes:
    configured = settings.RESEARCH_ID_KEY
    if configured:
        return configured.encode()
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Set OFFRAMP_RESEARCH_ID_KEY (or _FILE) before exporting research data")
    path = settings.DATA_DIR / "research_id_key"
    if not path.exists():
        private_write(path, secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode()


def research_id(program_id: int, person_id: int, export_key: str = "") -> str:
    """The person's research ID: stable under the research key alone, or one export's own with
    `export_key` (drawn per export and never stored, so IDs of two exports do not match)."""
    message = f"{export_key}:{program_id}:{person_id}" if export_key else f"{program_id}:{person_id}"
    return hmac.new(_research_key(), message.encode(), hashlib.sha256).hexdigest()


def export_key() -> str:
    return secrets.token_hex(16)


# The columns someone could know about a person from elsewhere (quasi-identifiers); a row's values in
# them are its equivalence class, which must hold at least k rows.
QUASI_IDENTIFIERS = ("referral_year", "door", "offence_nibrs", "age_group", "sex", "race_ethnicity")
# Coarsening steps, tried in order until at most MAX_SUPPRESSED of the rows sit in groups under k.
LEVELS: tuple[dict[str, Any], ...] = (
    {},
    {"age_group": 10, "race_ethnicity": "multiple"},
    {"age_group": 20, "race_ethnicity": "multiple", "offence_nibrs": "group"},
    {"age_group": 20, "race_ethnicity": "multiple", "offence_nibrs": "drop"},
)
MAX_SUPPRESSED = 0.05


def _wider_age(value: str, width: int) -> str:
    if value in ("unknown", f"{AGE_TOP}+"):
        return value
    low = int(value.split("-")[0])
    low -= low % width
    return f"{low}-{min(low + width, AGE_TOP) - 1}"


def generalise(row: dict[str, Any], level: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    if "age_group" in level:
        out["age_group"] = _wider_age(str(row["age_group"]), level["age_group"])
    if "race_ethnicity" in level and "+" in str(row["race_ethnicity"]):
        out["race_ethnicity"] = "multiple"
    if level.get("offence_nibrs") == "group":
        out["offence_nibrs"] = str(row["offence_nibrs"])[:2]  # the NIBRS offence group, e.g. 35 for 35A
    elif level.get("offence_nibrs") == "drop":
        out["offence_nibrs"] = ""
    return out


def k_anonymise(rows: list[dict[str, Any]], k: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows made k-anonymous on QUASI_IDENTIFIERS: the least coarsening (LEVELS) that leaves at most
    MAX_SUPPRESSED of the rows in groups under k (else the one that leaves fewest), then the
    quasi-identifiers of the rows still in such groups all suppressed.
    Returns the rows and what was done (level, rows suppressed, k)."""
    best: tuple[Any, ...] | None = (
        None  # (rows in small groups, level, rows, small groups): fewest, least coarse
    )
    for index, step in enumerate(LEVELS):
        coarse = [generalise(row, step) for row in rows]
        classes = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in coarse)
        small = {key for key, n in classes.items() if n < k}
        in_small = sum(classes[key] for key in small)
        if best is None or in_small < best[0]:
            best = (in_small, index, coarse, small)
        if in_small <= MAX_SUPPRESSED * len(rows):
            break
    _in_small, used, chosen, small = best if best is not None else (0, 0, rows, set())
    out = []
    for row in chosen:
        if tuple(row[q] for q in QUASI_IDENTIFIERS) in small:
            row = {**row, **dict.fromkeys(QUASI_IDENTIFIERS, SUPPRESSED)}
        out.append(row)
    suppressed = sum(1 for row in out if row["age_group"] == SUPPRESSED)
    return out, {"k": k, "level": used, "suppressed": suppressed}


def age_group(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    if age >= AGE_TOP:
        return f"{AGE_TOP}+"
    low = age - age % 5
    return f"{low}-{low + 4}"


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    years: int = day.year - born.year - int((day.month, day.day) < (born.month, born.day))
    return years


SUPPRESSED = "suppressed"


def suppress_small_cells(counts: dict[Any, int], k: int | None = None) -> dict[Any, int | str]:
    """Counts from 1 to k-1 are shown as "suppressed". A lone suppressed cell could be worked out from the
    total, so when exactly one is, the next smallest cell is suppressed with it."""
    k = k or int(settings.SMALL_CELL)
    small = sorted((n, key) for key, n in counts.items() if 0 < n < k)
    hidden = {key for _n, key in small}
    if len(hidden) == 1:
        rest = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
        if rest:
            hidden.add(rest[0][1])
    return {key: (SUPPRESSED if key in hidden else n) for key, n in counts.items()}


def table(rows: list[dict[str, Any]], column: str, k: int | None = None) -> dict[Any, int | str]:
    """A one-way frequency table of an export column, with small cells suppressed."""
    return suppress_small_cells(dict(Counter(row[column] for row in rows)), k)
