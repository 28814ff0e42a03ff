"""The shipped example protocols decide the cases described in the domain notes."""

import datetime as dt

import pytest

from offramp.referrals.eligibility import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, Facts, HistoryEntry, decide
from offramp.referrals.protocol import example

DAY = dt.date(2024, 6, 1)
CLEAN = {
    "amenable": True,
    "subsistence": True,
    "exploits_minors": False,
    "promotes_prostitution": False,
    "sale_to_minor": False,
    "school_zone": False,
    "no_contact_order": False,
    "pending_specialty_court": False,
    "on_supervision": False,
}


def facts(**changes) -> Facts:
    base = {"door": "arrest", "age": 35, "incident_date": DAY, "history": (), "flags": CLEAN}
    return Facts(**{**base, **changes})


def outcome_of(decision, rule_id):
    return next(r.outcome for r in decision.reasons if r.rule_id == rule_id)


# ---- Seattle -------------------------------------------------------------------------------


def test_it_finds_seattle_possession_under_3_g_eligible():
    d = decide(example("seattle"), facts(statute="RCW 69.50.4013", quantity_grams=2.5, substance="heroin"))
    assert d.outcome == ELIGIBLE
    assert d.decider == "sergeant"
    assert (d.protocol_program, d.protocol_version) == ("seattle", 1)


def test_it_finds_seattle_exactly_3_g_ineligible_because_the_limit_is_under_3_g():
    d = decide(example("seattle"), facts(statute="RCW 69.50.4013", quantity_grams=3.0))
    assert d.outcome == INELIGIBLE
    assert outcome_of(d, "quantity.max_grams") == INELIGIBLE


@pytest.mark.parametrize(("years_ago", "expected"), [(5, INELIGIBLE), (11, ELIGIBLE)])
def test_it_applies_seattles_10_year_robbery_look_back(years_ago, expected):
    robbery = HistoryEntry(nibrs="120", date=DAY.replace(year=DAY.year - years_ago))
    d = decide(example("seattle"), facts(statute="RCW 9A.88.030", history=(robbery,)))
    assert d.outcome == expected
    assert outcome_of(d, "history.lookback.violent") == expected


def test_it_does_not_count_prior_drug_or_prostitution_convictions_in_seattle():
    history = (
        HistoryEntry(nibrs="35A", date=DAY.replace(year=2022)),
        HistoryEntry(nibrs="40A", date=DAY.replace(year=2023)),
    )
    d = decide(example("seattle"), facts(statute="RCW 69.50.4013", quantity_grams=1, history=history))
    assert d.outcome == ELIGIBLE


def test_it_finds_a_seattle_seller_for_profit_ineligible():
    d = decide(
        example("seattle"),
        facts(statute="RCW 69.50.401", quantity_grams=1, flags={**CLEAN, "subsistence": False}),
    )
    assert d.outcome == INELIGIBLE
    assert [r.rule_id for r in d.deciding_reasons] == ["judgement.subsistence"]


def test_it_asks_about_subsistence_only_for_delivery_in_seattle():
    flags = {k: v for k, v in CLEAN.items() if k != "subsistence"}
    possession = decide(example("seattle"), facts(statute="RCW 69.50.4013", quantity_grams=1, flags=flags))
    delivery = decide(example("seattle"), facts(statute="RCW 69.50.401", quantity_grams=1, flags=flags))
    assert possession.outcome == ELIGIBLE
    assert delivery.outcome == NEEDS_REVIEW
    assert delivery.missing == ("subsistence",)
    assert delivery.review_by == "officer"


def test_it_finds_promoting_prostitution_ineligible_in_seattle():
    d = decide(
        example("seattle"), facts(statute="RCW 9A.88.030", flags={**CLEAN, "promotes_prostitution": True})
    )
    assert d.outcome == INELIGIBLE


def test_it_requires_verified_recent_local_activity_for_seattle_social_contacts():
    base = {
        "door": "social_contact",
        "statute": "RCW 69.50.4013",
        "prior_activity_method": "observation",
        "prior_activity_in_catchment": True,
    }
    recent = decide(example("seattle"), facts(**base, prior_activity_date=dt.date(2023, 1, 1)))
    old = decide(example("seattle"), facts(**base, prior_activity_date=dt.date(2022, 1, 1)))
    assert recent.outcome == ELIGIBLE  # no quantity is needed at this door
    assert old.outcome == INELIGIBLE
    assert outcome_of(old, "pathway.prior_activity.recent") == INELIGIBLE


# ---- Santa Fe ------------------------------------------------------------------------------


def test_it_finds_7_g_of_heroin_ineligible_in_santa_fe():
    d = decide(example("santa_fe"), facts(statute="NMSA 30-31-23", quantity_grams=7, substance="heroin"))
    assert d.outcome == INELIGIBLE
    assert outcome_of(d, "quantity.max_grams") == INELIGIBLE


