"""Human labels for covariates and their levels: the study file's ``[labels]``, else a readable default.

``prior_arrest_6m`` reads "Arrests in the 6 months before", ``race_ethnicity=Asian`` reads
"Race/ethnicity: Asian". A study sets its own with ``[labels]``: ``prior_arrest_6m = "..."`` for a
covariate, ``"area=area_2" = "North precinct"`` for one level of a categorical covariate.
"""

from __future__ import annotations

from offramp.evaluation.study import DERIVED_COVARIATE, Study

KIND = {
    "arrest": ("Arrests", "Any arrest"),
    "booking": ("Jail bookings", "Any jail booking"),
    "charge_felony": ("Felony charges", "Any felony charge"),
    "charge_misdemeanor": ("Misdemeanour charges", "Any misdemeanour charge"),
    "jail_stay": ("Days in jail", "Any jail stay"),
    "prison": ("Days in prison", "Any prison sentence"),
}
DEFAULTS = {
    "age": "Age",
    "sex": "Sex",
    "race_ethnicity": "Race/ethnicity",
    "offence_type": "Offence",
    "area": "Area",
    "age_group": "Age group",
}


def _default(name: str) -> str:
    if name in DEFAULTS:
        return DEFAULTS[name]
    m = DERIVED_COVARIATE.match(name)
    if m:
        flag, kind, months = m.groups()
        count, anything = KIND[kind]
        return f"{anything if flag else count} in the {months} months before"
    return name.replace("_", " ").capitalize()


def covariate_label(study: Study, name: str) -> str:
    """The label of a design column: a covariate, or ``covariate=level`` for a categorical level."""
    if name in study.labels:
        return study.labels[name]
    if "=" in name:
        var, level = name.split("=", 1)
        return f"{covariate_label(study, var)}: {level_label(study, var, level)}"
    return _default(name)


def level_label(study: Study, var: str, level: str) -> str:
    """A subgroup's level as a reader sees it: the study's label for ``var=level``, else the level."""
    return study.labels.get(f"{var}={level}", level)
