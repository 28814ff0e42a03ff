"""A coefficient's SE from a sandwich whose diagonal rounds below zero is NaN, with no warning."""

import warnings

import numpy as np

from offramp.evaluation.glm import GlmFit


def test_a_diagonal_rounded_below_zero_gives_nan_and_no_warning():
    cov = np.array([[0.04, 0.0], [0.0, -1e-19]])
    fit = GlmFit(params=np.zeros(2), cov=cov, converged=True, iterations=3, dispersion=1.0, mu=np.zeros(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        se = fit.se
    assert se[0] == 0.2
    assert np.isnan(se[1])
