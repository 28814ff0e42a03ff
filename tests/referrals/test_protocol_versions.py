"""Protocol versions: published by project managers as files, immutable, cited by every decision."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor
from offramp.programs.roles import Role
from offramp.referrals.actions import ERR_VERSION_NOT_NEWER, protocol_publish
from offramp.referrals.models import ProtocolVersion
from offramp.referrals.protocol import EXAMPLES_DIR

SEATTLE = (EXAMPLES_DIR / "seattle.toml").read_text(encoding="utf-8")


def upload(client, text: str):
    return client.post(
        reverse("referrals:protocols"),
        {"file": SimpleUploadedFile("p.toml", text.encode(), "application/toml")},
    )


def test_it_publishes_an_uploaded_file_and_gives_it_back_unchanged(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = upload(client, SEATTLE)
    assert response.status_code == 302
    version = ProtocolVersion.objects.get(program=world.program)
    assert (version.version, version.published_by) == (1, world.users[Role.PROJECT_MANAGER])
    assert version.protocol.label.startswith("Seattle LEAD")
    page = client.get(reverse("referrals:protocols")).content.decode()
    assert "Download version 1" in page
    download = client.get(reverse("referrals:protocol_export", args=[1]))
    assert download.content.decode() == SEATTLE  # comments and all: the file as published
    assert AuditEntry.objects.filter(object_type="ProtocolVersion", action="create").count() == 1


def test_it_refuses_an_invalid_file_with_every_error_and_publishes_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    broken = SEATTLE.replace('nibrs = "40A"', 'nibrs = "99Z"').replace(
        'fact = "amenable"', 'fact = "amenabel"'
    )
    page = upload(client, broken).content.decode()
    assert "offences[2].nibrs: unknown NIBRS code &#x27;99Z&#x27;" in page
    assert "judgements[0].fact: unknown fact &#x27;amenabel&#x27;" in page
    assert not ProtocolVersion.objects.exists()


def test_it_only_accepts_a_newer_version(world):
    actor = Actor.system("test", program=world.program)
    protocol_publish(actor=actor, text=SEATTLE)
    with pytest.raises(ValidationError) as refused:
        protocol_publish(actor=actor, text=SEATTLE)
    assert refused.value.messages == [ERR_VERSION_NOT_NEWER.format(version=1, latest=1)]
    newer = protocol_publish(actor=actor, text=SEATTLE.replace("version = 1", "version = 2"))
    assert newer.version == 2


def test_it_never_changes_a_published_version(world):
    version = protocol_publish(actor=Actor.system("test", program=world.program), text=SEATTLE)
    version.text = "changed"
    with pytest.raises(RuntimeError):
        version.save()
    with pytest.raises(RuntimeError):
        version.delete()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN)])
def test_it_hides_the_protocol_pages_from_roles_without_configuration_rights(world, login, role):
    protocol_publish(actor=Actor.system("test", program=world.program), text=SEATTLE)
    client = login(world.users[role])
    assert client.get(reverse("referrals:protocols")).status_code == 404
    assert client.get(reverse("referrals:protocol_export", args=[1])).status_code == 404
    assert upload(client, SEATTLE.replace("version = 1", "version = 2")).status_code == 404
    assert ProtocolVersion.objects.count() == 1


def test_it_keeps_each_programs_versions_apart(world, login):
    protocol_publish(actor=Actor.system("test", program=world.program), text=SEATTLE)
    client = login(world.outsider)  # every role, in the other program
    assert client.get(reverse("referrals:protocol_export", args=[1])).status_code == 404
    assert "No version published yet." in client.get(reverse("referrals:protocols")).content.decode()
