import numpy as np
import pytest

from offramp.evaluation.matching import caliper_width, ipw_weights, match_nearest


def pairs(m, ids):
    return sorted(zip(ids[m.treated_index].tolist(), ids[m.control_index].tolist(), strict=True))


def test_it_breaks_ties_between_equidistant_controls_by_lowest_id():
    # Treated at 0; controls at -1 (id 30) and +1 (ids 20 and 10): all at distance 1.
    ids = np.array([1, 30, 20, 10])
    m = match_nearest(
        ids=ids, treated=np.array([1, 0, 0, 0], bool), logit=np.array([0.0, -1.0, 1.0, 1.0]), caliper_sd=None
    )
    assert pairs(m, ids) == [(1, 10)]


def test_it_takes_tied_controls_in_id_order_when_matching_without_replacement():
    ids = np.array([1, 2, 3, 7, 5, 6])
    logit = np.array([0.0, 0.0, 0.0, 0.5, 0.5, 0.5])
    m = match_nearest(ids=ids, treated=np.array([1, 1, 1, 0, 0, 0], bool), logit=logit, caliper_sd=None)
    # Treated tie on the score too: processed by ascending id, each taking the lowest free id.
    assert pairs(m, ids) == [(1, 5), (2, 6), (3, 7)]


def test_it_processes_treated_from_highest_score_down():
    # One control between two treated; the higher-scored treated person gets it.
    ids = np.array([1, 2, 3])
    m = match_nearest(
        ids=ids, treated=np.array([1, 1, 0], bool), logit=np.array([0.0, 2.0, 1.0]), caliper_sd=None
    )
    assert pairs(m, ids) == [(2, 3)]
    assert ids[m.unmatched_treated].tolist() == [1]


def test_it_does_not_depend_on_row_order():
    rng = np.random.default_rng(3)
    n = 300
    ids = np.arange(1000, 1000 + n)
    treated = rng.random(n) < 0.3
    logit = np.round(rng.normal(size=n), 1)  # many exact ties
    first = pairs(match_nearest(ids=ids, treated=treated, logit=logit, ratio=2), ids)
    perm = rng.permutation(n)
    second = pairs(match_nearest(ids=ids[perm], treated=treated[perm], logit=logit[perm], ratio=2), ids[perm])
    assert first == second


def test_it_drops_treated_people_with_no_control_inside_the_caliper():
    ids = np.arange(6)
    treated = np.array([1, 1, 0, 0, 0, 0], bool)
    logit = np.array([0.0, 3.0, 0.05, 0.1, -0.1, 0.2])
    width = caliper_width(treated=treated, logit=logit, caliper_sd=0.2)
    m = match_nearest(ids=ids, treated=treated, logit=logit, caliper_sd=0.2)
    assert width < 3.0 - 0.2
    assert m.unmatched_treated.tolist() == [1]
    assert pairs(m, ids) == [(0, 2)]
    assert m.weights.tolist() == [1, 0, 1, 0, 0, 0]


def test_it_uses_the_pooled_sd_of_the_logit_for_the_caliper():
    treated = np.array([1, 1, 1, 0, 0, 0], bool)
    logit = np.array([0.0, 1.0, 2.0, 0.0, 2.0, 4.0])
    assert caliper_width(treated=treated, logit=logit, caliper_sd=0.2) == pytest.approx(
        0.2 * np.sqrt((1 + 4) / 2)
    )


def test_it_matches_one_to_k_in_rounds():
    ids = np.arange(6)
    treated = np.array([1, 1, 0, 0, 0, 0], bool)
    logit = np.array([0.0, 1.0, 0.1, 0.2, 0.9, 5.0])
    m = match_nearest(ids=ids, treated=treated, logit=logit, ratio=2, caliper_sd=None)
    # Round 1: id 1 (higher score) takes 4, id 0 takes 2. Round 2: id 1 takes 3 (0.8 < 4), id 0 takes 5.
    assert pairs(m, ids) == [(0, 2), (0, 5), (1, 3), (1, 4)]
    assert m.weights[[2, 3, 4, 5]].tolist() == [0.5, 0.5, 0.5, 0.5]


def test_it_reuses_controls_with_replacement_and_weights_them_by_use():
    ids = np.arange(4)
    treated = np.array([1, 1, 1, 0], bool)
    logit = np.array([0.0, 0.1, 0.2, 0.1])
    m = match_nearest(ids=ids, treated=treated, logit=logit, caliper_sd=None, replace=True)
    assert pairs(m, ids) == [(0, 3), (1, 3), (2, 3)]
    assert m.weights[3] == 3.0
    assert m.sq_weights[3] == 3.0


def test_it_gives_each_treated_its_k_nearest_with_replacement():
    ids = np.array([1, 2, 3, 4, 5])
    treated = np.array([1, 0, 0, 0, 0], bool)
    logit = np.array([0.0, -0.5, 0.5, 0.2, 3.0])
    m = match_nearest(ids=ids, treated=treated, logit=logit, ratio=3, caliper_sd=None, replace=True)
    # Distances 0.5 (id 2), 0.5 (id 3), 0.2 (id 4): id 4 first, then the tie by lowest id.
    assert ids[m.control_index].tolist() == [4, 2, 3]
    assert m.weights[1:4].tolist() == pytest.approx([1 / 3] * 3)


def test_it_refuses_duplicate_ids():
    with pytest.raises(ValueError, match="unique"):
        match_nearest(ids=np.array([1, 1]), treated=np.array([1, 0], bool), logit=np.zeros(2))


def test_it_computes_att_and_ate_weights():
    t = np.array([1, 0, 0], bool)
    e = np.array([0.5, 0.2, 0.75])
    assert ipw_weights(treated=t, score=e, estimand="att").tolist() == pytest.approx([1, 0.25, 3])
    assert ipw_weights(treated=t, score=e, estimand="ate").tolist() == pytest.approx([2, 1.25, 4])
    p = 1 / 3
    stab = ipw_weights(treated=t, score=e, estimand="att", stabilize=True)
    assert stab.tolist() == pytest.approx([1, 0.25 * (1 - p) / p, 3 * (1 - p) / p])
    stab = ipw_weights(treated=t, score=e, estimand="ate", stabilize=True)
    assert stab.tolist() == pytest.approx([2 * p, 1.25 * (1 - p), 4 * (1 - p)])


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("estimand", ["att", "ate"])
def test_an_empty_group_has_no_weights_and_no_warning(estimand):
    empty = np.array([])
    assert ipw_weights(treated=empty, score=empty, estimand=estimand, stabilize=True).size == 0
