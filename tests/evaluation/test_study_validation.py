import pytest

from offramp.evaluation.study import ERR_ONE_COMPARISON, StudyError, study_from_toml
from offramp.evaluation.study_values import ERR_REQUIRED

MINIMAL = """
[study]
name = "t"
[[arms]]
name = "lead"
role = "intervention"
[[arms]]
name = "comparison"
role = "comparison"
[covariates]
numeric = ["prior_arrest_12m", "age"]
categorical = ["sex"]
[[outcomes]]
name = "any_arrest_12m"
event = "arrest"
measure = "any"
months = 12
[analysis]
primary_outcome = "any_arrest_12m"
"""


def errors_of(text: str) -> dict[str, str]:
    with pytest.raises(StudyError) as info:
        study_from_toml(text=text)
    return dict(info.value.errors)


def test_it_loads_the_shipped_seattle_example(seattle):
    assert [a.name for a in seattle.arms] == ["lead", "comparison"]
    assert seattle.comparison.name == "comparison"
    assert seattle.matching.caliper_sd == 0.2
    assert "prior_arrest_24m" in seattle.covariates.derived
    assert seattle.outcome("time_to_rearrest").measure == "time_to_first"
    assert seattle.costs.unit["jail_day"] > 0


def test_it_applies_defaults_to_a_minimal_study():
    s = study_from_toml(text=MINIMAL)
    assert s.matching.method == "nearest" and s.matching.ratio == 1 and s.matching.caliper_sd == 0.2
    assert s.matching.replacement is False
    assert s.analysis.confidence == 0.95


def test_it_reports_every_problem_with_its_field_path():
    bad = MINIMAL.replace("months = 12", "months = -3").replace('role = "comparison"', 'role = "control"')
    bad += '\n[matching]\nratio = true\ncaliper_sd = -1\nmethd = "ipw"\n'
    errs = errors_of(bad)
    assert "outcomes[0].months" in errs
    assert errs["arms[1].role"].startswith("must be one of intervention, comparison")
    assert errs["arms"] == ERR_ONE_COMPARISON.format(n=0)
    assert "matching.ratio" in errs
    assert "matching.caliper_sd" in errs
    assert errs["matching.methd"] == "unknown key (did you mean 'method'?)"
    messages = StudyError(list(errs.items())).messages
    assert "study.toml, arms: " + ERR_ONE_COMPARISON.format(n=0) in messages


def test_it_requires_the_core_tables():
    errs = errors_of('[study]\nname = "x"\n')
    for path in ("arms", "covariates", "outcomes", "analysis", "analysis.primary_outcome"):
        assert errs[path] == ERR_REQUIRED


def test_it_rejects_a_primary_outcome_that_is_not_defined_or_not_binary():
    errs = errors_of(MINIMAL.replace('primary_outcome = "any_arrest_12m"', 'primary_outcome = "nope"'))
    assert "names no outcome" in errs["analysis.primary_outcome"]
    text = MINIMAL.replace('measure = "any"', 'measure = "count"')
    assert "measure 'any'" in errors_of(text)["analysis.primary_outcome"]


def test_it_rejects_days_for_events_that_have_no_length():
    text = MINIMAL + '[[outcomes]]\nname = "d"\nevent = "booking"\nmeasure = "days"\nmonths = 12\n'
    assert "stay event" in errors_of(text)["outcomes[1].measure"]


def test_it_rejects_malformed_derived_covariates_and_subgroups():
    text = MINIMAL.replace('"prior_arrest_12m"', '"prior_arrests_12m"')
    text = text.replace("[analysis]", '[analysis]\nsubgroups = ["area"]')
    errs = errors_of(text)
    assert "prior_<kind>_<N>m" in errs["covariates.numeric[0]"]
    assert "categorical covariate" in errs["analysis.subgroups[0]"]


def test_it_turns_the_caliper_off_with_false():
    s = study_from_toml(text=MINIMAL + "[matching]\ncaliper_sd = false\n")
    assert s.matching.caliper_sd is None


def test_it_refuses_nearest_matching_for_the_ate():
    errs = errors_of(MINIMAL + '[matching]\nmethod = "nearest"\nestimand = "ate"\n')
    assert "ATT only" in errs["matching.estimand"]


