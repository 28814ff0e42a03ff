"""Fixtures for the analysis app: the shared world plus synthetic legal-system records."""

import pytest

from offramp.access.scope import Actor
from offramp.analysis.synthetic import seed_evaluation
from offramp.programs.roles import Role


def actor_for(world, role, program=None):
    return Actor(
        user=world.users[role],
        program=program or world.program,
        roles=frozenset({role}),
        source_address="127.0.0.1",
    )


@pytest.fixture
def seeded(world):
    """500 synthetic people (30% LEAD; the world's two participants among them) and their events."""
    return seed_evaluation(program=world.program, seed=3, run=False, n_people=500)


@pytest.fixture
def study(world):
    """The example study saved in the world's program, with no records behind it."""
    from offramp.analysis.actions import study_create
    from offramp.analysis.synthetic import EXAMPLE_STUDY

    return study_create(actor=actor_for(world, Role.EVALUATOR), toml=EXAMPLE_STUDY.read_text())
