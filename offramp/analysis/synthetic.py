"""Synthetic legal-system records for a demo program: a comparison pool, events and a study.

The records come from the evaluation simulator (offramp/evaluation/simulate.py: a known program
effect and known confounding by prior arrests) and go in through the real importer, as CSV files
with a column mapping, so the demo exercises the same path a site's exports take. Simulated LEAD
people are attached to the program's existing participants by their offramp id (identifier links);
a few carry only a participant's name and date of birth, so there are proposed links to review.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from faker import Faker

from offramp.access.scope import Actor, trusted
from offramp.analysis import actions
from offramp.analysis.frames import frame_from
from offramp.analysis.models import Study, StudyRun
from offramp.evaluation.simulate import simulate
from offramp.people.models import Person

EXAMPLE_STUDY = Path(__file__).resolve().parents[1] / "evaluation" / "examples" / "seattle_design.toml"
NAME_ONLY_SHARE = 0.05  # LEAD subjects that carry a name and date of birth but no offramp id

PEOPLE_MAPPING = """\
[file]
table = "people"

[columns]
source_id = "subject_no"
arm = "group"
first_name = "first_name"
last_name = "last_name"
date_of_birth = "dob"
sex = "sex"
race_ethnicity = "race_ethnicity"
area = "precinct"
offence_type = "offence"
index_date = "index_date"
followup_end = "left_observation"
program_months = "months_in_program"
participant_id = "offramp_id"

[values.arm]
LEAD = "lead"
BAU = "comparison"
"""

EVENTS_MAPPING = """\
[file]
table = "events"

[columns]
source_id = "subject_no"
date = "event_date"
kind = "event_type"
days = "length_of_stay"
index_related = "from_index_arrest"

[values.kind]
ARREST = "arrest"
BOOKING = "booking"
FELONY = "charge_felony"
MISDEMEANOR = "charge_misdemeanor"
JAIL = "jail_stay"
PRISON = "prison"
WARRANT = "warrant_issued"
WARRANT_CLEARED = "warrant_cleared"
CASE_FILED = "case_filed"
CASE_DISPOSED = "case_disposed"
"""
# offramp kind -> the code the synthetic jail system uses (the reverse of [values.kind] above, for the
# outcome kinds it generates: it makes no warrants or court cases).
KIND_CODES = {
    "arrest": "ARREST",
    "booking": "BOOKING",
    "charge_felony": "FELONY",
    "charge_misdemeanor": "MISDEMEANOR",
    "jail_stay": "JAIL",
    "prison": "PRISON",
}


@dataclass(frozen=True)
class SeededEvaluation:
    people: int
    events: int
    linked: int
    study: Study
    run: StudyRun | None


def _example_with_dates(index_start: dt.date, data_end: dt.date) -> str:
    """The example study with its data window moved to the synthetic records' dates."""
    lookback = index_start - dt.timedelta(days=800)
    text = EXAMPLE_STUDY.read_text()
    text = re.sub(r"(?m)^data_end = .*$", f"data_end = {data_end.isoformat()}", text)
    return re.sub(r"(?m)^data_start = .*$", f"data_start = {lookback.isoformat()}", text)


def seed_evaluation(
    *, program, seed: int = 1, actor: Actor | None = None, run: bool = True, n_people: int | None = None
) -> SeededEvaluation:
    """Import synthetic records into ``program``, save the example study and (by default) run it once."""
    actor = actor or Actor.system("seed-evaluation", program=program)
    with trusted("analysis.synthetic"):
        persons = frame_from(
            Person.objects.filter(program_id=program.pk).order_by("pk"),
            {
                "id": pl.Int64,
                "legal_first_name": pl.String,
                "legal_last_name": pl.String,
                "date_of_birth": pl.Date,
            },
        )
    n = n_people or max(1000, round(persons.height / 0.3))
    # Recent dates, so the records sit with the program's own cases (not years before them).
    data_end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    index_end = data_end - dt.timedelta(days=400)
    index_start = index_end - dt.timedelta(days=1277)
    sim = simulate(
        n_people=n,
        seed=seed,
        treated_share=0.3,
        index_start=index_start,
        index_end=index_end,
        data_end=data_end,
        truth_draws=1,
    )
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    people = sim.people
    treated = (people["arm"] == "lead").to_numpy()
    # Dates of birth consistent with the simulated age at the index date.
    birth = [
        idx - dt.timedelta(days=int(age * 365.25 + rng.integers(0, 365)))
        for idx, age in zip(people["index_date"].to_list(), people["age"].to_list(), strict=True)
    ]
    first = [fake.first_name_male() if s == "male" else fake.first_name_female() for s in people["sex"]]
    last = [fake.last_name() for _ in range(people.height)]
    offramp_id = [""] * people.height
    lead_rows = np.flatnonzero(treated)[: persons.height]
    for row, person in zip(lead_rows, persons.iter_rows(named=True), strict=False):
        first[row], last[row] = person["legal_first_name"], person["legal_last_name"]
        if rng.random() < NAME_ONLY_SHARE and person["date_of_birth"] is not None:
            birth[row] = person["date_of_birth"]
        else:
            offramp_id[row] = str(person["id"])
    source = [f"S{pid:07d}" for pid in people["person_id"]]
    roster = pl.DataFrame(
        {
            "subject_no": source,
            "group": np.where(treated, "LEAD", "BAU"),
            "first_name": first,
            "last_name": last,
            "dob": birth,
            "sex": people["sex"],
            "race_ethnicity": people["race_ethnicity"],
            "precinct": people["area"],
            "offence": people["offence_type"],
            "index_date": people["index_date"],
            "left_observation": people["followup_end"],
            "months_in_program": people["program_months"],
            "offramp_id": offramp_id,
        }
    )
    ids = pl.DataFrame({"person_id": people["person_id"], "subject_no": source})
    events = (
        sim.events.join(ids, on="person_id")
        .with_columns(pl.col("kind").replace(KIND_CODES).alias("event_type"))
        .select(
            "subject_no",
            pl.col("date").alias("event_date"),
            "event_type",
            pl.col("days").alias("length_of_stay"),
            pl.col("index_related").alias("from_index_arrest"),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        roster_path, events_path = Path(tmp) / "jail_roster.csv", Path(tmp) / "jail_events.csv"
        roster.write_csv(roster_path)
        events.write_csv(events_path)
        actions.records_import(
            actor=actor,
            path=roster_path,
            mapping_text=PEOPLE_MAPPING,
            source="synthetic: county jail roster and comparison pool",
        )
        actions.records_import(
            actor=actor,
            path=events_path,
            mapping_text=EVENTS_MAPPING,
            source="synthetic: arrests, bookings, charges, jail and prison",
        )
    study = actions.study_create(actor=actor, toml=_example_with_dates(index_start, data_end))
    done = None
    if run:
        done = actions.study_run_execute(
            actor=actor, run_id=actions.study_run_create(actor=actor, study=study).pk
        )
    return SeededEvaluation(
        people=roster.height, events=events.height, linked=len(lead_rows), study=study, run=done
    )
