"""Lists page by keyset: next and previous walk every row once, ties and NULLs included, in the same
order on SQLite and PostgreSQL; filters ride along; cursors carry no personal data; counts stop at
1,000 and say so."""

import datetime as dt
import re
from html import unescape

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from offramp.access.audit import audit_record
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.cases.queries.caseload import CASELOAD_SORTS
from offramp.paging import COUNT_CAP, capped_count, keyset_page
from offramp.programs.roles import Role
from tests.conftest import make_case


def _cases(world, n=22, days_ago=20):
    """n cases on one caseload whose last contacts tie (four dates from `days_ago`), a third never
    contacted, and whose names tie in pairs."""
    manager = world.users[Role.CASE_MANAGER]
    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    made = []
    for i in range(n):
        case = make_case(world.program, manager=manager, first=f"P{i // 2}", last="Same", contacts=0)
        made.append(case)
        at = None if i % 3 == 0 else base + dt.timedelta(days=i % 4)
        with trusted("tests"):
            Case.objects.filter(pk=case.pk).update(last_contact_at=at)
    with trusted("tests"):
        return Case.objects.filter(program=world.program, case_manager=manager).select_related("person")


def _expected_by_last_contact(rows):
    """Never-contacted first (by id), then the oldest contact first, ties by id."""
    return [
        c.pk
        for c in sorted(rows, key=lambda c: (c.last_contact_at is not None, c.last_contact_at or 0, c.pk))
    ]


def _walk(rows, order, *, size):
    """Every page from the first by "next", then back from the last by "previous"."""
    forwards, pages = [], []
    cursor = ""
    with trusted("tests"):
        while True:
            page = keyset_page(rows, order, cursor=cursor, size=size, salt="test")
            forwards += [c.pk for c in page.rows]
            pages.append(page)
            if not page.has_next:
                break
            cursor = page.next_cursor
        backwards = []
        page = keyset_page(rows, order, cursor=pages[0].last_cursor, size=size, salt="test")
        while True:
            backwards = [c.pk for c in page.rows] + backwards
            if not page.has_previous:
                break
            page = keyset_page(rows, order, cursor=page.previous_cursor, size=size, salt="test")
    return forwards, backwards, pages


def test_never_contacted_people_come_first_on_this_database(world):
    rows = _cases(world)
    with trusted("tests"):
        everyone = list(rows)
        page = keyset_page(rows, CASELOAD_SORTS["last_contact"], cursor="", size=100, salt="test")
    assert any(c.last_contact_at is None for c in everyone)
    assert [c.pk for c in page.rows] == _expected_by_last_contact(everyone)
    assert page.rows[0].last_contact_at is None and page.rows[-1].last_contact_at is not None


def test_next_and_previous_walk_every_case_once_when_sort_keys_tie(world):
    rows = _cases(world)
    with trusted("tests"):
        everyone = list(rows)
    forwards, backwards, pages = _walk(rows, CASELOAD_SORTS["last_contact"], size=5)
    assert forwards == _expected_by_last_contact(everyone)  # no duplicates, no gaps
    assert backwards == forwards
    assert len(pages) == 5 and not pages[0].has_previous and not pages[-1].has_next
    names, names_back, _pages = _walk(rows, CASELOAD_SORTS["name"], size=4)
    by_name = sorted(everyone, key=lambda c: (c.person.legal_last_name, c.person.legal_first_name, c.pk))
    assert names == names_back == [c.pk for c in by_name]


def test_the_last_page_is_the_end_of_the_list(world):
    rows = _cases(world)
    with trusted("tests"):
        everyone = _expected_by_last_contact(list(rows))
        first = keyset_page(rows, CASELOAD_SORTS["last_contact"], cursor="", size=5, salt="test")
        last = keyset_page(
            rows, CASELOAD_SORTS["last_contact"], cursor=first.last_cursor, size=5, salt="test"
        )
    assert [c.pk for c in last.rows] == everyone[-5:]
    assert last.has_previous and not last.has_next


def test_a_changed_cursor_or_one_from_another_list_starts_at_the_top(world):
    rows = _cases(world, n=8)
    order = CASELOAD_SORTS["last_contact"]
    with trusted("tests"):
        first = keyset_page(rows, order, cursor="", size=3, salt="test")
        tampered = first.next_cursor[:-2] + ("aa" if not first.next_cursor.endswith("aa") else "bb")
        other_list = keyset_page(rows, order, cursor=first.next_cursor, size=3, salt="elsewhere")
        bad = keyset_page(rows, order, cursor=tampered, size=3, salt="test")
    assert [c.pk for c in bad.rows] == [c.pk for c in first.rows] == [c.pk for c in other_list.rows]
    assert not bad.has_previous


def test_the_caseload_pages_keep_their_filters_and_name_nobody(world, login):
    rows = _cases(world, n=60, days_ago=90)  # every one in the wind
    client = login(world.users[Role.CASE_SUPERVISOR])
    url = reverse("cases:caseload")
    first = client.get(url, {"sort": "last_contact", "status": "all", "flag": "wind"})
    body = first.content.decode()
    [next_href] = re.findall(r'href="\?([^"]*)" rel="next"', body)
    query = unescape(next_href)
    assert "sort=last_contact" in query and "status=all" in query and "flag=wind" in query
    cursor = first.context["page"].next_cursor
    direction, pk = signing.loads(cursor, salt="offramp.paging.caseload")
    assert direction == "n" and isinstance(pk, int)  # the boundary row's id only: no name, no date
    assert "Same" not in query and "P1" not in query
    second = client.get(f"{url}?{query}")
    seen = [c.pk for c in first.context["page"].object_list] + [
        c.pk for c in second.context["page"].object_list
    ]
    with trusted("tests"):
        quiet = rows.filter(last_contact_at__lt=timezone.now() - dt.timedelta(days=30))
        wind = set(quiet.values_list("pk", flat=True)) | set(
            rows.filter(last_contact_at__isnull=True).values_list("pk", flat=True)
        )
    assert len(seen) == len(set(seen)) and set(seen) <= wind
    assert second.context["page"].has_previous


def test_a_count_past_the_cap_says_more_than(world, login):
    with trusted("tests"):
        few = capped_count(Case.objects.filter(program=world.program), cap=1)
        exact = capped_count(Case.objects.filter(program=world.program), cap=10)
    assert (str(few), few.capped) == ("More than 1", True)
    assert (str(exact), exact.capped) == ("2", False)
    manager = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    for i in range(COUNT_CAP + 1):
        audit_record(actor=manager, action="read", object_type="Case", object_id=i)
    body = login(world.users[Role.PROJECT_MANAGER]).get(reverse("access:audit")).content.decode()
    assert f"More than {COUNT_CAP:,} entries." in body
