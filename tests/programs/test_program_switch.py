"""Staff in several programs switch with a control on every page: audited, and it scopes everything."""

from django.urls import reverse

from offramp.access.middleware import ACTIVE_PROGRAM_KEY
from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.programs.models import Membership
from tests.conftest import make_case, make_user

SWITCH = reverse("sites:switch")


def both(world):
    """A case manager in both programs, with a case on their caseload in each."""
    user = make_user("twosites", world.program, Role.CASE_MANAGER)
    Membership.objects.create(user=user, program=world.other_program, role=Role.CASE_MANAGER)
    here = make_case(world.program, manager=user, first="Hana", last="Here")
    there = make_case(world.other_program, manager=user, first="Theo", last="There")
    return user, here, there


def caseload(client) -> set:
    return {c.pk for c in client.get(reverse("cases:caseload")).context["page"].object_list}


def test_it_switches_and_everything_follows(world, login):
    user, here, there = both(world)
    client = login(user)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert 'action="/program/switch"' in page and ">Elsewhere LEAD</option>" in page
    first = client.get(reverse("cases:caseload")).context["actor"].program
    assert first == world.other_program  # programs come by name: Elsewhere before Test County
    assert caseload(client) == {there.pk}
    assert client.get(reverse("cases:detail", args=[here.pk])).status_code == 404

    response = client.post(SWITCH, {"program": world.program.pk})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[ACTIVE_PROGRAM_KEY] == world.program.pk
    assert caseload(client) == {here.pk}
    assert client.get(reverse("cases:detail", args=[here.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[there.pk])).status_code == 404
    found = client.get(reverse("people:lookup"), {"last_name": "There", "date_of_birth": "1980-05-17"})
    assert "There" not in found.content.decode().split("<main", 1)[1].replace('value="There"', "")

    entries = AuditEntry.objects.filter(action="program_switch", actor=user)
    assert {e.program_id for e in entries} == {world.program.pk, world.other_program.pk}
    assert {tuple(sorted(e.detail.items())) for e in entries} == {
        (("from", world.other_program.pk), ("to", world.program.pk))
    }


def test_it_refuses_a_program_the_user_holds_no_role_in(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    count = AuditEntry.objects.count()
    response = client.post(SWITCH, {"program": world.other_program.pk}, follow=True)
    assert "You hold no role in that program." in response.content.decode()
    assert ACTIVE_PROGRAM_KEY not in client.session
    assert response.context["actor"].program == world.program
    assert AuditEntry.objects.filter(action="program_switch").count() == 0
    assert AuditEntry.objects.count() >= count


def test_a_role_ended_in_the_chosen_program_falls_back(world, login):
    user, here, there = both(world)
    client = login(user)
    client.post(SWITCH, {"program": world.program.pk})
    Membership.objects.filter(user=user, program=world.program).update(is_active=False)
    assert client.get(reverse("cases:caseload")).status_code == 302  # a role change signs out
    client = login(user)
    session = client.session
    session[ACTIVE_PROGRAM_KEY] = world.program.pk  # the old choice, no longer a role of theirs
    session.save()
    assert caseload(client) == {there.pk}


def test_staff_in_one_program_see_no_control(world, login):
    page = login(world.users[Role.CASE_MANAGER]).get(reverse("cases:caseload")).content.decode()
    assert 'action="/program/switch"' not in page
