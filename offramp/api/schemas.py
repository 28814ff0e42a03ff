"""The API's request and response bodies. Field limits match the models they end up in."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BaseModel, Field, StringConstraints

from offramp.evaluation.study import RECORD_KINDS
from offramp.referrals.protocol import SUBSTANCES

Door = Literal["arrest", "social_contact", "community"]
Substance = Literal[SUBSTANCES]  # type: ignore[valid-type]
HistoryAnswer = Literal["", "clear", "found"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=200)]
Short = Annotated[str, StringConstraints(max_length=64)]
Grams = Annotated[float, Field(ge=0, le=1_000_000)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]


class Facts(Schema):
    """What the eligibility engine decides on. Anything left out is unknown, and the decision says who
    can supply it."""

    door: Door
    statute: Code
    quantity_grams: Grams | None = None
    substance: Substance | None = None
    date_of_birth: Day | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    incident_date: Day | None = None
    history: dict[Short, HistoryAnswer] = Field(
        default_factory=dict, description="look-back id -> '' (not checked), 'clear' or 'found'"
    )
    flags: dict[Short, bool | None] = Field(default_factory=dict, description="yes/no fact -> answer")


class Reason(Schema):
    rule: str
    outcome: str
    message: str
    review_by: str | None


class DecisionOut(Schema):
    outcome: Literal["eligible", "ineligible", "needs_review"]
    review_by: str | None
    protocol_version: int
    reasons: list[Reason]
    missing: list[str]


class ReferralIn(Schema):
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    last_name: Name
    date_of_birth: Day
    door: Door
    statute: Code
    quantity_grams: Grams | None = None
    substance: Substance | None = None
    incident_number: Short = ""
    location: Text = ""
    area: Short = ""
    history: dict[Short, HistoryAnswer] = Field(default_factory=dict)
    flags: dict[Short, bool | None] = Field(default_factory=dict)


class ReferralStatus(Schema):
    """What the referring agency may know of its referral (minimum necessary)."""

    id: int
    door: str
    incident_number: str
    referred_at: dt.datetime
    decision: str
    accepted: bool = Field(description="The program opened a case")
    intake_completed_on: dt.date | None
    open: bool = Field(description="The case is open (not exited)")


class StatusQuery(Schema):
    last_name: Name
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    date_of_birth: Day


class StatusMatch(Schema):
    name: str
    date_of_birth: dt.date | None
    status: str
    opened_at: dt.datetime | None
    intake_completed_at: dt.datetime | None
    status_changed_at: dt.datetime | None
    notice: str
    consent_scope: str


class StatusAnswer(Schema):
    """Active participants matching the query whose consent permits telling the prosecutor. With no
    consent the answer is exactly the answer for no record: no matches."""

    matches: list[StatusMatch]


class Arrest(BaseModel):
    """One arrest from the records system. A plain pydantic model: ninja's Schema wraps each object for
    ORM attribute access, which costs more than the screening itself at 10,000 arrests a batch."""

    incident_number: Code
    statute: Code
    incident_date: Day
    incident_time: dt.time | None = None
    offence_description: Text | None = None
    date_of_birth: Day | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    quantity_grams: Grams | None = None
    substance: Substance | None = None
    officer: Annotated[str, StringConstraints(max_length=100)] | None = None
    unit: Short | None = None
    shift: Annotated[str, StringConstraints(max_length=32)] | None = None
    area: Short | None = None
    race: Short | None = None
    ethnicity: Short | None = None
    sex: Annotated[str, StringConstraints(max_length=32)] | None = None


class ArrestBatch(Schema):
    arrests: Annotated[list[Arrest], Field(min_length=1, max_length=10_000)]


class BatchResult(Schema):
    run_id: int | None
    received: int
    stored: int
    already_received: int
    eligible: int
    diverted: int
    missed: int


class LegalEvent(Schema):
    source_id: Code = Field(description="The person's id in the source system (imported with the people)")
    kind: Literal[RECORD_KINDS] = Field(description="The records import's event kinds")  # type: ignore[valid-type]
    date: Day
    days: Annotated[int, Field(ge=0, le=36_525)] | None = None
    index_related: bool = False


class LegalEventBatch(Schema):
    source: Annotated[str, StringConstraints(max_length=200)] = ""
    events: Annotated[list[LegalEvent], Field(min_length=1, max_length=10_000)]


class LegalEventResult(Schema):
    batch_id: int
    events: int
