"""Notifications: each user sees and clears only their own, once per subject."""

from django.core import mail
from django.urls import reverse

from offramp.access.scope import Actor, trusted
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.programs.roles import Role


def send(world, recipient, key="k"):
    return notification_send(
        actor=Actor.system("test", program=world.program),
        recipient=recipient,
        kind=Notification.Kind.INTAKE_DUE_SOON,
        title="Intake due in 3 days",
        body="Case 1",
        url="/cases/1/",
        key=key,
        email_body="An intake deadline is near.",
    )


def test_it_sends_once_per_key_in_the_app_and_by_email(world, django_capture_on_commit_callbacks, settings):
    settings.BASE_URL = "https://lead.example.org"
    manager = world.users[Role.CASE_MANAGER]
    with django_capture_on_commit_callbacks(execute=True):
        first = send(world, manager)
        second = send(world, manager)
    assert first is not None and second is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[offramp] Intake deadline near"
    # The link is absolute (OFFRAMP_BASE_URL): a relative one cannot be tapped in a mail app.
    assert (
        mail.outbox[0].body
        == "An intake deadline is near.\n\nOpen offramp: https://lead.example.org/cases/1/"
    )


def test_it_lists_only_the_users_own_notices_and_marks_them_read(world, login):
    manager = world.users[Role.CASE_MANAGER]
    notice = send(world, manager)
    send(world, world.users[Role.PROSECUTOR], key="other")
    page = login(manager).get(reverse("notifications:inbox")).content.decode()
    assert "Intake due in 3 days" in page and "Mark as read" in page
    assert page.count("Intake due in 3 days") == 1

    # Someone else cannot mark it read; its recipient can.
    login(world.users[Role.CASE_SUPERVISOR]).post(reverse("notifications:read", args=[notice.pk]))
    with trusted("test"):
        assert Notification.objects.get(pk=notice.pk).read_at is None
    login(manager).post(reverse("notifications:read", args=[notice.pk]))
    with trusted("test"):
        assert Notification.objects.get(pk=notice.pk).read_at is not None
    assert "Mark as read" not in login(manager).get(reverse("notifications:inbox")).content.decode()


def test_it_shows_nothing_from_another_program(world, login):
    send(world, world.users[Role.CASE_MANAGER])
    page = login(world.outsider).get(reverse("notifications:inbox")).content.decode()
    assert "No notifications." in page
