import pytest

from offramp.evaluation.study import ERR_ONE_COMPARISON, ERR_REQUIRED, StudyError, study_from_toml

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
    assert "invalid study definition" in str(StudyError(list(errs.items())))


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
    assert "not valid TOML" in errors_of("[study\n")["(file)"]


def test_it_rejects_negative_unit_costs():
    errs = errors_of(MINIMAL + "[costs.unit]\njail_day = -5\nbooking = 'free'\n")
    assert "zero or more" in errs["costs.unit.jail_day"]
    assert "costs.unit.booking" in errs