def test_it_exempts_20_oxycodone_pills_from_the_santa_fe_gram_limit():
    d = decide(
        example("santa_fe"),
        facts(statute="NMSA 30-31-23", quantity_grams=None, substance="prescription_opioid_pill"),
    )
    assert outcome_of(d, "quantity.max_grams") == ELIGIBLE
    assert d.criteria_met
    # ...and the prosecutor, who has the final say, still has to approve.
    assert (d.outcome, d.review_by) == (NEEDS_REVIEW, "prosecutor")


def test_it_exempts_pills_even_when_their_weight_is_over_the_limit():
    d = decide(
        example("santa_fe"),
        facts(statute="NMSA 30-31-23", quantity_grams=9.5, substance="prescription_opioid_pill"),
    )
    assert outcome_of(d, "quantity.max_grams") == ELIGIBLE


def test_it_finds_exactly_6_g_within_the_santa_fe_limit():
    d = decide(example("santa_fe"), facts(statute="NMSA 30-31-23", quantity_grams=6, substance="heroin"))
    assert outcome_of(d, "quantity.max_grams") == ELIGIBLE


def test_it_finds_under_18_ineligible_in_santa_fe():
    d = decide(
        example("santa_fe"),
        facts(statute="NMSA 30-9-2", age=None, date_of_birth=dt.date(2006, 6, 2)),  # 17 until tomorrow
    )
    assert d.outcome == INELIGIBLE
    assert [r.rule_id for r in d.deciding_reasons] == ["age.min"]


def test_it_never_answers_eligible_on_its_own_for_santa_fe():
    d = decide(example("santa_fe"), facts(statute="NMSA 30-9-2"))
    assert (d.outcome, d.review_by, d.criteria_met) == (NEEDS_REVIEW, "prosecutor", True)
    assert d.reasons[-1].rule_id == "authority.final"


# ---- San Francisco -------------------------------------------------------------------------


def test_it_finds_6_g_ineligible_in_san_francisco():
    d = decide(example("san_francisco"), facts(statute="HS 11350", quantity_grams=6))
    assert d.outcome == INELIGIBLE


def test_it_finds_5_g_eligible_in_san_francisco():
    d = decide(example("san_francisco"), facts(statute="HS 11350", quantity_grams=5))
    assert d.outcome == ELIGIBLE


def test_it_finds_a_school_zone_sale_ineligible_in_san_francisco():
    d = decide(
        example("san_francisco"),
        facts(statute="HS 11352", quantity_grams=1, flags={**CLEAN, "school_zone": True}),
    )
    assert d.outcome == INELIGIBLE
    assert [r.rule_id for r in d.deciding_reasons] == ["condition.no_school_zone_sale"]


def test_it_finds_a_sale_to_a_minor_ineligible_in_san_francisco():
    d = decide(
        example("san_francisco"),
        facts(statute="HS 11379", quantity_grams=1, flags={**CLEAN, "sale_to_minor": True}),
    )
    assert d.outcome == INELIGIBLE


def test_it_finds_an_open_weapons_case_ineligible_in_san_francisco_however_old():
    case = HistoryEntry(nibrs="520", date=dt.date(2001, 1, 1), disposition="open")
    d = decide(example("san_francisco"), facts(statute="HS 11350", quantity_grams=1, history=(case,)))
    assert d.outcome == INELIGIBLE
    assert outcome_of(d, "history.lookback.open_violent_or_weapons") == INELIGIBLE


@pytest.mark.parametrize(("years_ago", "expected"), [(7, INELIGIBLE), (9, ELIGIBLE)])
def test_it_applies_san_franciscos_8_year_serious_prior_look_back(years_ago, expected):
    prior = HistoryEntry(nibrs="13A", date=DAY.replace(year=DAY.year - years_ago))
    d = decide(example("san_francisco"), facts(statute="HS 11350", quantity_grams=1, history=(prior,)))
    assert d.outcome == expected


def test_it_finds_a_no_contact_order_ineligible_in_san_francisco():
    d = decide(
        example("san_francisco"),
        facts(statute="PC 647(b)", flags={**CLEAN, "no_contact_order": True}),
    )
    assert d.outcome == INELIGIBLE


@pytest.mark.parametrize(
    ("approves", "expected"), [(True, ELIGIBLE), (False, INELIGIBLE), (None, NEEDS_REVIEW)]
)
def test_it_needs_supervision_approval_for_people_on_probation_in_san_francisco(approves, expected):
    flags = {**CLEAN, "on_supervision": True, "supervision_approves": approves}
    d = decide(example("san_francisco"), facts(statute="PC 647(b)", flags=flags))
    assert d.outcome == expected
    if expected == NEEDS_REVIEW:
        assert d.missing == ("supervision_approves",)
        assert d.review_by == "project_manager"


def test_it_finds_a_pending_drug_court_case_ineligible_in_san_francisco():
    d = decide(
        example("san_francisco"), facts(statute="PC 647(b)", flags={**CLEAN, "pending_specialty_court": True})
    )
    assert d.outcome == INELIGIBLE
