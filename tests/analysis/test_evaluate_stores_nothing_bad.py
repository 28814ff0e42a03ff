"""`offramp evaluate` stores no study and no run until the study has run on the program's records."""

import pytest
from django.core.management import CommandError, call_command

from offramp.access.scope import trusted
from offramp.analysis.models import Study, StudyRun
from tests.analysis.test_evaluate_command import EXAMPLE


def _stored() -> tuple[int, int]:
    with trusted("tests"):
        return Study.objects.count(), StudyRun.objects.count()


@pytest.mark.parametrize("months", ["99999999999", "1200000000"])
def test_it_stores_nothing_when_absurd_months_cannot_run(world, seeded, tmp_path, months):
    before = _stored()
    bad = tmp_path / "absurd.toml"
    bad.write_text(EXAMPLE.read_text().replace("months = 6", f"months = {months}", 1))
    with pytest.raises(CommandError) as raised:
        call_command("evaluate", str(bad), program=world.program.slug, out=str(tmp_path / "r"))
    message = str(raised.value)
    assert message and "\n" not in message and "Traceback" not in message
    assert _stored() == before
    assert not (tmp_path / "r").exists()


def test_it_stores_nothing_for_a_program_without_records(world, tmp_path):
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("evaluate", str(EXAMPLE), program=world.program.slug, out=str(tmp_path / "r"))
    assert _stored() == (0, 0)
