"""The overview's case managers and the assign form's choices come a page or a search at a time, with
open cases counted in SQL; a case manager of another program never appears."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.cases.models import Status
from offramp.cases.queries import ASSIGN_CHOICES, MANAGERS_PER_PAGE
from offramp.programs.models import Membership
from offramp.programs.roles import Role
from tests.conftest import make_case
from tests.markup import without_tokens


def _many_managers(world, n: int, prefix: str = "crew") -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i:03d}", first_name="Crew", last_name=f"{prefix.title()} {i:03d}")
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, program=world.program, role=Role.CASE_MANAGER) for u in users]
    )
    return users


def _overview(client, **params):
    response = client.get(reverse("cases:overview"), params)
    assert response.status_code == 200
    return response


def test_it_pages_the_overviews_case_managers_with_their_open_cases(world, login):
    crew = _many_managers(world, MANAGERS_PER_PAGE + 10)
    make_case(world.program, manager=crew[0], last="One")
    make_case(world.program, manager=crew[0], last="Two")
    make_case(world.program, manager=crew[0], last="Gone", status=Status.EXITED)  # exited: not open
    client = login(world.users[Role.CASE_SUPERVISOR])
    first = _overview(client)
    shown = first.context["page"].object_list
    assert len(shown) == MANAGERS_PER_PAGE
    assert first.context["page"].paginator.count == MANAGERS_PER_PAGE + 12  # the crew and the world's two
    loads = {m.user.username: m.open_cases for m in shown}
    assert loads["crew000"] == 2
    rest = _overview(client, page=2).context["page"].object_list
    assert len(rest) == 12
    assert not {m.pk for m in shown} & {m.pk for m in rest}
    summary = first.context["summary"]
    assert summary.manager_count == MANAGERS_PER_PAGE + 12


def test_it_sorts_by_open_cases_and_counts_those_over_the_limits(world, login):
    world.program.configuration = {"caseload_soft_limit": 1, "caseload_hard_limit": 2}
    world.program.save()
    busy = world.users[Role.CASE_MANAGER]
    for last in ("Two", "Three"):
        make_case(world.program, manager=busy, last=last)  # three open with the world's own case
    response = _overview(login(world.users[Role.CASE_SUPERVISOR]), sort="load")
    first = response.context["page"].object_list[0]
    assert (first.user, first.open_cases) == (busy, 3)
    summary = response.context["summary"]
    assert (summary.over_hard_limit, summary.at_soft_limit) == (1, 2)  # secondcm has one: at the guide
    assert 'class="num over">3<' in response.content.decode()


def test_the_overview_search_finds_by_name_and_never_another_programs_staff(world, login):
    _many_managers(world, 5)
    client = login(world.users[Role.CASE_SUPERVISOR])
    found = _overview(client, q="crew 003").context["page"].object_list
    assert [m.user.username for m in found] == ["crew003"]
    assert not _overview(client, q="outsider").context["page"].object_list
    everyone = without_tokens(_overview(client).content.decode())
    assert "Outsider" not in everyone and "Secondcm" in everyone


def test_the_overview_costs_the_same_queries_with_few_or_many_case_managers(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    _overview(client)
    with CaptureQueriesContext(connection) as few:
        _overview(client)
    _many_managers(world, 3 * MANAGERS_PER_PAGE)
    with CaptureQueriesContext(connection) as many:
        _overview(client)
    assert len(few) == len(many)


def _case_page(client, case, **params):
    response = client.get(reverse("cases:detail", args=[case.pk]), params)
    assert response.status_code == 200
    return response


def _choices(response) -> list:
    return [label for value, label in response.context["assign_form"].fields["case_manager"].choices if value]


def test_the_assign_form_offers_a_bounded_list_and_a_search(world, login):
    _many_managers(world, ASSIGN_CHOICES + 20)
    client = login(world.users[Role.CASE_SUPERVISOR])
    page = _case_page(client, world.own_case)
    assert len(_choices(page)) == ASSIGN_CHOICES
    assert "search to find others" in page.content.decode()
    assert all("open" not in label for label in _choices(page))  # the case page itself counts nothing
    found = _case_page(client, world.own_case, manager_q="secondcm")
    assert _choices(found) == ["Secondcm (1 open)"]  # a search is assigning: the caseload is shown
    assert _case_page(client, world.own_case, manager_q="outsider").context["assign_choices"].choices == []
    assert (
        "No active case manager matches"
        in _case_page(client, world.own_case, manager_q="outsider").content.decode()
    )


def test_a_case_manager_past_the_first_choices_can_still_be_assigned(world, login):
    crew = _many_managers(world, ASSIGN_CHOICES + 20)
    last = crew[-1]
    client = login(world.users[Role.CASE_SUPERVISOR])
    assert last.get_full_name() not in _choices(_case_page(client, world.other_case))
    assert _choices(_case_page(client, world.other_case, manager_q=last.last_name)) == [
        f"{last.get_full_name()} (0 open)"
    ]
    response = client.post(reverse("cases:assign", args=[world.other_case.pk]), {"case_manager": last.pk})
    assert response.status_code == 302
    refused = client.post(
        reverse("cases:assign", args=[world.other_case.pk]), {"case_manager": world.outsider.pk}
    )
    assert refused.status_code == 400


def test_the_case_page_costs_the_same_queries_with_few_or_many_case_managers(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    _many_managers(world, 2)
    counts = []
    for more in (0, 2 * ASSIGN_CHOICES):
        _many_managers(world, more, prefix="more")
        for params in ({}, {"manager_q": "crew"}, {"manager_q": "more"}):
            _case_page(client, world.own_case, **params)
            with CaptureQueriesContext(connection) as captured:
                _case_page(client, world.own_case, **params)
            counts.append(len(captured))
    assert counts[:3] == counts[3:]
