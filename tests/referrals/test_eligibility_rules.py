"""Each rule of the engine, its boundaries, and what happens when a fact is missing."""

import dataclasses
import datetime as dt

import pytest

from offramp.referrals import eligibility as E
from offramp.referrals.eligibility import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, Facts, HistoryEntry, decide
from offramp.referrals.protocol import parse_toml

SITE = parse_toml("""
program = "albany_like"
version = 7
label = "A test site"
doors = ["arrest", "social_contact"]

[age]
min = 18
max = 64

[authority]
arrest = "officer"
social_contact = "sergeant"

[quantity]
max_grams = 3.0
inclusive = true
applies_to = ["35A"]
exempt_substances = ["prescription_opioid_pill"]
doors = ["arrest"]

[prior_activity]
within_months = 24
methods = ["records_check", "observation"]

[[offences]]
statute = "P 1"
nibrs = "35A"
label = "Possession"

[[offences]]
statute = "T 1"
nibrs = "23C"
label = "Shoplifting"
doors = ["arrest"]

[[history]]
id = "violent"
label = "Robbery in 10 years"
classes = ["120"]
years = 10

[[history]]
id = "open_cases"
label = "An open robbery case"
classes = ["120"]
counts = ["open", "arrest"]

[[conditions]]
id = "complainant_consent"
label = "The complainant agrees and declines prosecution"
fact = "complainant_consents"
require = true
when = "has_complainant"

[[conditions]]
id = "capacity"
label = "Capacity remains after arrest diversions"
fact = "capacity_available"
require = true
doors = ["social_contact"]

[[judgements]]
id = "amenable"
label = "Amenable to participating"
fact = "amenable"
require = true
""")

DAY = dt.date(2024, 2, 29)
FLAGS = {"has_complainant": False, "amenable": True, "capacity_available": True}


def facts(**changes) -> Facts:
    base = {
        "door": "arrest",
        "statute": "P 1",
        "quantity_grams": 1.0,
        "substance": "heroin",
        "age": 30,
        "incident_date": DAY,
        "history": (),
        "flags": FLAGS,
    }
    return Facts(**{**base, **changes})


def reason(decision, rule_id):
    return next(r for r in decision.reasons if r.rule_id == rule_id)


def test_it_finds_a_clean_referral_eligible_with_a_reason_per_rule():
    d = decide(SITE, facts())
    assert d.outcome == ELIGIBLE
    assert d.review_by is None and d.missing == () and d.criteria_met
    assert (d.protocol_program, d.protocol_version, d.decider) == ("albany_like", 7, "officer")
    assert [r.rule_id for r in d.reasons] == [
        "door.open",
        "offence.eligible",
        "quantity.max_grams",
        "age.min",
        "age.max",
        "history.lookback.violent",
        "history.lookback.open_cases",
        "judgement.amenable",
    ]  # no complainant, so the consent condition does not apply and gives no reason
    assert all(r.outcome == ELIGIBLE and r.message for r in d.reasons)


# ---- doors and offences --------------------------------------------------------------------


def test_it_refuses_a_door_the_program_does_not_open():
    d = decide(SITE, facts(door="community"))
    assert d.outcome == INELIGIBLE
    assert reason(d, "door.open").message == "This program does not take community referrals."
    assert d.decider is None


def test_it_refuses_an_unknown_door():
    assert reason(decide(SITE, facts(door="walk_in")), "door.open").outcome == INELIGIBLE


def test_it_refuses_an_offence_not_on_the_list():
    d = decide(SITE, facts(statute="Z 9"))
    assert d.outcome == INELIGIBLE
    assert reason(d, "offence.eligible").message == "'Z 9' is not an eligible offence under this protocol."


def test_it_refuses_an_offence_at_a_door_it_is_not_eligible_for():
    d = decide(
        SITE,
        facts(
            door="social_contact",
            statute="T 1",
            prior_activity_method="observation",
            prior_activity_date=DAY,
            prior_activity_in_catchment=True,
        ),
    )
    assert reason(d, "offence.eligible").outcome == INELIGIBLE
    assert "not eligible for social contact referrals" in reason(d, "offence.eligible").message


