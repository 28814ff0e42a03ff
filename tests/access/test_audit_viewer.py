"""The audit viewer answers "who looked at this participant?", within the program, and audits itself."""

from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.programs.roles import Role


def _rows(response):
    return [
        (e.actor_label, e.action, e.object_type, e.object_id) for e in response.context["page"].object_list
    ]


def test_it_shows_who_looked_at_a_participant(world, login, client):
    login(world.users[Role.CASE_MANAGER]).get(reverse("cases:detail", args=[world.own_case.pk]))
    client.logout()
    login(world.users[Role.CASE_SUPERVISOR])
    response = client.get(reverse("access:audit"), {"person": world.own_case.person_id})
    assert response.status_code == 200
    assert ("casemanager", "read", "Case", str(world.own_case.pk)) in _rows(response)
    assert all(row[3] != str(world.other_case.pk) for row in _rows(response))
    assert "casemanager" in response.content.decode()


def test_it_records_each_reading_of_the_log(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    client.get(reverse("access:audit"), {"user": "casemanager", "action": "read"})
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor, entry.action, entry.object_type) == (
        world.users[Role.PROJECT_MANAGER],
        "read",
        "AuditEntry",
    )
    assert entry.detail == {"view": "audit_log", "user": "casemanager", "action": "read"}


def test_it_shows_nothing_from_another_program(world, login, client):
    login(world.users[Role.CASE_MANAGER]).get(reverse("cases:detail", args=[world.own_case.pk]))
    client.logout()
    login(world.outsider)
    response = client.get(reverse("access:audit"), {"user": "casemanager"})
    assert _rows(response) == []
    response = client.get(reverse("access:audit"), {"object_type": "Case", "object_id": world.own_case.pk})
    assert _rows(response) == []


def test_it_filters_by_user_and_date(world, login, client):
    login(world.users[Role.CASE_MANAGER]).get(reverse("cases:detail", args=[world.own_case.pk]))
    client.logout()
    login(world.users[Role.SYSTEM_ADMIN])
    # Dates in the filter are the program's own calendar dates.
    at = AuditEntry.objects.order_by("-id").first().at
    today = timezone.localdate(at, world.program.zone).isoformat()
    rows = _rows(client.get(reverse("access:audit"), {"user": "CaseManager", "since": today, "until": today}))
    assert rows and all(row[0] == "casemanager" for row in rows)
    assert _rows(client.get(reverse("access:audit"), {"user": "casemanager", "until": "2000-01-01"})) == []
