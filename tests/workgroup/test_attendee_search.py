"""The agenda's "Who" list is bounded and searchable; an owner past the list can still be asked, and staff
of another program never appear nor may be asked."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.programs.models import Membership
from offramp.programs.roles import Role
from offramp.workgroup.attendees import ATTENDEE_CHOICES, attendees
from offramp.workgroup.models import ActionItem
from tests.markup import without_tokens
from tests.workgroup.conftest import actor


def _crew(world, n: int) -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"crew{i:03d}", first_name="Crew", last_name=f"Member {i:03d}") for i in range(n)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, program=world.program, role=Role.CASE_MANAGER) for u in users]
    )
    return users


def _owners(response) -> list:
    return [value for value, _label in response.context["action_form"].fields["owner"].choices if value]


def test_it_offers_a_bounded_list_of_attendees_and_a_search(flagged, meeting, login):
    world = flagged.world
    crew = _crew(world, ATTENDEE_CHOICES + 15)
    client = login(world.users[Role.PROJECT_MANAGER])
    url = reverse("workgroup:agenda", args=[meeting.pk])
    page = client.get(url)
    assert len(_owners(page)) == ATTENDEE_CHOICES
    assert "search to find others" in page.content.decode()
    found = client.get(url, {"owner_q": "member 040"})
    assert _owners(found) == [crew[40].pk]
    assert not _owners(client.get(url, {"owner_q": "outsider"}))
    assert "Outsider" not in without_tokens(client.get(url, {"owner_q": "o"}).content.decode())


def test_an_attendee_past_the_list_can_be_asked_and_an_outsider_cannot(flagged, meeting, login):
    world = flagged.world
    last = _crew(world, ATTENDEE_CHOICES + 15)[-1]
    client = login(world.users[Role.PROJECT_MANAGER])
    change = reverse("workgroup:action_item_new", args=[meeting.pk])
    form = {
        "action-what": "Bring the roster",
        "action-due_on": meeting.held_on.isoformat(),
    }
    assert client.post(change, {**form, "action-owner": last.pk}).status_code == 302
    assert client.post(change, {**form, "action-owner": world.outsider.pk}).status_code == 400
    with trusted("tests"):
        owners = list(ActionItem.objects.filter(meeting=meeting).values_list("owner_id", flat=True))
    assert owners == [last.pk]


def test_attendees_are_the_programs_active_staff_whose_roles_attend(world):
    pm = actor(world.users[Role.PROJECT_MANAGER], world.program)
    people = {u.pk for u in attendees(pm).people}
    assert world.users[Role.CASE_MANAGER].pk in people and world.outsider.pk not in people
    assert world.users[Role.SYSTEM_ADMIN].pk not in people  # an administrator sees no participant's status
    Membership.objects.filter(user=world.users[Role.CASE_MANAGER]).update(is_active=False)
    assert world.users[Role.CASE_MANAGER].pk not in {u.pk for u in attendees(pm).people}
