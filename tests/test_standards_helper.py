"""tests/standards.py: a missing published standard skips (the whole module, when read at module level)
except under CI, where it fails."""

import pytest
from _pytest.outcomes import Failed, Skipped

from tests import standards


def test_a_missing_standard_skips_even_at_module_level(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(standards, "STANDARDS", tmp_path)
    with pytest.raises(Skipped) as skipped:
        standards.standard_file("hmis-csv-fy2026", "columns.csv")
    assert skipped.value.allow_module_level


def test_under_ci_a_missing_standard_fails(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(standards, "STANDARDS", tmp_path)
    with pytest.raises(Failed):
        standards.standard_file("hmis-csv-fy2026", "columns.csv")


def test_a_present_standard_is_its_path(monkeypatch, tmp_path):
    (tmp_path / "x.csv").write_text("a\n")
    monkeypatch.setattr(standards, "STANDARDS", tmp_path)
    assert standards.standard_file("x.csv") == tmp_path / "x.csv"
