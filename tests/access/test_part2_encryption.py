"""Assessment answers (substance use apart, and free-text notes) and goals are sealed like contact notes.

Stored ciphertext only, read back whole, re-sealed by `offramp keys rotate`, and the migration
seals what was stored in plain text before.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from offramp.access.fieldcrypt import PREFIX, keys_reload
from offramp.access.scope import trusted
from offramp.cases.models import Assessment, Goal, Plan
from tests.access.test_field_encryption import keyfile  # noqa: F401  (a fixture)

SUBSTANCE = {"substance_use": {"use": "Daily fentanyl, smoked", "treatment_interest": "Wants buprenorphine"}}
ANSWERS = {"housing": {"notes": "Sleeping under the Aurora bridge since March"}}
GOAL = "Cut down on meth, on my own terms"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names are constants)
        return cursor.fetchone()[0]


def _make(world) -> tuple[Assessment, Goal]:
    now = timezone.now()
    with trusted("tests"):
        assessment = Assessment.objects.create(
            program=world.program,
            case=world.own_case,
            kind=Assessment.Kind.FULL,
            assessed_on=dt.date(2026, 1, 5),
            answers=ANSWERS,
            substance_use=SUBSTANCE,
            created_at=now,
            updated_at=now,
        )
        plan, _ = Plan.objects.get_or_create(
            program=world.program, case=world.own_case, defaults={"updated_at": now}
        )
        goal = Goal.objects.create(
            program=world.program,
            plan=plan,
            area=Goal.Area.SUBSTANCE_USE,
            in_own_words=GOAL,
            created_at=now,
            updated_at=now,
        )
    return assessment, goal


STORED = [
    ("cases_assessment", "substance_use", "fentanyl"),
    ("cases_assessment", "answers", "Aurora"),
    ("cases_goal", "in_own_words", "meth"),
]


@pytest.mark.parametrize(("table", "column", "secret"), STORED)
def test_it_stores_only_ciphertext(world, keyfile, table, column, secret):  # noqa: F811
    assessment, goal = _make(world)
    stored = _raw(table, column, goal.pk if table == "cases_goal" else assessment.pk)
    assert stored.startswith(PREFIX) and secret not in stored


def test_it_reads_every_value_back(world, keyfile):  # noqa: F811
    assessment, goal = _make(world)
    with trusted("tests"):
        again = Assessment.objects.get(pk=assessment.pk)
        assert (again.answers, again.substance_use) == (ANSWERS, SUBSTANCE)
        assert Goal.objects.get(pk=goal.pk).in_own_words == GOAL
        assert list(Goal.objects.filter(pk=goal.pk).values_list("in_own_words", flat=True)) == [GOAL]


def test_it_reseals_under_a_new_key_on_rotation(world, keyfile):  # noqa: F811
    assessment, goal = _make(world)
    old = {c: _raw(t, c, goal.pk if t == "cases_goal" else assessment.pk).split(":")[1] for t, c, _ in STORED}
    call_command("keys", "new", "--add-to-local-file")
    keys_reload()
    call_command("keys", "rotate")
    for table, column, _ in STORED:
        new = _raw(table, column, goal.pk if table == "cases_goal" else assessment.pk).split(":")[1]
        assert new != old[column]
    keyfile.write_text(keyfile.read_text().splitlines()[0] + "\n")  # the old key retired
    keys_reload()
    with trusted("tests"):
        again = Assessment.objects.get(pk=assessment.pk)
        assert (again.answers, again.substance_use) == (ANSWERS, SUBSTANCE)
        assert Goal.objects.get(pk=goal.pk).in_own_words == GOAL


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_what_was_stored_in_plain_text(keyfile):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    assessment, goal = _make(world)
    with connection.cursor() as cursor:  # plain text, as a site before this change stored them
        cursor.execute(
            "UPDATE cases_assessment SET substance_use = %s, answers = %s WHERE id = %s",
            [
                '{"substance_use": {"use": "Daily fentanyl"}}',
                '{"housing": {"notes": "Aurora"}}',
                assessment.pk,
            ],
        )
        cursor.execute("UPDATE cases_goal SET in_own_words = %s WHERE id = %s", [GOAL, goal.pk])
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0004_assessments_outcomes")])
    assert "fentanyl" in _raw("cases_assessment", "substance_use", assessment.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    for table, column, secret in STORED:
        stored = _raw(table, column, goal.pk if table == "cases_goal" else assessment.pk)
        assert stored.startswith(PREFIX) and secret not in stored
    with trusted("tests"):
        again = Assessment.objects.get(pk=assessment.pk)
        assert again.substance_use == {"substance_use": {"use": "Daily fentanyl"}}
        assert again.answers == {"housing": {"notes": "Aurora"}}
        assert Goal.objects.get(pk=goal.pk).in_own_words == GOAL