def test_it_names_the_offence_and_its_nibrs_code():
    assert reason(decide(SITE, facts()), "offence.eligible").message == (
        "Possession (P 1; NIBRS 35A Drug/Narcotic Violations) is an eligible offence."
    )


# ---- quantity ------------------------------------------------------------------------------


@pytest.mark.parametrize(("grams", "expected"), [(0.0, ELIGIBLE), (3.0, ELIGIBLE), (3.01, INELIGIBLE)])
def test_it_allows_exactly_the_limit_when_inclusive(grams, expected):
    assert reason(decide(SITE, facts(quantity_grams=grams)), "quantity.max_grams").outcome == expected


def test_it_refuses_exactly_the_limit_when_not_inclusive():
    strict = dataclasses.replace(SITE, quantity=dataclasses.replace(SITE.quantity, inclusive=False))
    d = decide(strict, facts(quantity_grams=3.0))
    assert reason(d, "quantity.max_grams").message == "3 g is not under the limit of 3 g."


def test_it_does_not_weigh_offences_outside_the_limit():
    d = decide(SITE, facts(statute="T 1", quantity_grams=None))
    assert d.outcome == ELIGIBLE
    assert "quantity.max_grams" not in [r.rule_id for r in d.reasons]


def test_it_does_not_weigh_at_doors_outside_the_limit():
    d = decide(
        SITE,
        facts(
            door="social_contact",
            quantity_grams=50.0,
            prior_activity_method="observation",
            prior_activity_date=DAY,
            prior_activity_in_catchment=True,
        ),
    )
    assert d.outcome == ELIGIBLE


def test_it_asks_for_the_quantity_and_the_substance_when_either_could_decide():
    d = decide(SITE, facts(quantity_grams=None, substance=None))
    assert (d.outcome, d.missing) == (NEEDS_REVIEW, ("quantity_grams", "substance"))
    d = decide(SITE, facts(quantity_grams=None, substance="heroin"))
    assert d.missing == ("quantity_grams",)


def test_it_asks_for_the_substance_when_over_the_limit_and_an_exemption_could_apply():
    d = decide(SITE, facts(quantity_grams=5.0, substance=None))
    assert (d.outcome, d.missing) == (NEEDS_REVIEW, ("substance",))
    assert decide(SITE, facts(quantity_grams=5.0, substance="heroin")).outcome == INELIGIBLE


@pytest.mark.parametrize("grams", [-1.0, float("nan"), float("inf"), "3"])
def test_it_does_not_trust_an_impossible_quantity(grams):
    d = decide(SITE, facts(quantity_grams=grams, substance="heroin"))
    assert (d.outcome, d.missing) == (NEEDS_REVIEW, ("quantity_grams",))


# ---- age -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected"),
    [(dt.date(2006, 2, 28), ELIGIBLE), (dt.date(2006, 3, 1), INELIGIBLE), (dt.date(2006, 2, 28), ELIGIBLE)],
)
def test_it_works_out_age_from_the_date_of_birth_on_the_incident_date(born, expected):
    d = decide(SITE, facts(age=None, date_of_birth=born))
    assert reason(d, "age.min").outcome == expected


def test_it_prefers_the_date_of_birth_to_a_stated_age():
    d = decide(SITE, facts(age=40, date_of_birth=dt.date(2010, 1, 1)))
    assert reason(d, "age.min").message == "Age 14 is under the minimum age of 18."


def test_it_applies_the_maximum_age():
    assert reason(decide(SITE, facts(age=65)), "age.max").outcome == INELIGIBLE
    assert reason(decide(SITE, facts(age=64)), "age.max").outcome == ELIGIBLE


def test_it_asks_for_age_or_the_incident_date():
    assert decide(SITE, facts(age=None)).missing == ("age",)
    d = decide(SITE, facts(age=None, date_of_birth=dt.date(1990, 1, 1), incident_date=None))
    assert d.missing == ("incident_date",)


