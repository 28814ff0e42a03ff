"""Contact notes are sealed with AES-256-GCM under keys outside the database, and re-sealed on rotation."""

import pytest
from django.core.management import call_command
from django.db import connection

from offramp.access.fieldcrypt import PREFIX, FieldKeyError, keys_reload, local_key_file
from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.models import Contact

NOTE = "Met at the shelter; talked about detox options and a bed at Harbor House."


def _stored(contact_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_contact WHERE id = %s", [contact_id])
        return cursor.fetchone()[0]


@pytest.fixture
def keyfile(settings):
    """A fresh key file for the test; restored afterwards so other tests keep theirs."""
    path = local_key_file()
    before = path.read_text() if path.exists() else None
    keys_reload()
    yield path
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(before)
    keys_reload()


def _contact(world, note=NOTE):
    with trusted("tests"):
        contact = world.own_case.contacts.first()
        Contact.objects.filter(pk=contact.pk).update(note=note)
        return Contact.objects.get(pk=contact.pk)


def test_it_stores_only_ciphertext_and_reads_back_the_note(world, keyfile):
    contact = _contact(world)
    stored = _stored(contact.pk)
    assert stored.startswith(PREFIX)
    assert "shelter" not in stored
    assert contact.note == NOTE


def test_it_refuses_a_value_tampered_with(world, keyfile):
    contact = _contact(world)
    stored = _stored(contact.pk)
    tampered = stored[:-6] + ("AAAA" if stored[-6:-2] != "AAAA" else "BBBB") + stored[-2:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_contact SET note = %s WHERE id = %s", [tampered, contact.pk])
    with trusted("tests"), pytest.raises(FieldKeyError):
        Contact.objects.get(pk=contact.pk)


def test_it_rotates_to_a_new_key_and_still_reads_everything(world, keyfile, capsys):
    contact = _contact(world)
    old_key = _stored(contact.pk).split(":")[1]
    call_command("keys", "new", "--add-to-local-file")
    keys_reload()
    # Before rotation: old values still open (both keys are configured), new ones use the new key.
    with trusted("tests"):
        assert Contact.objects.get(pk=contact.pk).note == NOTE
    call_command("keys", "rotate")
    new_key = _stored(contact.pk).split(":")[1]
    assert new_key != old_key
    with trusted("tests"):
        assert Contact.objects.get(pk=contact.pk).note == NOTE
    assert "re-sealed under key" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="key_rotate").exists()
    # The old key can now be retired: nothing still needs it.
    keyfile.write_text(keyfile.read_text().splitlines()[0] + "\n")
    keys_reload()
    with trusted("tests"):
        assert Contact.objects.get(pk=contact.pk).note == NOTE


def test_it_names_a_missing_key(world, keyfile):
    contact = _contact(world)
    call_command("keys", "new", "--add-to-local-file")
    keyfile.write_text(keyfile.read_text().splitlines()[0] + "\n")  # the old key is gone, unrotated
    keys_reload()
    with trusted("tests"), pytest.raises(FieldKeyError, match="no field key"):
        Contact.objects.get(pk=contact.pk)


def test_it_reads_keys_from_the_setting(world, settings, keyfile):
    from offramp.access.fieldcrypt import new_key_entry

    settings.FIELD_KEYS = new_key_entry()
    keys_reload()
    contact = _contact(world)
    assert _stored(contact.pk).split(":")[1] == settings.FIELD_KEYS.split(":")[0]
