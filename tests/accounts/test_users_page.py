"""The users page: search, paging at a constant number of queries, and a confirmation before disabling."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.accounts.queries import USERS_PER_PAGE
from offramp.programs.models import Membership

USERS = reverse("accounts:users")


def listed(response) -> list[str]:
    return [u.username for u in response.context["page"].object_list]


def staff(world, n: int) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    made = User.objects.bulk_create(
        User(username=f"staff{i:03d}", first_name="Pat", last_name=f"Staff{i:03d}", email=f"s{i}@example.org")
        for i in range(n)
    )
    Membership.objects.bulk_create(Membership(user=u, program=world.program, role=Role.OFFICER) for u in made)


def test_it_finds_staff_by_any_part_of_name_username_or_email(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    assert listed(client.get(USERS, {"q": "secondcm"})) == ["secondcm"]
    assert listed(client.get(USERS, {"q": "SECONDOFF"})) == ["secondofficer"]
    assert listed(client.get(USERS, {"q": "prosecutor@example"})) == ["prosecutor"]
    assert listed(client.get(USERS, {"q": "outsider"})) == []  # another program's account
    body = client.get(USERS, {"q": "nobody-at-all"}).content.decode()
    assert "0 accounts matching" in body
    entry = AuditEntry.objects.filter(action="list", object_type="User").first()
    assert entry.detail == {"view": "user_list", "count": 0, "page": 1, "search": True}


def test_it_pages_at_a_constant_number_of_queries(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    staff(world, 10)
    with CaptureQueriesContext(connection) as few:
        client.get(USERS)
    staff_more = USERS_PER_PAGE * 2
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith="staff").delete()
    staff(world, staff_more)
    with CaptureQueriesContext(connection) as many:
        first = client.get(USERS)
    assert len(few) == len(many)
    total = staff_more + len(Role) + 2
    assert first.context["page"].paginator.count == total
    assert len(listed(first)) == USERS_PER_PAGE
    last = client.get(USERS, {"page": 3})
    assert len(listed(last)) == total - 2 * USERS_PER_PAGE
    assert not set(listed(first)) & set(listed(last))
    assert "Page 1 of 3" in first.content.decode()
    searched = client.get(USERS, {"q": "Staff0", "page": 2}).content.decode()
    assert 'href="?q=Staff0&amp;page=1"' in searched  # the pager keeps the search


def test_it_asks_before_disabling(world, login):
    target = world.users[Role.OFFICER]
    client = login(world.users[Role.SYSTEM_ADMIN])
    listing = client.get(USERS).content.decode()
    assert f'href="{reverse("accounts:user_disable", args=[target.pk])}"' in listing
    page = client.get(reverse("accounts:user_disable", args=[target.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Disable Officer?" in body and "signs them out everywhere" in body
    target.refresh_from_db()
    assert target.is_active  # asking changes nothing
    response = client.post(reverse("accounts:user_status", args=[target.pk]), {"action": "disable"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active


def test_only_an_administrator_of_the_program_is_asked(world, login):
    assert (
        login(world.users[Role.PROJECT_MANAGER])
        .get(reverse("accounts:user_disable", args=[world.users[Role.OFFICER].pk]))
        .status_code
        == 404
    )
    admin = login(world.users[Role.SYSTEM_ADMIN])
    assert admin.get(reverse("accounts:user_disable", args=[world.outsider.pk])).status_code == 404
