"""OFFRAMP_SMALL_CELL governs the tables that leave the system: the enrolment table follows it too."""

from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.cases.queries import enrolment_counts


def evaluator(world) -> Actor:
    return Actor(user=world.users[Role.EVALUATOR], program=world.program, roles=frozenset({Role.EVALUATOR}))


def test_the_enrolment_table_follows_the_deployments_small_cell(world, settings):
    settings.SMALL_CELL = 11
    assert [row.count for row in enrolment_counts(evaluator(world))] == [None]  # two cases: hidden
    settings.SMALL_CELL = 2
    assert [row.count for row in enrolment_counts(evaluator(world))] == [2]


def test_a_program_may_raise_the_threshold_but_not_lower_it(world, settings):
    settings.SMALL_CELL = 2
    world.program.configuration = {"small_cell_threshold": 3}
    assert [row.count for row in enrolment_counts(evaluator(world))] == [None]
    settings.SMALL_CELL = 11
    world.program.configuration = {"small_cell_threshold": 2}
    assert world.program.small_cell == 11
