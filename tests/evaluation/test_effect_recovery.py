"""Estimates against the simulator's known truth (ATT odds ratio 0.42 for re-arrest in 12 months)."""

import pytest

from tests.evaluation.conftest import outcome

pytestmark = pytest.mark.slow  # statistical: known truth recovered from simulated people


def covers(est: dict, truth: float) -> bool:
    return est["ci_low"] < truth < est["ci_high"]


def test_it_shows_the_naive_comparison_is_biased(report_ipw, sim):
    r = outcome(report_ipw, "any_arrest_12m")
    truth = sim.truth["att_odds_ratio_12m"]
    assert truth == 0.42 or abs(truth - 0.42) < 1e-9
    # LEAD selects people with more prior arrests, who are re-arrested more: naive looks worse.
    assert r["unadjusted"]["ci_low"] > truth


def test_it_recovers_the_odds_ratio_with_att_weights(report_ipw, sim):
    est = outcome(report_ipw, "any_arrest_12m")["design"]
    assert est["measure"] == "odds_ratio"
    assert covers(est, sim.truth["att_odds_ratio_12m"])


def test_it_recovers_the_odds_ratio_with_matching_without_replacement(report_matched, sim):
    est = outcome(report_matched, "any_arrest_12m")["design"]
    assert covers(est, sim.truth["att_odds_ratio_12m"])
    assert "clustered by matched set" in est["method"]


def test_it_recovers_the_odds_ratio_with_matching_with_replacement(report_replaced, sim):
    est = outcome(report_replaced, "any_arrest_12m")["design"]
    assert covers(est, sim.truth["att_odds_ratio_12m"])
    assert "Abadie-Imbens" in est["method"]


def test_it_recovers_the_rate_ratio_for_counts(report_ipw, report_matched, sim):
    for report in (report_ipw, report_matched):
        est = outcome(report, "bookings_12m")["design"]
        assert est["measure"] == "rate_ratio"
        assert covers(est, sim.truth["rate_ratio"])
        assert "dispersion" in est["extra"]


def test_it_recovers_the_hazard_ratio_of_re_arrest(report_ipw, report_matched, sim):
    # With the covariates in the model: the conditional hazard ratio the simulator draws from.
    assert covers(outcome(report_ipw, "time_to_rearrest")["regression"], sim.truth["hazard_ratio"])
    # Weighted or matched Cox models without covariates: the marginal hazard ratio among LEAD
    # people, which is nearer 1 (non-collapsibility); the simulator computes it from potential outcomes.
    marginal = sim.truth["marginal_hazard_ratio_att"]
    assert sim.truth["hazard_ratio"] < marginal < 1
    for report in (report_ipw, report_matched):
        est = outcome(report, "time_to_rearrest")["design"]
        assert est["measure"] == "hazard_ratio"
        assert covers(est, marginal)


def test_it_reaches_balance_after_adjustment(report_ipw, report_matched, report_replaced):
    for report in (report_ipw, report_matched, report_replaced):
        balance = report["contrasts"][0]["balance"]
        assert max(abs(r["smd_before"]) for r in balance) > 0.3
        assert all(abs(r["smd_after"]) < 0.1 for r in balance)
