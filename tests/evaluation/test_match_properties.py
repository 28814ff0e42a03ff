import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from offramp.evaluation.matching import match_nearest

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def samples(draw):
    n = draw(st.integers(2, 40))
    logit = draw(
        st.lists(st.floats(-4, 4, allow_nan=False).map(lambda v: round(v, 1)), min_size=n, max_size=n)
    )
    treated = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    treated[0], treated[-1] = True, False  # both arms present
    ratio = draw(st.integers(1, 3))
    caliper = draw(st.sampled_from([None, 0.1, 0.2, 1.0]))
    return np.arange(n) * 7 % 101, np.array(treated), np.array(logit), ratio, caliper


def usable(sample):
    ids, treated, logit, _, caliper = sample
    # A caliper needs a spread in both arms.
    return caliper is None or (treated.sum() > 1 and (~treated).sum() > 1)


@SETTINGS
@given(samples())
def test_it_never_reuses_a_control_without_replacement(sample):
    ids, treated, logit, ratio, caliper = sample
    if not usable(sample):
        return
    m = match_nearest(ids=ids, treated=treated, logit=logit, ratio=ratio, caliper_sd=caliper)
    assert len(set(m.control_index.tolist())) == m.control_index.size
    assert np.all(~treated[m.control_index]) and np.all(treated[m.treated_index])
    assert np.bincount(m.treated_index, minlength=ids.size).max() <= ratio


@SETTINGS
@given(samples(), st.booleans())
def test_it_keeps_every_pair_within_the_caliper(sample, replace):
    ids, treated, logit, ratio, caliper = sample
    if not usable(sample):
        return
    m = match_nearest(ids=ids, treated=treated, logit=logit, ratio=ratio, caliper_sd=caliper, replace=replace)
    d = np.abs(logit[m.treated_index] - logit[m.control_index])
    assert np.allclose(d, m.distance)
    if m.caliper is not None:
        assert np.all(d <= m.caliper)


@SETTINGS
@given(samples())
def test_it_matches_each_treated_to_the_nearest_control_with_replacement(sample):
    ids, treated, logit, _, _ = sample
    m = match_nearest(ids=ids, treated=treated, logit=logit, ratio=1, caliper_sd=None, replace=True)
    controls = np.flatnonzero(~treated)
    for t, c in zip(m.treated_index, m.control_index, strict=True):
        dist = np.abs(logit[controls] - logit[t])
        best = controls[dist == dist.min()]
        assert c == best[np.argmin(ids[best])]  # nearest, ties to the lowest id
    # Weights add up to the number of matched treated people in each arm.
    assert m.weights[~treated].sum() == m.weights[treated].sum()
