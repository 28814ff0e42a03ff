"""The equity page and its CSV cost the same number of queries for 100 screened arrests as for 5,000: on
the day's first view, which counts, and on the others, which read the counts kept on the run."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.referrals.actions import screening_run_create
from offramp.referrals.equity import DIMENSIONS
from offramp.referrals.models import ScreeningRun
from tests.referrals.screening_files import MAPPING, csv_bytes, project_manager, publish_seattle, row


def _run(world, n: int):
    rows = [
        row(
            f"N{n}-{i}", race="BWI"[i % 3], sex="MF"[i % 2], officer=f"Officer {i % 40}", beat=f"Beat {i % 7}"
        )
        for i in range(n)
    ]
    made, _ = screening_run_create(
        actor=project_manager(world), source=csv_bytes(rows), file_name=f"{n}.csv", mapping_text=MAPPING
    )
    return made


def _queries(client, name: str, run) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name, args=[run.pk])).status_code == 200
    return len(captured)


def _forget_counts(*runs) -> None:
    with trusted("tests"):
        ScreeningRun.objects.filter(pk__in=[run.pk for run in runs]).update(equity_counts={})


def test_it_reads_the_equity_audit_in_a_constant_number_of_queries(world, login):
    publish_seattle(world)
    small, large = _run(world, 100), _run(world, 5000)
    assert large.rows == 5000
    client = login(world.users[Role.PROJECT_MANAGER])
    for name in ("referrals:equity", "referrals:equity_csv"):
        client.get(reverse(name, args=[small.pk]))  # the session and the program, loaded once
        _forget_counts(small, large)
        counting = _queries(client, name, small)  # the day's first view counts, and keeps the counts
        assert counting == _queries(client, name, large)
        assert counting <= 13 + len(
            DIMENSIONS
        )  # sign-in and audit, the run, overall, one per dimension, keep
        kept = _queries(client, name, small)  # the day's other views read the kept counts
        assert kept == _queries(client, name, large)
        assert kept <= counting - len(DIMENSIONS) - 1