def test_age_on_counts_whole_years():
    assert E.age_on(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 17
    assert E.age_on(dt.date(2000, 2, 29), dt.date(2018, 3, 1)) == 18


# ---- history -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [(dt.date(2014, 2, 27), ELIGIBLE), (dt.date(2014, 2, 28), INELIGIBLE), (dt.date(2024, 1, 1), INELIGIBLE)],
)
def test_it_counts_the_look_back_from_the_incident_date_inclusively(when, expected):
    # The incident is 29 Feb 2024, so ten years back is 28 Feb 2014, which is itself within.
    d = decide(SITE, facts(history=(HistoryEntry(nibrs="120", date=when),)))
    assert reason(d, "history.lookback.violent").outcome == expected


def test_it_names_the_disqualifying_entry():
    d = decide(SITE, facts(history=(HistoryEntry(nibrs="120", date=dt.date(2019, 5, 1)),)))
    assert reason(d, "history.lookback.violent").message == (
        "A conviction for Robbery on 2019-05-01 is within the 10-year look-back: Robbery in 10 years."
    )


def test_it_counts_only_the_dispositions_the_look_back_names():
    arrest = HistoryEntry(nibrs="120", date=dt.date(2020, 1, 1), disposition="arrest")
    d = decide(SITE, facts(history=(arrest,)))
    assert reason(d, "history.lookback.violent").outcome == ELIGIBLE  # convictions only
    assert reason(d, "history.lookback.open_cases").outcome == INELIGIBLE


def test_it_ignores_other_offence_classes():
    d = decide(SITE, facts(history=(HistoryEntry(nibrs="35A", date=DAY),)))
    assert d.outcome == ELIGIBLE


def test_it_treats_unchecked_history_as_missing_not_clean():
    d = decide(SITE, facts(history=None))
    assert (d.outcome, d.missing) == (NEEDS_REVIEW, ("history",))
    assert d.review_by == "officer"  # the decider at the arrest door


def test_it_needs_the_incident_date_for_a_look_back_in_years():
    d = decide(SITE, facts(incident_date=None))
    assert d.outcome == NEEDS_REVIEW
    assert d.missing == ("incident_date",)


def test_years_before_handles_29_february():
    assert E.years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert E.months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert E.months_before(dt.date(2024, 1, 15), 24) == dt.date(2022, 1, 15)


# ---- conditions and judgements -------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "outcome", "missing"),
    [
        ({"has_complainant": False}, ELIGIBLE, ()),
        ({"has_complainant": True, "complainant_consents": True}, ELIGIBLE, ()),
        ({"has_complainant": True, "complainant_consents": False}, INELIGIBLE, ()),
        ({"has_complainant": True}, NEEDS_REVIEW, ("complainant_consents",)),
        ({}, NEEDS_REVIEW, ("has_complainant",)),
    ],
)
def test_it_asks_for_complainant_consent_only_when_there_is_a_complainant(flags, outcome, missing):
    d = decide(SITE, facts(flags={"amenable": True, **flags}))
    assert (d.outcome, d.missing) == (outcome, missing)


def test_it_says_which_requirement_was_not_met():
    d = decide(SITE, facts(flags={**FLAGS, "has_complainant": True, "complainant_consents": False}))
    assert reason(d, "condition.complainant_consent").message == (
        "Not met: The complainant agrees and declines prosecution."
    )


def test_it_asks_the_question_for_a_missing_fact():
    d = decide(SITE, facts(flags={"has_complainant": False}))
    assert reason(d, "judgement.amenable").message == (
        "Not yet answered: Is the person amenable to participating? (needed for: Amenable to participating)."
    )


def test_it_sends_a_missing_judgement_to_the_officer():
    d = decide(
        SITE,
        facts(
            door="social_contact",
            prior_activity_method="observation",
            prior_activity_date=DAY,
            prior_activity_in_catchment=True,
            flags={"has_complainant": False, "capacity_available": True},
        ),
    )
    assert (d.outcome, d.review_by, d.decider) == (NEEDS_REVIEW, "officer", "sergeant")


