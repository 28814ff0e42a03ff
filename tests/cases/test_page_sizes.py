"""No page lists the whole program: every participant-data page stays under 150 KB at 10,000 people.

The pages and who may open them are the query-count test's (tests/cases/test_page_query_counts.py),
opened by the seeded program's named accounts once the program has grown to 10,000 people (400 case
managers, 166 officers).
"""

import pytest
from django.contrib.auth import get_user_model

from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from tests.cases.test_page_query_counts import _visits

LIMIT = 150 * 1024


@pytest.mark.slow
def test_every_page_stays_under_150_kb_at_10000_people(db, client):
    program = seed_program(people=100, seed=7).program
    visits = _visits(program)  # the records each page opens, made as the query-count test makes them
    seed_program(people=9_900, seed=8)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS.values()])
    }
    sizes = {}
    for role, name, url in visits:
        client.force_login(users[DEMO_ACCOUNTS[role][0]])
        response = client.get(url)
        assert response.status_code == 200, (role, name, response.status_code)
        if response["Content-Type"].startswith("text/html"):  # pages, not downloads (the CSV exports)
            sizes[(role.value, name)] = len(response.content)
    assert len(sizes) > 40
    over = {key: size // 1024 for key, size in sizes.items() if size > LIMIT}
    assert not over, f"(role, page): KB over {LIMIT // 1024} KB: {over}"
    assert ("project_manager", "cases:overview") in sizes and ("case_supervisor", "cases:detail") in sizes