def test_it_reports_toml_syntax_errors_as_study_errors():
    with pytest.raises(StudyError) as info:
        study_from_toml(text="[study\n")
    # The shared document loader's words, in the shared shape: the file, then what is wrong.
    assert info.value.messages[0].startswith("study.toml: is not valid TOML: ")


def test_the_shared_loader_refuses_what_no_study_can_hold():
    errs = errors_of(MINIMAL.replace("months = 12", "months = 99999999999999999999"))
    assert list(errs) == ["outcomes[0].months"]


def test_it_rejects_negative_unit_costs():
    errs = errors_of(MINIMAL + "[costs.unit]\njail_day = -5\nbooking = 'free'\n")
    assert "zero or more" in errs["costs.unit.jail_day"]
    assert "costs.unit.booking" in errs


def test_it_reads_labels_continuous_outcomes_and_the_target_arm():
    study = study_from_toml(
        text=MINIMAL
        + """
[[outcomes]]
name = "days_housed"
measure = "mean"
column = "days_housed_12m"
label = "days housed in the year after"
[matching]
method = "ipw"
estimand = "att"
target_arm = "lead"
[labels]
prior_arrest_12m = "Arrests in the year before"
"sex=male" = "Men"
"""
    )
    assert study.outcome("days_housed").column == "days_housed_12m"
    assert study.labels["sex=male"] == "Men"
    assert study.matching.target_arm == "lead"


def test_it_names_what_a_continuous_outcome_a_label_and_a_target_arm_need():
    errs = errors_of(
        MINIMAL
        + """
[[outcomes]]
name = "earnings"
measure = "mean"
[matching]
target_arm = "drug_court"
[labels]
age = 3
"""
    )
    assert errs["outcomes[1].column"].startswith("is required for measure 'mean'")
    assert "drug_court" in errs["matching.target_arm"]
    assert "label" in errs["labels.age"]


def test_it_bounds_absurd_numbers_with_their_paths():
    bad = MINIMAL.replace("months = 12", "months = 99999999999").replace(
        '"prior_arrest_12m"', '"prior_arrest_0m", "any_prior_booking_100000m"'
    )
    bad += "\n".join(
        [
            "[matching]",
            "ratio = 500",
            "variance_neighbours = 10000",
            "caliper_sd = 1e9",
            "[costs]",
            "window_months = 100000",
            "price_year = 20155",
            "hearings_per_felony_charge = 1e6",
            "[costs.unit]",
            "booking = 1e12",
        ]
    )
    bad = bad.replace("[analysis]", "[analysis]\nage_groups = [18, 999]\nmin_subgroup_treated = -1")
    errs = errors_of(bad)
    assert errs["outcomes[0].months"] == "must be at most 600 (50 years), got 99999999999"
    assert errs["covariates.numeric[0]"] == "must be a positive number, got 0"
    assert errs["covariates.numeric[1]"] == "must be at most 600 months, got 100000"
    assert errs["matching.ratio"].startswith("must be at most 100")
    assert errs["matching.variance_neighbours"].startswith("must be at most 100")
    assert "at most 10" in errs["matching.caliper_sd"]
    assert errs["costs.window_months"].startswith("must be at most 600")
    assert errs["costs.price_year"] == "must be a year from 1900 to 2100, got 20155"
    assert errs["costs.hearings_per_felony_charge"].startswith("must be at most 1,000")
    assert errs["costs.unit.booking"].startswith("must be at most 1,000,000,000")
    assert errs["analysis.age_groups"] == "must be ages from 1 to 130, got [18, 999]"
    assert errs["analysis.min_subgroup_treated"].startswith("must be from 0 to")


def test_the_costs_table_keeps_its_values_and_refuses_unknown_keys():
    s = study_from_toml(
        text=MINIMAL + "[costs]\nwindow_months = 6\nprice_year = 2015\n[costs.unit]\njail_day = 170\n"
    )
    assert s.costs.window_months == 6 and s.costs.price_year == 2015
    assert s.costs.unit["jail_day"] == 170.0 and s.costs.unit["booking"] == 0.0
    errs = errors_of(MINIMAL + "[costs]\nwindow_month = 6\ncurrency = 3\n")
    assert errs == {"costs.window_month": "unknown field", "costs.currency": "expected a string, got integer"}