@pytest.mark.parametrize("value", ["yes", 1, 0])
def test_it_does_not_read_a_non_boolean_answer_as_yes_or_no(value):
    d = decide(SITE, facts(flags={**FLAGS, "amenable": value}))
    assert (d.outcome, d.missing) == (NEEDS_REVIEW, ("amenable",))


def test_it_applies_door_specific_conditions_only_at_their_door():
    flags = {**FLAGS, "capacity_available": False}
    assert decide(SITE, facts(flags=flags)).outcome == ELIGIBLE
    d = decide(
        SITE,
        facts(
            door="social_contact",
            prior_activity_method="observation",
            prior_activity_date=DAY,
            prior_activity_in_catchment=True,
            flags=flags,
        ),
    )
    assert reason(d, "condition.capacity").outcome == INELIGIBLE


# ---- social contact prior activity ---------------------------------------------------------


def social(**changes) -> Facts:
    return facts(
        door="social_contact",
        prior_activity_method="records_check",
        prior_activity_date=dt.date(2023, 1, 1),
        prior_activity_in_catchment=True,
        **changes,
    )


def test_it_finds_a_verified_recent_local_social_contact_eligible():
    assert decide(SITE, social()).outcome == ELIGIBLE


@pytest.mark.parametrize(
    ("when", "expected"), [(dt.date(2022, 2, 28), ELIGIBLE), (dt.date(2022, 2, 27), INELIGIBLE)]
)
def test_it_counts_24_months_back_from_the_referral(when, expected):
    d = decide(SITE, dataclasses.replace(social(), prior_activity_date=when))
    assert reason(d, "pathway.prior_activity.recent").outcome == expected


def test_it_refuses_a_verification_method_the_site_does_not_accept():
    d = decide(SITE, dataclasses.replace(social(), prior_activity_method="credible_report"))
    assert reason(d, "pathway.prior_activity.verified").outcome == INELIGIBLE


def test_it_refuses_prior_activity_outside_the_catchment_area():
    d = decide(SITE, dataclasses.replace(social(), prior_activity_in_catchment=False))
    assert [r.rule_id for r in d.deciding_reasons] == ["pathway.prior_activity.catchment"]


def test_it_lists_every_missing_prior_activity_fact():
    d = decide(SITE, facts(door="social_contact"))
    assert d.missing == ("prior_activity_method", "prior_activity_date", "prior_activity_in_catchment")
    assert d.review_by == "sergeant"


# ---- missing facts, authority and review ---------------------------------------------------


def test_it_never_finds_an_empty_referral_eligible():
    d = decide(SITE, Facts())
    assert d.outcome == NEEDS_REVIEW
    assert d.missing[:2] == ("door", "statute")
    assert d.review_by == "officer"  # the officer answers amenable first
    assert not d.criteria_met


def test_it_lists_missing_facts_even_when_already_ineligible():
    d = decide(SITE, facts(statute="Z 9", history=None))
    assert (d.outcome, d.missing, d.review_by) == (INELIGIBLE, ("history",), None)


def test_it_sends_a_final_authority_referral_to_that_role_once_criteria_are_met():
    final = dataclasses.replace(
        SITE, authority=dataclasses.replace(SITE.authority, final="prosecutor", final_doors=("arrest",))
    )
    d = decide(final, facts())
    assert (d.outcome, d.review_by, d.criteria_met) == (NEEDS_REVIEW, "prosecutor", True)
    assert (
        d.deciding_reasons[0].message
        == "The prosecutor has final authority: the referral needs their approval."
    )
    assert decide(final, social()).outcome == ELIGIBLE  # not a final-authority door


def test_it_lets_the_officer_act_before_the_final_authority():
    final = dataclasses.replace(SITE, authority=dataclasses.replace(SITE.authority, final="prosecutor"))
    d = decide(final, facts(flags={"has_complainant": False}))
    assert (d.outcome, d.review_by, d.criteria_met) == (NEEDS_REVIEW, "officer", False)


def test_it_keeps_ineligible_over_final_authority():
    final = dataclasses.replace(SITE, authority=dataclasses.replace(SITE.authority, final="prosecutor"))
    assert decide(final, facts(age=16)).outcome == INELIGIBLE
